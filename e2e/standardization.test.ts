import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { RoundDistribution, RoundPage, SchemePage } from '../contracts/standardization.js';
import { apiAs, apiGet, launchBrowser, login, newPage, scrollWidth } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('达标定级: the secretary assesses the branch on a phone, the bureau grades', () => {
  it('submits the self-assessment at 390 px; the bureau’s grade figure opens as many rounds as it counts, and grading a submitted round works', async () => {
    const bureauApi = await apiAs('bureau');
    const scheme = (await apiGet<SchemePage>(bureauApi, '/standardization/schemes')).items.find((s) => s.status === 'active')!;
    const dist = await apiGet<RoundDistribution>(bureauApi, `/standardization/rounds/distribution?schemeId=${scheme.id}`);
    const low = dist.byGrade.find((g) => g.isLow)!;

    const phone = await newPage(browser, { phone: true });
    await login(phone.page, 'secretary');
    await phone.page.goto('/standardization?view=branch');
    await phone.page.getByTestId('standardization-round-list').getByRole('link').first().click();
    await phone.page.waitForURL(/\/standardization\/rounds\/\d+$/);
    const form = phone.page.getByTestId('self-assessment-form');
    await form.waitFor();
    // the last evidenced criterion is still unanswered in the demo
    await form.getByText('未达到').last().click();
    await form.getByText('达标', { exact: true }).click();
    expect(await scrollWidth(phone.page)).toBeLessThanOrEqual(390);
    await form.getByRole('button', { name: /提交自评/ }).click();
    await phone.page.getByRole('button', { name: /提交自评/ }).last().click();
    await expect.poll(() => phone.page.getByText('待评定').count()).toBeGreaterThan(0);
    await phone.context.close();

    const { context, page } = await newPage(browser);
    await login(page, 'bureau');
    await page.goto(`/standardization?schemeId=${scheme.id}`);
    await page.getByTestId(`grade-figure-${low.level}`).click();
    await expect.poll(() => page.getByTestId('standardization-round-list').locator('.ant-list-item').count()).toBe(low.count);
    const review = await apiGet<RoundPage>(bureauApi, '/standardization/rounds?view=review');
    await page.goto(`/standardization/rounds/${review.items.find((r) => r.status === 'submitted')!.id}`);
    const grading = page.getByTestId('review-form');
    await grading.waitFor();
    const radios = grading.locator('.ant-radio-group').filter({ hasText: '未达到' });
    for (let i = 0; i < await radios.count(); i++) await radios.nth(i).getByText('达到', { exact: true }).click();
    await grading.getByText('达标', { exact: true }).click();
    await grading.getByRole('button', { name: /^评\s*定$/ }).click();
    await expect.poll(() => page.getByText('已评定（可申诉）').count()).toBeGreaterThan(0);
    await context.close();
  });
});
