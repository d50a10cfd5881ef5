import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, type Actor } from '../../platform/actor.js';

const memberPath = (actor: Actor) => sql`(select org_path from members where id = ${actor.memberId ?? null} and left_at is null)`;

/** Admins see the campaigns of their subtree; members see those of the own tree (and their totals). */
export function visibleCampaigns(actor: Actor): SQL {
  const member = actor.memberId ? sql` or coalesce(${memberPath(actor)} <@ subpath(k.org_path, 0, 1), false)` : sql``;
  return sql`(${inAdminScope(actor, sql`k.org_path`)}${member})`;
}

/** The ledger (donors' names) and its entries are for the admins of the campaign's org and above. */
export const canManageCampaign = (actor: Actor, campaign: { orgPath: string }) => administers(actor, campaign.orgPath);
