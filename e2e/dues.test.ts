import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Member } from '../contracts/members.js';
import { chinaDate } from '../contracts/china-time.js';
import { apiAs, apiGet, apiPost, choose, idNumber, launchBrowser, login, newPage, scrollWidth } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function loginAs(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** The month before 'YYYY-MM'. */
function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

describe('党费: a branch secretary\'s month', () => {
  it('sets a new member\'s base, generates the bills, takes a two-month payment and a proxy payment, remits upward, and the member finds the receipt on a phone', async () => {
    // ---- setup through the API: a member who arrived in the branch and has no base yet (the demo's members all have one)
    const secretaryApi = await apiAs('secretary');
    const memberApi = await apiAs('member');
    const branch = secretaryApi.me.user.roles.find((r) => r.role === 'org_admin')!;
    expect(branch.orgName).toBe('预算处党支部');
    const stamp = Date.now() % 100000;
    const newcomer = await apiPost<Member>(secretaryApi, '/members', {
      orgId: branch.orgId, name: `党费${stamp}`, gender: 'male', idNumber: idNumber('1988-03-09', stamp).valid, stage: 'full', joinedOn: '2012-07-01', convertedOn: '2013-07-01',
    });
    const demoMember = await apiGet<Member>(secretaryApi, `/members/${memberApi.me.user.memberId}`);
    const month = chinaDate(Date.now()).slice(0, 7);
    const lastMonth = previousMonth(month);
    // in January the month before belongs to last year, whose bases are kept apart
    if (lastMonth.slice(0, 4) !== month.slice(0, 4)) {
      const put = await secretaryApi.api.put(`/api/dues/bases/${newcomer.id}`, { headers: secretaryApi.csrf, data: { year: Number(lastMonth.slice(0, 4)), category: 'employed', baseFen: 300001 } });
      expect(put.status(), await put.text()).toBe(200);
    }
    for (const c of [secretaryApi, memberApi]) await c.api.dispose();

    // ---- bases: the newcomer is among those without a base; 3,000.01 yuan after tax is 1 % → 30.00 a month
    const desk = await newPage(browser);
    const page = desk.page;
    await login(page, 'secretary');
    await page.goto(`/dues?tab=bases&filter=missing&q=${encodeURIComponent(newcomer.name)}`);
    const baseRow = page.getByTestId('base-row').filter({ hasText: newcomer.name });
    await expect.poll(() => baseRow.innerText()).toContain('未设定');
    await baseRow.getByTestId('base-edit').click();
    await choose(page, '党员类别', '在职');
    await page.getByLabel('交纳基数（元）', { exact: true }).fill('3000.01');
    await page.getByTestId('base-save').click();
    await expect.poll(() => page.locator('.ant-message-notice').allInnerTexts()).toContain('已保存，月缴党费 30.00 元');
    await page.goto(`/dues?tab=bases&q=${encodeURIComponent(newcomer.name)}`);
    await expect.poll(() => baseRow.innerText()).toContain('3000.01');
    expect(await baseRow.innerText()).toContain('30.00');

    // ---- bills: last month and this month are generated for the branch; the newcomer is billed for both
    for (const m of [lastMonth, month]) {
      await page.goto(`/dues?tab=bills&month=${m}`);
      await page.getByTestId('bills-generate').click();
      await expect.poll(() => page.getByTestId('bills-generated').innerText()).toMatch(/新生成 [1-9]\d* 张账单/);
    }

    // ---- a two-month payment: both of the newcomer's months on one receipt
    await page.goto(`/dues?tab=bills&status=unpaid&q=${encodeURIComponent(newcomer.name)}`);
    const newcomerBill = page.getByTestId('bill-row').filter({ hasText: newcomer.name });
    await expect.poll(() => newcomerBill.innerText()).toContain('未缴');
    await newcomerBill.getByTestId('bill-pay').click();
    const months = page.getByTestId('payment-bills').locator('.ant-checkbox-wrapper');
    await expect.poll(() => months.allInnerTexts()).toEqual([`${lastMonth} · 30.00 元`, `${month} · 30.00 元`]);
    await page.getByRole('button', { name: /全\s*选/ }).click();
    await expect.poll(() => page.getByTestId('payment-save').innerText()).toContain('登记 60.00 元');
    await page.getByTestId('payment-save').click();
    await expect.poll(() => page.getByTestId('payment-receipt').innerText()).toContain('60.00');
    const twoMonthReceipt = /收据号 (\S+)/.exec(await page.getByTestId('payment-receipt').innerText())?.[1];
    expect(twoMonthReceipt).toBeTruthy();
    await page.getByTestId('payment-done').click();
    await expect.poll(() => newcomerBill.count()).toBe(0);

    // ---- a proxy payment: a colleague hands in this month's dues for the demo member
    await page.goto(`/dues?tab=bills&month=${month}&q=${encodeURIComponent(demoMember.name)}`);
    const memberBill = page.getByTestId('bill-row').filter({ hasText: demoMember.name }).filter({ hasText: '未缴' });
    await memberBill.first().getByTestId('bill-pay').click();
    await page.getByTestId('payment-bills').locator('.ant-checkbox-wrapper', { hasText: `${month} ·` }).click();
    await page.getByLabel('代缴人', { exact: true }).fill('王建国');
    await page.getByTestId('payment-save').click();
    await expect.poll(() => page.getByTestId('payment-receipt').innerText()).toContain('收据号');
    const proxyReceipt = /收据号 (\S+)/.exec(await page.getByTestId('payment-receipt').innerText())?.[1];
    expect(proxyReceipt).toBeTruthy();
    await page.getByTestId('payment-done').click();
    // the receipts are in the payments list, the proxy's name with the demo member's
    await page.goto('/dues?tab=payments');
    await expect.poll(() => page.getByTestId('payment-row').filter({ hasText: proxyReceipt! }).innerText()).toContain('王建国');
    const twoMonthRow = page.getByTestId('payment-row').filter({ hasText: twoMonthReceipt! });
    expect(await twoMonthRow.innerText()).toContain(`${lastMonth}、${month} 党费`);
    const newcomersReceipt = await twoMonthRow.getByTestId('receipt-link').getAttribute('href');

    // ---- remit to the level above (市财政局机关党委)
    const amount = `88.${String(stamp % 100).padStart(2, '0')}`;
    await page.goto(`/dues?tab=accounts&month=${month}`);
    await expect.poll(() => page.getByTestId('account-list').innerText()).toContain('预算处党支部');
    await page.getByTestId('remittance-new').click();
    await page.getByLabel('金额（元）', { exact: true }).fill(amount);
    await page.getByLabel('凭证/流水号', { exact: true }).fill(`E2E${stamp}`);
    await page.getByTestId('remittance-save').click();
    const sent = page.getByTestId('remittance-row').filter({ hasText: amount });
    await expect.poll(() => sent.first().innerText()).toContain('待确认');
    expect(await sent.first().innerText()).toContain('市财政局机关党委');
    await desk.context.close();

    // ---- the bureau's admin confirms receipt
    const bureau = await newPage(browser);
    await loginAs(bureau.page, 'bureau', 'demo-bureau-2025');
    await bureau.page.goto('/dues?tab=accounts&direction=received');
    const received = bureau.page.getByTestId('remittance-row').filter({ hasText: amount }).filter({ hasText: '预算处党支部' });
    await expect.poll(() => received.first().innerText()).toContain('待确认');
    await received.first().getByTestId('remittance-confirm').click();
    await expect.poll(() => received.first().innerText()).toContain('已确认');
    await bureau.context.close();

    // ---- the member, on a phone: the proxy payment with its receipt, which opens; another member's receipt does not
    const phone = await newPage(browser, { phone: true });
    await login(phone.page, 'member');
    await phone.page.goto('/me/dues');
    await expect.poll(() => phone.page.getByTestId('my-dues-summary').innerText()).toContain(`${month} 应缴`);
    const payment = phone.page.getByTestId('my-payments').locator('.ant-list-item', { hasText: proxyReceipt! });
    await expect.poll(() => payment.innerText()).toContain('王建国 代缴');
    expect(await scrollWidth(phone.page)).toBeLessThanOrEqual(390);
    const receiptLink = payment.getByTestId('my-receipt');
    const href = await receiptLink.getAttribute('href');
    expect(href).toMatch(/^\/api\/dues\/payments\/\d+\/receipt\.pdf$/);
    const [popup] = await Promise.all([phone.context.waitForEvent('page'), receiptLink.click()]);
    await popup.close();
    // the pointer leaves the link: axe measures the page as it rests, not a hovered link's lighter colour
    await phone.page.mouse.move(0, 0);
    const pdf = await phone.page.request.get(href!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await phone.page.request.get(newcomersReceipt!)).status()).toBe(404);
    await phone.context.close();
  }, 180_000);

  it.each([['desktop', false], ['phone', true]] as const)('shows every tab of 党费管理 at %s size, accessible and without sideways scrolling', async (_size, phone) => {
    const { context, page } = await newPage(browser, { phone });
    await login(page, 'secretary');
    for (const tab of ['bases', 'bills', 'payments', 'arrears', 'reductions', 'accounts', 'reconciliation', 'statement']) {
      await page.goto(`/dues?tab=${tab}`);
      await page.getByTestId(`dues-${tab === 'accounts' ? 'account' : tab}`).waitFor();
      if (phone) expect(await scrollWidth(page), tab).toBeLessThanOrEqual(390);
    }
    // the dialogs of the desk, opened where a phone would open them
    for (const [tab, button] of [['bills', 'payment-new'], ['reductions', 'reduction-new'], ['accounts', 'remittance-new'], ['accounts', 'expenditure-new']] as const) {
      await page.goto(`/dues?tab=${tab}`);
      await page.getByTestId(button).click();
      await page.locator('.ant-modal').waitFor();
      if (phone) expect(await scrollWidth(page), button).toBeLessThanOrEqual(390);
      await page.waitForURL(`**/dues?tab=${tab}`);
    }
    await context.close();
  }, 120_000);
});
