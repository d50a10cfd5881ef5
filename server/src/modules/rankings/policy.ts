import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, isWithin, type Actor } from '../../platform/actor.js';
import { textArray } from '../../platform/sql.js';

/** A campaign is set up, scored, computed and published by the admins of its org and above (`c` is the campaigns alias). */
export const managedCampaigns = (actor: Actor): SQL => inAdminScope(actor, sql`c.org_path`);

/**
 * A published board is shown to the admins of every org in the campaign's tree (对表晒绩: each org sees
 * where it stands beside its peers), and to those who run the campaign before that (`p` the periods alias).
 */
export const boardReaders = (actor: Actor): SQL => {
  const inTree = actor.adminPaths.length === 0 ? sql`false`
    : sql`exists (select 1 from unnest(${textArray(actor.adminPaths)}::ltree[]) a (p) where a.p <@ c.org_path)`;
  return sql`(${managedCampaigns(actor)} or (p.status = 'published' and ${inTree}))`;
};

/** boardReaders for a board this process keeps: the campaign's org path and the period's status. */
export const mayReadBoard = (actor: Actor, campaignPath: string, status: string): boolean =>
  administers(actor, campaignPath) || (status === 'published' && actor.adminPaths.some((path) => isWithin(path, campaignPath)));

/** The orgs the actor runs themselves (the last id of each administered path): their rows are "mine" on a board. */
export const ownOrgIds = (actor: Actor): string[] => actor.adminPaths.map((path) => path.slice(path.lastIndexOf('.') + 1));
