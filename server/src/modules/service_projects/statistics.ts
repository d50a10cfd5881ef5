import ExcelJS from 'exceljs';
import { sql, type SQL } from 'drizzle-orm';
import { SERVICE_STATUSES, type Statistics, type StatisticsQuery } from '../../../../contracts/service_projects.js';
import type { Actor } from '../../platform/actor.js';
import { managedOrg } from '../../platform/org-scope.js';
import type { Db } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { translate, type Lang } from '../../platform/i18n.js';
import { isOverdueProject } from './overdue.js';
import { safeRow } from '../../platform/spreadsheet-cells.js';

type Row = Record<string, unknown>;

/**
 * A project belongs to a period when it started in it (started_on between from and to); "solved"
 * counts those of them that are done, "overdue" those not done whose planned completion has
 * passed as of today. Statistics are for admins of the org (its whole subtree).
 */
function periodOf(query: StatisticsQuery, alias: string): SQL {
  const a = sql.raw(alias);
  return sql`${query.from ? sql`and ${a}.started_on >= ${query.from}` : sql``} ${query.to ? sql`and ${a}.started_on <= ${query.to}` : sql``}`;
}

const figures = (alias: string) => {
  const a = sql.raw(alias);
  return sql`count(${a}.id)::int as total,
    count(${a}.id) filter (where ${a}.status = 'done')::int as solved,
    count(${a}.id) filter (where ${a}.status = 'done' and ${a}.is_major_problem)::int as major_solved,
    count(${a}.id) filter (where ${isOverdueProject(alias)})::int as overdue`;
};

export async function computeStatistics(db: Db, actor: Actor, query: StatisticsQuery): Promise<Statistics> {
  const org = await managedOrg(db, actor, query.orgId, { allowDissolved: true });
  // one pass over the subtree: per status, per category, and the grand total (grouping sets)
  const grouped = await db.execute<{ status: string | null; category: string | null; g_status: number; g_category: number; total: number; solved: number; major_solved: number; overdue: number } & Row>(sql`
    select p.status, p.category, grouping(p.status)::int as g_status, grouping(p.category)::int as g_category, ${figures('p')}
      from service_projects p
     where p.org_path <@ ${org.path}::ltree ${periodOf(query, 'p')}
     group by grouping sets ((p.status), (p.category), ())`);
  const byChild = await db.execute<{ id: string; name: string; total: number; solved: number; overdue: number } & Row>(sql`
    select c.id::text, c.name, ${figures('p')}
      from orgs c left join service_projects p on p.org_path <@ c.path ${periodOf(query, 'p')}
     where c.parent_id = ${org.id} and c.dissolved_at is null
     group by c.id order by c.sort_order, c.id`);
  const totals = grouped.rows.find((r) => Number(r.g_status) === 1 && Number(r.g_category) === 1);
  const byStatus = Object.fromEntries(SERVICE_STATUSES.map((s) => [s, 0])) as Statistics['byStatus'];
  for (const r of grouped.rows) if (Number(r.g_status) === 0 && r.status) byStatus[r.status as keyof Statistics['byStatus']] = Number(r.total);
  const byCategory = grouped.rows
    .filter((r) => Number(r.g_category) === 0 && Number(r.g_status) === 1)
    .map((r) => ({ category: r.category ?? '', total: Number(r.total), done: Number(r.solved) }))
    .sort((a, b) => b.total - a.total || a.category.localeCompare(b.category, 'zh'));
  return {
    orgId: org.id,
    from: query.from ?? null,
    to: query.to ?? null,
    total: Number(totals?.total ?? 0),
    byStatus,
    byCategory,
    solved: Number(totals?.solved ?? 0),
    majorSolved: Number(totals?.major_solved ?? 0),
    overdue: Number(totals?.overdue ?? 0),
    byChildOrg: byChild.rows.map((r) => ({ orgId: r.id, orgName: r.name, total: Number(r.total), solved: Number(r.solved), overdue: Number(r.overdue) })),
  };
}

