import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  DUES_CATEGORY_LABELS, EXPENDITURE_PURPOSE_LABELS, PAYMENT_METHOD_LABELS, yuan,
  type Account, type ArrearsRow, type Bill, type Payment, type Reconciliation, type StatementFigures,
} from '../../../../contracts/dues.js';
import { chinaDateTime } from '../../../../contracts/china-time.js';
import { A4, PdfPage, fitText, renderPdf } from '../../platform/pdf.js';
import { safeRow } from '../../platform/spreadsheet-cells.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface SheetSpec { name: string; columns: { header: string; width: number }[]; rows: Iterable<unknown[]> | AsyncIterable<unknown[]> }

/**
 * Writes sheets through exceljs's streaming writer, row by row, waiting for the client when the
 * stream is full and stopping when it goes away: a city's bills never sit in memory at once.
 */
export function streamWorkbook(sheets: SheetSpec[], onError: (error: unknown) => void): Readable {
  const output = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  workbook.creator = '党建云';
  const write = async () => {
    for (const spec of sheets) {
      const sheet = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
      sheet.columns = spec.columns.map((c) => ({ header: c.header, width: c.width }));
      sheet.getRow(1).font = { bold: true };
      sheet.getRow(1).commit();
      for await (const row of spec.rows) {
        sheet.addRow(safeRow(row)).commit();
        if (output.writableNeedDrain) await new Promise<void>((resolve) => { output.once('drain', resolve); output.once('close', resolve); });
        if (output.destroyed) return;
      }
      sheet.commit();
    }
    await workbook.commit();
  };
  write().catch((error: unknown) => {
    onError(error);
    output.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return output;
}

const STATUS_LABELS: Record<Bill['status'], string> = { unpaid: '未缴', paid: '已缴', exempt: '免交' };
const money = (fen: number | null) => (fen == null ? '' : Number(yuan(fen)));
const rate = (bp: number | null) => (bp == null ? '' : `${bp / 100}%`);

export async function* billRows(bills: AsyncIterable<Bill>): AsyncGenerator<unknown[]> {
  for await (const b of bills) {
    yield [b.month, b.memberName, b.orgName, DUES_CATEGORY_LABELS[b.category], money(b.baseFen), rate(b.rateBp), money(b.dueFen), money(b.paidFen), STATUS_LABELS[b.status], b.reduced ? '是' : ''];
  }
}
export const BILL_COLUMNS = [
  { header: '月份', width: 10 }, { header: '姓名', width: 12 }, { header: '党组织', width: 28 }, { header: '类别', width: 10 }, { header: '基数（元）', width: 12 },
  { header: '比例', width: 8 }, { header: '应缴（元）', width: 12 }, { header: '已缴（元）', width: 12 }, { header: '状态', width: 8 }, { header: '减免', width: 6 },
];

export const arrearsSheet = (rows: ArrearsRow[]): SheetSpec => ({
  name: '欠缴党员',
  columns: [{ header: '姓名', width: 12 }, { header: '党组织', width: 28 }, { header: '欠缴月数', width: 10 }, { header: '欠缴金额（元）', width: 14 },
    { header: '最早欠缴月份', width: 14 }, { header: '最长连续欠缴（月）', width: 18 }, { header: '连续6个月未缴', width: 14 }, { header: '最近催缴', width: 20 }],
  rows: rows.map((r) => [r.memberName, r.orgName, r.unpaidMonths, money(r.unpaidFen), r.firstUnpaidMonth, r.longestRun, r.flagged ? '是' : '', r.lastRemindedAt ? chinaDateTime(r.lastRemindedAt) : '']),
});

export const accountSheet = (account: Account): SheetSpec => ({
  name: `${account.month} 收缴台账`,
  columns: [{ header: '党组织', width: 28 }, { header: '账单数', width: 8 }, { header: '已缴数', width: 8 }, { header: '应缴（元）', width: 12 }, { header: '实缴（元）', width: 12 },
    { header: '欠缴（元）', width: 12 }, { header: '自愿多交（元）', width: 14 }, { header: '特殊党费（元）', width: 14 }, { header: '上缴（元）', width: 12 },
    { header: '上级已确认（元）', width: 16 }, { header: '收到下级上缴（元）', width: 18 }],
  rows: [account.org, ...account.children].map((r, i) => [i === 0 ? `${r.orgName}（合计）` : r.orgName, r.billCount, r.paidCount, money(r.dueFen), money(r.collectedFen),
    money(r.arrearsFen), money(r.extraFen), money(r.specialFen), money(r.remittedFen), money(r.remittedConfirmedFen), money(r.receivedFen)]),
});

export const statementSheets = (f: StatementFigures): SheetSpec[] => [
  {
    name: `${f.year}年党费收缴使用情况`,
    columns: [{ header: '项目', width: 28 }, { header: '金额（元）', width: 16 }],
    rows: [
      ['党组织', f.orgName], ['年度', f.year], ['交纳党费人数', f.payingMembers], ['应缴党费', money(f.dueFen)], ['实缴党费', money(f.collectedFen)], ['欠缴', money(f.arrearsFen)],
      ['自愿多交', money(f.extraFen)], ['特殊党费（全额上缴）', money(f.specialFen)], ['收到下级上缴', money(f.receivedFromBelowFen)], ['向上级上缴', money(f.remittedUpFen)],
      ['党费支出合计', money(f.spentFen)], ...f.spentByPurpose.map((p) => [`\u3000其中：${EXPENDITURE_PURPOSE_LABELS[p.purpose]}`, money(p.amountFen)]),
    ],
  },
  {
    name: '按月',
    columns: [{ header: '月份', width: 10 }, { header: '应缴（元）', width: 14 }, { header: '实缴（元）', width: 14 }],
    rows: f.byMonth.map((m) => [m.month, money(m.dueFen), money(m.collectedFen)]),
  },
];

const lineCells = (l: Reconciliation['unmatchedLines'][number]) => [l.row, l.date, money(l.amountFen), l.counterparty ?? '', l.reference ?? '', l.memo ?? ''];
const recordCells = (r: Reconciliation['unmatchedRecords'][number]) => [r.date, money(r.amountFen), r.label, r.reference ?? ''];
const LINE_COLUMNS = [{ header: '对账单行', width: 10 }, { header: '日期', width: 12 }, { header: '金额（元）', width: 12 }, { header: '对方户名', width: 20 }, { header: '流水号', width: 18 }, { header: '摘要', width: 20 }];
const RECORD_COLUMNS = [{ header: '账面日期', width: 12 }, { header: '账面金额（元）', width: 14 }, { header: '账面记录', width: 30 }, { header: '账面流水号', width: 18 }];

export const reconciliationSheets = (r: Reconciliation): SheetSpec[] => [
  { name: '汇总', columns: [{ header: '项目', width: 20 }, { header: '金额（元）/笔数', width: 18 }], rows: [
    ['期间', `${r.fromDate} 至 ${r.toDate}`], ['对账单净额', money(r.statementNetFen)], ['账面净额', money(r.recordsNetFen)], ['已勾对净额', money(r.matchedNetFen)],
    ['已勾对笔数', r.matched.length], ['金额不符笔数', r.differences.length], ['银行有账面无', r.unmatchedLines.length], ['账面有银行无', r.unmatchedRecords.length],
  ] },
  { name: '已勾对', columns: [...LINE_COLUMNS, ...RECORD_COLUMNS], rows: r.matched.map((m) => [...lineCells(m.line), ...recordCells(m.record)]) },
  { name: '金额不符', columns: [...LINE_COLUMNS, ...RECORD_COLUMNS, { header: '差额（元）', width: 12 }], rows: r.differences.map((d) => [...lineCells(d.line), ...recordCells(d.record), money(d.differenceFen)]) },
  { name: '银行有账面无', columns: LINE_COLUMNS, rows: r.unmatchedLines.map(lineCells) },
  { name: '账面有银行无', columns: RECORD_COLUMNS, rows: r.unmatchedRecords.map(recordCells) },
];

export const statementTemplateSheet: SheetSpec = {
  name: '银行对账单',
  columns: [{ header: '交易日期', width: 12 }, { header: '金额', width: 12 }, { header: '对方户名', width: 24 }, { header: '摘要', width: 24 }, { header: '流水号', width: 20 }],
  rows: [['2026-01-05', 1234.56, '××党支部', '1月党费上缴', 'B2026010500001'], ['2026-01-20', -300, '××书店', '购买学习资料', 'B2026012000002']],
};

/** 党费收据: one A5-like block at the top of an A4 page, as branches print and file them. */
export function receiptPdf(p: Payment, treeName: string): Buffer {
  const page = new PdfPage(A4.width, A4.height);
  const left = 60;
  const right = A4.width - 60;
  let y = A4.height - 80;
  page.textCentered(y, p.kind === 'reversal' ? '党费收据（冲正）' : '党费收据', { size: 20, charSpacing: 4 });
  y -= 30;
  page.text(left, y, `收据编号：${p.receiptNo}`, { size: 11 }).textRight(right, y, `缴纳日期：${p.paidOn}`, { size: 11 });
  y -= 14;
  page.line(left, y, right, y, { width: 1 });
  const rows: [string, string][] = [
    ['党员姓名', p.memberName],
    ['所在党组织', p.orgName],
    ['缴纳方式', PAYMENT_METHOD_LABELS[p.method]],
    ...(p.proxyName ? [['代缴人', p.proxyName] as [string, string]] : []),
    ...p.lines.map((l): [string, string] => [l.kind === 'dues' ? `${l.month} 党费` : l.kind === 'extra' ? '自愿多交党费' : '一次性缴纳特殊党费', `${yuan(l.amountFen)} 元`]),
    ['合计', `${yuan(p.totalFen)} 元`],
    ...(p.note ? [['说明', p.note] as [string, string]] : []),
  ];
  for (const [label, value] of rows) {
    y -= 24;
    page.text(left + 8, y, label, { size: 12 }).text(left + 140, y, fitText(value, right - left - 150, { size: 12 }), { size: 12 });
    page.line(left, y - 8, right, y - 8, { width: 0.3, color: [0.6, 0.6, 0.6] });
  }
  y -= 40;
  page.text(left, y, `收款单位：${p.orgName}`, { size: 11 }).textRight(right, y, `登记时间：${chinaDateTime(p.recordedAt)}`, { size: 11 });
  y -= 20;
  page.text(left, y, `${treeName} · 党建云`, { size: 9, color: [0.4, 0.4, 0.4] });
  return renderPdf([page], { title: `党费收据-${p.receiptNo}`, author: treeName, subject: '党费收据', createdAt: new Date(p.recordedAt) });
}
