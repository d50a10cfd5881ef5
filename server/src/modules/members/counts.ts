import { sql, type SQL } from 'drizzle-orm';
import { chinaDateOf } from '../../platform/china-time.js';

/**
 * The party members of each asked org's subtree on the roll on `day`, as SQL for another module's
 * computed indicator (platform/indicator-query.ts): `asked` names a relation (org_id bigint, org_path
 * ltree). One row per (asked org, member) with the columns
 *
 *   org_id, member_id (bigint), member_name, member_org_id (text), member_org (the member's org's name)
 *
 * A party member on the roll on a day: 预备 or 正式党员 now, admitted by that day (or with no admission
 * date recorded), and not left before it (left_on, the day leaving took effect, after that day). The
 * org is the member's present one (a member who left is counted where they left from). The subtree
 * condition is `<@` on members_org_path_gist.
 */
export function partyMembersOnRoll(asked: SQL, day: string): SQL {
  return sql`
    select a.org_id, m.id as member_id, m.name as member_name, m.org_id::text as member_org_id, mo.name as member_org
      from ${asked} a
      join members m on m.org_path <@ a.org_path
      join orgs mo on mo.id = m.org_id
     where m.stage in ('probationary', 'full')
       and (m.joined_on is null or m.joined_on <= ${day}::date)
       and (m.left_at is null or coalesce(m.left_on, ${chinaDateOf(sql`m.left_at`)}) > ${day}::date)`;
}

/**
 * One member's name and present org, for another module's records that carry a member id: a lateral
 * subquery on the members' and orgs' primary keys, columns member_name, member_org_id (text), member_org.
 * Use as `left join lateral ${memberNamed(sql`x.member_id`)} mm on true`.
 */
export function memberNamed(memberId: SQL): SQL {
  return sql`(select m.name as member_name, m.org_id::text as member_org_id, mo.name as member_org
                from members m join orgs mo on mo.id = m.org_id where m.id = ${memberId})`;
}
