import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../platform/db.js';

/*
 * The 工作台's 考评 work: manual scores entered and waiting for review, by the admins of the scheme's org
 * (or above). One to-do per scheme, its count the scheme's manual-score list filtered to the pending scores of
 * the workbench's subtree (`reviewStatus=pending&orgId=…`): the list reads the same condition.
 */

/** Manual scores (alias `ms`) waiting for review, of orgs within the subtree at `root` (a path expression) when given. */
export const pendingManualScores = (root: SQL | null): SQL =>
  sql`(ms.review_status = 'pending'${root ? sql` and ms.org_path <@ ${root}` : sql``})`;

export interface ManualReviewTodoRow { schemeId: string; schemeName: string; orgId: string; count: number; due: null }

/** Per scheme of the subtree (its org reviews): the pending manual scores of the subtree's orgs. */
export async function manualReviewTodos(q: Queryable, rootPath: string): Promise<ManualReviewTodoRow[]> {
  const rows = await q.execute<{ scheme_id: string; scheme_name: string; org_id: string; n: number } & Record<string, unknown>>(sql`
    select s.id::text as scheme_id, s.name as scheme_name, s.org_id::text, count(*)::int as n
      from manual_scores ms join assessment_schemes s on s.id = ms.scheme_id
     where s.org_path <@ ${rootPath}::ltree and ${pendingManualScores(sql`${rootPath}::ltree`)}
     group by s.id, s.name, s.org_id`);
  return rows.rows.map((r) => ({ schemeId: r.scheme_id, schemeName: r.scheme_name, orgId: r.org_id, count: Number(r.n), due: null }));
}
