import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, type Actor } from '../../platform/actor.js';

/** The member's org path, for "is this wish in my tree" (a wish is claimed within its own tree). */
export const memberPath = (actor: Actor) => sql`(select org_path from members where id = ${actor.memberId ?? null} and left_at is null)`;

/**
 * Admins see the wishes of their subtree; a member sees the published wishes of the own tree
 * (to claim one) and those they claimed.
 */
export function visibleWishes(actor: Actor): SQL {
  const member = actor.memberId
    ? sql` or w.claimed_by_member_id = ${actor.memberId}
           or (w.status in ('open', 'claimed', 'fulfilled', 'confirmed') and ${memberPath(actor)} <@ subpath(w.org_path, 0, 1))`
    : sql``;
  return sql`(${inAdminScope(actor, sql`w.org_path`)}${member})`;
}

/** A wish is moderated, confirmed and its poster's contact read by the admins of its org (the community's keepers) and above. */
export const canManageWish = (actor: Actor, wish: { orgPath: string }) => administers(actor, wish.orgPath);

/** A community posts its residents' wishes through the admins of the org that keeps it. */
export const canPostForCommunity = (actor: Actor, community: { orgPath: string }) => administers(actor, community.orgPath);
