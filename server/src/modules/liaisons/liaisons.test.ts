import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext, type UserFixture } from '../../../test/harness.js';

/** 委员联系支部 (issue #15): the committee above assigns a liaison, who reads the branch and records 旁听. */
let ctx: TestContext;
let bureau: OrgFixture, branchA: OrgFixture, groupA: OrgFixture, branchB: OrgFixture, otherBureau: OrgFixture, otherBranch: OrgFixture;
let platform: Client, bureauAdmin: Client, secretaryA: Client, otherAdmin: Client, liaison: Client, stranger: Client;
let liaisonUser: UserFixture, strangerUser: UserFixture;
const activity: Record<string, string> = {};
const hours = (n: number) => new Date(Date.now() + n * 3600_000).toISOString();

async function activityOf(by: Client, org: OrgFixture, title: string, publish = true, startsIn = -3): Promise<string> {
  const created = await by.post('/api/activities', { orgId: org.id, type: org === groupA ? 'group_meeting' : 'branch_general_meeting', title, startsAt: hours(startsIn), endsAt: hours(startsIn + 1), participants: { orgIds: [org.id] } });
  expect(created.statusCode, created.body).toBe(201);
  if (publish) {
    const published = await by.post(`/api/activities/${created.json().id}/publish`);
    expect(published.statusCode, published.body).toBe(200);
  }
  return created.json().id as string;
}

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  const root = await makeOrg(db, null, { name: '联系测试工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branchA = await makeOrg(db, bureau, { name: '预算处党支部' });
  groupA = await makeOrg(db, branchA, { name: '预算处第一党小组', type: 'group' });
  branchB = await makeOrg(db, bureau, { name: '国库处党支部' });
  otherBureau = await makeOrg(db, root, { name: '市教育局机关党委', type: 'organ_committee' });
  otherBranch = await makeOrg(db, otherBureau, { name: '教育局办公室党支部' });
  for (const org of [branchA, groupA, branchB, otherBranch]) await makeMember(db, org);
  platform = await login(ctx.app, await makeUser(db, [{ role: 'platform_admin' }]));
  bureauAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: bureau }]));
  secretaryA = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchA }]));
  otherAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: otherBureau }]));
  const committeeMember = await makeMember(db, bureau, { name: '王委员' });
  liaisonUser = await makeUser(db, [{ role: 'member' }], { memberId: committeeMember.id, username: 'wang.weiyuan' });
  liaison = await login(ctx.app, liaisonUser);
  strangerUser = await makeUser(db, []);
  stranger = await login(ctx.app, strangerUser);
  activity.a = await activityOf(secretaryA, branchA, '预算处支部党员大会');
  activity.group = await activityOf(secretaryA, groupA, '第一党小组会');
  activity.draft = await activityOf(secretaryA, branchA, '草稿活动', false);
  activity.b = await activityOf(bureauAdmin, branchB, '国库处支部党员大会');
  activity.other = await activityOf(otherAdmin, otherBranch, '教育局支部党员大会');
});
afterAll(async () => ctx?.close());

