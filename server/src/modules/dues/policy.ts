import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, type Actor } from '../../platform/actor.js';

/**
 * 党费 permissions. The branch (and every level above it) keeps its members' bases, bills and
 * payments; a reduction is decided by the branch and approved by the level above; an org remits to
 * its parent, which confirms receipt. Members see only their own dues and the published statements
 * of the orgs they belong to.
 */

/** Bases, bills, payments, arrears and reminders of a member: an admin of the member's org or above. */
export const canKeepDuesOf = (actor: Actor, member: { orgPath: string }) => administers(actor, member.orgPath);

/** The month's account of an org (its subtree's and its children's totals): an admin of the org or above, dissolved or not. */
export const canReadAccount = (actor: Actor, org: { path: string }) => administers(actor, org.path);

/** The parent path of an org path ('1.2.3' → '1.2'); null for the top of a tree. */
export function parentPath(path: string): string | null {
  const cut = path.lastIndexOf('.');
  return cut < 0 ? null : path.slice(0, cut);
}

/** A reduction or exemption is approved by an admin of a level above the branch that decided it (条例: 报上级党组织批准). */
export function canReviewReduction(actor: Actor, reduction: { orgPath: string }): boolean {
  const parent = parentPath(reduction.orgPath);
  if (parent === null) return actor.isPlatformAdmin;
  return administers(actor, parent);
}

/** The receiving org (or a level above it) confirms a remittance. */
export const canConfirmRemittance = (actor: Actor, remittance: { toOrgPath: string }) => administers(actor, remittance.toOrgPath);

/** A receipt: the member's own, or one an admin of the collecting org may see. */
export const canSeeReceipt = (actor: Actor, payment: { memberId: string; orgPath: string }) =>
  payment.memberId === actor.memberId || administers(actor, payment.orgPath);

/** Reductions are seen by the admins of the branch that decided them and of the levels above (who approve). */
export const visibleReductions = (actor: Actor): SQL => inAdminScope(actor, sql`d.org_path`);
