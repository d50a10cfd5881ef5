import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, type Actor } from '../../platform/actor.js';

/**
 * Who does what in 考评:
 * - the indicator library of an org is kept by its admins and used by the admins of its subtree (a
 *   bureau builds its scheme from the city's indicators and its own), so it is read along the path;
 * - a scheme is run (计算, 冻结, 发布, review of manual scores) by the admins of its org or above;
 * - before it is published only they see it; once published, the admins of each assessed org (and above
 *   it) see the scheme and its results;
 * - a manual score is entered by an admin of the assessed org (the scheme's managers included) and
 *   reviewed by a manager of the scheme other than the one who entered it.
 */
export const canManageScheme = (actor: Actor, scheme: { orgPath: string }) => administers(actor, scheme.orgPath);

export const canEnterManualScore = (actor: Actor, scheme: { orgPath: string }, org: { path: string }) =>
  canManageScheme(actor, scheme) || administers(actor, org.path);

export const canReviewManualScore = (actor: Actor, scheme: { orgPath: string }, score: { enteredBy: string; reviewStatus: string }) =>
  canManageScheme(actor, scheme) && score.reviewStatus === 'pending' && score.enteredBy !== actor.userId;

/** Indicators (alias `i`) the actor may read and use: their orgs' libraries, above and below. */
export function visibleIndicators(actor: Actor): SQL {
  if (actor.isPlatformAdmin) return sql`true`;
  if (actor.adminPaths.length === 0) return sql`false`;
  return sql`(${sql.join(actor.adminPaths.map((p) => sql`i.org_path <@ ${p}::ltree or i.org_path @> ${p}::ltree`), sql` or `)})`;
}

/**
 * Schemes (alias `s`) the actor takes part in: those they manage, and those assessing an org they administer
 * (to enter its manual scores; its results only once published, see canReadResults).
 */
export const participatingSchemes = (actor: Actor): SQL => sql`(${inAdminScope(actor, sql`s.org_path`)}
  or exists (select 1 from scheme_orgs so where so.scheme_id = s.id and ${inAdminScope(actor, sql`so.org_path`)}))`;

/** Results are read by the scheme's managers before publication, by every participant after it. */
export const canReadResults = (actor: Actor, scheme: { orgPath: string; status: string }) => scheme.status === 'published' || canManageScheme(actor, scheme);

/** Manual scores (alias `ms`) the actor sees: of the orgs they administer (a scheme's managers administer them all). */
export const visibleManualScores = (actor: Actor): SQL => inAdminScope(actor, sql`ms.org_path`);
