import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../../../contracts/china-time.js';
import { login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { serviceProjectIndicators } from './indicators.js';

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branch: OrgFixture, empty: OrgFixture;
let admin: Client;
const daysFromNow = (days: number) => chinaDate(Date.now() + days * 86_400_000);
const period = { from: daysFromNow(-40), to: daysFromNow(40) };
const completion = serviceProjectIndicators.find((i) => i.code === 'service_projects.completion_rate')!;
const satisfaction = serviceProjectIndicators.find((i) => i.code === 'service_projects.satisfaction')!;

async function project(org: OrgFixture, title: string, plannedCompletion: string, done: boolean): Promise<string> {
  const res = await admin.post('/api/service-projects', {
    orgId: org.id, title, category: '帮扶解困', source: 'mass_feedback', need: '群众急难愁盼', ownerName: '李强', startedOn: daysFromNow(-35), plannedCompletion,
  });
  expect(res.statusCode, res.body).toBe(201);
  if (done) expect((await admin.patch(`/api/service-projects/${res.json().id}`, { status: 'done', result: '已办结' })).statusCode).toBe(200);
  return res.json().id;
}

let ip = 0;
async function rate(projectId: string, rating: number, approve: boolean) {
  const res = await ctx.app.inject({ method: 'POST', url: `/api/public/service-projects/trees/${root.id}/projects/${projectId}/feedback`, payload: { rating }, remoteAddress: `10.77.0.${++ip}` });
  expect(res.statusCode, res.body).toBe(202);
  if (!approve) return;
  const id = (await ctx.database.db.execute<{ id: string } & Record<string, unknown>>(sql`select max(id)::text as id from service_project_feedback where project_id = ${projectId}`)).rows[0]!.id;
  expect((await admin.post(`/api/service-projects/feedback/${id}/moderate`, { decision: 'approve' })).statusCode).toBe(200);
}

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branch = await makeOrg(db, bureau, { name: '预算处党支部' });
  empty = await makeOrg(db, root, { name: '空支部' });
  admin = await login(ctx.app, await makeUser(db, [{ role: 'platform_admin' }]));
  const onTime = await project(branch, '加装电梯', daysFromNow(0), true);
  await project(branch, '修缮车棚', daysFromNow(0), false);
  await project(branch, '疏通下水道', daysFromNow(-5), true); // done today, five days late
  await project(branch, '明年的项目', daysFromNow(60), true); // due after the period
  const bureauProject = await project(bureau, '便民服务点', daysFromNow(1), true);
  await rate(onTime, 5, true);
  await rate(onTime, 2, true);
  await rate(onTime, 5, false); // not yet moderated
  await rate(bureauProject, 4, true);
});
afterAll(async () => ctx?.close());

describe('service_projects.completion_rate', () => {
  it('counts projects due in the period completed by their planned day, over the subtree', async () => {
    const { db } = ctx.database;
    expect(await completion.values(db, [bureau, branch, empty], period)).toEqual([
      { orgId: bureau.id, numerator: 2, denominator: 4 },
      { orgId: branch.id, numerator: 1, denominator: 3 },
      { orgId: empty.id, numerator: 0, denominator: 0 },
    ]);
    const all = await completion.records(db, branch, period, { offset: 0, limit: 50 });
    expect(all.total).toBe(3);
    expect(all.items.map((r) => [r.title, r.counts])).toEqual([['加装电梯', true], ['修缮车棚', false], ['疏通下水道', false]]);
    expect(all.items[0]).toMatchObject({ kind: 'service_project', date: daysFromNow(0), orgName: '预算处党支部', amount: 1 });
    expect(all.items[0]!.link).toMatch(/^\/service\/projects\/\d+$/);
    expect((await completion.records(db, bureau, period, { offset: 0, limit: 50, onlyCounted: true })).total).toBe(2);
  });
});

describe('service_projects.satisfaction', () => {
  it('counts approved ratings of 4 or 5 stars given in the period, over the subtree', async () => {
    const { db } = ctx.database;
    expect(await satisfaction.values(db, [bureau, branch, empty], period)).toEqual([
      { orgId: bureau.id, numerator: 2, denominator: 3 },
      { orgId: branch.id, numerator: 1, denominator: 2 },
      { orgId: empty.id, numerator: 0, denominator: 0 },
    ]);
    const counted = await satisfaction.records(db, bureau, period, { offset: 0, limit: 50, onlyCounted: true });
    expect(counted.total).toBe(2);
    expect(counted.items.map((r) => r.title).sort()).toEqual(['便民服务点 · 4★', '加装电梯 · 5★']);
    expect((await satisfaction.records(db, bureau, period, { offset: 0, limit: 50 })).total).toBe(3);
  });
});
