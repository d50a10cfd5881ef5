import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { MyLiaisons } from '../contracts/liaisons.js';
import { apiAs, apiGet, launchBrowser, login, newPage, scrollWidth } from './browser.js';

/** Read-only access (issue #15) on a phone: the inspector's console says so; the liaison records 旁听. */
const INSPECTOR = { username: 'inspector', password: 'demo-inspector-2025' };
const LIAISON = { username: 'liaison', password: 'demo-liaison-2025' };

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function signIn(page: Page, account: { username: string; password: string }): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(account.username);
  await page.getByLabel('密码').fill(account.password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

describe('read-only accounts on a 390 px phone', () => {
  it('shows the inspector the banner and the bureau’s member list', async () => {
    const { context, page } = await newPage(browser, { phone: true });
    await signIn(page, INSPECTOR);
    await page.goto('/members');
    await page.getByTestId('read-only-banner').waitFor();
    expect(await page.getByTestId('read-only-banner').innerText()).toContain('只读：您可以查看，不能修改');
    await page.locator('.ant-table-row, .ant-list-item').first().waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await context.close();
  });

  it('lets the liaison record sitting in on an activity of their branch', async () => {
    const api = await apiAs(LIAISON);
    const before = await apiGet<MyLiaisons>(api, '/me/liaisons');
    const open = before.activities.find((a) => a.sitInId === null);
    expect(open, 'an activity of the branch without 旁听').toBeDefined();
    const { context, page } = await newPage(browser, { phone: true });
    await signIn(page, LIAISON);
    await page.goto('/me/liaisons');
    await page.getByTestId('my-liaisons').waitFor();
    await page.getByTestId('read-only-banner').waitFor();
    await page.getByRole('button', { name: `记录旁听：${open!.title}` }).first().click();
    await page.getByLabel('旁听情况').fill('会议程序规范，党员发言踊跃。');
    await page.getByLabel('意见建议').fill('会前提前下发学习材料。');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.locator('.ant-modal').waitFor({ state: 'detached' });
    const after = await apiGet<MyLiaisons>(api, '/me/liaisons');
    expect(after.branches[0]!.sitIns).toBe(before.branches[0]!.sitIns + 1);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await context.close();
  });

  it('shows the bureau its branches’ liaisons and their 旁听 records', async () => {
    const { context, page } = await newPage(browser, { phone: true });
    await login(page, 'bureau');
    await page.goto('/liaisons');
    await page.getByTestId('liaison-table').locator('.ant-table-row').first().waitFor();
    expect(await page.getByTestId('read-only-banner').count()).toBe(0);
    await page.getByRole('tab', { name: '旁听记录' }).click();
    await page.getByTestId('sit-in-table').locator('.ant-table-row').first().waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await context.close();
  });
});
