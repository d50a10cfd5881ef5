import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Me } from '../contracts/auth.js';
import type { MemberDetail, MemberPage } from '../contracts/members.js';
import { choose, DEMO, launchBrowser, login, newPage } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('组织关系转接', () => {
  it('is issued by the secretary from the member’s page and accepted by the receiving org in its inbox', async () => {
    // the demo member account's own record must stay in the branch (the phone journey shows it)
    const memberAccount = await newPage(browser);
    const memberMe = (await (await memberAccount.page.request.post('/api/auth/login', { data: DEMO.member })).json()) as Me;
    await memberAccount.context.close();

    const secretary = await newPage(browser);
    const page = secretary.page;
    await login(page, 'secretary');
    const me = (await (await page.request.get('/api/auth/me')).json()) as Me;
    const roll = (await (await page.request.get('/api/members?stage=full&pageSize=50&sort=id&order=desc')).json()) as MemberPage;
    // someone of the branch who is neither the secretary nor the demo member account
    const mover = roll.items.find((m) => m.orgName === '预算处党支部' && m.id !== me.user.memberId && m.id !== memberMe.user.memberId);
    expect(mover).toBeDefined();

    await page.goto(`/members/${mover!.id}`);
    await page.getByRole('button', { name: /转出组织关系/ }).click();
    await choose(page, '转入党组织', '国库处党支部', { search: '国库处', optionAlsoHas: '市财政局机关党委' });
    await page.getByLabel('转接原因').fill('工作调动');
    await page.getByRole('dialog').getByRole('button', { name: /确\s*定/ }).click();
    await expect.poll(() => page.getByText(/待接收 → 国库处党支部/).isVisible()).toBe(true);
    await secretary.context.close();

    const admin = await newPage(browser);
    await login(admin.page, 'admin');
    await admin.page.goto('/transfers');
    const row = admin.page.getByTestId('transfer-table').locator('tr.ant-table-row', { hasText: mover!.name }).first();
    await row.getByRole('button', { name: /接\s*收/ }).click();
    // the confirmation is clicked once it has finished zooming in (CI, 2026-12-07: a click during the animation was
    // lost and the dialog stayed open)
    const dialog = admin.page.getByRole('dialog');
    await expect.poll(() => dialog.getAttribute('class'), { timeout: 10_000 }).not.toContain('ant-zoom');
    await dialog.getByRole('button', { name: /确\s*定/ }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 30_000 });
    // accepted: the member is on the receiving branch's roll and the row leaves the pending list (the 已接收 toast
    // lasts 3 s, too short to wait for on a loaded machine)
    await expect.poll(async () => ((await (await admin.page.request.get(`/api/members/${mover!.id}`)).json()) as MemberDetail).orgName, { timeout: 30_000 })
      .toBe('国库处党支部');
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(0);
    await admin.context.close();
  });
});
