import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, isWithin, type Actor } from '../../platform/actor.js';

/** Rules change what every member earns: only a platform admin edits them. */
export const canConfigureRules = (actor: Actor) => actor.isPlatformAdmin;

/** A member's ledger: the member themself, or an admin of the member's org. */
export const canViewLedgerOf = (actor: Actor, member: { id: string; orgPath: string }) =>
  actor.memberId === member.id || administers(actor, member.orgPath);

/** Reversals are admin corrections within the admin's subtree. */
export const canReverseEntry = (actor: Actor, entry: { orgPath: string }) => administers(actor, entry.orgPath);

/**
 * An admin without a member record browses the ledger of the members they administer — by the
 * member's current place (alias `m`), not the path the append-only entry recorded: a member who
 * moved with their branch, or was transferred, takes their history along.
 */
export const ledgerInScope = (actor: Actor): SQL => inAdminScope(actor, sql`m.org_path`);

/** A leaderboard ranks an org the actor administers, or the own branch (or part of it) for a member. */
export const canViewBoardOf = (actor: Actor, org: { path: string }, member: { branchPath: string } | null) =>
  administers(actor, org.path) || (member !== null && isWithin(org.path, member.branchPath));