describe('assigning liaisons', () => {
  let liaisonId: string;

  it('lets the committee above assign a member to a branch', async () => {
    const res = await bureauAdmin.post('/api/liaisons', { userId: liaisonUser.id, orgId: branchA.id, duty: '组织委员' });
    expect(res.statusCode, res.body).toBe(201);
    liaisonId = res.json().id;
    expect(res.json()).toMatchObject({ userId: liaisonUser.id, orgId: branchA.id, orgName: '预算处党支部', duty: '组织委员', active: true, endedAt: null, canManage: true, sitIns: 0 });
    const audit = await ctx.database.db.execute<{ action: string } & Record<string, unknown>>(sql`select action from audit_log where target_type = 'liaison' and target_id = ${liaisonId}`);
    expect(audit.rows.map((r) => r.action)).toEqual(['liaison.assign']);
  });

  it('lists assignments to the admins of the subtree, the branch secretary reading but not managing', async () => {
    expect((await bureauAdmin.get('/api/liaisons')).json()).toMatchObject({ total: 1, items: [{ id: liaisonId, canManage: true }] });
    expect((await secretaryA.get('/api/liaisons')).json()).toMatchObject({ total: 1, items: [{ id: liaisonId, canManage: false }] });
    expect((await otherAdmin.get('/api/liaisons')).json()).toMatchObject({ total: 0, items: [] });
    expect((await stranger.get('/api/liaisons')).json()).toMatchObject({ total: 0 });
  });

  it('refuses bad input with the field named and nothing written', async () => {
    const before = await countRows(ctx.database.db, 'org_liaisons');
    const cases: [Client, Record<string, unknown>, string, string][] = [
      [secretaryA, { userId: strangerUser.id, orgId: branchA.id }, 'orgId', '只有上级党组织的管理员可以安排委员联系本支部'],
      [otherAdmin, { userId: strangerUser.id, orgId: branchA.id }, 'orgId', '党组织不存在或不在您的管理范围内'],
      [bureauAdmin, { userId: '999999', orgId: branchA.id }, 'userId', '账号不存在或已停用'],
      [bureauAdmin, { userId: strangerUser.id, orgId: branchA.id, fromDate: '2026-05-01', untilDate: '2026-04-01' }, 'untilDate', '结束日期不能早于开始日期'],
      [bureauAdmin, { userId: strangerUser.id, orgId: branchA.id, fromDate: '2026-02-30' }, 'fromDate', '日期格式应为 YYYY-MM-DD'],
    ];
    for (const [client, body, field, message] of cases) {
      const res = await client.post('/api/liaisons', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.fields, JSON.stringify(body)).toMatchObject({ [field]: message });
    }
    const twice = await bureauAdmin.post('/api/liaisons', { userId: liaisonUser.id, orgId: branchA.id });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.message).toBe('该委员已在联系这个支部');
    expect(await countRows(ctx.database.db, 'org_liaisons')).toBe(before);
  });

  it('answers 401 without a session and 404 for an assignment outside the scope', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/api/liaisons' })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/me/liaisons' })).statusCode).toBe(401);
    expect((await otherAdmin.post(`/api/liaisons/${liaisonId}/end`)).statusCode).toBe(404);
    expect((await secretaryA.post(`/api/liaisons/${liaisonId}/end`)).statusCode).toBe(404);
    expect((await bureauAdmin.get('/api/liaisons')).json().items[0].endedAt).toBeNull();
  });
});

