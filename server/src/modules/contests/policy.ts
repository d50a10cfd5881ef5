import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, type Actor } from '../../platform/actor.js';
import type { MemberContext } from '../points/member-context.js';

/** A member may enter when their org is listed, or lies under a listed org whose subtree is included. */
export function isEntrant(memberOrgPath: string, contestAlias = 'c'): SQL {
  return sql`exists (select 1 from contest_orgs co where co.contest_id = ${sql.raw(contestAlias)}.id
    and (co.org_path = ${memberOrgPath}::ltree or (co.include_subtree and ${memberOrgPath}::ltree <@ co.org_path)))`;
}

/** Organizers are the admins of the contest's org and above: they set it up, cancel it and read its results. */
export const canOrganize = (actor: Actor, contest: { orgPath: string }) => administers(actor, contest.orgPath);

/** Contests a user sees: those they organize, and those they may enter. */
export const visibleContests = (actor: Actor, me: MemberContext | null): SQL =>
  sql`(${inAdminScope(actor, sql`c.org_path`)}${me ? sql` or ${isEntrant(me.orgPath)}` : sql``})`;
