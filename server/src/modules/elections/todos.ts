import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../platform/db.js';

/*
 * The 工作台's 换届 steps: an election under way waits for the org that records its next step — the org
 * itself for 请示 and 选举大会, its parent (the level above) for 批复 and 报备. The procedures list's
 * `waiting` filter and the to-do count read the same condition, so a figure is its list's total.
 */

/** The next step of procedure `p` (steps are recorded in order: the first one not recorded). */
const nextStep = sql`(select e.step from unnest(array['request', 'approval', 'congress', 'filing']) with ordinality as e (step, i)
  where not exists (select 1 from election_steps s where s.procedure_id = p.id and s.step = e.step) order by e.i limit 1)`;

/** The path of the org that records the next step of `p` (empty for a top org's 批复 / 报备: the platform answers). */
const workerPath = sql`(case when ${nextStep} in ('approval', 'filing') then subpath(p.org_path, 0, nlevel(p.org_path) - 1) else p.org_path end)`;

/**
 * Procedures (alias `p`) under way whose next step waits for an org of `rootPath`'s subtree; without a root,
 * for an org within `scope` (the viewer's admin scope, a condition on a path).
 */
export function waitingForStep(rootPath: string | null, scope: (path: SQL) => SQL): SQL {
  if (rootPath) return sql`(p.status = 'in_progress' and p.org_path <@ ${rootPath}::ltree and (nlevel(p.org_path) > nlevel(${rootPath}::ltree) or ${nextStep} in ('request', 'congress')))`;
  return sql`(p.status = 'in_progress' and ${scope(workerPath)})`;
}

export interface ElectionTodoRow { orgId: string; count: number; due: string | null }

/** Per org of the subtree waiting to record a step: how many procedures (the `waiting` list of that org counts them too). */
export async function electionStepTodos(q: Queryable, rootPath: string): Promise<ElectionTodoRow[]> {
  const rows = await q.execute<{ org_id: string; n: number; due: string | null } & Record<string, unknown>>(sql`
    select ltree2text(subpath(w.path, -1)) as org_id, count(*)::int as n, min(w.due)::text as due
      from (select ${workerPath} as path, p.replaces_term_end as due from election_procedures p where ${waitingForStep(rootPath, () => sql`true`)}) w
     group by 1`);
  return rows.rows.map((r) => ({ orgId: r.org_id, count: Number(r.n), due: r.due }));
}
