import { sql, type SQL } from 'drizzle-orm';
import { inAdminScope, type Actor } from '../../platform/actor.js';
import { textArray } from '../../platform/sql.js';

/** The campaign is run (rounds, tallies, publishing) by the admins of its org and above (`c` is the campaigns alias). */
export const runsCampaign = (actor: Actor): SQL => inAdminScope(actor, sql`c.org_path`);

/** An admin of an org inside the campaign's tree nominates their members into it, so they see it too. */
export const seesCampaign = (actor: Actor): SQL => {
  const below = actor.adminPaths.length === 0 ? sql`false`
    : sql`exists (select 1 from unnest(${textArray(actor.adminPaths)}::ltree[]) a (p) where a.p <@ c.org_path)`;
  return sql`(${runsCampaign(actor)} or ${below})`;
};

/** A nomination is handled by those who run its campaign and by the admins of the nominee's org (`n` the nominations alias). */
export const handlesNomination = (actor: Actor): SQL => sql`(${runsCampaign(actor)} or ${inAdminScope(actor, sql`n.org_path`)})`;

/** The actor is a member (not left) inside the campaign's tree: they vote, recommend and read the lists. */
export const votesInCampaign = (actor: Actor): SQL => (actor.memberId === null ? sql`false`
  : sql`exists (select 1 from members vm where vm.id = ${actor.memberId} and vm.left_at is null and vm.org_path <@ c.org_path)`);

/** Members (alias `m`) an admin nominates: those of their own subtree. */
export const nominatesMembers = (actor: Actor): SQL => inAdminScope(actor, sql`m.org_path`);
