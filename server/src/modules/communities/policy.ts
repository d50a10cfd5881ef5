import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, type Actor } from '../../platform/actor.js';

/** The member's org path (null for an account without a member record). */
export const memberPathOf = (actor: Actor) => sql`(select org_path from members where id = ${actor.memberId ?? null} and left_at is null)`;

/**
 * Communities are shared by a whole tree: every admin and member of the tree sees its register
 * (to report to one, or sign with one); only admins of the keeping org edit it.
 */
export function visibleCommunities(actor: Actor, alias = 'c'): SQL {
  if (actor.isPlatformAdmin) return sql`true`;
  const path = sql.raw(`${alias}.org_path`);
  const roots = [...new Set(actor.adminPaths.map((p) => p.split('.')[0]!))];
  const adminTrees = roots.length ? sql`subpath(${path}, 0, 1) in (${sql.join(roots.map((r) => sql`${r}::ltree`), sql`, `)})` : sql`false`;
  return sql`(${adminTrees} or coalesce(${memberPathOf(actor)} <@ subpath(${path}, 0, 1), false))`;
}

/** A community (and a co-building agreement) is edited by the admins of the org that keeps it. */
export const canManageCommunity = (actor: Actor, community: { orgPath: string }) => administers(actor, community.orgPath);

/**
 * Who may report a member to a community, or withdraw the report (双报到): the member themself,
 * or an admin of the member's org.
 */
export const canReportFor = (actor: Actor, member: { id: string; orgPath: string }) =>
  member.id === actor.memberId || administers(actor, member.orgPath);

/** A community's reported members: all of them for its keepers, those of the own subtree for other admins. */
export function reportedMembersInScope(actor: Actor, community: { orgPath: string }): SQL {
  return administers(actor, community.orgPath) ? sql`true` : inAdminScope(actor, sql`m.org_path`);
}

/** Admins see their subtree's agreements; a member sees those of the own org. */
export function visibleAgreements(actor: Actor): SQL {
  const own = actor.memberId ? sql` or a.org_id = (select org_id from members where id = ${actor.memberId})` : sql``;
  return sql`(${inAdminScope(actor, sql`a.org_path`)}${own})`;
}
