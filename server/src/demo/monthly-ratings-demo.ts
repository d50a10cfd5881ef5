import { sql } from 'drizzle-orm';
import { textArray } from '../platform/sql.js';
import { insertCampaign, writeResults } from '../modules/monthly_ratings/service.js';
import type { DemoContext } from './context.js';
import { createRandom, sample } from './generate.js';

type Row = Record<string, unknown>;

const DEEDS = [
  '牵头完成年度预算编制，连续加班两周，零差错按时报送。',
  '主动联系社区困难群众，帮助解决就医出行难题。',
  '在专项审计中发现并推动整改问题 12 个，挽回资金损失。',
  '带头开展“我为群众办实事”，窗口服务好评率 100%。',
  '利用业余时间为支部党员讲授微党课 3 次。',
  '防汛值守中冲锋在前，连续值守 72 小时。',
];

/**
 * 美丽党员 of the finance bureau's 机关党委: last month's list published (three stars), this month's
 * round voting now with six nominees, so the member's phone shows a ballot and the admin live tallies.
 */
export async function seedMonthlyRatingsDemo(context: DemoContext): Promise<void> {
  const { tx, committee, users, members, today } = context;
  const random = createRandom(20261208);
  const campaignId = await insertCampaign(tx, committee, users.bureau, {
    name: '每月“美丽党员”评选', places: 3, votesPerMember: 3, allowRecommendations: true, autoRounds: true, tieBreak: 'earlier_nomination',
    nominationFromDay: 1, nominationToDay: 10, votingFromDay: 15, votingToDay: 25,
  });
  const month = today.slice(0, 7);
  const [y, m] = month.split('-').map(Number) as [number, number];
  const previous = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  const hour = 3600_000;
  const at = (offset: number) => new Date(Date.now() + offset).toISOString();
  const rounds = (await tx.execute<{ id: string; month: string } & Row>(sql`
    insert into monthly_rating_rounds (campaign_id, month, nomination_opens_at, nomination_closes_at, voting_opens_at, voting_closes_at) values
      (${campaignId}, ${previous}, ${at(-40 * 24 * hour)}, ${at(-30 * 24 * hour)}, ${at(-25 * 24 * hour)}, ${at(-20 * 24 * hour)}),
      (${campaignId}, ${month}, ${at(-5 * 24 * hour)}, ${at(-2 * hour)}, ${at(-hour)}, ${at(7 * 24 * hour)})
    returning id::text, month`)).rows;
  const past = rounds.find((r) => r.month === previous)!.id;
  const current = rounds.find((r) => r.month === month)!.id;

  // nominees: members of the committee's branches, never the demo accounts (they vote)
  const people = (await tx.execute<{ id: string; org_id: string; org_path: string } & Row>(sql`
    select m.id::text, m.org_id::text, m.org_path::text from members m
    where m.org_path <@ ${committee.path}::ltree and m.left_at is null and m.id <> all(${textArray([members.bureau, members.secretary, members.member])}::bigint[])
    order by m.id limit 12`)).rows;
  if (people.length < 12) return;
  const voters = (await tx.execute<{ id: string } & Row>(sql`select m.id::text from members m where m.org_path <@ ${committee.path}::ltree and m.left_at is null
    and m.id <> ${members.member} order by m.id desc limit 40`)).rows.map((r) => r.id);
  for (const [roundId, group] of [[past, people.slice(0, 6)], [current, people.slice(6, 12)]] as const) {
    const ids = (await tx.execute<{ id: string } & Row>(sql`
      insert into monthly_rating_nominations (round_id, member_id, org_id, org_path, reasons, source, status, nominated_by, created_at)
      select ${roundId}, t.m, t.o, t.p::ltree, t.r, 'admin', 'approved', ${users.bureau}, now() - interval '3 days' + t.i * interval '1 minute'
      from unnest(${textArray(group.map((p) => p.id))}::bigint[], ${textArray(group.map((p) => p.org_id))}::bigint[], ${textArray(group.map((p) => p.org_path))}::text[],
                  ${textArray(group.map((_, i) => DEEDS[i]!))}::text[]) with ordinality t (m, o, p, r, i)
      returning id::text`)).rows.map((r) => r.id);
    const rows: [string, string, string][] = [];
    for (const voterId of voters) {
      const picks = sample(random, ids, random.int(1, 3));
      picks.forEach((nomination, i) => rows.push([voterId, String(i + 1), nomination]));
    }
    await tx.execute(sql`insert into monthly_rating_votes (round_id, voter_member_id, slot, nomination_id)
      select ${roundId}, t.v, t.s, t.n from unnest(${textArray(rows.map((r) => r[0]))}::bigint[], ${textArray(rows.map((r) => r[1]))}::int[],
        ${textArray(rows.map((r) => r[2]))}::bigint[]) t (v, s, n)`);
  }
  await writeResults(tx, past, users.bureau);
}
