import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, login, menuLabels, newPage } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('signing in', () => {
  it('sends an anonymous visitor to the login page and shows the server’s message for a wrong password', async () => {
    const { context, page } = await newPage(browser);
    await page.goto('/orgs');
    await page.waitForURL('**/login');
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill('not-the-password');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect.poll(() => page.getByTestId('login-error').innerText()).toContain('用户名或密码错误');
    expect(new URL(page.url()).pathname).toBe('/login');
    await context.close();
  });

  it('shows the platform admin every console module and lands on the org tree', async () => {
    const { context, page } = await newPage(browser);
    await login(page, 'admin');
    await page.waitForURL('**/orgs');
    const labels = await menuLabels(page);
    expect(labels).toEqual(expect.arrayContaining(['组织架构', '党员名册', '组织关系转接', '批量导入', '审计日志', '账号管理']));
    expect(labels).not.toContain('我的档案');
    // the accounts page lists the demo accounts
    await page.getByTestId('main-menu').getByText('账号管理').click();
    await page.waitForURL('**/users');
    await expect.poll(() => page.locator('tr.ant-table-row', { hasText: 'secretary' }).count()).toBe(1);
    await context.close();
  });

  it('shows the branch secretary the admin modules and their own profile', async () => {
    const { context, page } = await newPage(browser);
    await login(page, 'secretary');
    const labels = await menuLabels(page);
    expect(labels).toEqual(expect.arrayContaining(['组织架构', '党员名册', '组织关系转接', '我的档案']));
    await context.close();
  });

  it('shows an ordinary member only their own pages, and refuses the admin pages', async () => {
    const { context, page } = await newPage(browser);
    await login(page, 'member');
    await page.waitForURL('**/me/home');
    const labels = await menuLabels(page);
    // (later modules add their own member pages; the admin modules must not be among them)
    expect(labels).toEqual(expect.arrayContaining(['我的档案', '我的转接']));
    for (const adminOnly of ['组织架构', '党员名册', '组织关系转接', '批量导入', '审计日志', '账号管理']) expect(labels).not.toContain(adminOnly);
    await page.goto('/members');
    await expect.poll(() => page.getByTestId('no-access').isVisible()).toBe(true);
    await context.close();
  });

  it('switches the console to English and keeps the choice after a reload, with server messages in English', async () => {
    const { context, page } = await newPage(browser);
    await login(page, 'admin');
    await page.getByTestId('language-switch').click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    expect(await menuLabels(page)).toContain('Organization tree');
    await page.reload();
    expect(await menuLabels(page)).toContain('Organization tree');
    // and the server answers in it too (Accept-Language follows the choice)
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: /Sign out$/ }).click();
    await page.waitForURL('**/login');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('login-error').innerText()).toContain('Wrong username or password');
    await context.close();
  });

  it('signs in in 繁體中文: traditional labels, and the server’s messages in traditional characters too', async () => {
    const { context, page } = await newPage(browser);
    await page.goto('/login');
    await page.getByTestId('language-switch').click();
    await page.getByRole('menuitem', { name: '繁體中文' }).click();
    // the server converts its own messages (OpenCC, 简 → 繁 as in Taiwan) for Accept-Language zh-TW
    await page.getByLabel('用戶名').fill('admin');
    await page.getByLabel('密碼').fill('not-the-password');
    await page.getByRole('button', { name: /登\s*錄/ }).click();
    await expect.poll(() => page.getByTestId('login-error').innerText()).toContain('用戶名或密碼錯誤');
    await page.getByLabel('密碼').fill('demo-admin-2025');
    await page.getByRole('button', { name: /登\s*錄/ }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    const labels = await menuLabels(page);
    expect(labels).toEqual(expect.arrayContaining(['組織架構', '黨員名冊', '組織關係轉接', '賬號管理']));
    expect(labels).not.toContain('党员名册');
    await page.getByTestId('main-menu').getByText('黨員名冊').click();
    await page.waitForURL('**/members');
    await expect.poll(() => page.locator('.ant-card-head-title').first().innerText()).toContain('黨員');
    await context.close();
  });

  it('signs out from the user menu', async () => {
    const { context, page } = await newPage(browser);
    await login(page, 'admin');
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: '退出登录' }).click();
    await page.waitForURL('**/login');
    await page.goto('/orgs');
    await page.waitForURL('**/login');
    await context.close();
  });
});
