import fs from 'node:fs';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { sql, type SQL } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import unzipper from 'unzipper';
import {
  EDUCATION_ALIASES, EDUCATION_OPTIONS, ETHNICITIES, GENDER_LABELS, MAX_IMPORT_ROWS, MEMBER_SHEET_COLUMNS, STAGE_ALIASES, STAGE_LABELS,
  type ImportJob, type ImportMode, type ImportProblem, type ImportResult, type MemberSheetColumn, type MemberSheetField,
} from '../../../../contracts/member-import.js';
import { CreateMemberSchema, type CreateMember } from '../../../../contracts/members.js';
import type { OrgType } from '../../../../contracts/orgs.js';
import { isAdmin, type Actor } from '../../platform/actor.js';
import { managedOrg } from '../../platform/org-scope.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable } from '../../platform/db.js';
import { AppError, badRequest, invalidField, notFound } from '../../platform/errors.js';
import { defineMessages, hasMessage, simplify, translate, type Lang } from '../../platform/i18n.js';
import type { PersonalDataCipher } from '../../platform/personal-data.js';
import { fieldProblemsOf } from '../../platform/validation.js';
import { canManageMember, keepsMemberRoll, orgsInScope } from './policy.js';
import { insertMembers } from './service.js';
import './messages.js';

defineMessages({
  'member_import.not_admin': { zh: '只有党组织管理员可以导入、导出党员', en: 'Only organization administrators may import or export members' },
  'member_import.file_required': { zh: '请选择要导入的 Excel 文件（.xlsx）', en: 'Choose an Excel file (.xlsx) to import' },
  'member_import.not_xlsx': { zh: '文件不是有效的 Excel 文件（.xlsx），请用导入模板填写后上传', en: 'The file is not a valid Excel workbook (.xlsx); fill in the template and upload it' },
  'member_import.xls_unsupported': { zh: '不支持旧版 .xls 文件，请在 Excel 中“另存为” .xlsx 格式后上传', en: 'Old .xls files are not supported; save the file as .xlsx and upload it again' },
  'member_import.empty': { zh: '文件中没有党员数据（表头下方第 2 行起填写数据）', en: 'The file has no member rows (data starts on row 2, under the headers)' },
  'member_import.not_template': { zh: '第一行不是党员导入模板的表头，请下载导入模板填写', en: 'The first row is not the header row of the member template; download the template and use it' },
  'member_import.missing_headers': { zh: '表头缺少以下列：{columns}。请下载最新导入模板填写', en: 'These columns are missing from the header row: {columns}. Download the latest template' },
  'member_import.duplicate_header': { zh: '表头“{column}”出现了不止一次', en: 'The column "{column}" appears more than once' },
  'member_import.too_many_rows': { zh: '一次最多导入 {max} 行，本文件超过了 {max} 行，请按党组织拆分后分批导入', en: 'At most {max} rows can be imported at once; split the file by organization' },
  'member_import.org_column_or_default': { zh: '文件没有“所在党组织”列，请在导入时选择默认党组织', en: 'The file has no organization column; choose a default organization for the import' },
  'member_import.org_not_found': { zh: '党组织“{org}”不存在或不在您的管理范围内', en: 'Organization "{org}" does not exist or is outside your scope' },
  'member_import.org_ambiguous': { zh: '有 {count} 个党组织名为“{org}”，请填写完整路径，如“{example}”', en: '{count} organizations are named "{org}"; write the full path, e.g. "{example}"' },
  'member_import.org_dissolved': { zh: '党组织“{org}”已撤销', en: 'Organization "{org}" has been dissolved' },
  'member_import.org_required': { zh: '必填（或在导入时选择默认党组织）', en: 'Required (or choose a default organization for the import)' },
  'member_import.gender_invalid': { zh: '应填“男”或“女”', en: 'Must be 男 (male) or 女 (female)' },
  'member_import.stage_invalid': { zh: '应为 入党申请人 / 积极分子 / 发展对象 / 预备党员 / 正式党员 之一', en: 'Must be one of 入党申请人 / 积极分子 / 发展对象 / 预备党员 / 正式党员' },
  'member_import.date_invalid': { zh: '日期无法识别，请填写 YYYY-MM-DD 格式（如 2015-07-01）', en: 'Not a recognizable date; write YYYY-MM-DD (e.g. 2015-07-01)' },
  'member_import.id_number_as_number': { zh: '身份证号被 Excel 存成了数字，后几位已丢失；请把该列设为“文本”格式后重新填写', en: 'Excel stored the ID number as a number and lost its last digits; format the column as text and type it again' },
  'member_import.cell_error': { zh: '单元格是公式错误值（{value}）', en: 'The cell holds a formula error ({value})' },
  'member_import.duplicate_in_file': { zh: '与第 {row} 行的身份证号重复', en: 'Same ID number as row {row}' },
  'member_import.duplicate_in_db': { zh: '该身份证号已登记在系统中，不能重复导入', en: 'This ID number is already registered' },
  'member_import.interrupted': { zh: '导入任务因服务重启而中断，请重新上传', en: 'The import was interrupted by a server restart; upload the file again' },
  'member_import.failed': { zh: '导入失败，没有写入任何数据：{reason}', en: 'The import failed and wrote nothing: {reason}' },
});

