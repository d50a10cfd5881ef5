import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';

/** 组织生活会, 民主生活会, 中心组学习, the 第一议题 marker and the records of 批评与自我批评 (issue #15). */
let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branchA: OrgFixture, branchB: OrgFixture, branchC: OrgFixture, other: OrgFixture;
let bureauAdmin: Client, secretaryA: Client, otherAdmin: Client, member: Client;
const m: Record<string, string> = {};
const db = () => ctx.database.db;
const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();

beforeAll(async () => {
  ctx = await startTestApp();
  root = await makeOrg(db(), null, { name: '市直机关工委' });
  bureau = await makeOrg(db(), root, { name: '市财政局机关党委', type: 'organ_committee' });
  branchA = await makeOrg(db(), bureau, { name: '预算处党支部' });
  branchB = await makeOrg(db(), bureau, { name: '国库处党支部' });
  branchC = await makeOrg(db(), bureau, { name: '办公室党支部' });
  other = await makeOrg(db(), null, { name: '邻市机关工委' });
  m.a1 = (await makeMember(db(), branchA, { name: '张伟' })).id;
  m.a2 = (await makeMember(db(), branchA, { name: '李娜' })).id;
  m.b1 = (await makeMember(db(), branchB, { name: '孙丽' })).id;
  bureauAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: bureau }]));
  secretaryA = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: branchA }]));
  otherAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: other }]));
  member = await login(ctx.app, await makeUser(db(), [{ role: 'member' }], { memberId: m.a1 }));
});
afterAll(async () => ctx?.close());

async function create(by: Client, fields: Record<string, unknown>) {
  return by.post('/api/activities', { orgId: branchA.id, type: 'org_life_meeting', title: '年度组织生活会', startsAt: minutes(60), endsAt: minutes(180),
    participants: { orgIds: [branchA.id] }, ...fields });
}

describe('the new kinds of organizational life', () => {
  it('holds 组织生活会 in a branch and 民主生活会, 中心组学习 in a committee, and refuses them elsewhere with the field named', async () => {
    expect((await create(secretaryA, {})).statusCode).toBe(201);
    for (const type of ['democratic_life_meeting', 'study_group']) {
      expect((await create(bureauAdmin, { orgId: bureau.id, type, participants: undefined })).statusCode).toBe(201);
      const wrong = await create(secretaryA, { type });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().error.fields).toHaveProperty('type');
    }
    const wrong = await create(bureauAdmin, { orgId: bureau.id });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields.type).toContain('组织生活会');
    expect((await bureauAdmin.get(`/api/activities?type=study_group&orgId=${bureau.id}`)).json()).toMatchObject({ total: 1, items: [{ type: 'study_group' }] });
  });

  it('marks 第一议题 on create and update, shows it and filters by it', async () => {
    const marked = await create(secretaryA, { type: 'branch_committee_meeting', title: '支委会（第一议题）', isFirstTopic: true });
    expect(marked.json()).toMatchObject({ isFirstTopic: true });
    const plain = await create(secretaryA, { type: 'branch_committee_meeting', title: '支委会' });
    expect(plain.json()).toMatchObject({ isFirstTopic: false });
    const listed = async (q: string) => ((await secretaryA.get(`/api/activities?orgId=${branchA.id}&type=branch_committee_meeting${q}`)).json() as { items: { id: string; isFirstTopic: boolean }[] }).items;
    expect((await listed('&firstTopic=1')).map((a) => a.id)).toEqual([marked.json().id]);
    expect((await listed('&firstTopic=0')).map((a) => a.id)).toEqual([plain.json().id]);
    const patched = await secretaryA.patch(`/api/activities/${plain.json().id}`, { isFirstTopic: true });
    expect(patched.json()).toMatchObject({ isFirstTopic: true });
    expect((await listed('&firstTopic=true')).length).toBe(2);
    const bad = await secretaryA.patch(`/api/activities/${plain.json().id}`, { isFirstTopic: 'yes' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty('isFirstTopic');
  });
});

