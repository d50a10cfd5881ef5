import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../platform/db.js';
import { isOverdueItem } from './service.js';

/*
 * The 工作台's responsibility work. A reported item waits for the level that inspects it — the parent of the
 * owning org for an org's list, the member's org for a member's list — and an overdue item (isOverdueItem) is
 * its owning org's. The items list's `waiting=inspection` and `overdue=true` filters and the to-do counts read
 * the same conditions, so a figure is its list's total.
 */

/** The path of the org that inspects item `i` of list `l` (empty for a top org's own list: the platform answers). */
const inspectorPath = sql`(case when l.member_id is null then subpath(l.org_path, 0, nlevel(l.org_path) - 1) else l.org_path end)`;

/**
 * Reported items (aliases `i`, `l`) waiting for an inspection by an org of the subtree at `root` (a path
 * expression); without a root, by an org within `scope` (the viewer's admin scope, a condition on a path).
 */
export function awaitingInspection(root: SQL | null, scope: (path: SQL) => SQL): SQL {
  const where = root ? sql`l.org_path <@ ${root} and (l.member_id is not null or nlevel(l.org_path) > nlevel(${root}))` : scope(inspectorPath);
  return sql`(i.status = 'reported' and ${where})`;
}

export interface ResponsibilityTodoRow { orgId: string; count: number; due: string | null }

const byOrg = async (q: Queryable, query: SQL): Promise<ResponsibilityTodoRow[]> =>
  (await q.execute<{ org_id: string; n: number; due: string | null } & Record<string, unknown>>(query)).rows
    .map((r) => ({ orgId: r.org_id, count: Number(r.n), due: r.due }));

/** Per inspecting org of the subtree: the reported items waiting for it. */
export const inspectionTodos = (q: Queryable, rootPath: string): Promise<ResponsibilityTodoRow[]> => byOrg(q, sql`
  select ltree2text(subpath(${inspectorPath}, -1)) as org_id, count(*)::int as n, min(i.deadline)::text as due
    from responsibility_items i join responsibility_lists l on l.id = i.list_id where ${awaitingInspection(sql`${rootPath}::ltree`, () => sql`true`)} group by 1`);

/** Per owning org of the subtree (a member's list: the member's org): its overdue items, the earliest deadline first due. */
export const overdueItemTodos = (q: Queryable, rootPath: string): Promise<ResponsibilityTodoRow[]> => byOrg(q, sql`
  select l.org_id::text, count(*)::int as n, min(case when i.status = 'rectifying' then coalesce(i.rectify_deadline, i.deadline) else i.deadline end)::text as due
    from responsibility_items i join responsibility_lists l on l.id = i.list_id where l.org_path <@ ${rootPath}::ltree and ${isOverdueItem()} group by l.org_id`);
