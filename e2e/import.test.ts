import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { MEMBER_SHEET_HEADERS } from '../contracts/member_import.js';
import type { MemberPage } from '../contracts/members.js';
import type { TransferTargetPage } from '../contracts/transfers.js';
import { idNumber, launchBrowser, login, newPage } from './browser.js';

let browser: Browser;
let dir: string;
beforeAll(async () => {
  browser = await launchBrowser();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dangjian-import-'));
});
afterAll(async () => {
  await browser?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A member sheet in the template's columns: two good rows and, on Excel row 3, a bad ID number. */
async function writeSheet(file: string, orgPath: string, names: string[], serial = 700): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('党员名册');
  sheet.addRow([...MEMBER_SHEET_HEADERS]);
  const rows = names.map((name, i) => {
    const id = idNumber(`198${i}-0${i + 1}-1${i}`, serial + i);
    const values: Record<string, string> = {
      姓名: name, 性别: i % 2 ? '女' : '男', 民族: '汉族', 身份证号: i === 1 ? id.wrongCheckDigit : id.valid, 学历: '大学本科',
      所在党组织: orgPath, '党员类别/发展阶段': '正式党员', 入党日期: '2012-07-01', 转正日期: '2013-07-01',
    };
    return MEMBER_SHEET_HEADERS.map((h) => values[h] ?? '');
  });
  for (const row of rows) sheet.addRow(row);
  await workbook.xlsx.writeFile(file);
}

/** The budget branch's full path, as the sheet's 所在党组织 column takes it. */
async function budgetBranchPath(page: Page): Promise<string> {
  const targets = (await (await page.request.get('/api/transfers/targets?q=预算处党支部&pageSize=50')).json()) as TransferTargetPage;
  const branch = targets.items.find((o) => o.pathNames.includes('市财政局机关党委') && o.name === '预算处党支部');
  expect(branch).toBeDefined();
  return branch!.pathNames.split('/').map((s) => s.trim()).join('/');
}

async function namesOnRoll(page: Page, names: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const name of names) {
    const hits = (await (await page.request.get(`/api/members?q=${encodeURIComponent(name)}`)).json()) as MemberPage;
    found.push(...hits.items.map((m) => m.name));
  }
  return found;
}

describe('importing members from a spreadsheet', () => {
  it('imports the good rows and reports the bad one by row, column and reason', async () => {
    const { context, page } = await newPage(browser);
    await login(page, 'secretary');
    const orgPath = await budgetBranchPath(page);

    const stamp = Date.now() % 100000;
    const names = [`导入甲${stamp}`, `导入乙${stamp}`, `导入丙${stamp}`];
    const file = path.join(dir, 'members.xlsx');
    await writeSheet(file, orgPath, names);

    await page.goto('/members/import');
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByLabel('仅导入正确行').check();
    await page.getByTestId('import-start').click();

    const result = page.getByTestId('import-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.innerText()).toContain('共 3 行，导入 2 行，错误 1 行');
    const report = await page.getByTestId('import-report').locator('tbody tr.ant-table-row').allInnerTexts();
    expect(report).toHaveLength(1);
    expect(report[0]).toMatch(/^3\s+身份证号\s+身份证号校验位不正确/);

    // the good rows are on the roll, the bad one is not
    for (const [i, name] of names.entries()) {
      const found = (await (await page.request.get(`/api/members?q=${encodeURIComponent(name)}`)).json()) as MemberPage;
      expect(found.items.map((m) => m.name)).toEqual(i === 1 ? [] : [name]);
    }
    await context.close();
  });

  it('checks a file without importing it, then imports its valid rows from the check’s result', async () => {
    const { context, page } = await newPage(browser);
    await login(page, 'secretary');
    const orgPath = await budgetBranchPath(page);
    const stamp = Date.now() % 100000;
    const names = [`校验甲${stamp}`, `校验乙${stamp}`, `校验丙${stamp}`];
    const file = path.join(dir, 'check.xlsx');
    await writeSheet(file, orgPath, names, 800);

    await page.goto('/members/import');
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByTestId('import-validate').click();
    const check = page.getByTestId('import-check');
    await check.waitFor({ timeout: 60_000 });
    expect(await check.innerText()).toContain('共 3 行，正确 2 行，错误 1 行（未导入任何数据）');
    const report = await page.getByTestId('import-report').locator('tbody tr.ant-table-row').allInnerTexts();
    expect(report).toHaveLength(1);
    expect(report[0]).toMatch(/^3\s+身份证号\s+身份证号校验位不正确/);
    // a check writes nothing
    expect(await namesOnRoll(page, names)).toEqual([]);

    // "all or nothing" would import nothing: the check offers the valid rows
    await page.getByTestId('import-checked').click();
    const result = page.getByTestId('import-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.innerText()).toContain('共 3 行，导入 2 行，错误 1 行');
    expect(await namesOnRoll(page, names)).toEqual([names[0], names[2]]);
    await context.close();
  });
});
