import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, type Actor } from '../../platform/actor.js';
import { inSubtreeByKey } from '../../platform/sql.js';

/**
 * An idea is reviewed (采纳/不采纳) and tracked by the administrators of the org it is for, or of one
 * above it: the branch's own secretary does not answer an idea addressed to the bureau.
 */
export const canReviewIdea = (actor: Actor, ideaOrgPath: string): boolean => administers(actor, ideaOrgPath);

/** Ideas (alias `i`) are listed to the administrators (and readers) of the subtree of the org they are for. */
export const ideasInScope = (actor: Actor): SQL => inAdminScope(actor, sql.raw('i.org_path'));

/**
 * The same scope by the ideas' subtree keys (the org path and a dot, byte-wise: migration 20261210050000):
 * a subtree's ideas are one range of ideas_subtree_key, which a count reads index-only.
 */
export const ideasInScopeByKey = (actor: Actor): SQL => {
  if (actor.isPlatformAdmin) return sql`true`;
  if (actor.adminPaths.length === 0) return sql`false`;
  return sql`(${sql.join(actor.adminPaths.map((root) => inSubtreeByKey(sql.raw('i.subtree_key'), root)), sql` or `)})`;
};

/** A member's own ideas, wherever they stand now. */
export const ownIdeas = (actor: Actor): SQL => (actor.memberId ? sql`i.member_id = ${actor.memberId}` : sql`false`);
