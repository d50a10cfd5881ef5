import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { UserAccount } from '../contracts/users.js';
import { apiAs, apiGet, apiPost, launchBrowser, login, newPage, scrollWidth } from './browser.js';

/**
 * Issue #19 in the browser: the console, its lazy pages and the API docs run under the Content
 * Security Policy without a single violation (scripts from this origin only), and an account whose
 * password an administrator reset must choose a new one before anything else — on a phone.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Every CSP violation the page reports, as the browser logs it. */
function watchViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text()); });
  page.on('pageerror', (e) => violations.push(`pageerror: ${e.message}`));
  return violations;
}

describe('Content Security Policy', () => {
  it('the console runs under it with no violation, across its pages', async () => {
    const { context, page } = await newPage(browser);
    const violations = watchViolations(page);
    const first = await page.goto('/login');
    expect(first!.headers()['content-security-policy']).toContain("script-src 'self'");
    await login(page, 'admin');
    for (const path of ['/orgs', '/members', '/activities', '/users', '/audit']) {
      await page.goto(path);
      await page.locator('h1, .ant-card, .ant-table').first().waitFor();
    }
    expect(violations).toEqual([]);
    await context.close();
  });

  it('the API docs (Swagger UI) render under it with no violation', async () => {
    const { context, page } = await newPage(browser);
    const violations = watchViolations(page);
    await page.goto('/api/docs/');
    await expect.poll(() => page.locator('.swagger-ui .title').first().innerText().catch(() => ''), { timeout: 20_000 }).toContain('党建云 API');
    expect(violations).toEqual([]);
    await context.close();
  });
});

describe('a password reset by an administrator', () => {
  it('makes the account choose a new password at its next sign-in before anything else (phone)', async () => {
    const admin = await apiAs('admin');
    const username = `reset.e2e${Date.now() % 100000}`;
    const orgs = (await apiGet<{ items: { id: string }[] }>(admin, '/orgs')).items;
    const account = await apiPost<UserAccount>(admin, '/users', { username, displayName: '重置测试', password: 'First-given-2026', roles: [{ role: 'org_admin', orgId: orgs[0]!.id }] });
    await apiPost(admin, `/users/${account.id}/reset-password`, { newPassword: 'Reset-by-admin-2026' }, 200);

    const { context, page } = await newPage(browser, { phone: true });
    await page.goto('/login');
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill('Reset-by-admin-2026');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    const dialog = page.getByRole('dialog', { name: '管理员已重置您的密码，请先设置新密码' });
    await dialog.waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    // the dialog cannot be dismissed: Escape leaves it open
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByLabel('当前密码').fill('Reset-by-admin-2026');
    await dialog.getByLabel('新密码', { exact: true }).fill('1qaz2wsx3edc');
    await dialog.getByLabel('确认新密码').fill('1qaz2wsx3edc');
    await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
    // the server's judgement shows under the field
    await expect.poll(() => dialog.locator('.ant-form-item-explain-error').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('太容易被猜到')]));
    await dialog.getByLabel('新密码', { exact: true }).fill('Chosen-on-phone-2026');
    await dialog.getByLabel('确认新密码').fill('Chosen-on-phone-2026');
    await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => page.getByText('管理员已重置您的密码').count()).toBe(0);
    // the new password signs in
    const again = await apiAs({ username, password: 'Chosen-on-phone-2026' });
    expect(again.me.user.mustChangePassword).toBe(false);
    await context.close();
  });
});
