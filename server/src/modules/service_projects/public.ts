import { sql, type SQL } from 'drizzle-orm';
import type { PublicFeedback, PublicProject, PublicProjectDetail, PublicProjectPage, PublicProjectQuery } from '../../../../contracts/service_projects.js';
import type { Db, Queryable } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { notFound } from '../../platform/errors.js';
import { simplify } from '../../platform/i18n.js';
import { throttlePublicSubmission } from './throttle.js';
import { likeContaining, pageLimit } from '../../platform/sql.js';
import { isOverdueProject } from './overdue.js';

/*
 * The public page of a tree (no login). Every query selects named columns only and every answer
 * is built field by field from that whitelist: no owner, no member, no address ever leaves here.
 */
type Row = Record<string, unknown>;
type PublicRow = {
  id: string; org_name: string; title: string; category: string; source: PublicProject['source']; need: string; started_on: string;
  planned_completion: string; completed_on: string | null; progress: number; status: PublicProject['status']; is_major_problem: boolean;
  result: string | null; average: number | string | null; ratings: number; is_overdue: boolean;
} & Row;

const iso = (v: Date | string) => new Date(v).toISOString();

/**
 * Free text written by staff or citizens may itself contain a phone or ID number ("联系张姐
 * 13812345678"); the public page masks both patterns wherever they appear.
 */
export function maskPersonalPatterns<T extends string | null>(text: T): T {
  if (text == null) return text;
  return text
    .replace(/(?<!\d)(\d{6})(\d{8})(\d{3}[\dXx])(?!\d)/g, (_m, a: string, _b: string, c: string) => `${a.slice(0, 4)}**********${c}`)
    .replace(/(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)/g, '$1****$3') as T;
}

/** The root org that names a public tree; a dissolved or non-root org has no page. */
export async function findTree(q: Queryable, rootId: string): Promise<{ id: string; path: string; name: string }> {
  const row = (await q.execute<{ id: string; path: string; name: string } & Row>(sql`
    select id::text, path::text, name from orgs where id = ${rootId} and parent_id is null and dissolved_at is null`)).rows[0];
  if (!row) throw notFound('public.tree_not_found');
  return row;
}

const publicColumns = sql`p.id::text, o.name as org_name, p.title, p.category, p.source, p.need, p.started_on::text, p.planned_completion::text,
  p.completed_on::text, p.progress, p.status, p.is_major_problem, p.result, s.average, coalesce(s.ratings, 0)::int as ratings,
  ${isOverdueProject()} as is_overdue`;
const publicFrom = sql`service_projects p join orgs o on o.id = p.org_id
  left join lateral (select round(avg(f.rating)::numeric, 2)::float8 as average, count(*)::int as ratings
                       from service_project_feedback f where f.project_id = p.id and f.status = 'approved') s on true`;

function toPublic(r: PublicRow): PublicProject {
  return {
    id: r.id, orgName: r.org_name, title: maskPersonalPatterns(r.title), category: r.category, source: r.source, need: maskPersonalPatterns(r.need),
    startedOn: r.started_on, plannedCompletion: r.planned_completion, completedOn: r.completed_on, progress: Number(r.progress), status: r.status,
    isMajorProblem: r.is_major_problem, result: maskPersonalPatterns(r.result), satisfaction: { average: r.average == null ? null : Number(r.average), count: Number(r.ratings) },
    isOverdue: r.is_overdue,
  };
}

export async function listPublicProjects(db: Db, rootId: string, query: PublicProjectQuery): Promise<PublicProjectPage> {
  const tree = await findTree(db, rootId);
  const page = sql`p.org_path <@ ${tree.path}::ltree and p.is_public`;
  const conditions: SQL[] = [page];
  if (query.overdue) conditions.push(isOverdueProject());
  if (query.status) conditions.push(sql`p.status = ${query.status}`);
  if (query.category) conditions.push(sql`p.category = ${query.category}`);
  if (query.q) conditions.push(sql`p.search_text like ${likeContaining(simplify(query.q))}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<PublicRow>(sql`select ${publicColumns} from ${publicFrom} where ${where}
      order by p.updated_at desc, p.id desc ${pageLimit(query)}`),
    db.execute<{ n: number; overdue: number } & Row>(sql`select count(*) filter (where ${where})::int as n, count(*) filter (where ${isOverdueProject()})::int as overdue
      from service_projects p where ${page}`),
  ]);
  return { treeName: tree.name, items: rows.rows.map(toPublic), total: Number(total.rows[0]?.n ?? 0), overdueTotal: Number(total.rows[0]?.overdue ?? 0),
    page: query.page, pageSize: query.pageSize };
}

async function findPublicProject(q: Queryable, rootId: string, id: string): Promise<PublicRow> {
  const tree = await findTree(q, rootId);
  const row = (await q.execute<PublicRow>(sql`select ${publicColumns} from ${publicFrom}
    where p.id = ${id} and p.org_path <@ ${tree.path}::ltree and p.is_public`)).rows[0];
  if (!row) throw notFound('public.project_not_found');
  return row;
}

export async function getPublicProject(db: Db, rootId: string, id: string): Promise<PublicProjectDetail> {
  const row = await findPublicProject(db, rootId, id);
  const [milestones, comments] = await Promise.all([
    db.execute<{ title: string; due_on: string; done_on: string | null } & Row>(sql`
      select title, due_on::text, done_on::text from service_project_milestones where project_id = ${id} order by sort_order, id`),
    db.execute<{ rating: number; comment: string | null; nickname: string | null; created_at: Date | string } & Row>(sql`
      select rating, comment, nickname, created_at from service_project_feedback where project_id = ${id} and status = 'approved' order by id desc limit 100`),
  ]);
  return {
    ...toPublic(row),
    milestones: milestones.rows.map((m) => ({ title: maskPersonalPatterns(m.title), dueOn: m.due_on, doneOn: m.done_on })),
    comments: comments.rows.map((c) => ({ rating: Number(c.rating), comment: maskPersonalPatterns(c.comment), nickname: maskPersonalPatterns(c.nickname), createdAt: iso(c.created_at) })),
  };
}

/** A citizen's rating and comment: kept pending until an admin of the tree approves it. */
export async function submitFeedback(db: Db, rootId: string, id: string, input: PublicFeedback, ip: string): Promise<void> {
  await db.transaction(async (tx) => {
    await findPublicProject(tx, rootId, id);
    await throttlePublicSubmission(tx, ip, 'service_project.feedback');
    const inserted = await tx.execute<{ id: string; org_path: string } & Row>(sql`
      insert into service_project_feedback (project_id, rating, comment, nickname, ip)
      values (${id}, ${input.rating}, ${input.comment ?? null}, ${input.nickname ?? null}, ${ip})
      returning id::text, (select org_path::text from service_projects where id = ${id}) as org_path`);
    const row = inserted.rows[0]!;
    await audit(tx, null, { action: 'service_project.feedback_submit', targetType: 'service_project_feedback', targetId: row.id, orgPath: row.org_path, detail: { projectId: id, rating: input.rating } }, ip);
  });
}
