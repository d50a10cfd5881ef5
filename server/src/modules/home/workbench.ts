import { sql } from 'drizzle-orm';
import { TODO_KINDS, TODO_SEVERITIES, WORKBENCH_ORGS_SHOWN, type TodoKind, type Workbench } from '../../../../contracts/home.js';
import { todayInChina } from '../../../../contracts/china-time.js';
import type { Actor } from '../../platform/actor.js';
import type { Db } from '../../platform/db.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { listOf, ownTodos, rollUpTodos, sortTodos, subtreeTodos } from './todos.js';
import { canSeeWorkbench } from './policy.js';

/** The kinds the 工作台 computes: all of them. */
export const WORKBENCH_KINDS: readonly TodoKind[] = TODO_KINDS;

/** The org a workbench opens on: the given one if the actor administers it, else the top of the actor's scope. */
async function workbenchOrg(db: Db, actor: Actor, orgId: string | undefined): Promise<{ id: string; path: string; name: string }> {
  if (orgId) return managedOrg(db, actor, orgId, { notFoundKey: 'home.org_not_found' });
  // a platform administrator's own org is the first tree; an org admin's the first org administered
  const row = (await db.execute<{ id: string; path: string; name: string } & Record<string, unknown>>(actor.isPlatformAdmin
    ? sql`select id::text, path::text, name from orgs where parent_id is null and dissolved_at is null order by sort_order, id limit 1`
    : sql`select id::text, path::text, name from orgs where path = any(${`{${actor.adminPaths.join(',')}}`}::ltree[]) and dissolved_at is null
           order by nlevel(path), sort_order, id limit 1`)).rows[0];
  if (!row) throw notFound(actor.isPlatformAdmin ? 'home.no_org' : 'home.org_not_found');
  return row;
}

/** The 工作台: the to-dos of the org's subtree by urgency, each with the orgs it comes from. */
export async function getWorkbench(db: Db, actor: Actor, query: { orgId?: string }): Promise<Workbench> {
  if (!canSeeWorkbench(actor)) throw forbidden('home.admins_only');
  const org = await workbenchOrg(db, actor, query.orgId);
  const today = todayInChina();
  const own = await ownTodos(db, { orgPath: org.path }, { kinds: WORKBENCH_KINDS, today });
  const perOrg = subtreeTodos(own, today);
  const items = rollUpTodos(own, org, today).map((todo) => {
    const orgs = sortTodos(perOrg.filter((t) => t.kind === todo.kind && listOf(t) === listOf(todo)));
    return { ...todo, orgs: orgs.slice(0, WORKBENCH_ORGS_SHOWN), orgCount: orgs.length };
  });
  return {
    org: { id: org.id, name: org.name },
    asOf: today,
    groups: TODO_SEVERITIES.map((severity) => ({ severity, items: items.filter((i) => i.severity === severity) })).filter((g) => g.items.length > 0),
    kinds: [...WORKBENCH_KINDS],
  };
}
