import fs from 'node:fs';
import { MAX_IMPORT_ROWS, MEMBER_SHEET_COLUMNS, type MemberSheetColumn, type MemberSheetField } from '../../../../../contracts/member_import.js';
import { badRequest } from '../../../platform/errors.js';
import { simplify } from '../../../platform/i18n.js';
import { readSheetRows } from '../../../platform/xlsx-guard.js';
import './messages.js';

// ---------------------------------------------------------------------------------------------
// Reading a sheet

interface SheetRow { number: number; cells: unknown[] }

/**
 * The rows of the workbook's first visible sheet, in order. The file (at most 10 MB) is read in a
 * worker with its own heap and time budget, under the limits of platform/xlsx-guard.ts.
 */
async function* readFirstSheet(file: string): AsyncGenerator<SheetRow> {
  const bytes = await fs.promises.readFile(file);
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0xd0cf11e0) throw badRequest('member_import.xls_unsupported');
  if (bytes.length < 4 || bytes.readUInt32BE(0) !== 0x504b0304) throw badRequest('member_import.not_xlsx');
  for await (const row of readSheetRows(bytes, { notWorkbook: () => badRequest('member_import.not_xlsx') })) yield { number: row.number, cells: row.values };
}

/** The text a person sees in a cell, whatever exceljs made of it. */
export function cellText(value: unknown): string {
  if (value == null) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return isoDateOf(value);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (v.richText) return v.richText.map((r) => r.text).join('').trim();
    if ('result' in v) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
  }
  return '';
}

export function isoDateOf(date: Date): string {
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10);
}

/** 姓名*, 身份證號（必填）, " 手机号 " → the template header they stand for. */
function normalizeHeader(text: string): string {
  return simplify(text).replace(/[（(【[].*?[）)】\]]/g, '').replace(/[\s*＊:：]/g, '');
}

const HEADER_INDEX = new Map<string, MemberSheetColumn>();
for (const c of MEMBER_SHEET_COLUMNS) for (const name of [c.header, ...c.aliases]) HEADER_INDEX.set(normalizeHeader(name), c);

interface SheetLayout {
  /** Excel column number → the template column it holds. */
  columns: Map<number, MemberSheetColumn>;
  hasOrgColumn: boolean;
}

function layoutOf(headerRow: SheetRow, hasDefaultOrg: boolean): SheetLayout {
  const columns = new Map<number, MemberSheetColumn>();
  const seen = new Set<MemberSheetField>();
  headerRow.cells.forEach((value, index) => {
    const column = HEADER_INDEX.get(normalizeHeader(cellText(value)));
    if (!column) return;
    if (seen.has(column.field)) throw badRequest('member_import.duplicate_header', { column: column.header });
    seen.add(column.field);
    columns.set(index, column);
  });
  if (columns.size === 0) throw badRequest('member_import.not_template');
  const missing = MEMBER_SHEET_COLUMNS.filter((c) => c.required && c.field !== 'orgId' && !seen.has(c.field)).map((c) => `“${c.header}”`);
  if (missing.length > 0) throw badRequest('member_import.missing_headers', { columns: missing.join('、') });
  const hasOrgColumn = seen.has('orgId');
  if (!hasOrgColumn && !hasDefaultOrg) throw badRequest('member_import.org_column_or_default');
  return { columns, hasOrgColumn };
}

const exampleName = MEMBER_SHEET_COLUMNS.find((c) => c.field === 'name')!.example;
const exampleIdNumber = MEMBER_SHEET_COLUMNS.find((c) => c.field === 'idNumber')!.example;

export interface DataRow { number: number; raw: Map<MemberSheetField, unknown> }

/**
 * The data rows of an uploaded member sheet: the header row is checked first (a wrong file is a
 * 400 before anything else); blank rows and the template's example row are skipped.
 */
export async function* readMemberSheet(file: string, hasDefaultOrg: boolean, onLayout?: (layout: SheetLayout) => void): AsyncGenerator<DataRow> {
  let layout: SheetLayout | null = null;
  for await (const row of readFirstSheet(file)) {
    if (row.cells.every((v) => cellText(v) === '')) continue;
    if (!layout) {
      layout = layoutOf(row, hasDefaultOrg);
      onLayout?.(layout);
      continue;
    }
    const raw = new Map<MemberSheetField, unknown>();
    for (const [index, column] of layout.columns) raw.set(column.field, row.cells[index]);
    if (cellText(raw.get('name')) === exampleName && cellText(raw.get('idNumber')) === exampleIdNumber) continue;
    yield { number: row.number, raw };
  }
  if (!layout) throw badRequest('member_import.empty');
}

/**
 * Checked while the upload request is still open, so that a wrong file is a clear 400 rather
 * than a failed job: it is an .xlsx, the header row is the template's, and it has 1–50,000 rows.
 */
export async function inspectMemberSheet(file: string, hasDefaultOrg: boolean): Promise<{ total: number }> {
  let total = 0;
  for await (const _row of readMemberSheet(file, hasDefaultOrg)) {
    total++;
    if (total > MAX_IMPORT_ROWS) throw badRequest('member_import.too_many_rows', { max: MAX_IMPORT_ROWS });
  }
  if (total === 0) throw badRequest('member_import.empty');
  return { total };
}
