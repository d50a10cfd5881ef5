import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { ResultPage, SchemePageSchema } from '../contracts/assessment.js';
import type { z } from 'zod';
import { apiAs, apiGet, launchBrowser, login, newPage, scrollWidth } from './browser.js';

type SchemePage = z.infer<typeof SchemePageSchema>;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('考评: the bureau’s annual scheme and its figures’ records', () => {
  it('opens the records behind a computed score (as many as the figure), reviews a manual score and computes; the secretary reads the published ranking on a phone', async () => {
    const bureauApi = await apiAs('bureau');
    const schemes = await apiGet<SchemePage>(bureauApi, '/assessment/schemes');
    const annual = schemes.items.find((s) => s.status === 'published')!;
    const draft = schemes.items.find((s) => s.status === 'draft')!;
    const results = await apiGet<ResultPage>(bureauApi, `/assessment/schemes/${annual.id}/results?pageSize=50`);
    const three = results.scheme.indicators.find((i) => i.sourceCode === 'activities.three_meetings_completion')!;
    const first = results.items[0]!;
    const score = first.scores.find((s) => s.indicatorId === three.indicatorId)!;

    const { context, page } = await newPage(browser);
    await login(page, 'bureau');
    await page.goto('/assessment/schemes');
    await page.getByTestId('scheme-table').getByRole('link', { name: annual.name }).click();
    await page.waitForURL(new RegExp(`/assessment/schemes/${annual.id}$`));
    await page.getByTestId(`cell-${first.orgId}-${three.indicatorId}`).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByTestId('records-table').waitFor();
    await expect.poll(() => drawer.locator('.ant-pagination-total-text').innerText()).toBe(`共 ${score.denominator} 条`);
    await drawer.getByText('只看计入分子的记录').click();
    await expect.poll(() => drawer.locator('.ant-pagination-total-text').innerText()).toBe(`共 ${score.numerator} 条`);
    await page.keyboard.press('Escape');

    // the secretary's score in the draft quarter scheme: approved by the bureau, then computed
    await page.goto(`/assessment/schemes/${draft.id}`);
    await page.getByRole('tab', { name: '人工评分' }).click();
    await page.getByTestId('manual-table').getByRole('button', { name: /通\s*过/ }).click();
    await expect.poll(() => page.getByTestId('manual-table').getByText('已通过').count()).toBe(1);
    await page.getByTestId('scheme-compute').click();
    await expect.poll(() => page.getByText('已计算').count()).toBeGreaterThan(0);
    await context.close();

    const phone = await newPage(browser, { phone: true });
    await login(phone.page, 'secretary');
    await phone.page.goto(`/assessment/schemes/${annual.id}`);
    await phone.page.getByTestId('result-table').locator('tbody tr.ant-table-row').first().waitFor();
    expect(await phone.page.getByTestId('result-table').locator('tbody tr.ant-table-row').count()).toBe(Math.min(results.total, 50));
    expect(await scrollWidth(phone.page)).toBeLessThanOrEqual(390);
    await phone.page.goto('/assessment/indicators');
    await phone.page.getByTestId('indicator-table').locator('tbody tr.ant-table-row').first().waitFor();
    expect(await scrollWidth(phone.page)).toBeLessThanOrEqual(390);
    await phone.context.close();
  });
});
