import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { MemberPage } from '../contracts/members.js';
import { fieldError, idNumber, launchBrowser, login, newPage } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the member roll', () => {
  it('shows the server’s error under 身份证号 for a wrong ID number, then saves the corrected member', async () => {
    const { context, page } = await newPage(browser);
    await login(page, 'secretary');
    await page.goto('/members/new');
    const name = `测试员${Date.now() % 100000}`;
    const id = idNumber('1990-03-15', Date.now());

    await page.getByLabel('姓名', { exact: true }).fill(name);
    await page.getByLabel('身份证号', { exact: true }).fill(id.wrongCheckDigit);
    // the secretary's only org is their branch: pick it in the tree select
    await page.getByLabel('所在党组织').click();
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '预算处党支部' }).first().click();
    await page.getByLabel('入党日期', { exact: true }).fill('2015-07-01');
    await page.keyboard.press('Enter');
    await page.getByLabel('转正日期', { exact: true }).fill('2016-07-01');
    await page.keyboard.press('Enter');
    await page.getByTestId('member-save').click();

    const error = fieldError(page, '身份证号');
    await expect.poll(() => error.innerText()).toBe('身份证号校验位不正确，请核对号码');
    expect(new URL(page.url()).pathname).toBe('/members/new');

    await page.getByLabel('身份证号', { exact: true }).fill(id.valid);
    await page.getByTestId('member-save').click();
    await page.waitForURL(/\/members\/\d+$/);
    await expect.poll(() => page.getByTestId('member-name').innerText()).toBe(name);
    // the ID number is shown masked until 查看 is pressed (and the look is audited)
    expect(await page.getByTestId('idNumber-value').innerText()).not.toBe(id.valid);
    await page.getByTestId('reveal-idNumber').click();
    await expect.poll(() => page.getByTestId('idNumber-value').innerText()).toBe(id.valid);

    // and the roll finds the new member by name
    await page.goto(`/members?q=${encodeURIComponent(name)}`);
    await expect.poll(() => page.getByTestId('member-table').locator('tbody tr.ant-table-row').first().innerText()).toContain(name);

    // 导出完整身份证号 asks why before anything leaves, then downloads
    await page.getByTestId('export-full-id').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: /导\s*出/ }).click();
    await expect.poll(() => fieldError(page, '导出理由').innerText()).toBe('请填写导出理由');
    await page.getByTestId('export-reason').fill('核对新党员信息');
    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: /导\s*出/ }).click();
    expect((await download).suggestedFilename()).toMatch(/^党员名册-\d{8}\.xlsx$/);

    // the audit log names the member looked at, and records the full export with its reason
    await page.goto('/audit');
    const audit = page.getByTestId('audit-table');
    await expect.poll(() => audit.locator('tbody tr.ant-table-row', { hasText: '查看身份证号' }).first().innerText()).toContain(`党员 ${name}`);
    const exported = audit.locator('tbody tr.ant-table-row', { hasText: '导出党员名册（含完整身份证号和手机号）' }).first();
    await exported.locator('.ant-table-row-expand-icon').click();
    await expect.poll(() => audit.innerText()).toContain('核对新党员信息');
    await context.close();
  });

  it('does not let the secretary open a member of another branch, even by URL', async () => {
    const admin = await newPage(browser);
    await login(admin.page, 'admin');
    const response = await admin.page.request.get('/api/members?pageSize=100&sort=id&order=desc');
    expect(response.ok()).toBe(true);
    const all = (await response.json()) as MemberPage;
    const stranger = all.items.find((m) => m.orgName !== '预算处党支部');
    expect(stranger).toBeDefined();
    await admin.context.close();

    const { context, page } = await newPage(browser);
    await login(page, 'secretary');
    await page.goto(`/members/${stranger!.id}`);
    await expect.poll(() => page.getByTestId('no-access').innerText()).toContain('不存在或无权访问');
    // nor does their list show the stranger
    await page.goto(`/members?q=${encodeURIComponent(stranger!.name)}`);
    const table = page.getByTestId('member-table');
    await table.locator('.ant-table-placeholder, tbody tr.ant-table-row').first().waitFor();
    await expect.poll(() => table.locator('.ant-spin-spinning').count()).toBe(0);
    const rows = await table.locator('tbody tr.ant-table-row').allInnerTexts();
    expect(rows.every((row) => row.includes('预算处党支部'))).toBe(true);
    expect(rows.join('\n')).not.toContain(stranger!.orgName);
    await context.close();
  });
});
