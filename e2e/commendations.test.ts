import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { HonourPage, Round } from '../contracts/commendations.js';
import type { MemberPage } from '../contracts/members.js';
import { todayInChina } from '../contracts/china-time.js';
import { apiAs, apiGet, apiPost, launchBrowser, login, newPage, openDropdown, scrollWidth } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const day = (offset: number) => new Date(Date.parse(`${todayInChina()}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
type Checked = { qualified: boolean };

describe('a 两优一先 round from the branch’s nomination to the award', () => {
  it('nominates on a phone, reviews, shows it publicly and awards on a desktop; the certificate is a PDF', async () => {
    // set-up the journey does not show: the bureau's round with one place for the demo branch
    const bureau = await apiAs('bureau');
    const secretary = await apiAs('secretary');
    const branchId = secretary.me.user.roles.find((r) => r.role === 'org_admin')!.orgId!;
    const bureauOrgId = bureau.me.user.roles.find((r) => r.role === 'org_admin')!.orgId!;
    const title = `专项表彰 ${Date.now().toString(36)}`;
    const round = await apiPost<Round>(bureau, '/commendations/rounds', { orgId: bureauOrgId, year: Number(day(0).slice(0, 4)), title, kinds: ['outstanding_member'], nominationDeadline: day(20) });
    const withPlaces = await bureau.api.put(`/api/commendations/rounds/${round.id}/quotas`, { headers: bureau.csrf, data: { quotas: [{ orgId: branchId, kind: 'outstanding_member', places: 1 }] } });
    expect(withPlaces.status(), await withPlaces.text()).toBe(200);
    // a qualified member of the branch, not already honoured this year
    const roll = await apiGet<MemberPage>(secretary, `/members?orgId=${branchId}&stage=full&pageSize=50`);
    let candidate = '';
    for (const m of roll.items) {
      const checked = await apiPost<Checked>(secretary, `/commendations/rounds/${round.id}/nominations/check`, { kind: 'outstanding_member', memberId: m.id }, 200);
      if (checked.qualified) { candidate = m.name; break; }
    }
    expect(candidate).not.toBe('');

    // the branch secretary nominates on a phone, the checks shown before submitting
    const phone = await newPage(browser, { phone: true });
    await login(phone.page, 'secretary');
    await phone.page.goto(`/commendations/rounds/${round.id}`);
    await expect.poll(() => phone.page.getByTestId('round-title').innerText()).toBe(title);
    expect(await scrollWidth(phone.page)).toBeLessThanOrEqual(390);
    await phone.page.getByTestId('nominate').click();
    const picker = phone.page.getByTestId('nominate-member');
    await expect.poll(async () => {
      await picker.locator('input').fill(candidate);
      const option = openDropdown(phone.page).locator('.ant-select-item-option', { hasText: candidate }).first();
      await option.click({ timeout: 5000 }).catch(() => undefined);
      return picker.innerText();
    }, { timeout: 30_000, interval: 500 }).toContain(candidate);
    await phone.page.getByRole('button', { name: '预检资格' }).click();
    await expect.poll(() => phone.page.getByTestId('nominate-checks').innerText()).toContain('正式党员');
    await phone.page.getByLabel('主要事迹').fill('扎根基层，连续三年考核优秀，带头完成急难险重任务。');
    await phone.page.locator('.ant-modal').getByRole('button', { name: /保\s*存/ }).click();
    await phone.page.getByTestId('nomination-table').getByText(candidate).waitFor();
    await expect.poll(() => phone.page.getByTestId('nomination-table').innerText()).toContain('待审核');
    expect(await scrollWidth(phone.page)).toBeLessThanOrEqual(390);
    await phone.context.close();

    // the bureau reviews, opens the 公示 (dated so that it has already ended) and awards
    const desk = await newPage(browser);
    await login(desk.page, 'bureau');
    await desk.page.goto('/commendations');
    await desk.page.getByTestId('round-table').getByRole('link', { name: title }).click();
    await desk.page.waitForURL(/\/commendations\/rounds\/\d+$/);
    await desk.page.getByRole('button', { name: `通过 ${candidate}` }).click();
    await expect.poll(() => desk.page.getByTestId('nomination-table').innerText()).toContain('审核通过');
    for (const [id, value] of [['#notice-starts', day(-10)], ['#notice-ends', day(-4)]] as const) {
      await expect.poll(async () => {
        await desk.page.locator(id).click();
        await desk.page.locator(id).fill(value);
        await desk.page.locator(id).press('Enter');
        return desk.page.locator(id).inputValue();
      }, { timeout: 20_000, interval: 500 }).toBe(value);
    }
    await desk.page.getByTestId('notice-open').click();
    await expect.poll(() => desk.page.getByTestId('notice-status').innerText(), { timeout: 20_000 }).toBe('已结束');
    await desk.page.getByTestId('award').click();
    await desk.page.locator('.ant-popconfirm .ant-btn-primary').click();
    await expect.poll(() => desk.page.getByTestId('award-table').innerText(), { timeout: 20_000 }).toContain(candidate);
    await desk.page.goto('/commendations/honours');
    await desk.page.getByTestId('honour-table').getByText(candidate).first().waitFor();
    await desk.context.close();

    const honours = await apiGet<HonourPage>(bureau, `/commendations/honours?roundId=${round.id}`);
    expect(honours.items.map((h) => [h.recipientName, h.title])).toEqual([[candidate, '优秀共产党员']]);
    const pdf = await bureau.api.get(`/api/commendations/honours/${honours.items[0]!.id}/certificate`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  }, 300_000);

  it('shows the member their honours on a phone', async () => {
    const { context, page } = await newPage(browser, { phone: true });
    await login(page, 'member');
    await page.goto('/me/honours');
    await page.getByTestId('my-honours').getByText('微星光').first().waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await context.close();
  });
});
