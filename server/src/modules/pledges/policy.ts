import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, type Actor } from '../../platform/actor.js';

/** The member's current org path (a member pledges in the periods opened above their org). */
export const memberPath = (actor: Actor) => sql`(select org_path from members where id = ${actor.memberId ?? null} and left_at is null)`;

/**
 * A period is seen by the admins of its subtree and by those below it (a branch approves the pledges of
 * a period the committee above opened), and by the members under it.
 */
export function visiblePeriods(actor: Actor, path: SQL = sql`pp.org_path`): SQL {
  if (actor.isPlatformAdmin) return sql`true`;
  const conditions = actor.adminPaths.map((root) => sql`(${path} <@ ${root}::ltree or ${root}::ltree <@ ${path})`);
  if (actor.memberId) conditions.push(sql`${memberPath(actor)} <@ ${path}`);
  return conditions.length ? sql`(${sql.join(conditions, sql` or `)})` : sql`false`;
}

/** Opens and edits periods: the admins of the period's org and above. */
export const canManagePeriod = (actor: Actor, period: { orgPath: string }) => administers(actor, period.orgPath);

/** Pledges listed to admins: those of their subtree; a member's own come through `isOwnPledge`. */
export const pledgesInScope = (actor: Actor, path: SQL = sql`p.org_path`): SQL => inAdminScope(actor, path);
export function visiblePledges(actor: Actor): SQL {
  return actor.memberId ? sql`(${pledgesInScope(actor)} or p.member_id = ${actor.memberId})` : pledgesInScope(actor);
}

interface PledgeRef { orgPath: string; memberId: string | null }

/** The pledger writes it: the member for their own, the org's admins for the org's. */
export const isPledger = (actor: Actor, pledge: PledgeRef) =>
  pledge.memberId ? actor.memberId === pledge.memberId : administers(actor, pledge.orgPath);

/**
 * Approves and rates (评诺 of the branch): for a member's pledge the admins of the member's branch and
 * above; for an org's own pledge the level above (an org does not approve itself), the platform for a top org.
 */
export function isReviewer(actor: Actor, pledge: PledgeRef): boolean {
  if (pledge.memberId) return administers(actor, pledge.orgPath) && actor.memberId !== pledge.memberId;
  const parent = pledge.orgPath.includes('.') ? pledge.orgPath.slice(0, pledge.orgPath.lastIndexOf('.')) : null;
  return parent ? administers(actor, parent) : actor.isPlatformAdmin;
}

/** The public's comments are moderated by the admins of the pledge's org and above. */
export const canModerate = (actor: Actor, pledge: { orgPath: string }) => administers(actor, pledge.orgPath);
