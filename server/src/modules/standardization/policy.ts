import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, isWithin, type Actor } from '../../platform/actor.js';

/**
 * Who does what in 达标定级:
 * - a scheme is written, activated and its rounds launched by the admins of its org (or above); it is
 *   read by them and by the admins of the orgs under it (a branch secretary reads the checklist);
 * - a round is read by the admins of its branch and above; the branch side (the branch's admins —
 *   or an admin above acting for a branch without one) assesses itself, appeals once or accepts;
 * - the level above grades: an admin whose scope lies strictly above the branch (a platform admin too).
 *   An admin whose scope is only the branch never grades it, and nobody grades a self-assessment they
 *   submitted themselves;
 * - rectification tasks are reported on by the branch side and closed by the level above.
 */
export const canManageScheme = (actor: Actor, scheme: { orgPath: string }) => administers(actor, scheme.orgPath);

/** Schemes the viewer reads (alias `s`): of their subtree, and of the orgs above one they administer. */
export function visibleSchemes(actor: Actor): SQL {
  if (actor.isPlatformAdmin) return sql`true`;
  if (actor.adminPaths.length === 0) return sql`false`;
  return sql`(${sql.join(actor.adminPaths.map((p) => sql`s.org_path <@ ${p}::ltree or s.org_path @> ${p}::ltree`), sql` or `)})`;
}

/** Rounds and rectification tasks the viewer reads: those of the branches they administer and below. */
export const roundsInScope = (actor: Actor, alias: string): SQL => inAdminScope(actor, sql.raw(`${alias}.org_path`));
/** An org path (the org a round waits for, for the 工作台's `waiting` filter) within the viewer's admin scope. */
export const pathInScope = (actor: Actor, path: SQL): SQL => inAdminScope(actor, path);

/** The level above: an administered subtree that holds the branch without being the branch itself. */
export const isAboveBranch = (actor: Actor, branchPath: string): boolean =>
  actor.isPlatformAdmin || actor.adminPaths.some((p) => p !== branchPath && isWithin(branchPath, p));

export interface PolicyRound { orgPath: string; submittedBy: string | null; reviewedBy: string | null }

export const canReviewRound = (actor: Actor, round: PolicyRound): boolean =>
  isAboveBranch(actor, round.orgPath) && round.submittedBy !== actor.userId;

/** The branch side of a round: its administrators, but never the reviewer who graded it. */
export const isBranchSide = (actor: Actor, round: PolicyRound): boolean =>
  administers(actor, round.orgPath) && round.reviewedBy !== actor.userId;

/** Rounds waiting for the viewer's grading (alias `r`): submitted or appealed, strictly below their scope. */
export function awaitingReviewBy(actor: Actor): SQL {
  const pending = sql`r.status in ('submitted', 'appealed') and r.submitted_by is distinct from ${actor.userId}`;
  if (actor.isPlatformAdmin) return sql`(${pending})`;
  if (actor.adminPaths.length === 0) return sql`false`;
  return sql`(${pending} and (${sql.join(actor.adminPaths.map((p) => sql`(r.org_path <@ ${p}::ltree and r.org_path <> ${p}::ltree)`), sql` or `)}))`;
}

/** Rounds waiting for the branch side (alias `r`): to assess, or graded and waiting for an appeal or acceptance. */
export const awaitingBranch = (actor: Actor): SQL =>
  sql`(r.status in ('self_assessing', 'graded') and ${roundsInScope(actor, 'r')} and r.reviewed_by is distinct from ${actor.userId})`;
