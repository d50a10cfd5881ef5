import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, isWithin, type Actor } from '../../platform/actor.js';

/**
 * Who does what with 党建品牌 and 星级评审:
 * - a brand is kept by the administrators of its org and of every level above it;
 * - a review round is run by the administrators of its org (or above); the administrators of the
 *   orgs of its subtree apply with their own brands and read their own applications;
 * - the gallery shows active brands to every signed-in user of the tree, and to the public without
 *   anything personal.
 */
export const canManageBrand = (actor: Actor, brand: { orgPath: string }) => administers(actor, brand.orgPath);

/** Brands, rounds and applications listed (`path` is the list's org path column): the viewer's admin subtree. */
export const brandsInScope = (actor: Actor, path: SQL): SQL => inAdminScope(actor, path);

export const canManageRound = (actor: Actor, round: { orgPath: string }) => administers(actor, round.orgPath);

/** A brand may enter a round when it lies in the round's subtree and the applicant keeps it. */
export const canApplyWith = (actor: Actor, round: { orgPath: string }, brand: { orgPath: string }) =>
  isWithin(brand.orgPath, round.orgPath) && administers(actor, brand.orgPath);

/**
 * Rounds an applicant sees (alias `r`): those run by an org above (or at) one the viewer administers,
 * so that a branch secretary finds the rounds of the levels above.
 */
export function roundsOpenTo(actor: Actor): SQL {
  if (actor.isPlatformAdmin) return sql`true`;
  if (actor.adminPaths.length === 0) return sql`false`;
  return sql`(${sql.join(actor.adminPaths.map((p) => sql`${p}::ltree <@ r.org_path`), sql` or `)})`;
}

/** Rounds the viewer may read: run in their subtree or open to them. */
export const visibleRounds = (actor: Actor): SQL => sql`(${inAdminScope(actor, sql`r.org_path`)} or ${roundsOpenTo(actor)})`;

/** The tops of the trees the viewer belongs to (their administered and read orgs, their member org). */
export function homeRoots(actor: Actor, memberPath: string | null): string[] {
  const paths = [...actor.adminPaths, ...(actor.readPaths ?? []), ...(memberPath ? [memberPath] : [])];
  return [...new Set(paths.map((p) => p.split('.')[0]!))];
}
