import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInChina } from '../../../../contracts/china-time.js';
import { login, makeMember, makeOrg, makeUser, startTestApp, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { signedInMember } from '../../../test/learning-fixtures.js';
import { learningIndicators } from './indicators.js';

let ctx: TestContext;
let bureau: OrgFixture, branch: OrgFixture, empty: OrgFixture;
const today = todayInChina();
const period = { from: `${today.slice(0, 8)}01`, to: today };
const indicator = learningIndicators.find((i) => i.code === 'learning.study_participation')!;

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  const root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branch = await makeOrg(db, bureau, { name: '预算处党支部' });
  empty = await makeOrg(db, root, { name: '空支部' });
  const admin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: bureau }]));
  const alice = await signedInMember(ctx, branch, '张丽');
  const bob = await signedInMember(ctx, branch, '王波');
  const dan = await signedInMember(ctx, branch, '李丹');
  await makeMember(db, branch, { name: '未学习' });
  await makeMember(db, bureau, { name: '机关党委委员' });
  await makeMember(db, branch, { name: '入党积极分子', stage: 'activist' });
  const gone = await makeMember(db, branch, { name: '已出党', leftAt: new Date('2020-01-01T00:00:00Z') });
  await db.execute(sql`update members set left_on = '2020-01-01' where id = ${gone.id}`);

  expect((await alice.client.post('/api/learning/clock-ins', { note: '学习党章' })).statusCode).toBe(201);
  expect((await dan.client.post('/api/learning/clock-ins', { note: '上月的打卡' })).statusCode).toBe(201);
  await db.execute(sql`update clock_ins set day = ${period.from}::date - 1 where member_id = ${dan.id}`);
  const course = (await admin.post('/api/learning/courses', { orgId: bureau.id, title: '党纪学习', kind: 'series', lessons: [{ title: '第一讲' }] })).json();
  const seen = (await bob.client.get(`/api/learning/courses/${course.id}`)).json();
  expect((await bob.client.post(`/api/learning/courses/${course.id}/lessons/${seen.lessons[0].id}/complete`)).statusCode).toBe(200);
});
afterAll(async () => ctx?.close());

describe('learning.study_participation', () => {
  it('counts members who clocked in or finished a course in the period, over the subtree, from the records it lists', async () => {
    const { db } = ctx.database;
    const values = await indicator.values(db, [bureau, branch, empty], period);
    expect(values).toEqual([
      { orgId: bureau.id, numerator: 2, denominator: 5 },
      { orgId: branch.id, numerator: 2, denominator: 4 },
      { orgId: empty.id, numerator: 0, denominator: 0 },
    ]);
    const all = await indicator.records(db, branch, period, { offset: 0, limit: 50 });
    expect(all.total).toBe(4);
    expect(all.items.map((r) => [r.title, r.counts])).toEqual(expect.arrayContaining([['张丽', true], ['王波', true], ['李丹', false], ['未学习', false]]));
    const counted = await indicator.records(db, bureau, period, { offset: 0, limit: 1, onlyCounted: true });
    expect(counted.total).toBe(2);
    expect(counted.items).toHaveLength(1);
    expect(counted.items[0]).toMatchObject({ kind: 'member', counts: true, amount: 1, date: today, orgId: branch.id, orgName: '预算处党支部' });
    expect(counted.items[0]!.link).toMatch(/^\/members\/\d+$/);
  });
});
