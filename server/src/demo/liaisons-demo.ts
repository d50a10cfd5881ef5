import { sql } from 'drizzle-orm';
import { audit } from '../platform/audit.js';
import type { DemoContext } from './context.js';

/*
 * Read-only access in the demo (issue #15): the `liaison` account — a party member of the finance
 * bureau's committee office, 组织委员 — liaises with the demo secretary's branch since 2025 and has sat
 * in on two of its meetings; the `inspector` account (督查) reads the whole demo bureau. The assignment
 * starts on a fixed day long past, so what the accounts see does not depend on today's date.
 */

export interface ReadOnlyDemoUsers { liaison: string; inspector: string }

/**
 * The two accounts, made before the other modules' demo data so that the liaison, a member of the
 * bureau, is among the recipients of its notices and messages like any member.
 */
export async function createReadOnlyDemoAccounts(context: DemoContext, accounts: { liaison: { username: string; hash: string }; inspector: { username: string; hash: string } }): Promise<ReadOnlyDemoUsers> {
  const { tx, committee, branch } = context;
  // a member of the bureau outside the branch, not yet an account: the committee member who liaises
  const member = (await tx.execute<{ id: string; name: string } & Record<string, unknown>>(sql`
    select m.id::text, m.name from members m
     where m.org_path <@ ${committee.path}::ltree and not m.org_path <@ ${branch.path}::ltree and m.left_at is null and m.stage = 'full'
       and not exists (select 1 from users u where u.member_id = m.id)
     order by m.id limit 1`)).rows[0]!;
  const created = (await tx.execute<{ id: string; username: string } & Record<string, unknown>>(sql`
    insert into users (username, display_name, password_hash, member_id) values
      (${accounts.liaison.username}, ${member.name}, ${accounts.liaison.hash}, ${member.id}),
      (${accounts.inspector.username}, '机关工委督查组', ${accounts.inspector.hash}, null)
    returning id::text, username`)).rows;
  const liaison = created.find((u) => u.username === accounts.liaison.username)!.id;
  const inspector = created.find((u) => u.username === accounts.inspector.username)!.id;
  await tx.execute(sql`insert into user_roles (user_id, role, org_id) values (${liaison}, 'member', null), (${inspector}, 'inspector', ${committee.id})`);
  return { liaison, inspector };
}

/** The liaison's assignment to the demo branch (since a fixed day) and their 旁听 of two of its meetings. */
export async function seedLiaisonsDemo(context: DemoContext, { liaison }: ReadOnlyDemoUsers): Promise<void> {
  const { tx, committee, branch, users } = context;
  // the liaison is a member whose own pages are alive like the other accounts' (volunteered, reported to a
  // community, clocked in): the account, made before those demos ran, moves to the first such member of the bureau,
  // one with a 补学 task first (left to chance, on 2026-12-07 the first such member had none: 我的补学 was empty)
  await tx.execute(sql`
    with served as (
      select m.id, m.name from members m
       where m.org_path <@ ${committee.path}::ltree and not m.org_path <@ ${branch.path}::ltree and m.left_at is null and m.stage = 'full'
         and not exists (select 1 from users u where u.member_id = m.id)
         and exists (select 1 from volunteer_signups s where s.member_id = m.id and s.attended)
         and exists (select 1 from community_reports r where r.member_id = m.id)
         and exists (select 1 from clock_ins c where c.member_id = m.id)
       order by exists (select 1 from make_up_tasks t where t.member_id = m.id) desc, m.id limit 1)
    update users u set member_id = served.id, display_name = served.name from served where u.id = ${liaison}`);
  const member = (await tx.execute<{ name: string } & Record<string, unknown>>(sql`select display_name as name from users where id = ${liaison}`)).rows[0]!;
  const assignment = (await tx.execute<{ id: string } & Record<string, unknown>>(sql`
    insert into org_liaisons (user_id, org_id, org_path, duty, from_date, assigned_by, created_at)
    values (${liaison}, ${branch.id}, ${branch.path}::ltree, '组织委员', '2025-01-01', ${users.bureau}, '2025-01-01T09:00:00+08:00')
    returning id::text`)).rows[0]!.id;
  const bureauActor = { userId: users.bureau, username: 'bureau', ip: '127.0.0.1' };
  await audit(tx, bureauActor, { action: 'liaison.assign', targetType: 'liaison', targetId: assignment, orgPath: branch.path, detail: { name: `${member.name} · ${branch.name}` } });

  // 旁听 of the branch's two latest meetings held (the activities demo holds a year of them)
  const held = (await tx.execute<{ id: string; org_id: string; org_path: string; title: string; starts_at: string } & Record<string, unknown>>(sql`
    select id::text, org_id::text, org_path::text, title, starts_at::text from activities
     where org_path = ${branch.path}::ltree and status = 'closed' and type in ('branch_general_meeting', 'branch_committee_meeting', 'party_lesson')
     order by starts_at desc limit 2`)).rows;
  const notes = [
    ['会议按程序进行，书记领学有准备，党员发言联系业务实际。个别党员发言较简短。', '会前把学习材料提前发给党员，发言可更聚焦问题。'],
    ['支委会议题明确，民主讨论充分，决议形成规范，记录完整。', null],
  ] as const;
  if (held.length) {
    await tx.execute(sql`insert into liaison_sit_ins (liaison_id, user_id, org_id, org_path, activity_id, activity_title, activity_starts_at, sat_in_on, observations, suggestions)
      values ${sql.join(held.map((a, i) => sql`(${assignment}, ${liaison}, ${a.org_id}, ${a.org_path}::ltree, ${a.id}, ${a.title}, ${a.starts_at}::timestamptz,
        (${a.starts_at}::timestamptz at time zone 'Asia/Shanghai')::date, ${notes[i]![0]}, ${notes[i]![1]})`), sql`, `)}`);
  }
}
