import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInChina } from '../../../../contracts/china-time.js';
import { makeMember, makeOrg, startTestApp, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { signedInMember, type SignedInMember } from '../../../test/learning-fixtures.js';
import { dailyQuizIndicators } from './indicators.js';

let ctx: TestContext;
let bureau: OrgFixture, branch: OrgFixture, empty: OrgFixture;
const today = todayInChina();
const period = { from: `${today.slice(0, 8)}01`, to: today };
const indicator = dailyQuizIndicators.find((i) => i.code === 'daily_quiz.participation')!;

async function answerToday(m: SignedInMember) {
  const t = (await m.client.get('/api/daily-quiz/today')).json() as { questions: { id: string }[] };
  const res = await m.client.post('/api/daily-quiz/submissions', { answers: t.questions.map((q) => ({ questionId: q.id, response: true })) });
  expect(res.statusCode, res.body).toBe(201);
}

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  const root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branch = await makeOrg(db, bureau, { name: '预算处党支部' });
  empty = await makeOrg(db, root, { name: '空支部' });
  for (let i = 0; i < 6; i++) {
    await db.execute(sql`insert into questions (org_id, org_path, type, stem, answer, difficulty, is_daily)
      values (${root.id}, ${root.path}::ltree, 'true_false', ${`每日一题${i}`}, 'true'::jsonb, 'easy', true)`);
  }
  await answerToday(await signedInMember(ctx, branch, '张丽'));
  await answerToday(await signedInMember(ctx, bureau, '王波'));
  const earlier = await signedInMember(ctx, branch, '李丹');
  await answerToday(earlier);
  await db.execute(sql`update daily_quiz_submissions set quiz_date = ${period.from}::date - 1 where member_id = ${earlier.id}`);
  await makeMember(db, branch, { name: '未答题' });
  await makeMember(db, branch, { name: '发展对象', stage: 'candidate' });
});
afterAll(async () => ctx?.close());

describe('daily_quiz.participation', () => {
  it('counts members with a submission in the period, over the subtree, from the records it lists', async () => {
    const { db } = ctx.database;
    expect(await indicator.values(db, [bureau, branch, empty], period)).toEqual([
      { orgId: bureau.id, numerator: 2, denominator: 4 },
      { orgId: branch.id, numerator: 1, denominator: 3 },
      { orgId: empty.id, numerator: 0, denominator: 0 },
    ]);
    const all = await indicator.records(db, bureau, period, { offset: 0, limit: 50 });
    expect(all.total).toBe(4);
    expect(all.items.map((r) => [r.title, r.counts, r.date])).toEqual([['张丽', true, today], ['王波', true, today], ['李丹', false, null], ['未答题', false, null]]);
    const counted = await indicator.records(db, bureau, period, { offset: 0, limit: 50, onlyCounted: true });
    expect(counted.total).toBe(2);
    expect(counted.items.reduce((s, r) => s + r.amount, 0)).toBe(2);
    expect((await indicator.records(db, empty, period, { offset: 0, limit: 50 })).total).toBe(0);
  });
});