/** The statistics and the project list of the subtree as one workbook: 汇总 · 按类别 · 按单位 · 项目清单. */
export async function exportStatistics(db: Db, actor: Actor, query: StatisticsQuery, lang: Lang): Promise<{ fileName: string; body: Buffer }> {
  const stats = await computeStatistics(db, actor, query);
  const org = await managedOrg(db, actor, query.orgId, { allowDissolved: true });
  const projects = await db.execute<{ org_name: string; title: string; category: string; source: string; need: string; owner_name: string; started_on: string;
    planned_completion: string; completed_on: string | null; progress: number; status: string; is_major_problem: boolean; is_overdue: boolean; result: string | null } & Row>(sql`
    select o.name as org_name, p.title, p.category, p.source, p.need, p.owner_name, p.started_on::text, p.planned_completion::text, p.completed_on::text,
           p.progress, p.status, p.is_major_problem, ${isOverdueProject()} as is_overdue, p.result
      from service_projects p join orgs o on o.id = p.org_id
     where p.org_path <@ ${org.path}::ltree ${periodOf(query, 'p')}
     order by p.org_path, p.id`);
  const t = (key: string) => translate(key, lang);
  const yes = lang === 'en' ? 'yes' : '是', no = lang === 'en' ? 'no' : '否';
  const book = new ExcelJS.Workbook();
  book.creator = '党建云';
  const summary = book.addWorksheet(lang === 'en' ? 'Summary' : '汇总');
  summary.columns = [{ width: 24 }, { width: 14 }];
  summary.addRows([
    [lang === 'en' ? 'Organization' : '组织', org.name],
    [lang === 'en' ? 'Period' : '统计期间', `${query.from ?? '…'} ~ ${query.to ?? '…'}`],
    [lang === 'en' ? 'Projects' : '项目总数', stats.total],
    ...SERVICE_STATUSES.map((s) => [t(`service_status.${s}`), stats.byStatus[s]]),
    [lang === 'en' ? 'Problems solved' : '解决问题数', stats.solved],
    [lang === 'en' ? 'Major problems solved' : '解决重大问题数', stats.majorSolved],
    [lang === 'en' ? 'Overdue' : '逾期项目数', stats.overdue],
  ]);
  const categories = book.addWorksheet(lang === 'en' ? 'By category' : '按类别');
  categories.columns = [{ header: lang === 'en' ? 'Category' : '类别', width: 20 }, { header: lang === 'en' ? 'Projects' : '项目数', width: 10 }, { header: lang === 'en' ? 'Done' : '已完成', width: 10 }];
  categories.addRows(stats.byCategory.map((c) => safeRow([c.category, c.total, c.done])));
  const units = book.addWorksheet(lang === 'en' ? 'By unit' : '按单位');
  units.columns = [{ header: lang === 'en' ? 'Unit' : '单位', width: 30 }, { header: lang === 'en' ? 'Projects' : '项目数', width: 10 }, { header: lang === 'en' ? 'Solved' : '已解决', width: 10 }, { header: lang === 'en' ? 'Overdue' : '逾期', width: 10 }];
  units.addRows(stats.byChildOrg.map((c) => safeRow([c.orgName, c.total, c.solved, c.overdue])));
  const list = book.addWorksheet(lang === 'en' ? 'Projects' : '项目清单');
  const headers = lang === 'en'
    ? ['Unit', 'Project', 'Category', 'Source', 'Need answered', 'Owner', 'Started', 'Planned completion', 'Completed', 'Progress %', 'Status', 'Major problem', 'Overdue', 'Result']
    : ['单位', '项目名称', '类别', '来源', '群众急难愁盼', '责任人', '开始日期', '计划完成', '实际完成', '进度%', '状态', '重大问题', '是否逾期', '成效'];
  list.columns = headers.map((header, i) => ({ header, width: [24, 30, 14, 10, 40, 10, 12, 12, 12, 8, 8, 8, 8, 40][i] }));
  list.addRows(projects.rows.map((p) => safeRow([p.org_name, p.title, p.category, t(`service_source.${p.source}`), p.need, p.owner_name, p.started_on, p.planned_completion,
    p.completed_on ?? '', Number(p.progress), t(`service_status.${p.status}`), p.is_major_problem ? yes : no, p.is_overdue ? yes : no, p.result ?? ''])));
  for (const sheet of [categories, units, list]) sheet.getRow(1).font = { bold: true };
  const body = Buffer.from(await book.xlsx.writeBuffer());
  await audit(db, actor, { action: 'service_project.export', targetType: 'org', targetId: org.id, orgPath: org.path, detail: { from: query.from ?? null, to: query.to ?? null, rows: projects.rows.length } });
  return { fileName: `${org.name}-我为群众办实事统计.xlsx`, body };
}