// ---------------------------------------------------------------------------------------------
// The template

const DATA_SHEET = '党员信息';
const NOTES_SHEET = '填写说明';
const OPTIONS_SHEET = '选项';

interface SheetWithValidations { dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void } }

/**
 * The import template: the data sheet with Chinese headers, one example row, dropdowns for every
 * enumeration (lists kept on a hidden sheet: inline lists are capped at 255 characters by Excel),
 * ID and phone columns formatted as text so Excel keeps all 18 digits, and a notes sheet.
 * The org dropdown lists the orgs the downloading admin may import into.
 */
export async function buildImportTemplate(orgPaths: string[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '党建云';
  const sheet = workbook.addWorksheet(DATA_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  const notes = workbook.addWorksheet(NOTES_SHEET);
  const options = workbook.addWorksheet(OPTIONS_SHEET, { state: 'hidden' });

  sheet.columns = MEMBER_SHEET_COLUMNS.map((c) => ({
    header: c.header,
    key: c.field,
    width: c.width,
    style: c.field === 'idNumber' || c.field === 'phone' ? { numFmt: '@' } : c.kind === 'date' ? { numFmt: 'yyyy-mm-dd' } : {},
  }));
  const header = sheet.getRow(1);
  header.height = 22;
  MEMBER_SHEET_COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.font = { bold: true, color: { argb: c.required ? 'FFC00000' : 'FF000000' } };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: c.required ? 'FFFDE9E7' : 'FFF2F2F2' } };
    cell.alignment = { vertical: 'middle', horizontal: 'center' };
    cell.note = (c.required ? '【必填】' : '') + c.note;
  });

  const exampleOrg = orgPaths[0] ?? '市直机关工委/市财政局机关党委/预算处党支部';
  const example = sheet.addRow(Object.fromEntries(MEMBER_SHEET_COLUMNS.map((c) => [c.field, c.field === 'orgId' ? exampleOrg : c.example])));
  example.font = { italic: true, color: { argb: 'FF808080' } };

  const lists: { field: MemberSheetField; title: string; values: readonly string[]; strict: boolean }[] = [
    { field: 'gender', title: '性别', values: Object.values(GENDER_LABELS), strict: true },
    { field: 'ethnicity', title: '民族', values: ETHNICITIES, strict: false },
    { field: 'education', title: '学历', values: EDUCATION_OPTIONS, strict: false },
    { field: 'stage', title: '党员类别/发展阶段', values: Object.values(STAGE_LABELS), strict: true },
    { field: 'orgId', title: '所在党组织', values: orgPaths, strict: false },
  ];
  lists.forEach((list, i) => {
    const letter = String.fromCharCode(65 + i);
    options.getCell(`${letter}1`).value = list.title;
    list.values.forEach((value, j) => { options.getCell(`${letter}${j + 2}`).value = value; });
    if (list.values.length === 0) return;
    const column = MEMBER_SHEET_COLUMNS.findIndex((c) => c.field === list.field) + 1;
    const columnLetter = sheet.getColumn(column).letter;
    (sheet as unknown as SheetWithValidations).dataValidations.add(`${columnLetter}2:${columnLetter}${MAX_IMPORT_ROWS + 1}`, {
      type: 'list',
      allowBlank: true,
      formulae: [`'${OPTIONS_SHEET}'!$${letter}$2:$${letter}$${list.values.length + 1}`],
      showErrorMessage: true,
      // a free-typed org path or a rare spelling is still accepted by the importer: warn, don't stop
      errorStyle: list.strict ? 'stop' : 'warning',
      errorTitle: list.title,
      error: list.strict ? `请从下拉列表中选择${list.title}` : `不在下拉列表中，请确认${list.title}填写正确`,
    });
  });

  notes.columns = [
    { header: '列名', key: 'header', width: 20 },
    { header: '是否必填', key: 'required', width: 10 },
    { header: '填写要求', key: 'note', width: 90 },
    { header: '示例', key: 'example', width: 40 },
  ];
  notes.getRow(1).font = { bold: true };
  for (const c of MEMBER_SHEET_COLUMNS) {
    notes.addRow({ header: c.header, required: c.required ? '必填' : '选填', note: c.note, example: c.field === 'orgId' ? exampleOrg : c.example });
  }
  notes.addRow([]);
  const general = [
    '填写说明：',
    `1. 请在“${DATA_SHEET}”工作表中填写，第一行表头请勿修改、删除；列的顺序可以调整。`,
    '2. 第 2 行（灰色斜体）是示例，导入时会自动忽略，也可以直接删除。',
    `3. 一次最多导入 ${MAX_IMPORT_ROWS.toLocaleString('en-US')} 行，文件不超过 10 MB；更大的名册请按党组织拆分后分批导入。`,
    '4. 导入时会逐行校验，问题报告列出 Excel 行号、列名和原因。默认只要有一行有误就整份不导入；也可以选择“只导入无误的行”，或“只校验不导入”。',
    '5. 身份证号按国家标准（GB 11643）校验校验位和出生日期；同一身份证号在文件内、在系统中都只能出现一次。',
    '6. 日期可以是 Excel 日期，也可以写成 2015-07-01、2015/7/1、2015.07.01 或 20150701。',
  ];
  for (const line of general) notes.addRow([line]).font = line.endsWith('：') ? { bold: true } : {};
  notes.views = [{ state: 'frozen', ySplit: 1 }];

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

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
function cellText(value: unknown): string {
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

function isoDateOf(date: Date): string {
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

interface DataRow { number: number; raw: Map<MemberSheetField, unknown> }

/**
 * The data rows of an uploaded member sheet: the header row is checked first (a wrong file is a
 * 400 before anything else); blank rows and the template's example row are skipped.
 */
async function* readMemberSheet(file: string, hasDefaultOrg: boolean, onLayout?: (layout: SheetLayout) => void): AsyncGenerator<DataRow> {
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

// ---------------------------------------------------------------------------------------------
// Orgs by name or path, within the importer's scope

export interface OrgEntry { id: string; parentId: string | null; path: string; name: string; type: OrgType; isDissolved: boolean; isInScope: boolean }

/**
 * The orgs an admin administers plus their ancestors (for full paths that start at the top of
 * the tree). One query; an organ's tree has thousands of orgs at most.
 */
export class OrgDirectory {
  private readonly byId = new Map<string, OrgEntry>();
  private readonly byName = new Map<string, OrgEntry[]>();
  private readonly resolved = new Map<string, { id: string } | { key: string; params: Record<string, string | number> }>();

  constructor(entries: OrgEntry[]) {
    for (const entry of entries) {
      this.byId.set(entry.id, entry);
      const key = simplify(entry.name);
      this.byName.set(key, [...(this.byName.get(key) ?? []), entry]);
    }
  }

  static async load(q: Queryable, actor: Actor): Promise<OrgDirectory> {
    const ancestors: SQL = actor.isPlatformAdmin || actor.adminPaths.length === 0
      ? sql`false`
      : sql.join(actor.adminPaths.map((p) => sql`path @> ${p}::ltree`), sql` or `);
    const scope = orgsInScope(actor, sql`path`);
    const rows = await q.execute<{ id: string; parent_id: string | null; path: string; name: string; type: OrgType; dissolved: boolean; in_scope: boolean } & Record<string, unknown>>(sql`
      select id::text, parent_id::text, path::text, name, type, dissolved_at is not null as dissolved, ${scope} as in_scope
        from orgs where ${scope} or ${ancestors}`);
    return new OrgDirectory(rows.rows.map((r) => ({ id: r.id, parentId: r.parent_id, path: r.path, name: r.name, type: r.type, isDissolved: r.dissolved, isInScope: r.in_scope })));
  }

  get(id: string): OrgEntry | undefined {
    return this.byId.get(id);
  }

  /** 市直机关工委/市财政局机关党委/预算处党支部 */
  fullName(path: string): string {
    return path.split('.').map((id) => this.byId.get(id)?.name ?? '…').join('/');
  }

  /** Orgs a member may be imported into, as full paths (the template's dropdown). */
  importTargets(limit = 2000): string[] {
    return [...this.byId.values()].filter((o) => o.isInScope && !o.isDissolved && keepsMemberRoll(o.type))
      .sort((a, b) => a.path.split('.').length - b.path.split('.').length || Number(a.id) - Number(b.id))
      .slice(0, limit).map((o) => this.fullName(o.path));
  }

  /** An org named by the sheet: its name alone when unique, else a full path or its tail. */
  resolve(text: string): { id: string } | { key: string; params: Record<string, string | number> } {
    const cached = this.resolved.get(text);
    if (cached) return cached;
    const segments = text.split(/[/／>＞\\]/).map((s) => simplify(s.trim())).filter(Boolean);
    const last = segments[segments.length - 1] ?? '';
    const matches = (this.byName.get(last) ?? []).filter((o) => this.endsWith(o, segments));
    const usable = matches.filter((o) => o.isInScope && !o.isDissolved);
    let answer: { id: string } | { key: string; params: Record<string, string | number> };
    if (usable.length === 1) {
      const org = usable[0]!;
      answer = keepsMemberRoll(org.type) ? { id: org.id } : { key: 'member.org_type_not_allowed', params: { type: `org_type.${org.type}` } };
    }
    else if (usable.length > 1) answer = { key: 'member_import.org_ambiguous', params: { org: text, count: usable.length, example: this.fullName(usable[0]!.path) } };
    else if (matches.some((o) => o.isInScope)) answer = { key: 'member_import.org_dissolved', params: { org: text } };
    else answer = { key: 'member_import.org_not_found', params: { org: text } };
    this.resolved.set(text, answer);
    return answer;
  }

  private endsWith(org: OrgEntry, segments: string[]): boolean {
    const names = org.path.split('.').map((id) => simplify(this.byId.get(id)?.name ?? ''));
    if (segments.length > names.length) return false;
    return segments.every((s, i) => names[names.length - segments.length + i] === s);
  }
}

// ---------------------------------------------------------------------------------------------
// Rows → CreateMember inputs

const COLUMN_OF = new Map<string, MemberSheetColumn>(MEMBER_SHEET_COLUMNS.map((c) => [c.field, c]));
const COLUMN_ORDER = new Map<string, number>(MEMBER_SHEET_COLUMNS.map((c, i) => [c.header, i]));
const DATE_PATTERN = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/;

/** Excel date, 2015-07-01, 2015/7/1, 2015.07.01, 2015年7月1日 or 20150701 → 2015-07-01. */
function normalizeDate(value: unknown): string | null {
  if (value instanceof Date) return isoDateOf(value) || null;
  if (typeof value === 'number') {
    // an Excel serial day number in a cell without a date format (1900 date system)
    if (value < 1 || value > 2_958_465) return null;
    return isoDateOf(new Date(Date.UTC(1899, 11, 30) + Math.round(value) * 86_400_000)) || null;
  }
  const text = cellText(value);
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  const parts = compact ?? DATE_PATTERN.exec(text);
  if (!parts) return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : null;
  return `${parts[1]}-${parts[2]!.padStart(2, '0')}-${parts[3]!.padStart(2, '0')}`;
}

interface RowCheck { problems: { column: string; key: string; params?: Record<string, string | number> }[]; input: CreateMember | null }

function checkRow(row: DataRow, orgs: OrgDirectory, defaultOrgId: string | undefined): RowCheck {
  const problems: RowCheck['problems'] = [];
  const flagged = new Set<string>();
  const flag = (field: MemberSheetField, key: string, params?: Record<string, string | number>) => {
    const column = COLUMN_OF.get(field)!.header;
    if (flagged.has(column)) return;
    flagged.add(column);
    problems.push({ column, key, params });
  };
  const input: Record<string, unknown> = {};
  for (const [field, value] of row.raw) {
    if (value && typeof value === 'object' && 'error' in value) {
      flag(field, 'member_import.cell_error', { value: String((value as { error: unknown }).error) });
      continue;
    }
    const text = cellText(value);
    if (text === '') continue;
    const column = COLUMN_OF.get(field)!;
    switch (field) {
      case 'gender': {
        const gender = Object.entries(GENDER_LABELS).find(([code, label]) => text === label || text === code)?.[0];
        if (gender) input.gender = gender; else flag(field, 'member_import.gender_invalid');
        break;
      }
      case 'stage': {
        const stage = STAGE_ALIASES[simplify(text).replace(/\s/g, '')] ?? (text in STAGE_LABELS ? text : undefined);
        if (stage) input.stage = stage; else flag(field, 'member_import.stage_invalid');
        break;
      }
      case 'idNumber':
        if (typeof value === 'number' && value >= 1e15) flag(field, 'member_import.id_number_as_number');
        else input.idNumber = text.replace(/\s/g, '').toUpperCase();
        break;
      case 'phone':
        input.phone = text.replace(/[\s-]/g, '');
        break;
      case 'orgId': {
        const org = orgs.resolve(text);
        if ('id' in org) input.orgId = org.id; else flag(field, org.key, org.params);
        break;
      }
      case 'ethnicity':
        input.ethnicity = (ETHNICITIES as readonly string[]).includes(`${text}族`) ? `${text}族` : text;
        break;
      case 'education':
        input.education = EDUCATION_ALIASES[text.replace(/\s/g, '')] ?? text;
        break;
      default:
        if (column.kind === 'date') {
          const date = normalizeDate(value);
          if (date) input[field] = date; else flag(field, 'member_import.date_invalid');
        } else {
          input[field] = text;
        }
    }
  }
  if (input.orgId === undefined && !flagged.has(COLUMN_OF.get('orgId')!.header)) {
    if (defaultOrgId) input.orgId = defaultOrgId; else flag('orgId', 'member_import.org_required');
  }
  const parsed = CreateMemberSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    for (const [path, problem] of Object.entries(fieldProblemsOf(parsed.error.issues))) {
      const field = path.split('.')[0] as MemberSheetField;
      const column = COLUMN_OF.get(field)?.header ?? '';
      if (flagged.has(column)) continue;
      flagged.add(column);
      problems.push({ column, key: problem.key, params: problem.params });
    }
  }
  return { problems, input: problems.length === 0 && parsed.success ? parsed.data : null };
}

// ---------------------------------------------------------------------------------------------
// Jobs: the row in `jobs` is the only shared state, so any process of the site answers the poll

const JOB_KIND = 'member_import';
/** Problems kept in the job's result; a file of 50,000 bad rows needs fixing at the source first. */
const MAX_PROBLEMS = 5_000;
const CHUNK_ROWS = 500;
/** A queued or running job not touched for this long died with its process. */
const STALE_MINUTES = 30;

type JobRow = { id: string; status: ImportJob['status']; progress: number; total: number; result: ImportResult | string | null; created_by: string | null; created_at: Date | string; updated_at: Date | string; is_stale: boolean } & Record<string, unknown>;

export async function createImportJob(db: Db, actor: Actor, total: number): Promise<string> {
  const result = await db.execute<{ id: string } & Record<string, unknown>>(sql`
    insert into jobs (kind, status, progress, total, created_by) values (${JOB_KIND}, 'queued', 0, ${total}, ${actor.userId}) returning id::text`);
  return result.rows[0]!.id;
}

async function updateJob(db: Db, id: string, patch: { status?: ImportJob['status']; progress?: number; result?: ImportResult }): Promise<void> {
  const sets: SQL[] = [sql`updated_at = now()`];
  if (patch.status) sets.push(sql`status = ${patch.status}`);
  if (patch.progress !== undefined) sets.push(sql`progress = ${patch.progress}`);
  if (patch.result) sets.push(sql`result = ${JSON.stringify(patch.result)}::jsonb`);
  await db.execute(sql`update jobs set ${sql.join(sets, sql`, `)} where id = ${id}`);
}

/** A job of its creator (or any job for a platform admin); 404 for everyone else. */
export async function getImportJob(db: Db, actor: Actor, id: string, lang: Lang): Promise<ImportJob> {
  const owner = actor.isPlatformAdmin ? sql`true` : sql`created_by = ${actor.userId}`;
  const result = await db.execute<JobRow>(sql`
    select id::text, status, progress, total, result, created_by::text, created_at, updated_at,
           (status in ('queued', 'running') and updated_at < now() - ${`${STALE_MINUTES} minutes`}::interval) as is_stale
      from jobs where id = ${id} and kind = ${JOB_KIND} and ${owner}`);
  const row = result.rows[0];
  if (!row) throw notFound('member_import.job_not_found');
  let jobResult = typeof row.result === 'string' ? (JSON.parse(row.result) as ImportResult) : row.result;
  let status = row.status;
  if (row.is_stale) {
    status = 'failed';
    jobResult = { mode: 'all', total: row.total, valid: 0, imported: 0, failed: 0, problems: [], problemsTruncated: false, error: translate('member_import.interrupted', lang) };
    await updateJob(db, id, { status, result: jobResult });
  }
  return {
    id: row.id, status, progress: row.progress, total: row.total, result: jobResult,
    createdAt: new Date(row.created_at).toISOString(), updatedAt: new Date(row.updated_at).toISOString(),
  };
}
defineMessages({ 'member_import.job_not_found': { zh: '导入任务不存在或无权查看', en: 'No such import job' } });

export interface ImportRun {
  db: Db;
  cipher: PersonalDataCipher;
  actor: Actor;
  jobId: string;
  file: string;
  mode: ImportMode;
  defaultOrgId: string | undefined;
  lang: Lang;
}

/**
 * The background part of an import: parse the file again (streaming), check it in chunks of 500
 * rows — schema, org, duplicates in the file and in the database — writing progress after each
 * chunk, then insert every good row in one transaction (or none, by the mode). Never throws:
 * whatever goes wrong ends as a failed job with a reason.
 */
export async function runImportJob(run: ImportRun): Promise<void> {
  const { db, actor, jobId, lang } = run;
  const problems: ImportProblem[] = [];
  let problemCount = 0;
  let total = 0;
  let failed = 0;
  const valid: { row: number; input: CreateMember }[] = [];
  const outcome = (extra: Partial<ImportResult>): ImportResult => ({
    mode: run.mode, total, valid: 0, imported: 0, failed,
    problems: problems.sort((a, b) => a.row - b.row || (COLUMN_ORDER.get(a.column) ?? 99) - (COLUMN_ORDER.get(b.column) ?? 99)),
    problemsTruncated: problemCount > problems.length, ...extra,
  });
  const report = (row: number, column: string, key: string, params?: Record<string, string | number>) => {
    problemCount++;
    if (problems.length < MAX_PROBLEMS) problems.push({ row, column, message: translateProblem(key, lang, params) });
  };
  try {
    await updateJob(db, jobId, { status: 'running' });
    const orgs = await OrgDirectory.load(db, actor);
    const firstRowOfId = new Map<string, number>();
    let chunk: { row: number; input: CreateMember }[] = [];
    const idColumn = COLUMN_OF.get('idNumber')!.header;

    const flushChunk = async () => {
      const hashes = chunk.map((c) => run.cipher.blindIndex(c.input.idNumber));
      const taken = await registeredIdNumbers(db, hashes);
      for (const [i, c] of chunk.entries()) {
        const holder = taken.get(hashes[i]!);
        if (!holder) {
          valid.push(c);
          continue;
        }
        failed++;
        // who holds the number is told only to someone who may see that record
        if (canManageMember(actor, { orgPath: holder.orgPath })) report(c.row, idColumn, 'member.id_number_taken_by', { name: holder.name, org: holder.orgName });
        else report(c.row, idColumn, 'member_import.duplicate_in_db');
      }
      chunk = [];
      await updateJob(db, jobId, { progress: total });
    };

    for await (const row of readMemberSheet(run.file, run.defaultOrgId !== undefined)) {
      total++;
      if (total > MAX_IMPORT_ROWS) throw badRequest('member_import.too_many_rows', { max: MAX_IMPORT_ROWS });
      const check = checkRow(row, orgs, run.defaultOrgId);
      if (check.input) {
        const first = firstRowOfId.get(check.input.idNumber);
        if (first !== undefined) check.problems.push({ column: idColumn, key: 'member_import.duplicate_in_file', params: { row: first } });
        else firstRowOfId.set(check.input.idNumber, row.number);
      }
      if (check.problems.length > 0 || !check.input) {
        failed++;
        for (const p of check.problems) report(row.number, p.column, p.key, p.params);
      } else {
        chunk.push({ row: row.number, input: check.input });
      }
      if (total % CHUNK_ROWS === 0) await flushChunk();
    }
    await flushChunk();

    let imported = 0;
    if ((run.mode === 'valid_only' || (run.mode === 'all' && failed === 0)) && valid.length > 0) {
      imported = await db.transaction(async (tx) => {
        let rows = valid;
        let { problems: late } = await insertMembers(tx, actor, run.cipher, rows.map((r) => r.input));
        // what changed since the rows were checked (an org dissolved, a number registered meanwhile)
        if (late.length > 0) {
          const bad = new Set(late.map((p) => p.index));
          for (const p of late) report(rows[p.index]!.row, COLUMN_OF.get(p.field)!.header, p.key, p.params);
          failed += bad.size;
          if (run.mode === 'all') return 0;
          rows = rows.filter((_, i) => !bad.has(i));
          if (rows.length === 0) return 0;
          ({ problems: late } = await insertMembers(tx, actor, run.cipher, rows.map((r) => r.input)));
          if (late.length > 0) throw new AppError(409, late[0]!.key, late[0]!.params);
        }
        await audit(tx, actor, {
          action: 'member.import', targetType: 'job', targetId: jobId, orgPath: commonRoot(actor),
          detail: { mode: run.mode, total, imported: rows.length, failed },
        });
        return rows.length;
      });
    }
    const validCount = total - failed;
    await updateJob(db, jobId, { status: 'done', progress: total, result: outcome({ imported, valid: validCount }) });
  } catch (error) {
    let reason: string;
    if (error instanceof AppError && error.status < 500) {
      reason = translateProblem(error.code, lang, error.params);
      const fieldMessages = Object.values(error.fields ?? {}).map((p) => translateProblem(p.key, lang, p.params));
      if (fieldMessages.length > 0) reason += `（${fieldMessages.join('；')}）`;
    } else {
      reason = translate('internal', lang, { requestId: `job-${jobId}` });
      console.error(`member import job ${jobId} failed`, error);
    }
    await updateJob(db, jobId, { status: 'failed', result: outcome({ imported: 0, error: translate('member_import.failed', lang, { reason }) }) })
      .catch((e: unknown) => console.error(`member import job ${jobId}: could not record the failure`, e));
  } finally {
    await fs.promises.rm(run.file, { force: true });
  }
}

// parameters that are message keys themselves (an org type) are translated too, as the API does
function translateProblem(key: string, lang: Lang, params: Record<string, string | number> = {}): string {
  return translate(key, lang, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' && hasMessage(v) ? translate(v, lang) : v])));
}

/** Which of these blind indexes already belong to a member, on any roll (left members keep theirs). */
async function registeredIdNumbers(q: Queryable, hashes: string[]): Promise<Map<string, { name: string; orgPath: string; orgName: string }>> {
  if (hashes.length === 0) return new Map();
  const rows = await q.execute<{ h: string; name: string; org_path: string; org_name: string } & Record<string, unknown>>(sql`
    select m.id_number_hash as h, m.name, m.org_path::text, o.name as org_name
      from members m join orgs o on o.id = m.org_id where m.id_number_hash in (${sql.join(hashes.map((h) => sql`${h}`), sql`, `)})`);
  return new Map(rows.rows.map((r) => [r.h, { name: r.name, orgPath: r.org_path, orgName: r.org_name }]));
}

/** The deepest org path covering everything the actor administers (the audit's org). */
export function commonRoot(actor: Actor): string | null {
  if (actor.isPlatformAdmin || actor.adminPaths.length === 0) return null;
  let common = actor.adminPaths[0]!.split('.');
  for (const path of actor.adminPaths.slice(1)) {
    const labels = path.split('.');
    let i = 0;
    while (i < common.length && common[i] === labels[i]) i++;
    common = common.slice(0, i);
  }
  return common.length > 0 ? common.join('.') : null;
}

/** The default org chosen in the wizard: one the importer administers, not dissolved. */
export async function checkDefaultOrg(db: Db, actor: Actor, orgId: string): Promise<void> {
  const org = await managedOrg(db, actor, orgId, { field: 'orgId', dissolvedKey: 'org.not_found' });
  if (!keepsMemberRoll(org.type)) throw invalidField('orgId', 'member.org_type_not_allowed', { type: `org_type.${org.type}` });
}

export function assertMayImport(actor: Actor): void {
  if (!isAdmin(actor)) throw new AppError(403, 'member_import.not_admin');
}
