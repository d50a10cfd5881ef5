import { administers, type Actor } from '../../platform/actor.js';

/** Rules change what every member earns: only a platform admin edits them. */
export const canConfigureRules = (actor: Actor) => actor.isPlatformAdmin;

/** A member's ledger: the member themself, or an admin of the member's org. */
export const canViewLedgerOf = (actor: Actor, member: { id: string; orgPath: string }) =>
  actor.memberId === member.id || administers(actor, member.orgPath);

/** Reversals are admin corrections within the admin's subtree. */
export const canReverseEntry = (actor: Actor, entry: { orgPath: string }) => administers(actor, entry.orgPath);
