import fs from 'node:fs';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import ExcelJS from 'exceljs';
import unzipper from 'unzipper';
import { MAX_IMPORT_ROWS, MEMBER_SHEET_COLUMNS, type MemberSheetColumn, type MemberSheetField } from '../../../../../contracts/member_import.js';
import { AppError, badRequest } from '../../../platform/errors.js';
import { simplify } from '../../../platform/i18n.js';
import './messages.js';

// ---------------------------------------------------------------------------------------------
// Reading a sheet (streaming: memory stays bounded whatever the file holds)

interface SheetRow { number: number; cells: unknown[] }

/**
 * The rows of the workbook's first visible sheet, in order, streamed (memory stays bounded
 * whatever the file holds).
 *
 * The zip is opened by its central directory, and the workbook's parts are handed to exceljs's
 * streaming reader in the order it needs them: relationships, workbook, shared strings and
 * styles, then the sheet. exceljs's own reader takes the parts in the order they are stored, parks
 * sheets in temporary files, and fails now and then on valid files depending on that order and on
 * timing (exceljs issue #3064, open): the same valid file was sometimes refused as "not an Excel
 * file" under load.
 */
async function* readFirstSheet(file: string): AsyncGenerator<SheetRow> {
  const head = Buffer.alloc(8);
  const fd = await fs.promises.open(file, 'r');
  try { await fd.read(head, 0, 8, 0); } finally { await fd.close(); }
  if (head.readUInt32BE(0) === 0xd0cf11e0) throw badRequest('member_import.xls_unsupported');
  if (head.readUInt32BE(0) !== 0x504b0304) throw badRequest('member_import.not_xlsx');

  let sheet: OpenSheet | undefined;
  try {
    sheet = await firstSheetOf(file);
    for await (const row of sheet.rows) yield { number: row.number, cells: row.values as unknown[] };
  } catch (error) {
    if (error instanceof AppError) throw error;
    // a damaged zip or an archive that is not a workbook: the user's file, not our fault
    throw badRequest('member_import.not_xlsx');
  } finally {
    sheet?.part.destroy(); // closes the file when the reader stops early
  }
}

/** exceljs's rows of a sheet, and the zip part they are read from (to close it when reading stops early). */
interface OpenSheet {
  rows: AsyncIterable<{ number: number; values: unknown }>;
  part: NodeJS.ReadableStream & { destroy(): void };
}

/** The parts of exceljs's streaming reader that turn zip entries into a workbook (not in its typings). */
interface ReaderInternals {
  workbookRels?: { Id: string; Target: string }[];
  model?: { sheets?: { rId: string; state?: string }[] };
  _parseRels(entry: NodeJS.ReadableStream): Promise<void>;
  _parseWorkbook(entry: NodeJS.ReadableStream): Promise<void>;
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncIterable<unknown>;
  _parseStyles(entry: NodeJS.ReadableStream): Promise<void>;
  _parseWorksheet(iterator: AsyncIterable<string>, sheetNo: string): Iterable<{ eventType: string; value: OpenSheet['rows'] }>;
}

async function firstSheetOf(file: string): Promise<OpenSheet> {
  const directory = await unzipper.Open.file(file);
  const parts = new Map(directory.files.filter((f) => f.type === 'File').map((f) => [f.path.replace(/^\//, ''), f]));
  const text = (path: string): Readable | null => {
    const part = parts.get(path);
    return part ? Readable.from(utf8Text(part.stream())) : null;
  };
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' }) as unknown as ReaderInternals;

  // checked before any part is opened: an opened part holds a file descriptor until it is read
  if (!parts.has('xl/_rels/workbook.xml.rels') || !parts.has('xl/workbook.xml')) throw badRequest('member_import.not_xlsx');
  await reader._parseRels(text('xl/_rels/workbook.xml.rels')!);
  await reader._parseWorkbook(text('xl/workbook.xml')!);
  const sharedStrings = text('xl/sharedStrings.xml');
  if (sharedStrings) for await (const _ of reader._parseSharedStrings(sharedStrings)) { /* cached on the reader */ }
  const styles = text('xl/styles.xml');
  if (styles) await reader._parseStyles(styles);

  const sheets = reader.model?.sheets ?? [];
  const first = sheets.find((s) => !s.state || s.state === 'visible') ?? sheets[0];
  const target = first && reader.workbookRels?.find((r) => r.Id === first.rId)?.Target;
  if (!target) throw badRequest('member_import.not_xlsx');
  const path = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
  const entry = parts.get(path);
  if (!entry) throw badRequest('member_import.not_xlsx');
  const sheetNo = /sheet(\d+)\.xml$/.exec(path)?.[1] ?? '1';
  const part = entry.stream();
  for (const event of reader._parseWorksheet(utf8Text(part), sheetNo)) {
    if (event.eventType === 'worksheet') return { rows: event.value, part };
  }
  part.destroy();
  throw badRequest('member_import.not_xlsx');
}

/**
 * exceljs 4.4 decodes every 16 KB chunk of a zip entry on its own, so a Chinese character split
 * across two chunks comes out as U+FFFD (exceljs issues #2063, #2084, #2316 — open). In a
 * 50,000-row roll that garbles a few dozen names and org paths. The parts are decoded here with
 * a decoder that carries an incomplete character over to the next chunk.
 */
async function* utf8Text(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
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