describe('the liaison', () => {
  it('sees the branch and its recent activities (the group’s too), not drafts, not other branches', async () => {
    const mine = (await liaison.get('/api/me/liaisons')).json();
    expect(mine.branches).toEqual([expect.objectContaining({ orgId: branchA.id, orgName: '预算处党支部', duty: '组织委员', sitIns: 0 })]);
    expect(mine.activities.map((a: { id: string }) => a.id).sort()).toEqual([activity.a, activity.group].sort());
    expect(mine.activities.every((a: { sitInId: string | null }) => a.sitInId === null)).toBe(true);
    expect((await stranger.get('/api/me/liaisons')).json()).toEqual({ branches: [], activities: [] });
  });

  it('records 旁听 of an activity of the branch, once', async () => {
    const res = await liaison.post('/api/me/sit-ins', { activityId: activity.a, observations: '会议程序规范，发言踊跃', suggestions: '加强会前学习准备' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ activityId: activity.a, activityTitle: '预算处支部党员大会', orgId: branchA.id, userName: 'wang.weiyuan', suggestions: '加强会前学习准备' });
    expect(res.json().satInOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const again = await liaison.post('/api/me/sit-ins', { activityId: activity.a, observations: '再记一次' });
    expect(again.statusCode).toBe(409);
    expect((await liaison.post('/api/me/sit-ins', { activityId: activity.group, observations: '小组会认真', satInOn: '2026-01-05' })).statusCode).toBe(201);
    const mine = (await liaison.get('/api/me/liaisons')).json();
    expect(mine.branches[0].sitIns).toBe(2);
    expect(mine.activities.find((a: { id: string }) => a.id === activity.a).sitInId).toBe(res.json().id);
    expect((await liaison.get('/api/me/sit-ins')).json()).toMatchObject({ total: 2 });
    // the committee above and the branch read them; another bureau does not
    expect((await bureauAdmin.get('/api/liaisons/sit-ins')).json()).toMatchObject({ total: 2 });
    expect((await secretaryA.get(`/api/liaisons/sit-ins?orgId=${groupA.id}`)).json()).toMatchObject({ total: 1, items: [{ activityTitle: '第一党小组会', satInOn: '2026-01-05' }] });
    expect((await otherAdmin.get('/api/liaisons/sit-ins')).json()).toMatchObject({ total: 0 });
    const audit = await ctx.database.db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from audit_log where action = 'liaison.sit_in'`);
    expect(Number(audit.rows[0]!.n)).toBe(2);
  });

  it('is refused 旁听 of another branch’s activity, a draft, or bad input, with nothing written', async () => {
    const before = await countRows(ctx.database.db, 'liaison_sit_ins');
    const cases: [Client, Record<string, unknown>, string, string][] = [
      [liaison, { activityId: activity.b, observations: '越界' }, 'activityId', '活动不存在，或不属于您联系的支部'],
      [liaison, { activityId: activity.other, observations: '越界' }, 'activityId', '活动不存在，或不属于您联系的支部'],
      [liaison, { activityId: '999999', observations: '不存在' }, 'activityId', '活动不存在，或不属于您联系的支部'],
      [liaison, { activityId: activity.draft, observations: '草稿' }, 'activityId', '该活动尚未发布或已取消，不能记录旁听'],
      [liaison, { activityId: activity.a, observations: '   ' }, 'observations', '不能为空'],
      [stranger, { activityId: activity.a, observations: '不是联系人' }, 'activityId', '活动不存在，或不属于您联系的支部'],
      [bureauAdmin, { activityId: activity.a, observations: '管理员不是联系人' }, 'activityId', '活动不存在，或不属于您联系的支部'],
    ];
    for (const [client, body, field, message] of cases) {
      const res = await client.post('/api/me/sit-ins', body);
      expect(res.statusCode, `${JSON.stringify(body)}: ${res.body}`).toBe(400);
      expect(res.json().error.fields, JSON.stringify(body)).toMatchObject({ [field]: message });
    }
    expect(await countRows(ctx.database.db, 'liaison_sit_ins')).toBe(before);
  });

  it('loses the branch when the assignment ends: no reading, no 旁听; the records stay with the branch', async () => {
    expect((await liaison.get(`/api/orgs/${branchA.id}`)).statusCode).toBe(200);
    const id = (await bureauAdmin.get('/api/liaisons')).json().items[0].id;
    const ended = await bureauAdmin.post(`/api/liaisons/${id}/end`);
    expect(ended.statusCode).toBe(200);
    expect(ended.json()).toMatchObject({ active: false, canManage: false });
    expect((await bureauAdmin.post(`/api/liaisons/${id}/end`)).statusCode).toBe(409);
    expect((await liaison.get(`/api/orgs/${branchA.id}`)).statusCode).toBe(404);
    expect((await liaison.get('/api/me/liaisons')).json()).toEqual({ branches: [], activities: [] });
    expect((await liaison.post('/api/me/sit-ins', { activityId: activity.a, observations: '结束后' })).statusCode).toBe(400);
    expect((await liaison.get('/api/me/sit-ins')).json()).toMatchObject({ total: 2 });
    expect((await bureauAdmin.get('/api/liaisons?status=ended')).json()).toMatchObject({ total: 1, items: [{ id, sitIns: 2 }] });
    expect((await bureauAdmin.get('/api/liaisons')).json()).toMatchObject({ total: 0 });
  });

  it('starts reading on the assignment’s first day, not before', async () => {
    const res = await platform.post('/api/liaisons', { userId: strangerUser.id, orgId: branchB.id, fromDate: '2199-01-01' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().active).toBe(false);
    expect((await stranger.get(`/api/orgs/${branchB.id}`)).statusCode).toBe(404);
    expect((await stranger.get('/api/me/liaisons')).json().branches).toEqual([]);
  });
});
