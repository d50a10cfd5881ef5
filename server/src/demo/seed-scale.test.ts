import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedScale } from '../../../bench/seed-scale.js';
import type { Actor } from '../platform/actor.js';
import { startTestApp, type TestContext } from '../../test/harness.js';
import { getToday, questionIdsFor, submit } from '../modules/daily_quiz/service.js';
import { addDays, weekStartOf } from '../modules/points/member-context.js';
import { todayInChina } from '../../../contracts/china-time.js';

// The city-scale seed at a small size: the data it writes must be what the modules would have written.
let ctx: TestContext;
const rows = async <T extends Record<string, unknown>>(query: ReturnType<typeof sql>) => (await ctx.database.db.execute<T>(query)).rows;
const one = async (query: ReturnType<typeof sql>) => Number(Object.values((await rows(query))[0]!)[0]);

beforeAll(async () => {
  ctx = await startTestApp();
  await seedScale(ctx.database, ctx.app.cipher, { orgs: 1200, members: 5000, seed: 11 });
}, 180_000);
afterAll(async () => ctx?.close());

describe('seed:scale at a small size', () => {
  it('holds a year of 三会一课 with attendance of the branch\'s own party members, committees of five', async () => {
    const [span] = await rows<{ days: number; future: number }>(sql`
      select (max(starts_at)::date - min(starts_at)::date)::int as days, count(*) filter (where starts_at > now())::int as future from activities`);
    expect(span!.days).toBeGreaterThan(300);
    expect(span!.future).toBe(0);
    expect(await one(sql`select count(*) from activity_participants p join activities a on a.id = p.activity_id join members m on m.id = p.member_id
      where m.org_id <> a.org_id or m.stage not in ('probationary', 'full') or m.left_at is not null`)).toBe(0);
    expect(await one(sql`select count(*) from (select activity_id from activity_participants p join activities a on a.id = p.activity_id
      where a.type = 'branch_committee_meeting' group by activity_id having count(*) > 5) x`)).toBe(0);
    expect(await one(sql`select count(*) from activity_participants where (state in ('present', 'late')) <> (checked_in_at is not null)`)).toBe(0);
    const states = await rows<{ state: string; n: number }>(sql`select state, count(*)::int as n from activity_participants group by state`);
    expect(states.map((s) => s.state).sort()).toEqual(['absent', 'late', 'leave', 'present']);
  });

  it('has a daily-quiz history up to yesterday with consistent streaks, week banks and awards', async () => {
    const today = todayInChina();
    const [range] = await rows<{ n: number; last: string; takers: number }>(sql`
      select count(*)::int as n, max(quiz_date)::text as last, count(distinct member_id)::int as takers from daily_quiz_submissions`);
    expect(range!.n).toBeGreaterThan(1000);
    expect(range!.last).toBe(addDays(today, -1));
    // the streak is one more than the day before's, or 1 after a gap (what submit stores)
    expect(await one(sql`select count(*) from daily_quiz_submissions s
      left join daily_quiz_submissions y on y.member_id = s.member_id and y.quiz_date = s.quiz_date - 1
      where s.streak <> coalesce(y.streak, 0) + 1`)).toBe(0);
    expect(await one(sql`select count(*) from daily_quiz_submissions s join members m on m.id = s.member_id where m.org_path <> s.org_path`)).toBe(0);
    // every answer is a question of that week's frozen bank, none repeats within the member's week
    expect(await one(sql`select count(*) from daily_quiz_submissions s
      left join daily_quiz_weeks w on w.week_start = date_trunc('week', s.quiz_date)::date
      where w.week_start is null or jsonb_array_length(s.answers) <> s.question_count
         or exists (select 1 from jsonb_array_elements(s.answers) a where not ((a->>'questionId')::bigint = any (w.question_ids)))`)).toBe(0);
    expect(await one(sql`select count(*) from (select s.member_id, date_trunc('week', s.quiz_date), a->>'questionId'
      from daily_quiz_submissions s, jsonb_array_elements(s.answers) a group by 1, 2, 3 having count(*) > 1) x`)).toBe(0);
    // the award of each submission with a right answer, capped per day, and no other quiz award
    expect(await one(sql`select count(*) from daily_quiz_submissions s
      left join points_ledger l on l.rule = 'daily_quiz_correct' and l.source_type = 'daily_quiz_submission' and l.source_id = s.id::text
      where (s.correct_count > 0) <> (l.id is not null) or l.points <> least(2 * s.correct_count, 10) or l.occurred_on <> s.quiz_date`)).toBe(0);
    expect(await one(sql`select count(*) from points_ledger where rule = 'daily_quiz_correct' and source_type <> 'daily_quiz_submission'`)).toBe(0);
  });

  it('lets a seeded member with yesterday\'s answers continue the streak today through the real service', async () => {
    const yesterday = addDays(todayInChina(), -1);
    const [m] = await rows<{ member_id: string; streak: number }>(sql`
      select s.member_id::text, s.streak from daily_quiz_submissions s join members m on m.id = s.member_id
       where s.quiz_date = ${yesterday}::date and m.left_at is null order by s.streak desc, s.member_id limit 1`);
    const actor: Actor = { userId: '1', username: 'seed-test', displayName: 'seed-test', memberId: m!.member_id, isPlatformAdmin: false, isJudge: false, adminPaths: [], ip: '127.0.0.1' };
    const today = await getToday(ctx.database.db, actor);
    expect(today.streak).toBe(Number(m!.streak));
    expect(today.submission).toBeNull();
    const week = (await rows<{ ids: string[] }>(sql`select question_ids::text[] as ids from daily_quiz_weeks where week_start = ${weekStartOf(today.date)}::date`))[0]!;
    expect(today.questions.map((q) => q.id)).toEqual(questionIdsFor(m!.member_id, today.date, { questionIds: week.ids, questionsPerDay: 5 }));
    const submitted = await submit(ctx.database, actor, { answers: today.questions.map((q) => ({ questionId: q.id, response: q.type === 'true_false' ? true : q.type === 'fill_blank' ? ['按期'] : q.type === 'multiple' ? ['A', 'C'] : 'A' })) });
    expect(submitted.streak).toBe(Number(m!.streak) + 1);
  });

  it('leaves the totals kept by triggers right: org member counts and points per period', async () => {
    expect(await one(sql`select count(*) from org_member_counts c
      full join (select org_id, count(*)::int as n from members where stage in ('probationary', 'full') and left_at is null group by org_id) m on m.org_id = c.org_id
      where coalesce(c.party_members, 0) <> coalesce(m.n, 0)`)).toBe(0);
    for (const period of ['week', 'month', 'year'] as const) {
      expect(await one(sql`select count(*) from (select * from points_totals where period = ${period}) t
        full join (select member_id, date_trunc(${period}, occurred_on::timestamp)::date as start, sum(points)::int as points from points_ledger group by 1, 2) l
          on l.member_id = t.member_id and l.start = t.period_start
        where t.points is distinct from l.points`)).toBe(0);
    }
    expect(await one(sql`select count(*) from points_totals where period = 'week'`)).toBeGreaterThan(1000);
    // each total on its member's place (none for members who left), and the board lengths
    expect(await one(sql`select count(*) from points_totals t join members m on m.id = t.member_id
      where t.path is distinct from case when m.left_at is null then m.org_path::text || '.' end`)).toBe(0);
    expect(await one(sql`select count(*) from orgs o left join org_member_counts c on c.org_id = o.id
      where coalesce(c.subtree_members, 0) <> (select count(*) from members m where m.org_path <@ o.path and m.left_at is null)`)).toBe(0);
  });

  it('has service projects whose status, progress and milestones agree, volunteering and micro-wishes', async () => {
    expect(await one(sql`select count(*) from service_projects`)).toBeGreaterThan(100);
    expect(await one(sql`select count(*) from service_projects where (status = 'done') <> (progress = 100) or (status = 'planned') <> (progress = 0)
      or (status = 'done') <> (completed_on is not null) or started_on > current_date and status <> 'planned'`)).toBe(0);
    expect(await one(sql`select count(*) from service_projects p where not exists (select 1 from service_project_milestones s where s.project_id = p.id)
      or not exists (select 1 from service_project_events e where e.project_id = p.id and e.action = 'create')`)).toBe(0);
    expect(await one(sql`select count(*) from service_project_milestones s join service_projects p on p.id = s.project_id
      where p.status = 'done' and s.done_on is null or p.status = 'planned' and s.done_on is not null`)).toBe(0);
    expect(await one(sql`select count(*) from volunteer_signups v join volunteer_projects p on p.id = v.project_id join members m on m.id = v.member_id
      where m.org_id <> p.org_id or (v.attended is not null) <> (p.ends_at < now())`)).toBe(0);
    expect(await one(sql`select count(*) from volunteer_signups`)).toBeGreaterThan(0);
    expect(await one(sql`select count(distinct status) from micro_wishes`)).toBe(6);
  });
});
