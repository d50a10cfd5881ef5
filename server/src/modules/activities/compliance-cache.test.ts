import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeMember, makeOrg, makeUser, startTestApp, testKey, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { createCipher } from '../../platform/personal-data.js';
import { checkInToken, checkInWindowOf } from './check-in.js';
import { todayInChina } from '../../../../contracts/china-time.js';

// The compliance report is cached per (org, scope, day, epoch); these tests ask for a report, change what it
// reads, and ask again: each would fail if a write did not bump the epoch (the cached report would come back).

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branchA: OrgFixture, groupA: OrgFixture, branchB: OrgFixture, otherBureau: OrgFixture, otherBranch: OrgFixture;
let admin: Client, bureauAdmin: Client, secretaryA: Client, otherAdmin: Client, memberA: Client;
let memberAId: string;

const DAY = '2030-05-25';
interface Item { orgId: string; orgName: string; type: string; status: string; periodMonths: number; periodStart: string; heldThisPeriod: number; lastHeldAt: string | null }
interface Report { asOf: string; items: Item[]; total: number; summary: { done: number; pending: number; dueSoon: number; overdue: number } }

async function report(client: Client, org: OrgFixture, query = ''): Promise<Report> {
  const res = await client.get(`/api/activities/compliance?orgId=${org.id}&asOf=${DAY}&pageSize=200${query}`);
  expect(res.statusCode).toBe(200);
  return res.json() as Report;
}
const itemOf = (r: Report, org: OrgFixture, type: string) => r.items.find((i) => i.orgId === org.id && i.type === type);
const epoch = async () => (await ctx.database.db.execute<{ n: string } & Record<string, unknown>>(sql`select n::text from compliance_epoch`)).rows[0]!.n;

async function heldOn(org: OrgFixture, type: string, startsAt: string): Promise<string> {
  const res = await admin.post('/api/activities', {
    orgId: org.id, type, title: type, startsAt, endsAt: new Date(Date.parse(startsAt) + 2 * 3600_000).toISOString(), participants: { orgIds: [org.id] },
  });
  expect(res.statusCode).toBe(201);
  expect((await admin.post(`/api/activities/${res.json().id}/publish`)).statusCode).toBe(200);
  return res.json().id as string;
}

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branchA = await makeOrg(db, bureau, { name: '预算处党支部' });
  groupA = await makeOrg(db, branchA, { name: '预算处第一党小组', type: 'group' });
  branchB = await makeOrg(db, bureau, { name: '国库处党支部' });
  otherBureau = await makeOrg(db, root, { name: '市教育局机关党委', type: 'organ_committee' });
  otherBranch = await makeOrg(db, otherBureau, { name: '教育局办公室党支部' });
  // created long before the report day, so that a requirement missed last period is overdue
  await db.execute(sql`update orgs set created_at = '2020-01-01' where path <@ ${root.path}::ltree`);
  memberAId = (await makeMember(db, branchA, { name: '张伟', joinedOn: '2010-01-15' })).id;
  admin = await login(ctx.app, await makeUser(db, [{ role: 'platform_admin' }]));
  bureauAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: bureau }]));
  secretaryA = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchA }]));
  otherAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: otherBureau }]));
  memberA = await login(ctx.app, await makeUser(db, [{ role: 'member' }], { memberId: memberAId }));
});
afterAll(async () => ctx?.close());

