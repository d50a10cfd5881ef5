import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, type Actor } from '../../platform/actor.js';

/** Orgs a user may see: those they administer, and a member's own org (self-service). */
export function visibleOrgs(actor: Actor, alias = 'o'): SQL {
  const path = sql.raw(`${alias}.path`);
  const own = actor.memberId ? sql` or ${sql.raw(alias)}.id = (select org_id from members where id = ${actor.memberId})` : sql``;
  return sql`(${inAdminScope(actor, path)}${own})`;
}

/** Create, edit, move and dissolve: only an admin of the org (through its subtree root). */
export const canManageOrg = (actor: Actor, org: { path: string }) => administers(actor, org.path);

/** A root of the tree (the work committee) is created and moved only by a platform admin. */
export const canManageRoots = (actor: Actor) => actor.isPlatformAdmin;
