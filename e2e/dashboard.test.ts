import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Figures } from '../contracts/dashboard.js';
import { CHINA_TIME_ZONE, todayInChina } from '../contracts/china-time.js';
import { apiAs, apiGet, baseUrl, checkAccessibilityOnEveryPage, launchBrowser, login, newPage, scrollWidth } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const year = todayInChina().slice(0, 4);
const digits = (text: string) => Number(text.replace(/[^\d.]/g, ''));

/** The drill-down drawer's list: its total as the pagination states it. */
async function drawerTotal(page: Page): Promise<number> {
  const drawer = page.getByRole('dialog');
  await drawer.getByTestId('dashboard-records').locator('.ant-table-row').first().waitFor();
  return digits(await drawer.locator('.ant-pagination-total-text').innerText());
}

async function closeDrawer(page: Page) {
  await page.getByRole('dialog').locator('.ant-drawer-close').click();
  await expect.poll(() => page.getByTestId('dashboard-records').count()).toBe(0);
}

describe('驾驶舱 of the bureau (市财政局机关党委)', () => {
  it('opens the records behind a headline figure and a chart, freezes the year as a report and exports it', async () => {
    const bureau = await apiAs('bureau');
    const orgId = bureau.me.user.roles.find((r) => r.role === 'org_admin')?.orgId;
    expect(orgId).toBeTruthy();
    const figures = await apiGet<Figures>(bureau, `/dashboard/${orgId}/figures?period=${year}`);
    const { context, page } = await newPage(browser);
    await login(page, 'bureau');
    await page.goto(`/dashboard?orgId=${orgId}`);
    await page.getByTestId('dashboard-board').waitFor();

    // a headline figure: the number is the API's count, and the list it opens has as many records
    const orgsFigure = page.getByTestId('figure-orgs_by_type');
    const shown = digits(await orgsFigure.locator('.ant-statistic-content-value').innerText());
    expect(shown).toBe(figures.measures.orgs_by_type.count);
    await orgsFigure.click();
    expect(await drawerTotal(page)).toBe(shown);
    await closeDrawer(page);

    // a chart's 查看明细: the records of the whole measure (members by category, every party member)
    const chart = page.locator('.ant-card-small', { has: page.getByTestId('chart-members_by_category') });
    await chart.getByRole('button', { name: '查看明细' }).click();
    expect(await drawerTotal(page)).toBe(figures.measures.members_by_category.count);
    await closeDrawer(page);

    // freeze the year: the report opens, and its Excel export downloads
    await page.getByTestId('dashboard-freeze').click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click();
    await page.waitForURL(/\/dashboard\/reports\/\d+$/);
    await page.getByTestId('dashboard-board').waitFor();
    const [response, download] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/export.xlsx')),
      page.waitForEvent('download'),
      page.getByTestId('report-export-xlsx').click(),
    ]);
    expect(response.ok()).toBe(true);
    expect(response.headers()['content-type']).toContain('spreadsheetml');
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    // the file saved is a zip (an .xlsx workbook)
    expect(fs.readFileSync(await download.path()).subarray(0, 2).toString()).toBe('PK');
    await context.close();
  });

  it('fills a 1920×1080 hall screen without scrollbars', async () => {
    const context = await browser.newContext({ baseURL: baseUrl(), locale: 'zh-CN', timezoneId: CHINA_TIME_ZONE, viewport: { width: 1920, height: 1080 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    checkAccessibilityOnEveryPage(context, page);
    await login(page, 'bureau');
    await page.goto('/dashboard/big-screen');
    await page.getByTestId('big-screen').locator('canvas').first().waitFor();
    const size = await page.evaluate<{ w: number; h: number }>('({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight })');
    expect(size).toEqual({ w: 1920, h: 1080 });
    await context.close();
  });

  it('fits a 390 px phone', async () => {
    const { context, page } = await newPage(browser, { phone: true });
    await login(page, 'admin');
    await page.goto('/dashboard');
    await page.getByTestId('dashboard-board').waitFor();
    await page.getByTestId('chart-members_by_stage').waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await context.close();
  });
});
