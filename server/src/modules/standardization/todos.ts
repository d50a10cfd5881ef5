import { sql, type SQL } from 'drizzle-orm';
import { todayInChina } from '../../../../contracts/china-time.js';
import type { Queryable } from '../../platform/db.js';

/*
 * The 工作台's 达标定级 work. A round submitted or appealed waits for the level above the branch (an admin
 * strictly above it: the to-do is the parent's), a round in self-assessment for the branch itself, and an
 * open rectification task past its deadline for the task's branch. The rounds list's `waiting` filter, the
 * tasks list's `overdue` filter and the to-do counts read the same conditions, so a figure is its list's total.
 */

export type RoundWaiting = 'review' | 'submit';

/** The path of the org whose work round `r` waits for: the parent for a review, the branch for its self-assessment. */
const workerPath = (waiting: RoundWaiting): SQL => (waiting === 'review' ? sql`subpath(r.org_path, 0, nlevel(r.org_path) - 1)` : sql`r.org_path`);
const waitingStatus = (waiting: RoundWaiting): SQL => (waiting === 'review' ? sql`r.status in ('submitted', 'appealed')` : sql`r.status = 'self_assessing'`);

/**
 * Current rounds (alias `r`) waiting for an org of `rootPath`'s subtree (a review: strictly below the root); without
 * a root, for an org within `scope` (the viewer's admin scope, a condition on a path).
 */
export function roundsWaiting(waiting: RoundWaiting, rootPath: string | null, scope: (path: SQL) => SQL): SQL {
  const where = rootPath
    ? sql`r.org_path <@ ${rootPath}::ltree${waiting === 'review' ? sql` and r.org_path <> ${rootPath}::ltree` : sql``}`
    : scope(workerPath(waiting));
  return sql`(${waitingStatus(waiting)} and r.superseded_at is null and ${where})`;
}

/** Open rectification tasks (alias `t`) whose deadline has passed (China time). */
export const rectificationOverdue = (today = todayInChina()): SQL => sql`(t.status = 'open' and t.deadline < ${today}::date)`;

export interface StandardizationTodoRow { orgId: string; count: number; due: string | null }

const byOrg = async (q: Queryable, query: SQL): Promise<StandardizationTodoRow[]> =>
  (await q.execute<{ org_id: string; n: number; due: string | null } & Record<string, unknown>>(query)).rows
    .map((r) => ({ orgId: r.org_id, count: Number(r.n), due: r.due }));

/** Per org of the subtree whose work the rounds wait for: how many (the `waiting` list of that org counts them too). */
export const roundTodos = (q: Queryable, rootPath: string, waiting: RoundWaiting): Promise<StandardizationTodoRow[]> => byOrg(q, sql`
  select ltree2text(subpath(${workerPath(waiting)}, -1)) as org_id, count(*)::int as n, null::text as due
    from grading_rounds r where ${roundsWaiting(waiting, rootPath, () => sql`true`)} group by 1`);

/** Per branch of the subtree: its overdue rectification tasks, the earliest deadline first due. */
export const overdueRectificationTodos = (q: Queryable, rootPath: string, today: string): Promise<StandardizationTodoRow[]> => byOrg(q, sql`
  select t.org_id::text, count(*)::int as n, min(t.deadline)::text as due
    from grading_rectifications t where t.org_path <@ ${rootPath}::ltree and ${rectificationOverdue(today)} group by t.org_id`);
