import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { FrozenFiguresSchema, MEASURES, type FreezeReport, type Report } from '../../../../contracts/dashboard.js';
import { chinaDateTime } from '../../../../contracts/china-time.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import { A4, PdfPage, fitText, renderPdf, type TextStyle } from '../../platform/pdf.js';
import { pageLimit } from '../../platform/sql.js';
import { safeRow } from '../../platform/spreadsheet-cells.js';
import { BUCKET_NAMES, MEASURE_NAMES } from './messages.js';
import { canReadReport, dashboardOrg } from './policy.js';
import { getFigures } from './service.js';

type Row = Record<string, unknown>;
type ReportRow = {
  id: string; org_id: string; org_name: string; org_path: string; period: string; title: string; frozen_by_name: string; frozen_at: Date | string; figures?: unknown;
} & Row;

const summaryOf = (r: ReportRow) => ({
  id: r.id, orgId: r.org_id, orgName: r.org_name, period: r.period, title: r.title, frozenBy: r.frozen_by_name, frozenAt: new Date(r.frozen_at).toISOString(),
});

/**
 * Freezes the period's figures of the subtree as they are now: the snapshot is stored as JSON with who froze
 * it and when, so later changes to the records never alter the report. Audited in the same transaction.
 */
export async function freezeReport(db: Db, actor: Actor, orgId: string, input: FreezeReport): Promise<Report> {
  const figures = await getFigures(db, actor, orgId, input.period);
  const title = input.title ?? `${figures.orgName} ${input.period} 党建工作数据报表`;
  return db.transaction(async (tx) => {
    // the org as it is when the report is stored (a move meanwhile carries the row along)
    const org = await dashboardOrg(tx, actor, orgId);
    const row = (await tx.execute<ReportRow>(sql`
      insert into dashboard_reports (org_id, org_path, org_name, period, title, figures, frozen_by, frozen_by_name)
      values (${org.id}, ${org.path}::ltree, ${org.name}, ${input.period}, ${title}, ${JSON.stringify(figures)}::jsonb, ${actor.userId}, ${actor.displayName})
      returning id::text, org_id::text, org_name, org_path::text, period, title, frozen_by_name, frozen_at`)).rows[0]!;
    await audit(tx, actor, { action: 'dashboard.freeze', targetType: 'dashboard_report', targetId: row.id, orgPath: org.path, detail: { period: input.period, title } });
    return { ...summaryOf(row), figures };
  });
}

/** The reports frozen for this org, newest first. */
export async function listReports(db: Db, actor: Actor, orgId: string, query: { page: number; pageSize: number }) {
  const org = await dashboardOrg(db, actor, orgId);
  const [page, total] = await Promise.all([
    db.execute<ReportRow>(sql`
      select id::text, org_id::text, org_name, org_path::text, period, title, frozen_by_name, frozen_at
        from dashboard_reports where org_id = ${org.id} order by frozen_at desc, id desc ${pageLimit(query)}`),
    db.execute<{ n: number | string } & Row>(sql`select count(*) as n from dashboard_reports where org_id = ${org.id}`),
  ]);
  return { items: page.rows.map(summaryOf), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

export async function getReport(db: Db, actor: Actor, id: string): Promise<Report> {
  const row = (await db.execute<ReportRow>(sql`
    select id::text, org_id::text, org_name, org_path::text, period, title, frozen_by_name, frozen_at, figures
      from dashboard_reports where id = ${id}`)).rows[0];
  if (!row || !canReadReport(actor, { orgPath: row.org_path })) throw notFound('dashboard.report_not_found');
  const figures = FrozenFiguresSchema.parse(typeof row.figures === 'string' ? JSON.parse(row.figures) : row.figures);
  return { ...summaryOf(row), figures };
}

/** One line per bucket of every figure, in the report's order: what both exports print. */
function reportLines(report: Report) {
  return MEASURES.flatMap((m) => {
    const f = report.figures.measures[m];
    if (!f) return [];
    const name = MEASURE_NAMES[m] ?? m;
    return [
      { measure: name, bucket: '合计', count: f.count, sum: f.sum },
      ...f.buckets.map((b) => ({ measure: name, bucket: b.label ?? BUCKET_NAMES[b.key] ?? b.key, count: b.count, sum: b.sum })),
    ];
  });
}

const exportName = (report: Report, ext: string) => `${report.title}.${ext}`;

/** The frozen report as an .xlsx workbook, streamed (概况 · 指标). Audited. */
export async function exportReportXlsx(db: Db, actor: Actor, id: string): Promise<{ stream: PassThrough; filename: string }> {
  const report = await getReport(db, actor, id);
  await audit(db, actor, { action: 'dashboard.export', targetType: 'dashboard_report', targetId: report.id, detail: { format: 'xlsx' } });
  const stream = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false });
  const overview = workbook.addWorksheet('概况');
  overview.columns = [{ header: '项目', key: 'k', width: 16 }, { header: '内容', key: 'v', width: 48 }];
  for (const [k, v] of [['报表', report.title], ['党组织', report.orgName], ['统计周期', `${report.period}（${report.figures.from} 至 ${report.figures.to}）`],
    ['时点数据截至', report.figures.asOf], ['冻结人', report.frozenBy], ['冻结时间', chinaDateTime(report.frozenAt)]] as const) {
    overview.addRow(safeRow({ k, v })).commit();
  }
  overview.commit();
  const sheet = workbook.addWorksheet('指标');
  sheet.columns = [{ header: '指标', key: 'measure', width: 28 }, { header: '分类', key: 'bucket', width: 24 }, { header: '数量', key: 'count', width: 12 }, { header: '合计值', key: 'sum', width: 12 }];
  for (const line of reportLines(report)) sheet.addRow(safeRow({ ...line })).commit();
  sheet.commit();
  void workbook.commit();
  return { stream, filename: exportName(report, 'xlsx') };
}

