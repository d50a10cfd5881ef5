import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../../../contracts/china-time.js';
import { login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { signedInMember } from '../../../test/learning-fixtures.js';
import { volunteeringIndicators } from './indicators.js';

let ctx: TestContext;
let bureau: OrgFixture, branch: OrgFixture, empty: OrgFixture;
let admin: Client;
const daysFromNow = (days: number) => chinaDate(Date.now() + days * 86_400_000);
const period = { from: daysFromNow(-5), to: daysFromNow(0) };
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
const indicator = volunteeringIndicators.find((i) => i.code === 'volunteering.hours_per_member')!;

/** A project of `org` that took place yesterday, with the members' confirmed hours (null: signed up, did not come). */
async function heldProject(org: OrgFixture, title: string, people: { client: Client; id: string; hours: number | null }[]): Promise<string> {
  const res = await admin.post('/api/volunteering/projects', { orgId: org.id, title, place: '南门路口', startsAt: inHours(24), endsAt: inHours(27), capacity: 5 });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  for (const p of people) expect((await p.client.post(`/api/volunteering/projects/${id}/signups`)).statusCode).toBe(200);
  await ctx.database.db.execute(sql`update volunteer_projects set starts_at = now() - interval '27 hours', ends_at = now() - interval '24 hours' where id = ${id}`);
  const entries = people.map((p) => (p.hours === null ? { memberId: p.id, attended: false } : { memberId: p.id, attended: true, hours: p.hours }));
  const confirmed = await admin.post(`/api/volunteering/projects/${id}/attendance`, { entries });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return id;
}

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  const root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branch = await makeOrg(db, bureau, { name: '预算处党支部' });
  empty = await makeOrg(db, root, { name: '空支部' });
  admin = await login(ctx.app, await makeUser(db, [{ role: 'platform_admin' }]));
  const a = await signedInMember(ctx, branch, '张丽');
  const b = await signedInMember(ctx, branch, '王波');
  const c = await signedInMember(ctx, bureau, '机关党委委员');
  await makeMember(db, branch, { name: '李丹' });
  await heldProject(branch, '文明交通劝导', [{ ...a, hours: 2.5 }, { ...b, hours: null }, { ...c, hours: 1 }]);
  const earlier = await heldProject(bureau, '上月的服务', [{ ...a, hours: 3 }]);
  await db.execute(sql`update volunteer_signups set confirmed_at = now() - interval '30 days' where project_id = ${earlier}`);
});
afterAll(async () => ctx?.close());

describe('volunteering.hours_per_member', () => {
  it('adds the hours confirmed in the period of the subtree’s members, per member', async () => {
    const { db } = ctx.database;
    expect(await indicator.values(db, [bureau, branch, empty], period)).toEqual([
      { orgId: bureau.id, numerator: 3.5, denominator: 4 },
      { orgId: branch.id, numerator: 2.5, denominator: 3 },
      { orgId: empty.id, numerator: 0, denominator: 0 },
    ]);
    const counted = await indicator.records(db, bureau, period, { offset: 0, limit: 50, onlyCounted: true });
    expect(counted.total).toBe(2);
    expect(counted.items.reduce((s, r) => s + r.amount, 0)).toBe(3.5);
    expect(counted.items.map((r) => [r.kind, r.title, r.amount]).sort()).toEqual([['volunteer_signup', '文明交通劝导 · 张丽', 2.5], ['volunteer_signup', '文明交通劝导 · 机关党委委员', 1]]);
    expect(counted.items[0]!.link).toMatch(/^\/service\/volunteering\/\d+$/);
    const all = await indicator.records(db, branch, period, { offset: 0, limit: 50 });
    expect(all.total).toBe(4); // three members and one sign-up
    expect(all.items.filter((r) => r.kind === 'member').map((r) => r.title)).toEqual(['张丽', '王波', '李丹']);
  });
});
