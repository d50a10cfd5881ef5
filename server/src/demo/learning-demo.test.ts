import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startTestApp, type Client, type TestContext } from '../../test/harness.js';
import { addDays } from '../modules/points/member-context.js';
import { todayInChina } from '../../../contracts/china-time.js';
import { questionProblems, type AnswerKey, type QuestionType, type Response } from '../../../contracts/exams.js';
import { DEMO_ACCOUNTS, seedDemo } from './seed-demo.js';
import { DEMO_QUESTIONS } from './learning-questions.js';

// The learning side of the demo through the API, as each demo account sees it: the member's daily
// quiz, open exam, plans and courses; the organizers' boards, results, progress and question bank.

let ctx: TestContext;
let admin: Client, bureau: Client, secretary: Client, member: Client;
let seedMs = 0;

type Board = { items: { rank: number; memberId: string; points: number }[]; total: number; orgId: string; from: string; me: { rank: number; points: number } | null };
const json = <T>(res: { statusCode: number; body: string; json(): unknown }, status = 200): T => {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
};
/** Every page of a member board. */
async function fullBoard(client: Client, query: string): Promise<Board> {
  const first = json<Board>(await client.get(`/api/points/leaderboard/members?${query}&pageSize=100&page=1`));
  const items = [...first.items];
  for (let page = 2; items.length < first.total; page++) items.push(...json<Board>(await client.get(`/api/points/leaderboard/members?${query}&pageSize=100&page=${page}`)).items);
  return { ...first, items };
}
/** The right response to each question, read from the bank (the API never shows a key before grading). */
async function rightAnswers(ids: string[]): Promise<Map<string, Response>> {
  const rows = (await ctx.database.db.execute<{ id: string; type: QuestionType; answer: string } & Record<string, unknown>>(sql`
    select id::text, type, answer::text from questions where id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`)).rows;
  return new Map(rows.map((r) => {
    const key = JSON.parse(r.answer) as AnswerKey;
    return [r.id, r.type === 'fill_blank' ? (key as string[][]).map((alternatives) => alternatives[0]!) : (key as Response)];
  }));
}

beforeAll(async () => {
  ctx = await startTestApp();
  const started = performance.now();
  await seedDemo(ctx.database.db, ctx.app.cipher);
  seedMs = performance.now() - started;
  admin = await login(ctx.app, DEMO_ACCOUNTS.admin);
  bureau = await login(ctx.app, DEMO_ACCOUNTS.bureau);
  secretary = await login(ctx.app, DEMO_ACCOUNTS.secretary);
  member = await login(ctx.app, DEMO_ACCOUNTS.member);
}, 600_000);
afterAll(async () => ctx?.close());

