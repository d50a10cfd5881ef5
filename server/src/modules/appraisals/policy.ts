import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, type Actor } from '../../platform/actor.js';

/**
 * A branch's 民主评议 is run by its administrators and those of every org above it (a committee may open
 * and steer the rounds of all its branches). No one — administrator or not — ever reads a single ballot.
 */
export const canManageAppraisal = (actor: Actor, orgPath: string): boolean => administers(actor, orgPath);

/** Rounds (alias `r`) in the actor's admin subtree. */
export const roundsInScope = (actor: Actor): SQL => inAdminScope(actor, sql.raw('r.org_path'));

/** A member's record (alias `m`) in the actor's admin subtree. */
export const membersInScope = (actor: Actor): SQL => inAdminScope(actor, sql.raw('m.org_path'));
