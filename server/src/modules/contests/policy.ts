import { sql, type SQL } from 'drizzle-orm';

/** Organizers are the admins of the contest's org (inAdminScope on contests.org_path). A member may enter when their org is listed, or lies under a listed org whose subtree is included. */
export function isEntrant(memberOrgPath: string, contestAlias = 'c'): SQL {
  return sql`exists (select 1 from contest_orgs co where co.contest_id = ${sql.raw(contestAlias)}.id
    and (co.org_path = ${memberOrgPath}::ltree or (co.include_subtree and ${memberOrgPath}::ltree <@ co.org_path)))`;
}
