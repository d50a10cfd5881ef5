import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../test/harness.js';

/**
 * Read-only access (issue #15) is decided in one place (actor.ts actorForMethod, applied by app.ts):
 * an inspector (督查/领导) or a liaison (委员联系支部) reads their subtree through every module's own
 * scoped lists and records, and every write of theirs there is refused with nothing changed.
 */
let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branchA: OrgFixture, branchB: OrgFixture, otherBureau: OrgFixture, otherBranch: OrgFixture;
let bureauAdmin: Client, secretaryA: Client, secretaryOther: Client, inspector: Client;
const member: Record<string, string> = {};
const activity: Record<string, string> = {};
const hours = (n: number) => new Date(Date.now() + n * 3600_000).toISOString();

async function publishedActivity(by: Client, org: OrgFixture, title: string): Promise<string> {
  const created = await by.post('/api/activities', { orgId: org.id, type: 'theme_day', title, startsAt: hours(-3), endsAt: hours(-2), participants: { orgIds: [org.id] } });
  expect(created.statusCode, created.body).toBe(201);
  expect((await by.post(`/api/activities/${created.json().id}/publish`)).statusCode).toBe(200);
  return created.json().id as string;
}

/** Rows of the tables a refused write could have touched, to compare before and after. */
async function snapshot(): Promise<string> {
  const r = await ctx.database.db.execute<{ s: string } & Record<string, unknown>>(sql`select concat_ws('|',
    (select count(*) from members), (select string_agg(name || ':' || coalesce(phone_masked, ''), ',' order by id) from members),
    (select string_agg(name, ',' order by id) from orgs), (select count(*) from activities), (select string_agg(title || status, ',' order by id) from activities),
    (select count(*) from user_roles), (select count(*) from org_liaisons)) as s`);
  return r.rows[0]!.s;
}

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '只读测试工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branchA = await makeOrg(db, bureau, { name: '预算处党支部' });
  branchB = await makeOrg(db, bureau, { name: '国库处党支部' });
  otherBureau = await makeOrg(db, root, { name: '市教育局机关党委', type: 'organ_committee' });
  otherBranch = await makeOrg(db, otherBureau, { name: '教育局办公室党支部' });
  member.a = (await makeMember(db, branchA, { name: '张伟', phone: '13912345678' })).id;
  member.b = (await makeMember(db, branchB, { name: '孙丽' })).id;
  member.other = (await makeMember(db, otherBranch, { name: '周杰' })).id;
  bureauAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: bureau }]));
  secretaryA = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchA }]));
  secretaryOther = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: otherBranch }]));
  inspector = await login(ctx.app, await makeUser(db, [{ role: 'inspector', org: bureau }]));
  activity.a = await publishedActivity(secretaryA, branchA, '预算处主题党日');
  activity.b = await publishedActivity(bureauAdmin, branchB, '国库处主题党日');
  activity.other = await publishedActivity(secretaryOther, otherBranch, '教育局主题党日');
});
afterAll(async () => ctx?.close());

describe('an inspector (督查) of a subtree', () => {
  it('is told so by /api/auth/me: admin menus, read only', async () => {
    const me = (await inspector.get('/api/auth/me')).json();
    expect(me.abilities).toMatchObject({ isAdmin: true, isPlatformAdmin: false, isInspector: true, readOnlyPaths: [bureau.path] });
    expect(me.user.roles).toEqual([{ role: 'inspector', orgId: bureau.id, orgName: '市财政局机关党委' }]);
  });

  it('reads the lists and records of several modules within the subtree, personal data masked', async () => {
    const members = await inspector.get(`/api/members?orgId=${bureau.id}`);
    expect(members.statusCode, members.body).toBe(200);
    expect(members.json().items.map((m: { name: string }) => m.name).sort()).toEqual(['孙丽', '张伟'].sort());
    expect(members.body).not.toContain('13912345678');
    expect(members.json().items.find((m: { name: string }) => m.name === '张伟')).toMatchObject({ phoneMasked: '139****5678' });
    expect((await inspector.get(`/api/members/${member.a}`)).statusCode).toBe(200);
    const activities = await inspector.get('/api/activities?pageSize=50');
    expect(activities.json().items.map((a: { id: string }) => a.id).sort()).toEqual([activity.a, activity.b].sort());
    expect((await inspector.get(`/api/activities/${activity.a}`)).statusCode).toBe(200);
    expect((await inspector.get(`/api/orgs/${bureau.id}`)).statusCode).toBe(200);
    const children = await inspector.get(`/api/orgs/${bureau.id}/children`);
    expect(children.json().items.map((o: { name: string }) => o.name).sort()).toEqual(['国库处党支部', '预算处党支部'].sort());
  });

  it('gets 404 outside the subtree', async () => {
    for (const url of [`/api/members/${member.other}`, `/api/activities/${activity.other}`, `/api/orgs/${otherBranch.id}`, `/api/orgs/${root.id}`]) {
      expect((await inspector.get(url)).statusCode, url).toBe(404);
    }
    expect((await inspector.get(`/api/members?orgId=${otherBureau.id}`)).json().items ?? []).toEqual([]);
  });

  it('is refused every write in the subtree, and nothing changes', async () => {
    const before = await snapshot();
    // where the module asks the org gate (managedOrg), the refusal says why
    const readOnly: [string, Promise<{ statusCode: number; body: string; json(): { error: { code: string; message: string } } }>][] = [
      ['update an org', inspector.patch(`/api/orgs/${branchA.id}`, { name: '改名党支部' })],
      ['create an activity', inspector.post('/api/activities', { orgId: branchA.id, type: 'theme_day', title: '越权活动', startsAt: hours(24), endsAt: hours(25), participants: { orgIds: [branchA.id] } })],
      ['create a sub-org', inspector.post('/api/orgs', { parentId: branchA.id, name: '越权党小组', type: 'group' })],
    ];
    for (const [what, pending] of readOnly) {
      const res = await pending;
      expect(res.statusCode, `${what}: ${res.body}`).toBe(403);
      expect(res.json().error, what).toEqual({ code: 'auth.read_only', message: '只读：您可以查看该党组织，不能修改' });
    }
    // records reached by their own id answer as to anyone outside the administration
    const refused: [string, Promise<{ statusCode: number }>][] = [
      ['create a member', inspector.post('/api/members', {
        orgId: branchA.id, name: '越权党员', gender: 'male', idNumber: '11010519491231002X', phone: null, stage: 'full', joinedOn: '2010-07-01', convertedOn: '2011-07-01',
      })],
      ['update member', inspector.patch(`/api/members/${member.a}`, { name: '改名' })],
      ['reveal phone', inspector.post(`/api/members/${member.a}/reveal`, { field: 'phone' })],
      ['cancel activity', inspector.post(`/api/activities/${activity.a}/cancel`, { reason: '越权取消' })],
      ['grant a role', inspector.post('/api/users', { username: 'sneaky', displayName: '越权', password: 'Sneaky-pass-2025', roles: [{ role: 'org_admin', orgId: branchA.id }] })],
      ['assign a liaison', inspector.post('/api/liaisons', { userId: '1', orgId: branchA.id })],
    ];
    for (const [what, res] of refused) expect([400, 403, 404], what).toContain((await res).statusCode);
    expect(await snapshot()).toBe(before);
  });

  it('exports the roster like an administrator, and a full-number export is audited under the inspector', async () => {
    const audited = async (action: string) => Number((await ctx.database.db.execute<{ n: number } & Record<string, unknown>>(sql`
      select count(*)::int as n from audit_log a join user_roles r on r.user_id = a.user_id and r.role = 'inspector' where a.action = ${action}`)).rows[0]!.n);
    expect((await inspector.get(`/api/members/export?orgId=${bureau.id}`)).statusCode).toBe(200);
    expect(await audited('member.export')).toBe(1);
    const full = await inspector.get(`/api/members/export?orgId=${bureau.id}&reveal=1&reason=${encodeURIComponent('督查核对名册')}`);
    expect(full.statusCode, full.body).toBe(200);
    expect(await audited('member.export_full_id')).toBe(1);
  });
});

