import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { AppError, badRequest } from './errors.js';
import { translate } from './i18n.js';
import { readSheetRows, SHEET_LIMITS, type SheetRow } from './xlsx-guard.js';
import { hostileWorkbooks, inlineCell, workbookOf } from '../../test/xlsx-fixtures.js';

const options = { notWorkbook: () => badRequest('test.not_workbook') };
const header = inlineCell('A1', '姓名');

async function rowsOf(bytes: Uint8Array, opts: Parameters<typeof readSheetRows>[1] = options): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  for await (const row of readSheetRows(bytes, opts)) rows.push(row);
  return rows;
}

/** The refusal of reading `bytes`, and how long it took. */
async function refusalOf(bytes: Uint8Array, opts: Parameters<typeof readSheetRows>[1] = options): Promise<{ error: AppError; ms: number }> {
  const started = Date.now();
  try {
    await rowsOf(bytes, opts);
  } catch (error) {
    if (error instanceof AppError) return { error, ms: Date.now() - started };
    throw error;
  }
  throw new Error('the file was read without a refusal');
}

const simpleSheet = workbookOf([{ text: `<row r="1">${header}</row><row r="2">${inlineCell('A2', '张三')}</row>` }]);

describe('reading an uploaded sheet', () => {
  it('hands over every row of a workbook exceljs wrote, values and Chinese text intact', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('党员信息');
    sheet.addRow(['姓名', '入党日期', '人数']);
    const born = new Date(Date.UTC(2015, 6, 1));
    for (let i = 0; i < 5_000; i++) sheet.addRow([`中共党员第${i}号预算处综合科`, born, i]);
    const rows = await rowsOf(Buffer.from(await book.xlsx.writeBuffer()));
    expect(rows).toHaveLength(5_001);
    expect(rows[0]!.values.slice(1)).toEqual(['姓名', '入党日期', '人数']);
    expect(rows[4_321]).toEqual({ number: 4_322, values: [undefined, '中共党员第4320号预算处综合科', born, 4_320] });
    expect(rows.filter((r, i) => i > 0 && r.values[1] !== `中共党员第${i - 1}号预算处综合科`)).toEqual([]);
  });

  it('takes a cell of exactly 32,767 characters, the most Excel allows, even written as character references', async () => {
    const longest = '&#x515A;'.repeat(SHEET_LIMITS.maxCellChars);
    const rows = await rowsOf(workbookOf([{ text: `<row r="1">${inlineCell('A1', longest)}</row>` }]));
    expect(rows[0]!.values[1]).toBe('党'.repeat(SHEET_LIMITS.maxCellChars));
  });

  it.each([
    ['one cell of 400 MB', hostileWorkbooks.hugeCell, 'upload.xlsx_cell_too_long', { max: 32_767 }, '单元格内容超过 32767 字'],
    ['1 GB of shared strings', hostileWorkbooks.hugeSharedStrings, 'upload.xlsx_shared_strings_too_large', { max: 64 }, '文件中的文字（共享字符串）解压后超过 64 MB'],
    ['a million empty rows', hostileWorkbooks.millionEmptyRows, 'upload.xlsx_too_many_rows', { max: 100_000 }, '工作表行数超过 100000 行（空行也计算在内）'],
    ['a sheet that declares 2 KB and inflates to 1 GB', hostileWorkbooks.zipBomb, 'upload.xlsx_unzipped_too_large', { max: 200 }, '文件解压后超过 200 MB'],
  ])('refuses %s in a few seconds, naming the limit on field file', async (_case, craft, key, params, message) => {
    const bytes = craft(header);
    expect(bytes.length).toBeLessThan(4 * 1024 * 1024);
    const { error, ms } = await refusalOf(bytes);
    expect(error.status).toBe(400);
    expect(error.fields).toEqual({ file: { key, params } });
    expect(translate(key, 'zh-Hans', params)).toContain(message);
    // bounded (the unguarded reader crashed the process or held a core for 212 s), with room for a busy machine
    expect(ms).toBeLessThan(60_000);
  });

  it('refuses a shared string one character over a cell, and more shared strings than the limit', async () => {
    const overLong = workbookOf([{ text: `<row r="1"><c r="A1" t="s"><v>0</v></c></row>` }], [{ text: `<si><t>${'x'.repeat(SHEET_LIMITS.maxCellChars + 1)}</t></si>` }]);
    expect((await refusalOf(overLong)).error.fields).toEqual({ file: { key: 'upload.xlsx_cell_too_long', params: { max: 32_767 } } });
    const many = workbookOf([{ text: `<row r="1"><c r="A1" t="s"><v>0</v></c></row>` }], [{ text: '<si><t>a</t></si>'.repeat(10_000), times: 101 }]);
    expect((await refusalOf(many)).error.fields).toEqual({ file: { key: 'upload.xlsx_too_many_shared_strings', params: { max: 1_000_000 } } });
  });

  it('refuses a row whose cells together pass the row limit', async () => {
    const column = (i: number) => (i < 26 ? '' : 'A') + String.fromCharCode(65 + (i % 26));
    const cells = Array.from({ length: 40 }, (_, i) => inlineCell(`${column(i)}1`, 'x'.repeat(30_000))).join('');
    expect((await refusalOf(workbookOf([{ text: `<row r="1">${cells}</row>` }]))).error.fields).toEqual({ file: { key: 'upload.xlsx_row_too_long', params: { max: 1_000_000 } } });
  });

  it('answers the caller\'s own error for a file that is not a workbook, a DOCTYPE among them', async () => {
    for (const bytes of [Buffer.from('not a workbook'), workbookOf([{ text: '<!DOCTYPE x [<!ENTITY a "b">]><row r="1"/>' }])]) {
      const { error } = await refusalOf(bytes);
      expect(error.code).toBe('test.not_workbook');
    }
  });

  it('stops a sheet that takes longer than its time budget, with 400 on field file', async () => {
    const row = Array.from({ length: 17 }, (_, i) => inlineCell(`${String.fromCharCode(65 + i)}2`, '市直机关工委预算处党支部')).join('');
    const bytes = workbookOf([{ text: `<row r="1">${header}</row>` }, { text: `<row r="2">${row}</row>`.repeat(1_000), times: 90 }]);
    const { error, ms } = await refusalOf(bytes, { ...options, parseSeconds: 0.5 });
    expect(error.fields).toEqual({ file: { key: 'upload.xlsx_timeout', params: { seconds: 0.5 } } });
    expect(translate('upload.xlsx_timeout', 'zh-Hans', { seconds: 60 })).toBe('文件过于复杂，处理超时（60 秒）');
    expect(ms).toBeLessThan(20_000);
  });

  it('answers 400 when the worker runs out of memory, and reads the next file as usual', async () => {
    const run = '<r><rPr><b/><i/><sz val="11"/><color rgb="FF000000"/><rFont val="宋体"/></rPr><t>x</t></r>';
    const bytes = workbookOf([{ text: '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' }], [{ text: `<si>${run}</si>`.repeat(100), times: 6_000 }]);
    const { error } = await refusalOf(bytes);
    expect(error.fields).toEqual({ file: { key: 'upload.xlsx_out_of_memory' } });
    expect(translate('upload.xlsx_out_of_memory', 'zh-Hans')).toContain('文件过于复杂');
    expect(await rowsOf(simpleSheet)).toHaveLength(2);
    // filling the worker's heap takes ~10 s on a quiet 2-core machine; with the machine shared (load 12) it passed 60 s
  }, 180_000);

  it('frees the worker when the reader leaves the loop early, so later reads are not starved', async () => {
    for (let i = 0; i < 4; i++) {
      for await (const row of readSheetRows(simpleSheet, options)) {
        expect(row.number).toBe(1);
        break;
      }
    }
    const all = await Promise.all([rowsOf(simpleSheet), rowsOf(simpleSheet), rowsOf(simpleSheet)]);
    expect(all.map((rows) => rows.length)).toEqual([2, 2, 2]);
  });
});
