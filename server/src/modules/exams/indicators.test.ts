import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInChina } from '../../../../contracts/china-time.js';
import { login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { signedInMember, type SignedInMember } from '../../../test/learning-fixtures.js';
import { examIndicators } from './indicators.js';

let ctx: TestContext;
let bureau: OrgFixture, branch: OrgFixture, empty: OrgFixture;
let examId: string;
const today = todayInChina();
const period = { from: `${today.slice(0, 8)}01`, to: today };
const indicator = examIndicators.find((i) => i.code === 'exams.participation')!;
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

async function takeAndSubmit(m: SignedInMember, id: string) {
  const a = (await m.client.post(`/api/exams/${id}/attempts`)).json();
  expect((await m.client.post(`/api/exam-attempts/${a.id}/submit`)).statusCode).toBe(200);
}

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  const root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branch = await makeOrg(db, bureau, { name: '预算处党支部' });
  empty = await makeOrg(db, root, { name: '空支部' });
  const admin: Client = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: bureau }]));
  const people = [];
  for (const name of ['张丽', '王波', '李丹']) people.push(await signedInMember(ctx, branch, name));
  await signedInMember(ctx, bureau, '机关党委委员');
  const q = await admin.post('/api/questions', { orgId: bureau.id, type: 'true_false', stem: '预备党员的预备期为一年。', answer: true, tags: ['党章'], difficulty: 'easy' });
  const paper = await admin.post('/api/papers', { orgId: bureau.id, title: '党章测试卷', mode: 'fixed', questions: [{ questionId: q.json().id, score: 100 }] });
  const exam = await admin.post('/api/exams', {
    orgId: bureau.id, paperId: paper.json().id, title: '党章测试', opensAt: inMinutes(-1), closesAt: inMinutes(60), timeLimitMinutes: 30, passScore: 60, participantOrgIds: [bureau.id],
  });
  expect(exam.statusCode, exam.body).toBe(201);
  examId = exam.json().id;
  expect(exam.json().participantCount).toBe(4);
  await takeAndSubmit(people[0]!, examId);
  await people[1]!.client.post(`/api/exams/${examId}/attempts`); // started, never handed in
  await db.execute(sql`update exams set opens_at = now() - interval '2 hours', closes_at = now() - interval '1 minute' where id = ${examId}`);
  const makeUp = await admin.post(`/api/exams/${examId}/make-up`, { opensAt: inMinutes(-1), closesAt: inMinutes(60) });
  expect(makeUp.statusCode, makeUp.body).toBe(201);
  await takeAndSubmit(people[2]!, makeUp.json().id);
});
afterAll(async () => ctx?.close());

describe('exams.participation', () => {
  it('counts assigned participants of the period’s exams who handed in (the make-up counting for its exam), over the subtree', async () => {
    const { db } = ctx.database;
    expect(await indicator.values(db, [bureau, branch, empty], period)).toEqual([
      { orgId: bureau.id, numerator: 2, denominator: 4 },
      { orgId: branch.id, numerator: 2, denominator: 3 },
      { orgId: empty.id, numerator: 0, denominator: 0 },
    ]);
    const all = await indicator.records(db, bureau, period, { offset: 0, limit: 50 });
    expect(all.total).toBe(4);
    expect(all.items.map((r) => [r.title, r.counts])).toEqual([['党章测试 · 张丽', true], ['党章测试 · 李丹', true], ['党章测试 · 王波', false], ['党章测试 · 机关党委委员', false]]);
    expect(all.items[0]).toMatchObject({ kind: 'exam_participant', date: today, orgName: '预算处党支部', amount: 1, link: `/exams/${examId}` });
    const counted = await indicator.records(db, branch, period, { offset: 0, limit: 50, onlyCounted: true });
    expect(counted.total).toBe(2);
    // another period has none of it
    expect(await indicator.values(db, [bureau], { from: '2020-01-01', to: '2020-12-31' })).toEqual([{ orgId: bureau.id, numerator: 0, denominator: 0 }]);
  });
});