describe('granting the inspector role', () => {
  it('is given on an org by its administrators, like org_admin, and needs the org', async () => {
    const ok = await bureauAdmin.post('/api/users', { username: 'du.cha', displayName: '督查组', password: 'Inspect-bureau-2025', roles: [{ role: 'inspector', orgId: branchB.id }] });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().roles).toEqual([{ role: 'inspector', orgId: branchB.id, orgName: '国库处党支部' }]);
    const noOrg = await bureauAdmin.post('/api/users', { username: 'du.cha2', displayName: '督查组', password: 'Inspect-bureau-2025', roles: [{ role: 'inspector' }] });
    expect(noOrg.statusCode).toBe(400);
    expect(noOrg.json().error.fields).toEqual({ 'roles.0.orgId': '请选择该角色所属的党组织' });
    const outside = await bureauAdmin.post('/api/users', { username: 'du.cha3', displayName: '督查组', password: 'Inspect-bureau-2025', roles: [{ role: 'inspector', orgId: otherBureau.id }] });
    expect(outside.statusCode).toBe(400);
    const signedIn = await login(ctx.app, { username: 'du.cha', password: 'Inspect-bureau-2025' });
    expect((await signedIn.get(`/api/members/${member.b}`)).statusCode).toBe(200);
    expect((await signedIn.get(`/api/members/${member.a}`)).statusCode).toBe(404);
  });
});

describe('a liaison (委员联系支部)', () => {
  it('reads the branch while assigned, is refused writes there, and loses access when the assignment ends', async () => {
    const liaisonUser = await makeUser(ctx.database.db, []);
    const liaison = await login(ctx.app, liaisonUser);
    expect((await liaison.get(`/api/members/${member.a}`)).statusCode).toBe(404);
    const assigned = await bureauAdmin.post('/api/liaisons', { userId: liaisonUser.id, orgId: branchA.id, duty: '组织委员' });
    expect(assigned.statusCode, assigned.body).toBe(201);
    // the same session: the cache heard of the assignment
    expect((await liaison.get(`/api/members/${member.a}`)).statusCode).toBe(200);
    expect((await liaison.get(`/api/activities/${activity.a}`)).statusCode).toBe(200);
    expect((await liaison.get(`/api/members/${member.b}`)).statusCode).toBe(404);
    expect((await liaison.get('/api/auth/me')).json().abilities).toMatchObject({ isAdmin: true, isInspector: false, readOnlyPaths: [branchA.path] });
    const before = await snapshot();
    const write = await liaison.patch(`/api/orgs/${branchA.id}`, { name: '联系人改名' });
    expect(write.statusCode).toBe(403);
    expect(await snapshot()).toBe(before);
    expect((await bureauAdmin.post(`/api/liaisons/${assigned.json().id}/end`)).statusCode).toBe(200);
    expect((await liaison.get(`/api/members/${member.a}`)).statusCode).toBe(404);
    expect((await liaison.get('/api/auth/me')).json().abilities).toMatchObject({ isAdmin: false, readOnlyPaths: [] });
  });
});