describe('learning demo', () => {
  it('writes a well-formed question bank of about 150 questions of every type', async () => {
    console.log(`seedDemo with learning: ${Math.round(seedMs)} ms (${ctx.database.kind})`);
    expect(DEMO_QUESTIONS.length).toBeGreaterThanOrEqual(140);
    for (const q of DEMO_QUESTIONS) expect(questionProblems(q), q.stem).toEqual([]);
    expect(new Set(DEMO_QUESTIONS.map((q) => q.stem)).size).toBe(DEMO_QUESTIONS.length);
    for (const client of [admin, bureau, secretary]) {
      const bank = json<{ total: number; items: { type: string }[] }>(await client.get('/api/questions?pageSize=100'));
      expect(bank.total).toBe(DEMO_QUESTIONS.length);
      expect(new Set(bank.items.map((q) => q.type))).toEqual(new Set(['single', 'multiple', 'true_false', 'fill_blank']));
    }
    const settings = json<{ questionsPerDay: number; bankSize: number }>(await admin.get('/api/daily-quiz/settings'));
    expect(settings.bankSize).toBeGreaterThanOrEqual(settings.questionsPerDay * 7);
  });

  it("lets the member take today's quiz and see their points and rank move", async () => {
    const today = json<{ date: string; questions: { id: string }[]; submission: unknown; streak: number }>(await member.get('/api/daily-quiz/today'));
    expect(today.date).toBe(todayInChina());
    expect(today.submission).toBeNull();
    const { questionsPerDay } = json<{ questionsPerDay: number }>(await admin.get('/api/daily-quiz/settings'));
    expect(today.questions).toHaveLength(questionsPerDay);
    // the member answered on earlier days: there is a history behind the streak and the points
    const history = json<{ total: number }>(await member.get('/api/points/ledger?rule=daily_quiz_correct&pageSize=1'));
    expect(history.total).toBeGreaterThan(0);

    const mineBefore = json<{ today: number; thisWeek: number; thisYear: number }>(await member.get('/api/points/me'));
    const yearBefore = await fullBoard(member, 'period=year');
    const weekBefore = await fullBoard(member, 'period=week');
    // somewhere in the middle of the branch's board for the year: some ahead, some behind
    expect(yearBefore.me!.rank).toBeGreaterThan(1);
    expect(yearBefore.items.filter((x) => x.points < yearBefore.me!.points).length).toBeGreaterThan(0);

    const keys = await rightAnswers(today.questions.map((q) => q.id));
    const submitted = json<{ correctCount: number; points: number; streak: number }>(await member.post('/api/daily-quiz/submissions', {
      answers: today.questions.map((q) => ({ questionId: q.id, response: keys.get(q.id)! })),
    }), 201);
    const rule = json<{ items: { code: string; points: number; dailyCap: number }[] }>(await member.get('/api/points/rules')).items.find((r) => r.code === 'daily_quiz_correct')!;
    expect(submitted.correctCount).toBe(questionsPerDay);
    expect(submitted.points).toBe(Math.min(rule.points * questionsPerDay, rule.dailyCap));
    expect(submitted.points).toBeGreaterThan(0);

    const mineAfter = json<{ today: number; thisWeek: number; thisYear: number }>(await member.get('/api/points/me'));
    expect(mineAfter.today).toBe(mineBefore.today + submitted.points);
    expect(mineAfter.thisYear).toBe(mineBefore.thisYear + submitted.points);
    for (const [before, period] of [[yearBefore, 'year'], [weekBefore, 'week']] as const) {
      const after = await fullBoard(member, `period=${period}`);
      expect(after.me!.points).toBe(before.me!.points + submitted.points);
      // the rank is the one the list shows, and it moved up by everyone overtaken
      expect(after.me!.rank).toBe(1 + after.items.filter((x) => x.points > after.me!.points).length);
      const overtaken = before.items.filter((x) => x.points > before.me!.points && x.points <= after.me!.points).length;
      // early on a Monday (or New Year's Day) the member may have had no points in the period yet: no rank then
      if (before.me!.rank === null) expect(before.me!.points).toBe(0);
      else expect(after.me!.rank).toBe(before.me!.rank - overtaken);
      expect(after.items.find((x) => x.points === after.me!.points && x.rank === after.me!.rank)).toBeDefined();
    }
    // a second submission the same day is refused
    expect((await member.post('/api/daily-quiz/submissions', { answers: today.questions.map((q) => ({ questionId: q.id, response: keys.get(q.id)! })) })).statusCode).toBe(409);
  });

  it('shows the member the open exam, which they start, answer and submit', async () => {
    type MyExam = { id: string; title: string; status: string; attemptsUsed: number; bestScore: number | null; makeUpOf: string | null };
    const mine = json<{ items: MyExam[] }>(await member.get('/api/exams/mine')).items;
    const open = mine.find((e) => e.status === 'open')!;
    expect(open).toBeDefined();
    expect(open.attemptsUsed).toBe(0);
    const past = mine.find((e) => e.status === 'closed' && e.makeUpOf === null)!;
    expect(past.attemptsUsed).toBe(1);
    expect(past.bestScore).not.toBeNull();

    const before = json<{ byRule: { rule: string; points: number }[] }>(await member.get('/api/points/me'));
    const started = await member.post(`/api/exams/${open.id}/attempts`);
    expect([200, 201]).toContain(started.statusCode);
    const attempt = started.json() as { id: string; status: string; questions: { id: string; score: number }[]; totalScore: number };
    expect(attempt.status).toBe('in_progress');
    expect(attempt.questions.length).toBeGreaterThanOrEqual(10);
    const keys = await rightAnswers(attempt.questions.map((q) => q.id));
    for (const q of attempt.questions) json(await member.put(`/api/exam-attempts/${attempt.id}/answers/${q.id}`, { response: keys.get(q.id)! }));
    const graded = json<{ status: string; score: number; isPassed: boolean }>(await member.post(`/api/exam-attempts/${attempt.id}/submit`, {}));
    expect(graded).toMatchObject({ status: 'submitted', score: attempt.totalScore, isPassed: true });
    const after = json<{ byRule: { rule: string; points: number }[] }>(await member.get('/api/points/me'));
    const passPoints = (x: typeof before) => x.byRule.find((r) => r.rule === 'exam_pass')?.points ?? 0;
    expect(passPoints(after)).toBeGreaterThan(passPoints(before));
  });

  it('shows the member study plans in progress, courses, articles, clock-ins and contests', async () => {
    const plans = json<{ items: { id: string; itemCount: number; doneCount: number }[] }>(await member.get('/api/learning/plans')).items;
    expect(plans.length).toBeGreaterThanOrEqual(2);
    expect(plans.some((p) => p.doneCount > 0 && p.doneCount < p.itemCount)).toBe(true);
    const courses = json<{ items: { lessonCount: number; completedLessons: number; isCompleted: boolean; kind: string }[] }>(await member.get('/api/learning/courses')).items;
    expect(courses.length).toBeGreaterThanOrEqual(4);
    expect(courses.some((c) => c.isCompleted)).toBe(true);
    expect(courses.some((c) => c.completedLessons > 0 && c.completedLessons < c.lessonCount)).toBe(true);
    const articles = json<{ items: { isRead: boolean; readCount: number }[] }>(await member.get('/api/learning/articles')).items;
    expect(articles.length).toBeGreaterThan(0);
    expect(articles.every((a) => a.readCount > 0)).toBe(true);
    const clockIns = json<{ total: number; items: { day: string }[] }>(await member.get('/api/learning/clock-ins'));
    expect(clockIns.total).toBeGreaterThan(0);
    expect(clockIns.items.some((c) => c.day === todayInChina())).toBe(false);
    expect(json<{ points: number }>(await member.post('/api/learning/clock-ins', { note: '学习党章第二章“党的组织制度”' }), 201).points).toBe(1);
    const contests = json<{ items: { status: string; myEntry: { score: number | null; rank: number | null } | null; entryCount: number }[] }>(await member.get('/api/contests')).items;
    const closed = contests.find((c) => c.status === 'closed')!;
    expect(closed.entryCount).toBeGreaterThan(50);
    expect(closed.myEntry?.rank).toBeGreaterThan(0);
    expect(contests.some((c) => c.status === 'upcoming')).toBe(true);
  });

  it('gives each organizer a non-empty board whose figures equal the lists they open', async () => {
    // the boards of the week and the month that hold yesterday: full days of the demo's activity whatever the hour
    // (early on a Monday this week's board holds only those who answered after midnight)
    const yesterday = addDays(todayInChina(), -1);
    for (const client of [admin, bureau, secretary]) {
      const board = json<Board>(await client.get(`/api/points/leaderboard/members?period=month&date=${yesterday}&pageSize=20`));
      expect(board.items.length).toBeGreaterThan(0);
      expect(board.items[0]!.points).toBeGreaterThan(0);
      expect(new Set(board.items.map((x) => x.points)).size).toBeGreaterThan(1);
    }
    const orgs = json<{ items: { orgId: string; orgName: string; memberCount: number; totalPoints: number }[] }>(await admin.get(`/api/points/leaderboard/orgs?period=week&date=${yesterday}&pageSize=100`));
    expect(orgs.items.length).toBeGreaterThanOrEqual(10);
    const committeeId = (await ctx.database.db.execute<{ id: string } & Record<string, unknown>>(sql`
      select o.id::text from orgs o join orgs p on p.id = o.parent_id where o.name = '市财政局机关党委' and p.parent_id is null`)).rows[0]!.id;
    const line = orgs.items.find((o) => o.orgId === committeeId)!;
    expect(line.totalPoints).toBeGreaterThan(0);
    // the org's line divides its points by all its members; its member board ranks those who earned points this week
    const members = await fullBoard(bureau, `period=week&date=${yesterday}&orgId=${committeeId}`);
    const [earners] = (await ctx.database.db.execute<{ n: number } & Record<string, unknown>>(sql`
      select count(*)::int as n from points_totals t join members m on m.id = t.member_id
       where t.period = 'week' and t.period_start = ${members.from}::date and t.points > 0 and m.left_at is null
         and m.org_path <@ (select path from orgs where id = ${committeeId})`)).rows;
    expect(members.total).toBe(Number(earners!.n));
    expect(members.items).toHaveLength(members.total);
    expect(members.total).toBeLessThanOrEqual(line.memberCount);
    expect(members.items.reduce((s, x) => s + x.points, 0)).toBe(line.totalPoints);
    // the totals kept by the trigger are the sums of the ledger
    const [drift] = (await ctx.database.db.execute<{ n: number } & Record<string, unknown>>(sql`
      select count(*)::int as n from (select p.period, p.period_start, l.member_id, sum(l.points)::int as points from points_ledger l
        cross join lateral points_periods(l.occurred_on) p group by 1, 2, 3) s
        full join points_totals t using (period, period_start, member_id) where s.points is distinct from t.points`)).rows;
    expect(Number(drift!.n)).toBe(0);
    const participation = json<{ total: { submittedCount: number; memberCount: number } }>(await admin.get(`/api/daily-quiz/participation?date=${addDays(todayInChina(), -1)}`));
    expect(participation.total.submittedCount).toBeGreaterThan(0);
    expect(participation.total.submittedCount).toBeLessThan(participation.total.memberCount);
  });

  it("shows the bureau the year's test with passes, failures, absentees and its make-up", async () => {
    type Exam = { id: string; status: string; makeUpOf: string | null; makeUpId: string | null; participantCount: number };
    const exams = json<{ items: Exam[]; total: number }>(await bureau.get('/api/exams?pageSize=50'));
    expect(exams.total).toBe(exams.items.length);
    const main = exams.items.find((e) => e.status === 'closed' && e.makeUpId)!;
    const makeUp = exams.items.find((e) => e.id === main.makeUpId)!;
    expect(exams.items.some((e) => e.status === 'open')).toBe(true);
    type Results = { summary: { participants: number; participated: number; passRate: number | null }; people: { hasAttempted: boolean; viaMakeUp: boolean; isPassed: boolean | null }[] };
    const results = json<Results>(await bureau.get(`/api/exams/${main.id}/results`));
    expect(results.summary.participants).toBe(main.participantCount);
    expect(results.people).toHaveLength(main.participantCount);
    expect(results.summary.participated).toBe(results.people.filter((p) => p.hasAttempted).length);
    expect(results.people.some((p) => p.isPassed === true)).toBe(true);
    expect(results.people.some((p) => p.isPassed === false)).toBe(true);
    expect(results.people.some((p) => p.viaMakeUp)).toBe(true);
    expect(results.people.some((p) => !p.hasAttempted)).toBe(true);
    const absentees = json<{ items: unknown[] }>(await bureau.get(`/api/exams/${main.id}/absentees`));
    expect(absentees.items).toHaveLength(makeUp.participantCount);
  });

  it('shows study-plan progress to the bureau and the secretary, with members done, under way and not started', async () => {
    for (const client of [bureau, secretary]) {
      const plans = json<{ items: { id: string; orgId: string; itemCount: number }[] }>(await client.get('/api/learning/plans')).items;
      expect(plans.length).toBeGreaterThan(0);
      let seen = 0;
      for (const plan of plans) {
        const res = await client.get(`/api/learning/plans/${plan.id}/progress?pageSize=100`);
        if (res.statusCode === 404) continue; // published above the client's org
        const progress = json<{ total: number; items: { done: number; total: number }[] }>(res);
        seen++;
        expect(progress.total).toBeGreaterThan(0);
        expect(progress.items.some((x) => x.done === plan.itemCount || x.done > 0)).toBe(true);
        expect(progress.items.some((x) => x.done < plan.itemCount)).toBe(true);
      }
      expect(seen).toBeGreaterThan(0);
    }
    const contests = json<{ items: { id: string; status: string; isOrganizer: boolean }[] }>(await admin.get('/api/contests')).items;
    const past = contests.find((c) => c.status === 'closed' && c.isOrganizer)!;
    const results = json<{ people: { rank: number }[]; orgs: unknown[] }>(await admin.get(`/api/contests/${past.id}/results`));
    expect(results.people.length).toBeGreaterThan(50);
    expect(results.orgs.length).toBeGreaterThan(5);
  });
});
