import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Board, ManualScorePage, RankingCampaign } from '../contracts/rankings.js';
import { apiAs, apiGet, launchBrowser, login, newPage, scrollWidth } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('a 赛马 period from the bureau’s phone to the branch’s board', () => {
  it('creates a campaign, enters scores, computes and publishes; the branch sees its rank', async () => {
    const name = `支部赛马 ${Date.now().toString(36)}`;
    const { context, page } = await newPage(browser, { phone: true });
    await login(page, 'bureau');
    await page.goto('/rankings/new');
    await page.getByTestId('ranking-name').fill(name);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.getByTestId('ranking-save').click();
    await page.waitForURL(/\/rankings\/campaigns\/\d+$/);
    const campaignId = page.url().split('/').pop()!;
    // corrected before any period is computed: the same form, filled with the campaign
    await page.getByRole('link', { name: '修改' }).click();
    await page.waitForURL(/\/rankings\/campaigns\/\d+\/edit$/);
    await expect.poll(() => page.getByTestId('ranking-name').inputValue()).toBe(name);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.getByTestId('ranking-name').fill(`${name}（修订）`);
    await page.getByTestId('ranking-save').click();
    await page.waitForURL(/\/rankings\/campaigns\/\d+$/);
    await expect.poll(() => page.getByTestId('ranking-title').innerText()).toBe(`${name}（修订）`);
    await page.getByTestId('ranking-periods').getByRole('link').first().click();
    await page.waitForURL(/\/rankings\/periods\/\d+$/);
    const periodId = page.url().split('/').pop()!;

    // the first dimension (讲政治·比忠诚): the first two branches of the list get 90 and 80
    const inputs = page.getByTestId('ranking-manual-table').locator('input');
    await inputs.first().waitFor();
    await inputs.nth(0).fill('90');
    await inputs.nth(1).fill('80');
    await page.getByTestId('ranking-save-scores').click();
    await expect.poll(() => page.getByTestId('ranking-save-scores').isDisabled()).toBe(true);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.getByTestId('ranking-compute').click();
    await expect.poll(() => page.getByTestId('ranking-period-status').innerText()).toBe('已计算');
    await page.getByTestId('ranking-publish').click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await expect.poll(() => page.getByTestId('ranking-period-status').innerText()).toBe('已发布');
    await page.getByTestId('ranking-board-link').click();
    await page.waitForURL(/\/board/);
    await page.getByTestId('ranking-board').locator('tbody tr.ant-table-row').first().waitFor();
    expect(await page.getByTestId('ranking-board').locator('tbody tr.ant-table-row').first().locator('td').first().innerText()).toBe('1');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await context.close();

    const bureau = await apiAs('bureau');
    const campaign = await apiGet<RankingCampaign>(bureau, `/rankings/campaigns/${campaignId}`);
    const scored = await apiGet<ManualScorePage>(bureau, `/rankings/periods/${periodId}/manual-scores?dimensionId=${campaign.dimensions[0]!.id}&pageSize=2`);
    const board = await apiGet<Board>(bureau, `/rankings/periods/${periodId}/board`);
    // 7 dimensions of weight 1: 100 / 7 and 88.89 / 7; the rest share the next rank
    expect(board.items.slice(0, 3).map((r) => [r.orgName, r.rank, r.total])).toEqual([
      [scored.items[0]!.orgName, 1, 14.29], [scored.items[1]!.orgName, 2, 12.7], [expect.any(String), 3, 0],
    ]);

    // the secretary's branch is in the bureau's tree: once published, its admin sees the board with its own row
    const phone = await newPage(browser, { phone: true });
    await login(phone.page, 'secretary');
    await phone.page.goto('/rankings/boards');
    await phone.page.getByTestId('ranking-boards').getByRole('link', { name: new RegExp(name) }).click();
    await phone.page.getByTestId('ranking-mine').waitFor();
    expect(await phone.page.getByTestId('ranking-mine').innerText()).toContain('预算处党支部');
    await phone.page.getByTestId('ranking-board').locator('tbody tr.ant-table-row').first().getByRole('button').click();
    await phone.page.getByTestId('ranking-breakdown').waitFor();
    expect(await scrollWidth(phone.page)).toBeLessThanOrEqual(390);
    await phone.context.close();
  });
});