describe('批评与自我批评', () => {
  it('records one entry per participant, rewrites it, lists and removes it, audited', async () => {
    const id = (await create(secretaryA, {})).json().id as string;
    const url = `/api/activities/${id}/criticisms`;
    expect((await secretaryA.get(url)).json()).toEqual({ items: [] });
    const saved = await secretaryA.put(`${url}/${m.a1}`, { selfCriticism: '理论学习不够深入', criticismsReceived: '联系群众不够', rectification: '每月读一本原著' });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ memberId: m.a1, name: '张伟', selfCriticism: '理论学习不够深入', rectification: '每月读一本原著' });
    await secretaryA.put(`${url}/${m.a2}`, { selfCriticism: '工作方法简单' });
    await secretaryA.put(`${url}/${m.a1}`, { selfCriticism: '理论学习不够系统', criticismsReceived: '', rectification: '每月读一本原著' });
    expect((await secretaryA.get(url)).json()).toMatchObject({ items: [
      { name: '张伟', selfCriticism: '理论学习不够系统', criticismsReceived: null }, { name: '李娜', selfCriticism: '工作方法简单', rectification: null },
    ] });
    expect((await secretaryA.delete(`${url}/${m.a2}`)).statusCode).toBe(200);
    expect((await secretaryA.delete(`${url}/${m.a2}`)).statusCode).toBe(404);
    expect(((await bureauAdmin.get(url)).json() as { items: unknown[] }).items).toHaveLength(1);
    const audited = await db().execute<{ action: string } & Record<string, unknown>>(sql`select action from audit_log where target_type = 'activity' and target_id = ${id} and action like 'activity.criticism%' order by id`);
    expect(audited.rows.map((r) => r.action)).toEqual(['activity.criticism_save', 'activity.criticism_save', 'activity.criticism_save', 'activity.criticism_delete']);
  });

  it('refuses a non-participant, an empty self-criticism and a meeting without criticism, changing nothing', async () => {
    const id = (await create(secretaryA, {})).json().id as string;
    const before = await countRows(db(), 'activity_criticisms');
    const outsider = await bureauAdmin.put(`/api/activities/${id}/criticisms/${m.b1}`, { selfCriticism: '……' });
    expect(outsider.statusCode).toBe(400);
    expect(outsider.json().error.fields).toHaveProperty('memberId');
    const empty = await secretaryA.put(`/api/activities/${id}/criticisms/${m.a1}`, { selfCriticism: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields).toHaveProperty('selfCriticism');
    const themeDay = (await create(secretaryA, { type: 'theme_day' })).json().id as string;
    expect((await secretaryA.put(`/api/activities/${themeDay}/criticisms/${m.a1}`, { selfCriticism: '不足' })).statusCode).toBe(409);
    expect((await secretaryA.get(`/api/activities/${themeDay}/criticisms`)).statusCode).toBe(409);
    expect(await countRows(db(), 'activity_criticisms')).toBe(before);
  });

  it('answers 404 outside the organizer’s scope, to a participant who does not manage it, and 401 without a session', async () => {
    const id = (await create(secretaryA, {})).json().id as string;
    await secretaryA.post(`/api/activities/${id}/publish`);
    await secretaryA.put(`/api/activities/${id}/criticisms/${m.a1}`, { selfCriticism: '学习不够' });
    expect((await otherAdmin.get(`/api/activities/${id}/criticisms`)).statusCode).toBe(404);
    expect((await otherAdmin.put(`/api/activities/${id}/criticisms/${m.a1}`, { selfCriticism: 'x' })).statusCode).toBe(404);
    expect((await otherAdmin.delete(`/api/activities/${id}/criticisms/${m.a1}`)).statusCode).toBe(404);
    expect((await member.get(`/api/activities/${id}/criticisms`)).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/activities/${id}/criticisms` })).statusCode).toBe(401);
  });
});

describe('the annual 组织生活会', () => {
  it('lists the branches that have held none in the year', async () => {
    const year = new Date().getUTCFullYear() + 1;
    const due = async (y: number) => (await bureauAdmin.get(`/api/activities/org-life-due?orgId=${bureau.id}&year=${y}`)).json() as { total: number; year: number; items: { orgName: string; lastHeldAt: string | null }[] };
    expect((await due(year)).items.map((i) => i.orgName)).toEqual(['预算处党支部', '国库处党支部', '办公室党支部']);
    // held (announced) in branch B in that year; a cancelled one in branch C does not count
    const inYear = (d: string) => ({ startsAt: `${d}T02:00:00.000Z`, endsAt: `${d}T04:00:00.000Z` });
    const heldB = (await create(bureauAdmin, { orgId: branchB.id, participants: { orgIds: [branchB.id] }, ...inYear(`${year}-03-10`) })).json().id as string;
    expect((await bureauAdmin.post(`/api/activities/${heldB}/publish`)).statusCode).toBe(200);
    const cancelledC = (await create(bureauAdmin, { orgId: branchC.id, participants: undefined, ...inYear(`${year}-04-10`) })).json().id as string;
    await bureauAdmin.post(`/api/activities/${cancelledC}/cancel`, { reason: '改期' });
    const draftA = (await create(secretaryA, inYear(`${year}-05-10`))).json().id as string;
    expect(draftA).toBeTruthy();
    const list = await due(year);
    expect(list).toMatchObject({ year, total: 2 });
    expect(list.items.map((i) => i.orgName)).toEqual(['预算处党支部', '办公室党支部']);
    // the year after, branch B is due again, with the last one it held
    expect((await due(year + 1)).items.find((i) => i.orgName === '国库处党支部')?.lastHeldAt).toBe(`${year}-03-10T02:00:00.000Z`);
    expect((await secretaryA.get(`/api/activities/org-life-due?year=${year}`)).json()).toMatchObject({ total: 1, items: [{ orgName: '预算处党支部' }] });
    expect((await otherAdmin.get(`/api/activities/org-life-due?orgId=${bureau.id}`)).statusCode).toBe(404);
    expect((await bureauAdmin.get('/api/activities/org-life-due?year=1800')).json().error.fields).toHaveProperty('year');
  });
});
