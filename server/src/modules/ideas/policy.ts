import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, type Actor } from '../../platform/actor.js';

/**
 * An idea is reviewed (采纳/不采纳) and tracked by the administrators of the org it is for, or of one
 * above it: the branch's own secretary does not answer an idea addressed to the bureau.
 */
export const canReviewIdea = (actor: Actor, ideaOrgPath: string): boolean => administers(actor, ideaOrgPath);

/** Ideas (alias `i`) are listed to the administrators (and readers) of the subtree of the org they are for. */
export const ideasInScope = (actor: Actor): SQL => inAdminScope(actor, sql.raw('i.org_path'));

/**
 * The same scope by the ideas' org ids (org_id and org_path are carried together): the orgs of the
 * subtree come from their GiST index and the ideas from ideas_org, which a count reads index-only
 * instead of visiting every row of a district's ideas.
 */
export const ideasInScopeByOrg = (actor: Actor): SQL =>
  (actor.isPlatformAdmin ? sql`true` : sql`i.org_id in (select so.id from orgs so where ${inAdminScope(actor, sql.raw('so.path'))})`);

/** A member's own ideas, wherever they stand now. */
export const ownIdeas = (actor: Actor): SQL => (actor.memberId ? sql`i.member_id = ${actor.memberId}` : sql`false`);
