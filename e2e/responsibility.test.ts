import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { ListPage } from '../contracts/responsibility_lists.js';
import { apiAs, apiGet, launchBrowser, login, newPage, scrollWidth } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('责任清单 and 述职评议', () => {
  it('a member reports progress on an item of their own list on a phone', async () => {
    const { context, page } = await newPage(browser, { phone: true });
    await login(page, 'member');
    await page.goto('/me/responsibility');
    await page.getByTestId('my-responsibility').waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.getByRole('link', { name: '每月参加支部主题党日' }).click();
    await page.getByTestId('responsibility-item').waitFor();
    await page.getByLabel('进展情况').fill('本月主题党日已参加，已签到。');
    await page.getByRole('button', { name: '报告进展' }).click();
    await page.getByTestId('responsibility-reports').getByText('本月主题党日已参加').waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await context.close();
  });

  it('the bureau’s overdue figure opens exactly that many overdue items, and an inspector records an inspection', async () => {
    const bureau = await apiAs('bureau');
    const lists = await apiGet<ListPage>(bureau, '/responsibility/lists?overdue=true&level=branch_secretary&pageSize=1');
    const list = lists.items[0]!;
    const { context, page } = await newPage(browser);
    await login(page, 'bureau');
    await page.goto(`/responsibility/items?listId=${list.id}&overdue=true`);
    await page.getByTestId('responsibility-items').waitFor();
    await expect.poll(() => page.getByTestId('responsibility-items').locator('.ant-list-item').count()).toBe(list.overdueCount);
    await page.getByTestId('responsibility-items').locator('.ant-list-item a').first().click();
    await page.getByTestId('responsibility-item').waitFor();
    await page.getByLabel('检查人员').fill('王建国');
    await page.getByLabel('发现问题').fill('尚未落实，需加快进度');
    await page.getByRole('button', { name: '登记检查' }).click();
    await page.getByTestId('responsibility-inspections').getByText('尚未落实，需加快进度').waitFor();
    await page.goto('/responsibility/lists');
    await page.getByTestId('responsibility-lists').waitFor();
    await page.goto('/responsibility/duty-reviews');
    await page.getByTestId('duty-reviews').getByText('述职评议', { exact: false }).first().waitFor();
    await context.close();
  });

  it('the templates, progress, items and duty review pages fit a phone', async () => {
    const bureau = await apiAs('bureau');
    const list = (await apiGet<ListPage>(bureau, '/responsibility/lists?level=branch_secretary&pageSize=1')).items[0]!;
    const { context, page } = await newPage(browser, { phone: true });
    await login(page, 'bureau');
    for (const [url, testId] of [
      ['/responsibility/templates', 'responsibility-templates'], ['/responsibility/lists', 'responsibility-lists'], [`/responsibility/lists/${list.id}`, 'responsibility-items'],
      ['/responsibility/duty-reviews', 'duty-reviews'], ['/responsibility/duty-reviews?view=reports', 'duty-reports'],
    ] as const) {
      await page.goto(url);
      await page.getByTestId(testId).waitFor();
      expect(await scrollWidth(page), url).toBeLessThanOrEqual(390);
    }
    await page.goto('/responsibility/duty-reviews');
    await page.getByTestId('duty-reviews').locator('.ant-list-item a').last().click();
    await page.getByTestId('duty-results').waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await context.close();
  });
});