/** The frozen report as a printable A4 PDF (a table of every figure). Audited. */
export async function exportReportPdf(db: Db, actor: Actor, id: string): Promise<{ body: Buffer; filename: string }> {
  const report = await getReport(db, actor, id);
  await audit(db, actor, { action: 'dashboard.export', targetType: 'dashboard_report', targetId: report.id, detail: { format: 'pdf' } });
  const title: TextStyle = { size: 16 }, small: TextStyle = { size: 9, color: [0.3, 0.3, 0.3] }, cell: TextStyle = { size: 10 };
  const left = 50, right = A4.width - 50, columns = [left, left + 190, left + 350, left + 420];
  const pages: PdfPage[] = [];
  let page = new PdfPage(), y = 0;
  const header = () => {
    page.fillRect(left, y - 5, right - left, 18, [0.93, 0.93, 0.93]);
    ['指标', '分类', '数量', '合计值'].forEach((h, i) => page.text(columns[i]! + 4, y, h, cell));
    y -= 20;
  };
  const newPage = () => {
    page = new PdfPage();
    pages.push(page);
    y = A4.height - 60;
  };
  newPage();
  page.textCentered(y, fitText(report.title, right - left, title), title);
  y -= 24;
  page.text(left, y, fitText(`${report.orgName} · 统计周期 ${report.figures.from} 至 ${report.figures.to} · 时点数据截至 ${report.figures.asOf}`, right - left, small), small);
  y -= 14;
  page.text(left, y, `冻结人 ${report.frozenBy} · 冻结时间 ${chinaDateTime(report.frozenAt)}（冻结后数据变化不影响本报表）`, small);
  y -= 26;
  header();
  for (const line of reportLines(report)) {
    if (y < 60) {
      newPage();
      header();
    }
    page.text(columns[0]! + 4, y, fitText(line.bucket === '合计' ? line.measure : '', 180, cell), cell);
    page.text(columns[1]! + 4, y, fitText(line.bucket, 150, cell), cell);
    page.textRight(columns[3]! - 6, y, String(line.count), cell);
    page.textRight(right - 6, y, String(line.sum), cell);
    page.line(left, y - 5, right, y - 5, { width: 0.3, color: [0.8, 0.8, 0.8] });
    y -= 16;
  }
  pages.forEach((p, i) => p.textCentered(30, `第 ${i + 1} 页 / 共 ${pages.length} 页`, small));
  return { body: renderPdf(pages, { title: report.title, author: report.frozenBy, createdAt: new Date(report.frozenAt) }), filename: exportName(report, 'pdf') };
}
