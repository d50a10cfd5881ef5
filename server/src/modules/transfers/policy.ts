import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, isAdmin, type Actor } from '../../platform/actor.js';
import type { TransferStatus } from '../../../../contracts/transfers.js';

type TransferSides = { status: TransferStatus; fromPath: string; toPath: string };

/** The sending org issues: its admins (at any level above it) act for it. */
export const canIssueFor = (actor: Actor, memberOrgPath: string) => administers(actor, memberOrgPath);

/** The receiving org accepts or returns, while the transfer is open. */
export const canDecide = (actor: Actor, t: TransferSides) => t.status === 'issued' && administers(actor, t.toPath);

/** The sender may withdraw it until the receiver has decided. */
export const canCancel = (actor: Actor, t: TransferSides) => t.status === 'issued' && administers(actor, t.fromPath);

/** Any admin may look up receiving orgs across the whole tree (names only). */
export const canSearchTargets = (actor: Actor) => isAdmin(actor);

/**
 * Transfers the actor sees, scoped in SQL: incoming ones by the receiving path, outgoing ones by
 * the sending path; 'all' is either, plus the member's own transfers (self-service, read only).
 */
export function visibleTransfers(actor: Actor, box: 'incoming' | 'outgoing' | 'all'): SQL {
  const incoming = inAdminScope(actor, sql`t.to_path`);
  const outgoing = inAdminScope(actor, sql`t.from_path`);
  if (box === 'incoming') return incoming;
  if (box === 'outgoing') return outgoing;
  const own = actor.memberId ? sql` or t.member_id = ${actor.memberId}` : sql``;
  return sql`(${incoming} or ${outgoing}${own})`;
}
