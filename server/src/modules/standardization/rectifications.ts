import { sql, type SQL } from 'drizzle-orm';
import type {
  CloseRectification, CreateRectification, Rectification, RectificationPage, RectificationProgress, RectificationQuery,
} from '../../../../contracts/standardization.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable } from '../../platform/db.js';
import { conflict, forbidden, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { pageLimit, textArray } from '../../platform/sql.js';
import { isAboveBranch, isBranchSide, roundsInScope } from './policy.js';
import { rectificationOverdue } from './todos.js';

type Row = Record<string, unknown>;
type Time = Date | string | null;
const iso = (v: Time) => (v == null ? null : new Date(v).toISOString());

type TaskRow = {
  id: string; round_id: string; org_id: string; org_path: string; org_name: string; scheme_name: string; task: string; deadline: string; owner_name: string;
  status: 'open' | 'closed'; created_at: Time; closed_at: Time; closing_comment: string | null; submitted_by: string | null; reviewed_by: string | null;
  round_superseded: boolean;
} & Row;

const taskSelect = sql`select t.id::text, t.round_id::text, t.org_id::text, t.org_path::text, o.name as org_name, s.name as scheme_name, t.task, t.deadline::text,
  t.owner_name, t.status, t.created_at, t.closed_at, t.closing_comment, r.submitted_by::text, r.reviewed_by::text, r.superseded_at is not null as round_superseded
  from grading_rectifications t join grading_rounds r on r.id = t.round_id join grading_schemes s on s.id = r.scheme_id join orgs o on o.id = t.org_id`;

type ProgressRow = { id: string; rectification_id: string; note: string; evidence: string | null; author_name: string; created_at: Time } & Row;

async function withProgress(q: Queryable, actor: Actor, rows: TaskRow[]): Promise<Rectification[]> {
  const progress = rows.length === 0 ? [] : (await q.execute<ProgressRow>(sql`select id::text, rectification_id::text, note, evidence, author_name, created_at
    from grading_rectification_progress where rectification_id = any(${textArray(rows.map((r) => r.id))}::bigint[]) order by created_at, id`)).rows;
  return rows.map((t) => {
    const round = { orgPath: t.org_path, submittedBy: t.submitted_by, reviewedBy: t.reviewed_by };
    return {
      id: t.id, roundId: t.round_id, orgId: t.org_id, orgName: t.org_name, schemeName: t.scheme_name, task: t.task, deadline: t.deadline, ownerName: t.owner_name,
      status: t.status, createdAt: iso(t.created_at)!, closedAt: iso(t.closed_at), closingComment: t.closing_comment,
      progress: progress.filter((p) => p.rectification_id === t.id).map((p) => ({ id: p.id, note: p.note, evidence: p.evidence, authorName: p.author_name, createdAt: iso(p.created_at)! })),
      canReport: t.status === 'open' && isBranchSide(actor, round),
      canClose: t.status === 'open' && isAboveBranch(actor, t.org_path),
    };
  });
}

/** The tasks matching `where` (alias `t`) in the viewer's scope, oldest deadline first. */
export async function rectificationsOf(q: Queryable, actor: Actor, where: SQL): Promise<Rectification[]> {
  const rows = await q.execute<TaskRow>(sql`${taskSelect} where ${where} and ${roundsInScope(actor, 't')} order by t.deadline, t.id limit 200`);
  return withProgress(q, actor, rows.rows);
}

export async function listRectifications(db: Db, actor: Actor, query: RectificationQuery): Promise<RectificationPage> {
  const conditions: SQL[] = [roundsInScope(actor, 't')];
  if (query.orgId) {
    const org = await managedOrg(db, actor, query.orgId, { allowDissolved: true });
    conditions.push(sql`t.org_path <@ ${org.path}::ltree`);
  }
  if (query.roundId) conditions.push(sql`t.round_id = ${query.roundId}`);
  if (query.status) conditions.push(sql`t.status = ${query.status}`);
  if (query.overdue) conditions.push(rectificationOverdue());
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<TaskRow>(sql`${taskSelect} where ${where} order by t.status desc, t.deadline, t.id ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from grading_rectifications t where ${where}`),
  ]);
  return { items: await withProgress(db, actor, rows.rows), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

async function findTask(q: Queryable, actor: Actor, id: string): Promise<TaskRow> {
  const row = (await q.execute<TaskRow>(sql`${taskSelect} where t.id = ${id} and ${roundsInScope(actor, 't')} for update of t`)).rows[0];
  if (!row) throw notFound('standardization.rectification_not_found');
  return row;
}

export async function getRectification(db: Queryable, actor: Actor, id: string): Promise<Rectification> {
  const row = (await db.execute<TaskRow>(sql`${taskSelect} where t.id = ${id} and ${roundsInScope(actor, 't')}`)).rows[0];
  if (!row) throw notFound('standardization.rectification_not_found');
  return (await withProgress(db, actor, [row]))[0]!;
}

/** The level above sets a task for a branch whose final grade is a low one. */
export async function createRectification(db: Db, actor: Actor, roundId: string, input: CreateRectification): Promise<Rectification> {
  const id = await db.transaction(async (tx) => {
    const round = (await tx.execute<{ org_id: string; org_path: string; org_name: string; status: string; grade_is_low: boolean | null; superseded: boolean; submitted_by: string | null } & Row>(sql`
      select r.org_id::text, r.org_path::text, o.name as org_name, r.status, r.grade_is_low, r.superseded_at is not null as superseded, r.submitted_by::text
        from grading_rounds r join orgs o on o.id = r.org_id where r.id = ${roundId} and ${roundsInScope(actor, 'r')} for update of r`)).rows[0];
    if (!round) throw notFound('standardization.round_not_found');
    if (!isAboveBranch(actor, round.org_path)) throw forbidden('standardization.not_reviewer');
    if (!['final', 'published'].includes(round.status) || round.grade_is_low !== true || round.superseded) throw conflict('standardization.not_low');
    const row = (await tx.execute<{ id: string } & Row>(sql`insert into grading_rectifications (round_id, org_id, org_path, task, deadline, owner_name, created_by)
      values (${roundId}, ${round.org_id}, ${round.org_path}::ltree, ${input.task}, ${input.deadline}, ${input.ownerName}, ${actor.userId}) returning id::text`)).rows[0]!;
    await audit(tx, actor, { action: 'standardization.create_rectification', targetType: 'grading_rectification', targetId: row.id, orgPath: round.org_path, detail: { task: input.task, name: round.org_name } });
    return row.id;
  });
  return getRectification(db, actor, id);
}

/** The branch records what it has done, with its evidence. */
export async function reportProgress(db: Db, actor: Actor, id: string, input: RectificationProgress): Promise<Rectification> {
  await db.transaction(async (tx) => {
    const t = await findTask(tx, actor, id);
    if (!isBranchSide(actor, { orgPath: t.org_path, submittedBy: t.submitted_by, reviewedBy: t.reviewed_by })) throw forbidden('standardization.not_branch_side');
    if (t.status !== 'open') throw conflict('standardization.rectification_closed');
    await tx.execute(sql`insert into grading_rectification_progress (rectification_id, note, evidence, created_by, author_name)
      values (${id}, ${input.note}, ${input.evidence ?? null}, ${actor.userId}, ${actor.displayName})`);
    await audit(tx, actor, { action: 'standardization.report_rectification', targetType: 'grading_rectification', targetId: id, orgPath: t.org_path, detail: { task: t.task } });
  });
  return getRectification(db, actor, id);
}

/** The level above closes a task it finds done. */
export async function closeRectification(db: Db, actor: Actor, id: string, input: CloseRectification): Promise<Rectification> {
  await db.transaction(async (tx) => {
    const t = await findTask(tx, actor, id);
    if (!isAboveBranch(actor, t.org_path)) throw forbidden('standardization.not_reviewer');
    if (t.status !== 'open') throw conflict('standardization.rectification_closed');
    await tx.execute(sql`update grading_rectifications set status = 'closed', closed_at = now(), closed_by = ${actor.userId}, closing_comment = ${input.comment ?? null} where id = ${id}`);
    await audit(tx, actor, { action: 'standardization.close_rectification', targetType: 'grading_rectification', targetId: id, orgPath: t.org_path, detail: { task: t.task } });
  });
  return getRectification(db, actor, id);
}
