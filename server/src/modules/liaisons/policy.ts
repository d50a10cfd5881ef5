import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, type Actor } from '../../platform/actor.js';

/**
 * A branch's liaisons are assigned and ended by the administrators of an org above it (the committee
 * that supervises it): never by the branch's own administrators, who would be granting themselves nothing.
 */
export function canAssignLiaison(actor: Actor, branchPath: string): boolean {
  if (actor.isPlatformAdmin) return true;
  const parent = branchPath.includes('.') ? branchPath.slice(0, branchPath.lastIndexOf('.')) : null;
  return parent !== null && administers(actor, parent);
}

/** Assignments (alias `l`) and 旁听 records (alias `s`) are listed to the admins (and readers) of the branch's subtree. */
export const liaisonsInScope = (actor: Actor): SQL => inAdminScope(actor, sql.raw('l.org_path'));
export const sitInsInScope = (actor: Actor): SQL => inAdminScope(actor, sql.raw('s.org_path'));

/**
 * The actor as the activities module should see a liaison: administering nothing but the branches
 * they liaise with, and not as a member (so an invitation of their own does not count).
 */
export const asLiaisonOf = (actor: Actor, branchPaths: string[]): Actor =>
  ({ ...actor, isPlatformAdmin: false, memberId: null, adminPaths: branchPaths, readPaths: [] });
