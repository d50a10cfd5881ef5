import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, onlyReads, type Actor } from '../../platform/actor.js';

/** Administrators see the notices of their subtree (`n` is the public_notices alias). */
export const visibleNotices = (actor: Actor): SQL => inAdminScope(actor, sql`n.org_path`);

/**
 * Objections are answered by the administrators of the notice's own org (or above): the body that
 * published the names decides, not the lower committee whose member was named.
 */
export const canAnswerObjections = (actor: Actor, notice: { orgPath: string }) => administers(actor, notice.orgPath);

/** An inspector or a liaison reads the notice but does not answer (403 rather than 404: they can see it). */
export const readsOnly = (actor: Actor, notice: { orgPath: string }) => onlyReads(actor, notice.orgPath);

/** The objector's contact is read by those who answer, and the reading is audited. */
export const canRevealContact = canAnswerObjections;

/**
 * A member's tree: the notices published by the member's own org or one above it (ancestor-or-self),
 * the bodies whose honours concern them.
 */
export function inMemberTree(actor: Actor): SQL {
  if (!actor.memberId) return sql`false`;
  return sql`exists (select 1 from members m where m.id = ${actor.memberId} and m.left_at is null and n.org_path @> m.org_path)`;
}
