import { sql, type SQL } from 'drizzle-orm';

/**
 * Who is told about an org's due work: the administrators of the org itself (a branch's secretary
 * and committee), or, for an org without its own administrators, those of the nearest org above it
 * that has some: the work is theirs to see to. Disabled accounts are left out by deliver().
 * `orgId` is an SQL expression of the org's id; the result selects one column, user_id.
 */
export function adminsNearest(orgId: SQL): SQL {
  return sql`
    select ranked.user_id from (
      select ur.user_id, rank() over (order by nlevel(ao.path) desc) as nearness
        from orgs o
        join orgs ao on ao.path @> o.path and ao.dissolved_at is null
        join user_roles ur on ur.org_id = ao.id and ur.role = 'org_admin'
       where o.id = ${orgId}) ranked
     where ranked.nearness = 1`;
}

/** A member is reached through the user account linked to the member record (users.member_id), while a member. */
export function usersOfMembers(memberId: SQL): SQL {
  return sql`select u.id as user_id from users u join members m on m.id = u.member_id and m.left_at is null where u.member_id = ${memberId}`;
}
