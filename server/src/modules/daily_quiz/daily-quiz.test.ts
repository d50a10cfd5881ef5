import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { pointsOf, signedInMember, type SignedInMember } from '../../../test/learning-fixtures.js';
import { addDays, weekStartOf } from '../points/member-context.js';
import { questionIdsFor } from './service.js';
import { todayInChina } from '../../../../contracts/china-time.js';

let ctx: TestContext;
let root: OrgFixture, branch: OrgFixture, otherBranch: OrgFixture;
let admin: Client, branchAdmin: Client;
let alice: SignedInMember, bob: SignedInMember, carol: SignedInMember, dave: SignedInMember;
/** The bank: 40 true/false questions, the even ones true. */
const truth = new Map<string, boolean>();

type Today = { date: string; questions: { id: string }[]; streak: number; submission: unknown };
const today = async (m: SignedInMember) => (await m.client.get('/api/daily-quiz/today')).json() as Today;
const answersFor = (t: Today, correctCount: number) => t.questions.map((q, i) => ({ questionId: q.id, response: i < correctCount ? truth.get(q.id)! : !truth.get(q.id)! }));

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  branch = await makeOrg(db, root, { name: '办公室党支部' });
  otherBranch = await makeOrg(db, root, { name: '研究室党支部' });
  admin = await login(ctx.app, await makeUser(db, [{ role: 'platform_admin' }]));
  branchAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branch }]));
  for (let i = 0; i < 40; i++) {
    const r = await db.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into questions (org_id, org_path, type, stem, answer, difficulty, explanation, is_daily)
      values (${root.id}, ${root.path}::ltree, 'true_false', ${`每日一题第${i}题`}, ${JSON.stringify(i % 2 === 0)}::jsonb, 'easy', ${`解析${i}`}, true) returning id::text`);
    truth.set(r.rows[0]!.id, i % 2 === 0);
  }
  alice = await signedInMember(ctx, branch, '张三');
  bob = await signedInMember(ctx, branch, '李四');
  carol = await signedInMember(ctx, branch, '王五');
  dave = await signedInMember(ctx, otherBranch, '赵六');
});
afterAll(async () => ctx?.close());

describe('the day’s questions', () => {
  it('are the same on every request of the day, without answers', async () => {
    const first = await today(alice);
    expect(first.questions).toHaveLength(5);
    expect(first.date).toBe(todayInChina());
    expect((await today(alice)).questions).toEqual(first.questions);
    expect(JSON.stringify(first)).not.toMatch(/解析|"answer"/);
    expect(first.submission).toBeNull();
  });

  it('do not repeat within a week while the bank allows, and differ between members', () => {
    const bank = { questionIds: [...truth.keys()], questionsPerDay: 5 };
    const monday = weekStartOf('2026-11-25');
    const week = Array.from({ length: 7 }, (_, d) => questionIdsFor(alice.id, addDays(monday, d), bank)).flat();
    expect(new Set(week).size).toBe(35);
    expect(questionIdsFor(alice.id, monday, bank)).toEqual(questionIdsFor(alice.id, monday, bank));
    expect(questionIdsFor(alice.id, monday, bank)).not.toEqual(questionIdsFor(bob.id, monday, bank));
    // a small bank wraps around rather than failing
    const small = { questionIds: bank.questionIds.slice(0, 8), questionsPerDay: 5 };
    expect(questionIdsFor(alice.id, addDays(monday, 3), small)).toHaveLength(5);
  });
});

/** An answer of an earlier day with the points it earned, as the writer leaves it: the submission and its ledger entry. */
async function earlierAnswer(memberId: string, orgPath: string, day: string, points: number) {
  const { db } = ctx.database;
  const r = await db.execute<{ id: string } & Record<string, unknown>>(sql`
    insert into daily_quiz_submissions (member_id, org_path, quiz_date, answers, correct_count, question_count, streak, points)
    values (${memberId}, ${orgPath}::ltree, ${day}::date, '[]', 4, 5, 1, ${points}) returning id::text`);
  await db.execute(sql`insert into points_ledger (member_id, org_path, rule, source_type, source_id, points, occurred_on)
    values (${memberId}, ${orgPath}::ltree, 'daily_quiz_correct', 'daily_quiz_submission', ${r.rows[0]!.id}, ${points}, ${day}::date)`);
}

describe('submitting', () => {
  it('grades on the server and awards points for correct answers', async () => {
    const t = await today(alice);
    const res = await alice.client.post('/api/daily-quiz/submissions', { answers: answersFor(t, 3) });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ correctCount: 3, questionCount: 5, points: 6, streak: 1 });
    expect(res.json().results[0]).toMatchObject({ isCorrect: true, explanation: expect.stringContaining('解析') });
    // the ledger entry is written with the submission
    expect(await pointsOf(ctx.database.db, alice.id)).toBe(6);
    expect((await today(alice)).submission).toMatchObject({ correctCount: 3, points: 6 });
  });

  it('refuses a second submission the same day with 409 and changes nothing', async () => {
    const before = [await countRows(ctx.database.db, 'daily_quiz_submissions'), await countRows(ctx.database.db, 'points_ledger')];
    const res = await alice.client.post('/api/daily-quiz/submissions', { answers: answersFor(await today(alice), 5) });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('daily_quiz.already_submitted');
    expect([await countRows(ctx.database.db, 'daily_quiz_submissions'), await countRows(ctx.database.db, 'points_ledger')]).toEqual(before);
    expect(await pointsOf(ctx.database.db, alice.id)).toBe(6);
  });

  it('lets only one of two simultaneous submissions through', async () => {
    const t = await today(carol);
    const results = await Promise.all([1, 2].map(() => carol.client.post('/api/daily-quiz/submissions', { answers: answersFor(t, 1) })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(await pointsOf(ctx.database.db, carol.id)).toBe(2);
  });

  it.each([
    ['a question not in today’s set', (t: Today) => ({ answers: [{ questionId: [...truth.keys()].find((id) => !t.questions.some((q) => q.id === id))!, response: true }] }), 'answers.0.questionId', '不是您今天的题目'],
    ['a points value', (t: Today) => ({ answers: answersFor(t, 5), points: 100 }), 'points', '不支持的字段'],
    ['a correctness flag', (t: Today) => ({ answers: [{ ...answersFor(t, 1)[0], isCorrect: true }] }), 'answers.0.isCorrect', '不支持的字段'],
    ['a text answer to a true/false question', (t: Today) => ({ answers: [{ questionId: t.questions[0]!.id, response: '对' }] }), 'answers.0.response', '作答格式与题型不符'],
    ['the same question twice', (t: Today) => ({ answers: [answersFor(t, 1)[0], answersFor(t, 1)[0]] }), 'answers.1.questionId', '只能作答一次'],
    ['no answers', () => ({ answers: [] }), 'answers', '不能为空'],
  ])('refuses %s with 400 and records nothing', async (_c, body, field, message) => {
    const before = [await countRows(ctx.database.db, 'daily_quiz_submissions'), await countRows(ctx.database.db, 'points_ledger')];
    const res = await bob.client.post('/api/daily-quiz/submissions', body(await today(bob)));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect([await countRows(ctx.database.db, 'daily_quiz_submissions'), await countRows(ctx.database.db, 'points_ledger')]).toEqual(before);
  });

  it('stops points at the daily cap exactly', async () => {
    await admin.patch('/api/points/rules/daily_quiz_correct', { points: 3, dailyCap: 10 });
    const res = await bob.client.post('/api/daily-quiz/submissions', { answers: answersFor(await today(bob), 5) });
    expect(res.json()).toMatchObject({ correctCount: 5, points: 10 });
    expect(await pointsOf(ctx.database.db, bob.id)).toBe(10);
    await admin.patch('/api/points/rules/daily_quiz_correct', { points: 2, dailyCap: 10 });
  });

  it('counts a streak of consecutive days', async () => {
    const yesterday = addDays(todayInChina(), -1);
    await ctx.database.db.execute(sql`insert into daily_quiz_submissions (member_id, org_path, quiz_date, answers, correct_count, question_count, streak)
      values (${dave.id}, ${otherBranch.path}::ltree, ${yesterday}::date, '[]', 0, 5, 4)`);
    expect((await today(dave)).streak).toBe(4);
    const res = await dave.client.post('/api/daily-quiz/submissions', { answers: answersFor(await today(dave), 0) });
    expect(res.json()).toMatchObject({ streak: 5, points: 0 });
  });

  it('counts the week’s earlier points toward the weekly cap, and writes the ledger entry once with the submission', async () => {
    const { db } = ctx.database;
    // in a tree of its own, so the participation counts below stay those of the first tree
    const elsewhere = await makeOrg(db, await makeOrg(db, null, { name: '另一工委' }), { name: '另一支部' });
    const erin = await signedInMember(ctx, elsewhere, '伊琳');
    // another day of this week already earned 7 points
    const today0 = todayInChina();
    const otherDay = addDays(today0, weekStartOf(today0) === addDays(today0, -6) ? -1 : 1);
    await earlierAnswer(erin.id, elsewhere.path, otherDay, 7);
    await admin.patch('/api/points/rules/daily_quiz_correct', { points: 2, dailyCap: 10, weeklyCap: 10 });
    try {
      const res = await erin.client.post('/api/daily-quiz/submissions', { answers: answersFor(await today(erin), 5) });
      // 5 correct × 2 = 10, the daily cap allows 10, the week's cap leaves 10 − 7 = 3
      expect(res.json()).toMatchObject({ correctCount: 5, points: 3 });
      const ledger = await db.execute(sql`select points, occurred_on::text, source_id from points_ledger where member_id = ${erin.id} order by occurred_on`);
      expect(ledger.rows.map((r) => ({ points: r.points, occurred_on: r.occurred_on }))).toEqual([today0, otherDay].sort().map((day) => ({ points: day === today0 ? 3 : 7, occurred_on: day })));
      expect(ledger.rows.find((r) => r.occurred_on === today0)!.source_id).toBe(res.json().id);
      const week = await db.execute(sql`select points from points_totals where member_id = ${erin.id} and period = 'week' and period_start = ${weekStartOf(today0)}::date`);
      expect(week.rows).toEqual([{ points: 10 }]);
      expect((await today(erin)).submission).toMatchObject({ points: 3 });
    } finally {
      await admin.patch('/api/points/rules/daily_quiz_correct', { points: 2, dailyCap: 10, weeklyCap: null });
    }
  });

  it('writes simultaneous submissions of many members in shared statements, each with its own result and caps', async () => {
    const { db } = ctx.database;
    const tree = await makeOrg(db, await makeOrg(db, null, { name: '第三工委' }), { name: '第三支部' });
    const crowd = await Promise.all(Array.from({ length: 24 }, (_, i) => signedInMember(ctx, tree, `答题者${i}`)));
    // the first already earned 7 points on another day of this week
    const today0 = todayInChina();
    const otherDay = addDays(today0, weekStartOf(today0) === addDays(today0, -6) ? -1 : 1);
    await earlierAnswer(crowd[0]!.id, tree.path, otherDay, 7);
    await admin.patch('/api/points/rules/daily_quiz_correct', { points: 2, dailyCap: 10, weeklyCap: 10 });
    try {
      const sets = await Promise.all(crowd.map((m) => today(m)));
      const correct = (i: number) => (i === 0 ? 5 : i % 6);
      // everyone at once, and the last member twice
      const sent = [...crowd.map((m, i) => ({ m, i })), { m: crowd[23]!, i: 23 }];
      const results = await Promise.all(sent.map(({ m, i }) => m.client.post('/api/daily-quiz/submissions', { answers: answersFor(sets[i]!, correct(i)) })));
      expect(results.filter((r) => r.statusCode === 409)).toHaveLength(1);
      results.forEach((r, k) => {
        if (r.statusCode === 409) { expect(sent[k]!.i).toBe(23); return; }
        expect(r.statusCode, r.body).toBe(201);
        const i = sent[k]!.i;
        // the week's cap leaves the first member 10 − 7 = 3; the others earn 2 a correct answer. On a Sunday the
        // first member's earlier answer was yesterday: a streak of two days
        const streak = i === 0 && otherDay === addDays(today0, -1) ? 2 : 1;
        expect(r.json()).toMatchObject({ correctCount: correct(i), questionCount: 5, streak, points: i === 0 ? 3 : 2 * correct(i) });
        expect(r.json().results.map((x: { questionId: string }) => x.questionId)).toEqual(sets[i]!.questions.map((q) => q.id));
      });
      const rows = await db.execute<{ member_id: string; correct_count: number; statements: number } & Record<string, unknown>>(sql`
        select s.member_id::text, s.correct_count, count(*) over (partition by s.xmin::text)::int as statements
          from daily_quiz_submissions s join members m on m.id = s.member_id where m.org_path <@ ${tree.path}::ltree and s.quiz_date = ${today0}::date`);
      expect(rows.rows).toHaveLength(24);
      for (const row of rows.rows) expect(row.correct_count).toBe(correct(crowd.findIndex((m) => m.id === row.member_id)));
      // on PostgreSQL they were written together: some transaction wrote more than one of them (the
      // embedded database answers each statement before the next request reaches the writer)
      if (ctx.database.kind === 'postgres') expect(Math.max(...rows.rows.map((r) => r.statements))).toBeGreaterThan(1);
      for (const [i, m] of crowd.entries()) expect(await pointsOf(db, m.id)).toBe(i === 0 ? 10 : 2 * correct(i));
    } finally {
      await admin.patch('/api/points/rules/daily_quiz_correct', { points: 2, dailyCap: 10, weeklyCap: null });
    }
  });

  it('refuses an account without a member record (403) and anonymous callers (401)', async () => {
    expect((await admin.post('/api/daily-quiz/submissions', { answers: [{ questionId: '1', response: true }] })).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/daily-quiz/today' })).statusCode).toBe(401);
  });
});

describe('participation and settings', () => {
  it('shows each org’s daily participation to its admins only', async () => {
    const all = (await admin.get(`/api/daily-quiz/participation?orgId=${root.id}`)).json();
    expect(all.total).toMatchObject({ memberCount: 4, submittedCount: 4, rate: 1 });
    const own = (await branchAdmin.get('/api/daily-quiz/participation')).json();
    expect(own.total).toMatchObject({ orgId: branch.id, memberCount: 3, submittedCount: 3 });
    expect((await branchAdmin.get(`/api/daily-quiz/participation?orgId=${otherBranch.id}`)).statusCode).toBe(404);
    expect((await alice.client.get(`/api/daily-quiz/participation?orgId=${branch.id}`)).statusCode).toBe(404);
    const yesterday = (await admin.get(`/api/daily-quiz/participation?orgId=${root.id}&date=${addDays(todayInChina(), -1)}`)).json();
    expect(yesterday.items.map((x: { orgName: string; submittedCount: number }) => [x.orgName, x.submittedCount])).toEqual([['办公室党支部', 0], ['研究室党支部', 1]]);
  });

  it('lets only a platform admin change the daily count, audited', async () => {
    expect((await branchAdmin.patch('/api/daily-quiz/settings', { questionsPerDay: 10 })).statusCode).toBe(403);
    expect((await admin.patch('/api/daily-quiz/settings', { questionsPerDay: 0 })).statusCode).toBe(400);
    expect((await admin.patch('/api/daily-quiz/settings', { questionsPerDay: 10 })).json()).toEqual({ questionsPerDay: 10, bankSize: 40 });
    // this week's bank keeps its count
    expect((await today(alice)).questions).toHaveLength(5);
  });
});
