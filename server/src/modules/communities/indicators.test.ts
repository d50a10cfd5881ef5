import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../../../contracts/china-time.js';
import { login, makeMember, makeOrg, makeUser, startTestApp, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { communityIndicators } from './indicators.js';

let ctx: TestContext;
let bureau: OrgFixture, branch: OrgFixture, empty: OrgFixture;
let communityId: string;
const daysFromNow = (days: number) => chinaDate(Date.now() + days * 86_400_000);
const period = { from: daysFromNow(-30), to: daysFromNow(-10) };
const indicator = communityIndicators.find((i) => i.code === 'communities.dual_report_rate')!;

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  const root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branch = await makeOrg(db, bureau, { name: '预算处党支部' });
  empty = await makeOrg(db, root, { name: '空支部' });
  const admin = await login(ctx.app, await makeUser(db, [{ role: 'platform_admin' }]));
  const community = await admin.post('/api/communities', { orgId: root.id, name: '东门社区', street: '城关街道' });
  expect(community.statusCode, community.body).toBe(201);
  communityId = community.json().id;
  const report = async (memberId: string, reportedOn: string) =>
    expect((await admin.post(`/api/communities/${communityId}/reports`, { memberId, reportedOn })).statusCode).toBe(201);
  await report((await makeMember(db, branch, { name: '张丽' })).id, daysFromNow(-20));
  await report((await makeMember(db, branch, { name: '王波' })).id, daysFromNow(0)); // after the period
  await makeMember(db, branch, { name: '李丹' });
  await report((await makeMember(db, bureau, { name: '机关党委委员' })).id, daysFromNow(-15));
  await makeMember(db, branch, { name: '申请人', stage: 'applicant' });
});
afterAll(async () => ctx?.close());

describe('communities.dual_report_rate', () => {
  it('counts members who had reported to a community by the period’s end, over the subtree', async () => {
    const { db } = ctx.database;
    expect(await indicator.values(db, [bureau, branch, empty], period)).toEqual([
      { orgId: bureau.id, numerator: 2, denominator: 4 },
      { orgId: branch.id, numerator: 1, denominator: 3 },
      { orgId: empty.id, numerator: 0, denominator: 0 },
    ]);
    const all = await indicator.records(db, bureau, period, { offset: 0, limit: 50 });
    expect(all.total).toBe(4);
    expect(all.items.map((r) => [r.title, r.counts, r.date])).toEqual([
      ['机关党委委员', true, daysFromNow(-15)], ['张丽', true, daysFromNow(-20)], ['王波', false, null], ['李丹', false, null]]);
    expect(all.items[0]).toMatchObject({ kind: 'member', orgName: '市财政局机关党委', amount: 1, link: `/service/communities/${communityId}` });
    expect(all.items[2]!.link).toMatch(/^\/members\/\d+$/);
    expect((await indicator.records(db, branch, period, { offset: 0, limit: 50, onlyCounted: true })).total).toBe(1);
  });
});
