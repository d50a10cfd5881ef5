import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, type Actor } from '../../platform/actor.js';
import { textArray } from '../../platform/sql.js';

/** The organizer: administrators of the selection's org (and above) check entries, judge, publish. */
export const canManageSelection = (actor: Actor, selection: { orgPath: string }) => administers(actor, selection.orgPath);

/** An org enters lessons through its own administrators (or those above it), within the selection's subtree. */
export const canEnterFor = (actor: Actor, org: { path: string }) => administers(actor, org.path);

/**
 * Selections (alias `s`) the actor sees: those they organize, and those an org they administer may
 * enter (the selection's org is that org or above it).
 */
export function selectionsInScope(actor: Actor): SQL {
  if (actor.isPlatformAdmin) return sql`true`;
  if (actor.adminPaths.length === 0) return sql`false`;
  return sql`(${inAdminScope(actor, sql.raw('s.org_path'))} or s.org_path @> any(${textArray(actor.adminPaths)}::ltree[]))`;
}

/** Entries (alias `e`) of a selection the actor sees: all when organizing, else their subtree's. */
export const entriesInScope = (actor: Actor, organizer: boolean): SQL =>
  organizer ? sql`true` : inAdminScope(actor, sql.raw('e.org_path'));

/**
 * The published winners (alias `s` for the selection) a signed-in user reads: selections run by
 * their member org or above it, or by an org they administer or above/below it.
 */
export function winnersVisible(actor: Actor, memberOrgPath: string | null): SQL {
  if (actor.isPlatformAdmin) return sql`true`;
  const paths = [...actor.adminPaths, ...(memberOrgPath ? [memberOrgPath] : [])];
  if (paths.length === 0) return sql`false`;
  return sql`(s.org_path @> any(${textArray(paths)}::ltree[]) or ${inAdminScope(actor, sql.raw('s.org_path'))})`;
}
