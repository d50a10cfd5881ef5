import { sql, type SQL } from 'drizzle-orm';
import { administers, isWithin, type Actor } from '../../platform/actor.js';
import { textArray } from '../../platform/sql.js';

/** A panel's results and judges are the business of its org's administrators (and those above). */
export const canReadPanelResults = (actor: Actor, panel: { orgPath: string }) => administers(actor, panel.orgPath);

/** A panel is set up by an administrator of its org, through the owning module. */
export const canCreatePanel = (actor: Actor, org: { path: string }) => administers(actor, org.path);

/**
 * Conflict of interest: an entry whose org lies in a judge's home subtree, or contains a home org,
 * is neither shown to nor scored by that judge (`e` is the judging_entries alias).
 */
export function notConflicted(homePaths: readonly string[]): SQL {
  if (!homePaths.length) return sql`true`;
  return sql`not exists (select 1 from unnest(${textArray([...homePaths])}::ltree[]) h (path) where e.org_path <@ h.path or h.path <@ e.org_path)`;
}

/** The same rule on paths in memory, for the administrators' view of each judge's share. */
export const isConflicted = (homePaths: readonly string[], entryPath: string) =>
  homePaths.some((home) => isWithin(entryPath, home) || isWithin(home, entryPath));

/** The panels the actor sits on as a judge (`p` is the judging_panels alias). */
export const judgesPanel = (actor: Actor): SQL =>
  sql`exists (select 1 from judging_panel_judges j where j.panel_id = p.id and j.user_id = ${actor.userId})`;
