import ExcelJS from 'exceljs';
import { EDUCATION_OPTIONS, ETHNICITIES, GENDER_LABELS, MAX_IMPORT_ROWS, MEMBER_SHEET_COLUMNS, STAGE_LABELS, type MemberSheetField } from '../../../../../contracts/member_import.js';
import './messages.js';

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
