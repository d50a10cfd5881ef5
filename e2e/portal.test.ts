import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { NewsItemPage, Portal } from '../contracts/news.js';
import type { OrgPage } from '../contracts/orgs.js';
import { apiAs, apiGet, baseUrl, launchBrowser, login, newPage, scrollWidth } from './browser.js';

let browser: Browser;
let rootId: string;
beforeAll(async () => {
  browser = await launchBrowser();
  rootId = (await apiGet<OrgPage>(await apiAs('admin'), '/orgs?roots=1&pageSize=1')).items[0]!.id;
});
afterAll(async () => {
  await browser?.close();
});

describe('the public portal on a phone (390×844), without signing in', () => {
  it('shows the tree’s public news and open lessons, takes a registration, searches and opens an item', async () => {
    const portal = await (await fetch(`${baseUrl()}/api/public/portal/${rootId}`)).json() as Portal;
    const { context, page } = await newPage(browser, { phone: true });
    await page.goto(`/portal/${rootId}`);
    await page.getByTestId('portal-home').waitFor();
    expect(await page.getByTestId('portal-tree-name').innerText()).toContain('市直机关工委');
    const newsCards = page.getByTestId('portal-news').locator('.ant-card');
    expect(await newsCards.count()).toBeGreaterThan(0);
    expect(await newsCards.count()).toBe(portal.news.length);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);

    // register for the coming open lesson: the count on its card goes up by one
    const counts = page.getByTestId('portal-lesson-counts').first();
    const before = Number(/已报名 (\d+) 人/.exec(await counts.innerText())![1]);
    await page.getByRole('button', { name: '我要报名' }).first().click();
    await page.getByLabel('姓名').fill('王秀英');
    await page.getByLabel('单位（选填）').fill('东门社区');
    await page.getByRole('button', { name: '提交报名' }).click();
    await expect.poll(async () => Number(/已报名 (\d+) 人/.exec(await counts.innerText())![1])).toBe(before + 1);

    // search the public texts (traditional characters find simplified text), then open a news item
    await page.getByTestId('portal-search').locator('input').fill('黨支部');
    await page.getByTestId('portal-search').locator('input').press('Enter');
    await page.waitForURL(`**/portal/${rootId}/search?q=*`);
    await page.getByTestId('search-results').waitFor();
    expect(await page.getByTestId('search-results').locator('.ant-card').count()).toBeGreaterThan(0);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.getByTestId('search-results').locator('a').first().click();
    await page.getByTestId('portal-news-item').waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await context.close();
  });
});

describe('news in the console', () => {
  it('lets the bureau’s administrator approve the secretary’s submitted item, which the member then reads on a phone', async () => {
    const bureau = await apiAs('bureau');
    const queue = await apiGet<NewsItemPage>(bureau, '/news/items?view=review');
    expect(queue.items.length).toBeGreaterThan(0);
    const waiting = queue.items[0]!;
    const desk = await newPage(browser);
    await login(desk.page, 'bureau');
    await desk.page.goto('/news/manage');
    await desk.page.getByTestId('news-admin-list').getByRole('link', { name: waiting.title }).click();
    await desk.page.getByTestId('news-approve').click();
    await expect.poll(() => desk.page.getByTestId('news-item').innerText()).toContain('已发布');
    await desk.context.close();

    const { context, page } = await newPage(browser, { phone: true });
    await login(page, 'member');
    await page.goto('/news');
    await page.getByTestId('news-list').getByText(waiting.title).click();
    await page.getByTestId('news-item').waitFor();
    expect(await page.getByTestId('news-item').innerText()).toContain(waiting.title);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.goto(`/search?q=${encodeURIComponent('党建')}`);
    await page.getByTestId('search-results').waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await context.close();
  });
});
