import { sql } from 'drizzle-orm';
import type { Actor } from '../platform/actor.js';
import type { Db } from '../platform/db.js';
import { textArray } from '../platform/sql.js';
import { awardMicroStar } from '../modules/commendations/honours.js';
import { approveNomination, awardRound, createNomination, createRound, openRoundNotice, setQuotas } from '../modules/commendations/service.js';
import type { DemoContext } from './context.js';

type Row = Record<string, unknown>;
const dayOffset = (today: string, days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * 表彰 in the demo: last year's 两优一先 of the finance bureau awarded after its 公示 (the demo member among the
 * 优秀共产党员 when qualified, the demo branch a 先进基层党组织), this year's round taking nominations with one
 * awaiting review, and two 微星光 of this month. Written through the module's service, as an admin would.
 */
export async function seedCommendationsDemo(context: DemoContext): Promise<void> {
  const { tx, committee, branch, users, members, today } = context;
  const db = tx as unknown as Db;
  const bureau: Actor = { userId: users.bureau, username: 'bureau', displayName: '市财政局机关党委', memberId: members.bureau, isPlatformAdmin: false, isJudge: false, adminPaths: [committee.path], ip: '127.0.0.1' };
  const secretary: Actor = { ...bureau, userId: users.secretary, username: 'secretary', memberId: members.secretary, adminPaths: [branch.path] };
  // qualified members of the branch (full, five years of party age), the demo member first when among them
  const candidates = (await tx.execute<{ id: string } & Row>(sql`
    select m.id::text from members m
     where m.org_path <@ ${branch.path}::ltree and m.left_at is null and m.stage = 'full' and m.joined_on < ${dayOffset(today, -6 * 366)}::date
       and m.id <> ${members.secretary}
     order by (m.id = ${members.member}) desc, m.id limit 4`)).rows.map((r) => r.id);
  if (candidates.length < 3) return;
  const year = Number(today.slice(0, 4));

  const last = await createRound(db, bureau, { orgId: committee.id, year: year - 1, title: `${year - 1}年度“两优一先”评选表彰`, kinds: ['outstanding_member', 'advanced_org'], nominationDeadline: today, minPartyYears: 1 });
  await setQuotas(db, bureau, last.id, { quotas: [{ orgId: branch.id, kind: 'outstanding_member', places: 2 }, { orgId: committee.id, kind: 'advanced_org', places: 1 }] });
  const deeds = ['牵头完成年度预算编制，连续加班两周，零差错按时报送。', '在专项审计中发现并推动整改问题 12 个，挽回资金损失。'];
  const made = [
    await createNomination(db, secretary, last.id, { orgId: branch.id, kind: 'outstanding_member', memberId: candidates[0]!, deeds: deeds[0]! }),
    await createNomination(db, secretary, last.id, { orgId: branch.id, kind: 'outstanding_member', memberId: candidates[1]!, deeds: deeds[1]! }),
    await createNomination(db, bureau, last.id, { orgId: committee.id, kind: 'advanced_org', candidateOrgId: branch.id, deeds: '支部标准化规范化建设走在前列，“三会一课”落实率 100%。' }),
  ];
  for (const n of made) await approveNomination(db, bureau, n.id);
  await openRoundNotice(db, bureau, last.id, { startsOn: dayOffset(today, -30), endsOn: dayOffset(today, -24) });
  await awardRound(db, bureau, last.id);
  // awarded on the day the 公示 ended a week later, as it would have been
  await tx.execute(sql`update honours set awarded_on = ${dayOffset(today, -20)}::date where round_id = ${last.id}`);
  await tx.execute(sql`update commendation_rounds set awarded_on = ${dayOffset(today, -20)}::date where id = ${last.id}`);

  const current = await createRound(db, bureau, { orgId: committee.id, year, title: `${year}年度“两优一先”评选表彰`, kinds: ['outstanding_member', 'outstanding_worker', 'advanced_org'], nominationDeadline: dayOffset(today, 30), minPartyYears: 1 });
  const children = (await tx.execute<{ id: string } & Row>(sql`select id::text from orgs where parent_id = ${committee.id} and dissolved_at is null order by id limit 6`)).rows.map((r) => r.id);
  await setQuotas(db, bureau, current.id, { quotas: [
    ...children.map((orgId) => ({ orgId, kind: 'outstanding_member' as const, places: orgId === branch.id ? 2 : 1 })),
    { orgId: branch.id, kind: 'outstanding_worker', places: 1 }, { orgId: committee.id, kind: 'advanced_org', places: 2 },
  ] });
  await createNomination(db, secretary, current.id, { orgId: branch.id, kind: 'outstanding_member', memberId: candidates[2]!, deeds: '主动联系社区困难群众，帮助解决就医出行难题。' });

  const month = today.slice(0, 7);
  for (const [memberId, reason] of [[candidates[3] ?? candidates[2]!, '防汛值守中冲锋在前，连续值守 72 小时。'], [members.member, '利用业余时间为支部党员讲授微党课。']] as const) {
    const isOnRoll = (await tx.execute<{ n: number } & Row>(sql`select count(*)::int as n from members where id = any(${textArray([memberId])}::bigint[]) and org_path <@ ${branch.path}::ltree and left_at is null`)).rows[0]!.n;
    if (Number(isOnRoll) > 0) await awardMicroStar(db, secretary, { memberId, month, reason });
  }
}
