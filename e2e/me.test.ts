import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { idNumber, launchBrowser, login, menuLabels, newPage } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('a member’s own pages on a phone (390×844)', () => {
  it('shows my profile without sideways scrolling, with the menu in a drawer', async () => {
    const { context, page } = await newPage(browser, { phone: true });
    await login(page, 'member');
    // a member lands on 首页; the profile is 我的档案
    await page.waitForURL('**/me/home');
    await page.goto('/me');
    const profile = page.getByTestId('my-profile');
    await profile.waitFor();
    const me = (await (await page.request.get('/api/auth/me')).json()) as { user: { displayName: string } };
    await expect.poll(() => page.getByTestId('member-name').innerText()).toBe(me.user.displayName);
    expect(await profile.innerText()).toContain('预算处党支部');

    // nothing is wider than the screen
    // (evaluated in the page; this file is type-checked without the DOM library)
    const widths = await page.evaluate<{ page: number; viewport: number }>('({ page: document.documentElement.scrollWidth, viewport: window.innerWidth })');
    expect(widths.viewport).toBe(390);
    expect(widths.page).toBeLessThanOrEqual(390);

    // the side menu is folded into a drawer behind the menu button
    expect(await page.getByTestId('main-menu').count()).toBe(0);
    await page.getByTestId('menu-button').click();
    const menu = page.getByTestId('main-menu');
    await menu.waitFor();
    const labels = (await menu.locator('.ant-menu-item').allInnerTexts()).map((s) => s.trim());
    expect(labels).toEqual(expect.arrayContaining(['我的档案', '我的转接']));
    expect(labels).not.toContain('党员名册');
    await menu.getByText('我的转接').click();
    await page.waitForURL('**/me/transfers');
    await expect.poll(() => page.getByText('我的组织关系转接').isVisible()).toBe(true);
    const after = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(after).toBeLessThanOrEqual(390);
    await context.close();
  });

  it('lets a member update their own phone number and shows the server’s error for a bad one', async () => {
    const { context, page } = await newPage(browser, { phone: true });
    await login(page, 'member');
    await page.goto('/me');
    await page.getByTestId('my-profile').waitFor();
    await page.getByRole('button', { name: /编\s*辑/ }).click();
    await page.getByLabel('手机号').fill('12345');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    const error = page.locator('.ant-drawer .ant-form-item-explain-error');
    await expect.poll(() => error.innerText()).toContain('手机号');
    await page.getByLabel('手机号').fill('13912345678');
    // the drawer closes once the save has answered (a loaded machine answers late): wait for that answer, not a fixed time
    const saved = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/members/me' && r.request().method() === 'PATCH', { timeout: 30_000 });
    await page.getByRole('button', { name: /保\s*存/ }).click();
    const response = await saved;
    expect(response.status(), await response.text()).toBe(200);
    await page.locator('.ant-message-notice', { hasText: '已保存' }).waitFor();
    await page.locator('.ant-drawer').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('phone-value').innerText(), { timeout: 15_000 }).toContain('5678');
    await context.close();
  });
});

describe('an account linked to a member', () => {
  it('lets the admin link a new account to a member found by name, who then signs in to their own profile', async () => {
    const admin = await newPage(browser);
    await login(admin.page, 'admin');
    const stamp = Date.now() % 100000;
    const name = `关联${stamp}`;
    const username = `link${stamp}`;
    // a fresh member of the budget branch (through the API: this journey is about the account)
    const me = (await (await admin.page.request.get('/api/auth/me')).json()) as { csrfToken: string };
    const orgs = (await (await admin.page.request.get('/api/orgs?q=预算处党支部&pageSize=50')).json()) as { items: { id: string; name: string }[] };
    const branch = orgs.items.find((o) => o.name === '预算处党支部');
    expect(branch).toBeDefined();
    const created = await admin.page.request.post('/api/members', {
      headers: { 'x-csrf-token': me.csrfToken },
      data: { orgId: branch!.id, name, gender: 'female', idNumber: idNumber('1991-04-18', stamp).valid, stage: 'full', joinedOn: '2015-07-01', convertedOn: '2016-07-01' },
    });
    expect(created.status()).toBe(201);

    await admin.page.goto('/users');
    await admin.page.getByRole('button', { name: /新建账号/ }).click();
    const dialog = admin.page.locator('.ant-modal');
    await dialog.getByLabel('用户名').fill(username);
    await dialog.getByLabel('初始密码').fill('Linked-member-2025');
    await dialog.getByLabel('关联党员').click();
    await admin.page.keyboard.type(name);
    const option = admin.page.locator('.ant-select-item-option', { hasText: `${name} · 预算处党支部` });
    await option.click();
    // the name and the self-service role follow from the member
    await expect.poll(() => dialog.getByLabel('姓名').inputValue()).toBe(name);
    expect(await dialog.innerText()).not.toContain('党组织管理员');
    // the dialog closes once the account is created, which a loaded machine answers late: wait for the
    // request's answer, then the success message and the dialog going, each with a locator's timeout
    const created201 = admin.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/users' && r.request().method() === 'POST', { timeout: 30_000 });
    await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
    const createdAccount = await created201;
    expect(createdAccount.status(), await createdAccount.text()).toBe(201);
    await admin.page.locator('.ant-message-notice', { hasText: '已新建账号' }).waitFor();
    await dialog.waitFor({ state: 'detached' });
    const row = admin.page.locator('tr.ant-table-row', { hasText: username });
    await expect.poll(() => row.innerText(), { timeout: 15_000 }).toContain(name);
    expect(await row.innerText()).toContain('预算处党支部');
    await admin.context.close();

    const { context, page } = await newPage(browser);
    await page.goto('/login');
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill('Linked-member-2025');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.waitForURL('**/me/home');
    await page.goto('/me');
    await expect.poll(() => page.getByTestId('member-name').innerText()).toBe(name);
    expect(await menuLabels(page)).toContain('我的档案');
    await context.close();
  });
});
