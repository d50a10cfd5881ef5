import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { OrgPage } from '../contracts/orgs.js';
import { apiAs, apiGet, launchBrowser, login, newPage, scrollWidth } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('承诺践诺 on a phone', () => {
  it('a member opens the pledge in 践诺 and records progress', async () => {
    const { context, page } = await newPage(browser, { phone: true });
    await login(page, 'member');
    await page.goto('/me/pledges');
    await page.getByTestId('my-pledges').waitFor();
    await page.getByRole('link', { name: /年度$/ }).first().click();
    await page.getByTestId('pledge-detail').waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    const form = page.getByTestId('pledge-progress-form');
    await form.getByLabel('做了什么').fill('参加社区周末义诊志愿服务');
    await form.getByRole('button', { name: '记录进展' }).click();
    await page.getByText('参加社区周末义诊志愿服务').waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await context.close();
  });

  it('anyone reads the public board and rates a pledge in 评诺', async () => {
    const admin = await apiAs('admin');
    const roots = await apiGet<OrgPage>(admin, '/orgs?roots=1');
    const { context, page } = await newPage(browser, { phone: true });
    await page.goto(`/public/${roots.items[0]!.id}/pledges`);
    await page.getByTestId('public-pledges').waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.locator('.ant-card').filter({ hasText: '上半年' }).getByRole('link').first().click();
    await page.getByTestId('public-pledge').waitFor();
    await page.getByText('满意', { exact: true }).click();
    await page.getByRole('button', { name: /^评\s*价$/ }).click();
    await page.getByText('感谢评价', { exact: false }).waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await context.close();
  });
});
