import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, newPage, scrollWidth } from './browser.js';

/** The demo judge (server/src/demo/judging-demo.ts), who is not one of the four demo roles. */
const JUDGE = { username: 'judge', password: 'demo-judge-2025' };

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('a judge on a phone', () => {
  it('opens 我的评审, scores an entry per criterion, submits with a confirmation and sees it locked', async () => {
    const { context, page } = await newPage(browser, { phone: true });
    await page.goto('/login');
    await page.getByLabel('用户名').fill(JUDGE.username);
    await page.getByLabel('密码').fill(JUDGE.password);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto('/me/judging');
    await page.getByTestId('judging-task').filter({ hasText: '党建品牌初评' }).click();
    await page.getByTestId('judge-entry').first().waitFor();
    expect(await page.getByTestId('judge-entry').count()).toBe(4);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.getByTestId('judge-entry').filter({ hasText: '未评' }).first().click();
    await page.getByTestId('score-entry').waitFor();
    await page.getByLabel('创新性得分').fill('9');
    await page.getByLabel('工作成效得分').fill('8');
    await page.getByLabel('示范推广得分').fill('10');
    // 9 × 30 % + 8 × 50 % + 10 × 20 % = 87
    await expect.poll(() => page.getByTestId('judging-total').innerText()).toBe('87.00');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.getByRole('button', { name: '提交评分' }).click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await page.getByText('评分已锁定', { exact: false }).waitFor();
    expect(await page.getByLabel('创新性得分').isDisabled()).toBe(true);
    await context.close();
  });
});