describe('三会一课 compliance report, cached', () => {
  it('shows a new activity on the next report, and its cancellation', async () => {
    const before = await report(bureauAdmin, bureau);
    expect(itemOf(before, branchA, 'party_lesson')).toMatchObject({ status: 'overdue', heldThisPeriod: 0, lastHeldAt: null });
    expect(await report(bureauAdmin, bureau)).toEqual(before);

    const id = await heldOn(branchA, 'party_lesson', '2030-05-10T06:00:00Z');
    const held = await report(bureauAdmin, bureau);
    expect(itemOf(held, branchA, 'party_lesson')).toMatchObject({ status: 'done', heldThisPeriod: 1, lastHeldAt: '2030-05-10T06:00:00.000Z' });
    expect(held.summary.done).toBe(before.summary.done + 1);
    expect(held.summary.overdue).toBe(before.summary.overdue - 1);
    // the filtered and paged views come from the same (new) report
    expect((await report(bureauAdmin, bureau, '&status=done')).items.map((i) => [i.orgId, i.type])).toContainEqual([branchA.id, 'party_lesson']);

    expect((await admin.post(`/api/activities/${id}/cancel`, { reason: '临时接到防汛任务' })).statusCode).toBe(200);
    expect(await report(bureauAdmin, bureau)).toEqual(before);
  });

  it('follows a new rule on the next report, and its removal', async () => {
    const before = await report(bureauAdmin, bureau);
    expect(itemOf(before, branchB, 'branch_committee_meeting')).toMatchObject({ periodMonths: 1, periodStart: '2030-05-01' });
    const set = await bureauAdmin.post(`/api/activities/compliance-rules/${bureau.id}`, { rules: [{ type: 'branch_committee_meeting', periodMonths: 6 }] });
    expect(set.statusCode).toBe(200);
    expect(itemOf(await report(bureauAdmin, bureau), branchB, 'branch_committee_meeting')).toMatchObject({ periodMonths: 6, periodStart: '2030-01-01' });
    expect((await bureauAdmin.post(`/api/activities/compliance-rules/${bureau.id}`, { rules: [{ type: 'branch_committee_meeting', periodMonths: null }] })).statusCode).toBe(200);
    expect(await report(bureauAdmin, bureau)).toEqual(before);
  });

  it('drops a dissolved unit, shows a new one and a new name on the next report', async () => {
    const temporary = await admin.post('/api/orgs', { parentId: bureau.id, name: '防汛临时党支部', type: 'temporary_branch' });
    expect(temporary.statusCode).toBe(201);
    const unit = { id: temporary.json().id as string, path: '', name: '' };
    const withUnit = await report(bureauAdmin, bureau);
    expect(withUnit.items.filter((i) => i.orgId === unit.id).map((i) => i.type).sort()).toEqual(['branch_committee_meeting', 'branch_general_meeting', 'party_lesson']);

    expect((await admin.patch(`/api/orgs/${unit.id}`, { name: '抗洪抢险临时党支部' })).statusCode).toBe(200);
    expect(itemOf(await report(bureauAdmin, bureau), unit, 'party_lesson')).toMatchObject({ orgName: '抗洪抢险临时党支部' });

    expect((await admin.post(`/api/orgs/${unit.id}/dissolve`, { reason: '任务完成' })).statusCode).toBe(200);
    const without = await report(bureauAdmin, bureau);
    expect(without.items.some((i) => i.orgId === unit.id)).toBe(false);
    expect(without.total).toBe(withUnit.total - 3);
  });

  it('sees writes made outside this process (another server process, psql)', async () => {
    const { db } = ctx.database;
    const before = await report(bureauAdmin, bureau);
    expect(itemOf(before, groupA, 'group_meeting')).toMatchObject({ status: 'overdue' });
    const insertMeeting = () => db.execute(sql`insert into activities (org_id, org_path, type, title, starts_at, ends_at, status, check_in_opens_at, check_in_closes_at, check_in_code)
      values (${groupA.id}, ${groupA.path}::ltree, 'group_meeting', '党小组会', '2030-05-20T06:00:00Z', '2030-05-20T08:00:00Z', 'closed',
              '2030-05-20T05:30:00Z', '2030-05-20T08:00:00Z', '123456')`);
    await insertMeeting();
    expect(itemOf(await report(bureauAdmin, bureau), groupA, 'group_meeting')).toMatchObject({ status: 'done', heldThisPeriod: 1 });
    await db.execute(sql`delete from activities where org_id = ${groupA.id}`);
    expect(await report(bureauAdmin, bureau)).toEqual(before);
    await insertMeeting();
    expect(itemOf(await report(bureauAdmin, bureau), groupA, 'group_meeting')).toMatchObject({ status: 'done' });
    // one statement moving every meeting of the group a month later: after the report day, not yet held
    await db.execute(sql`update activities set starts_at = starts_at + interval '1 month', ends_at = ends_at + interval '1 month' where org_id = ${groupA.id}`);
    expect(await report(bureauAdmin, bureau)).toEqual(before);

    await db.execute(sql`update orgs set dissolved_at = now() where id = ${groupA.id}`);
    expect(itemOf(await report(bureauAdmin, bureau), groupA, 'group_meeting')).toBeUndefined();
    await db.execute(sql`update orgs set dissolved_at = null where id = ${groupA.id}`);
    expect(await report(bureauAdmin, bureau)).toEqual(before);
    // a unit inserted and deleted by single statements (no follow-up update of its path)
    const unit = (await db.execute<{ id: string } & Record<string, unknown>>(sql`insert into orgs (parent_id, path, name, type, created_at)
      values (${bureau.id}, ${`${bureau.path}.99999999`}::ltree, '机要处党支部', 'branch', '2020-01-01') returning id::text`)).rows[0]!;
    expect((await report(bureauAdmin, bureau)).items.filter((i) => i.orgId === unit.id)).toHaveLength(3);
    await db.execute(sql`delete from orgs where id = ${unit.id}`);
    expect(await report(bureauAdmin, bureau)).toEqual(before);
  });

  it('keeps the report across sign-in and records, which it does not read', async () => {
    const soon = new Date(Date.now() + 5 * 60_000).toISOString();
    const id = await heldOn(branchA, 'theme_day', soon);
    const n = await epoch();
    const signIn = await memberA.post(`/api/activities/${id}/check-in`, { token: checkInToken(createCipher(testKey), id, checkInWindowOf()) });
    expect(signIn.statusCode).toBe(200);
    expect((await admin.post(`/api/activities/${id}/record`, { minutes: '学习了党章第一章', summary: '到会 1 人' })).statusCode).toBe(200);
    expect((await admin.patch(`/api/orgs/${branchA.id}`, { secretaryName: '李娜' })).statusCode).toBe(200);
    expect(await epoch()).toBe(n);
    // a statement touching a column the report reads bumps it once, however many rows it changes
    await ctx.database.db.execute(sql`update activities set status = status where org_path <@ ${bureau.path}::ltree`);
    expect(BigInt(await epoch())).toBe(BigInt(n) + 1n);
  });

  it('never lets one scope see rows cached for another', async () => {
    const ofBureau = await report(bureauAdmin, bureau);
    expect(new Set(ofBureau.items.map((i) => i.orgId))).toEqual(new Set([branchA.id, groupA.id, branchB.id]));
    // the same report is refused to admins whose scope does not hold the org, whatever is cached
    expect((await secretaryA.get(`/api/activities/compliance?orgId=${bureau.id}&asOf=${DAY}`)).statusCode).toBe(404);
    expect((await otherAdmin.get(`/api/activities/compliance?orgId=${bureau.id}&asOf=${DAY}`)).statusCode).toBe(404);
    expect((await memberA.get(`/api/activities/compliance?orgId=${branchA.id}&asOf=${DAY}`)).statusCode).toBe(404);
    const ofBranch = await report(secretaryA, branchA);
    expect(new Set(ofBranch.items.map((i) => i.orgId))).toEqual(new Set([branchA.id, groupA.id]));
    const ofOther = await report(otherAdmin, otherBureau);
    expect(ofOther.items.map((i) => i.orgId)).toEqual(Array(3).fill(otherBranch.id));
    // a wider scope asking for the narrower org gets the same rows, not its own cached wider report
    expect(await report(bureauAdmin, branchA)).toEqual(ofBranch);
    expect(await report(admin, bureau)).toEqual(ofBureau);
    expect((await report(admin, root)).total).toBe(ofBureau.total + ofOther.total);
  });

  it('computes each report day apart', async () => {
    const may = await report(bureauAdmin, bureau);
    const july = (await bureauAdmin.get(`/api/activities/compliance?orgId=${bureau.id}&asOf=2030-07-02&pageSize=200`)).json() as Report;
    expect(may.asOf).toBe(DAY);
    expect(july.asOf).toBe('2030-07-02');
    expect(itemOf(may, branchB, 'branch_general_meeting')).toMatchObject({ periodStart: '2030-04-01' });
    expect(itemOf(july, branchB, 'branch_general_meeting')).toMatchObject({ periodStart: '2030-07-01' });
    expect(await report(bureauAdmin, bureau)).toEqual(may);
    // today's report (no asOf) is today's, not a cached other day's
    const today = (await bureauAdmin.get(`/api/activities/compliance?orgId=${bureau.id}`)).json() as Report;
    expect(today.asOf).toBe(todayInChina());
  });

  it('answers concurrent requests for one report alike', async () => {
    const all = await Promise.all(Array.from({ length: 6 }, (_, i) => bureauAdmin.get(`/api/activities/compliance?orgId=${bureau.id}&asOf=2030-08-0${i % 2 + 1}&pageSize=200`)));
    expect(all.map((r) => r.statusCode)).toEqual(Array(6).fill(200));
    const bodies = all.map((r) => r.json() as Report);
    for (const [i, body] of bodies.entries()) expect(body).toEqual(bodies[i % 2]);
    expect(bodies[0]!.asOf).toBe('2030-08-01');
    expect(bodies[1]!.asOf).toBe('2030-08-02');
  });
});
