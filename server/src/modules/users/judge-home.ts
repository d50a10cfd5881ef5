import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db.js';
import { textArray } from '../../platform/sql.js';

/**
 * A judge's home orgs, for the judging module's conflict of interest: the orgs of their judge role
 * grants, else the org of their member record (while a member); none for a judge granted without an
 * org and without a member record. Answers the current ltree path of each, per user.
 */
export async function judgeHomePaths(q: Queryable, userIds: readonly string[]): Promise<Map<string, string[]>> {
  const homes = new Map<string, string[]>(userIds.map((id) => [id, []]));
  if (!userIds.length) return homes;
  const rows = await q.execute<{ user_id: string; path: string } & Record<string, unknown>>(sql`
    with asked as (select unnest(${textArray([...userIds])}::bigint[]) as user_id),
    granted as (
      select r.user_id, o.path from user_roles r join orgs o on o.id = r.org_id
       where r.user_id in (select user_id from asked) and r.role = 'judge'
    )
    select user_id::text, path::text from granted
    union all
    select u.id::text, m.org_path::text from users u join members m on m.id = u.member_id and m.left_at is null
     where u.id in (select user_id from asked) and not exists (select 1 from granted g where g.user_id = u.id)`);
  for (const row of rows.rows) homes.get(String(row.user_id))?.push(row.path);
  return homes;
}

/** The ids among `ids` of accounts that exist and are not disabled, with their display names. */
export async function enabledUsers(q: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await q.execute<{ id: string; display_name: string } & Record<string, unknown>>(sql`
    select id::text, display_name from users where id = any(${textArray([...ids])}::bigint[]) and disabled_at is null`);
  return new Map(rows.rows.map((r) => [r.id, r.display_name]));
}
