import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { OrgPage } from '../contracts/orgs.js';
import { PNG, apiAs, apiGet, launchBrowser, login, newPage, scrollWidth } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('党建品牌 and 星级评审', () => {
  it('a member browses the brand gallery on a phone, the rated brands first', async () => {
    const { context, page } = await newPage(browser, { phone: true });
    await login(page, 'member');
    await page.goto('/brands/gallery');
    await page.getByTestId('brand-gallery').waitFor();
    const cards = page.getByTestId('brand-card');
    await cards.first().waitFor();
    await expect.poll(() => cards.count()).toBeGreaterThanOrEqual(3);
    await page.getByText('“红色引擎”财政先锋').first().waitFor();
    expect(await page.getByRole('img', { name: '5星级' }).count()).toBeGreaterThanOrEqual(1);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await context.close();
  });

  it('an administrator keeps a brand with a photo and checks this year’s application', async () => {
    const { context, page } = await newPage(browser);
    await login(page, 'admin');
    await page.goto('/brands');
    await page.getByTestId('brand-table').getByRole('link', { name: '“预算铁军”党支部' }).click();
    await page.getByTestId('brand-save').waitFor();
    const upload = page.waitForResponse((r) => r.url().includes('/photos') && r.request().method() === 'POST');
    await page.locator('input[type=file]').setInputFiles({ name: '支部活动.png', mimeType: 'image/png', buffer: PNG });
    expect((await upload).status()).toBe(201);
    await page.getByRole('img', { name: '支部活动.png' }).first().waitFor();
    await page.goto('/brands/rounds');
    await page.getByTestId('round-table').getByRole('link', { name: /年度党建品牌星级评审/ }).first().click();
    const table = page.getByTestId('application-table');
    await table.getByText('“预算铁军”党支部').waitFor();
    await table.getByRole('button', { name: /^受\s*理$/ }).click();
    await table.getByText('已受理').first().waitFor();
    await context.close();
  });

  it('anyone reads the public gallery on a phone', async () => {
    const admin = await apiAs('admin');
    const roots = await apiGet<OrgPage>(admin, '/orgs?roots=1');
    const { context, page } = await newPage(browser, { phone: true });
    await page.goto(`/public/${roots.items[0]!.id}/brands`);
    await page.getByTestId('public-brand-gallery').waitFor();
    await page.getByText('“暖心服务”品牌').waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await context.close();
  });
});
