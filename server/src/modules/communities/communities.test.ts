import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { makePerson, signedInPerson, type PersonFixture, type SignedInPerson } from '../../../test/serving-fixtures.js';

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branchA: OrgFixture, branchB: OrgFixture, otherRoot: OrgFixture;
let rootAdmin: Client, bureauAdmin: Client, branchAAdmin: Client, branchBAdmin: Client, otherAdmin: Client, noMember: Client;
let a1: SignedInPerson, b1: SignedInPerson, a2: PersonFixture, bm: PersonFixture;
let east: { id: string }, west: { id: string };

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市卫健委机关党委', type: 'organ_committee' });
  branchA = await makeOrg(db, bureau, { name: '医政处党支部' });
  branchB = await makeOrg(db, bureau, { name: '疾控处党支部' });
  otherRoot = await makeOrg(db, null, { name: '邻市机关工委' });
  rootAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: root }]));
  bureauAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: bureau }]));
  branchAAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchA }]));
  branchBAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchB }]));
  otherAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: otherRoot }]));
  noMember = await login(ctx.app, await makeUser(db, [{ role: 'member' }]));
  a1 = await signedInPerson(ctx, branchA, '吴刚');
  b1 = await signedInPerson(ctx, branchB, '郑洁');
  a2 = await makePerson(db, branchA, '冯军');
  bm = await makePerson(db, bureau, '何平');
  // an applicant is not yet a party member: not counted in 双报到 figures
  await makeMember(db, branchA, { name: '申请人', stage: 'applicant' });
});
afterAll(async () => ctx?.close());

async function snapshot() {
  const db = ctx.database.db;
  const counts = await Promise.all(['communities', 'community_reports', 'co_building_agreements', 'co_building_projects', 'audit_log'].map((t) => countRows(db, t)));
  const state = await db.execute(sql`select c.id, c.name, c.archived_at, (select json_agg(r order by r.id) from community_reports r) as reports from communities c order by c.id`);
  const agreements = await db.execute(sql`select id, title, ends_on from co_building_agreements order by id`);
  return JSON.stringify({ counts, state: state.rows, agreements: agreements.rows });
}

describe('community register', () => {
  it('registers communities and shows them to the whole tree, not to another tree', async () => {
    const res = await rootAdmin.post('/api/communities', { orgId: root.id, name: '东门社区', street: '城关街道', contactName: '社区书记', contactPhone: '0571-8888 1234' });
    expect(res.statusCode, res.body).toBe(201);
    east = res.json();
    expect(east).toMatchObject({ name: '东门社区', orgName: '市直机关工委', reportedCount: 0, canManage: true, archived: false });
    west = (await rootAdmin.post('/api/communities', { orgId: root.id, name: '西门社区', street: '城关街道' })).json();
    expect((await branchAAdmin.get('/api/communities')).json().items.map((c: { name: string }) => c.name)).toEqual(['东门社区', '西门社区']);
    expect((await a1.client.get(`/api/communities/${east.id}`)).json().canManage).toBe(false);
    expect((await otherAdmin.get('/api/communities')).json().items).toEqual([]);
    expect((await otherAdmin.get(`/api/communities/${east.id}`)).statusCode).toBe(404);
    expect((await a1.client.get(`/api/communities?q=${encodeURIComponent('東門')}`)).json().items.map((c: { name: string }) => c.name)).toEqual(['东门社区']);
  });

  it('lets only the keeping org’s admins edit a community', async () => {
    expect((await branchAAdmin.patch(`/api/communities/${east.id}`, { contactName: '张三' })).statusCode).toBe(403);
    expect((await rootAdmin.patch(`/api/communities/${east.id}`, { contactName: '王书记' })).json().contactName).toBe('王书记');
  });

  it.each([
    ['a duplicate name in the street', { orgId: 'root', name: '东门社区', street: '城关街道' }, 'name', '同一街道下已有同名社区'],
    ['missing street', { orgId: 'root', name: '南门社区' }, 'street', '必填'],
    ['a bad phone', { orgId: 'root', name: '南门社区', street: '城关街道', contactPhone: 'call me' }, 'contactPhone', '格式不正确'],
    ['an org outside the scope', { orgId: 'other', name: '南门社区', street: '城关街道' }, 'orgId', '党组织不存在'],
  ])('answers 400 for %s and changes nothing', async (_case, body, field, message) => {
    const before = await snapshot();
    const orgId = body.orgId === 'root' ? root.id : otherRoot.id;
    const res = await rootAdmin.post('/api/communities', { ...body, orgId });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect(await snapshot()).toBe(before);
  });

  it('answers 400 for a bad edit and changes nothing', async () => {
    const before = await snapshot();
    const res = await rootAdmin.patch(`/api/communities/${east.id}`, { name: '', archived: 'yes' });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields).sort()).toEqual(['archived', 'name']);
    expect(await snapshot()).toBe(before);
  });
});

describe('双报到', () => {
  it('lets a member report to the community where they live, and move to another', async () => {
    const first = await a1.client.post(`/api/communities/${east.id}/reports`, {});
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ memberId: a1.id, memberName: '吴刚', orgName: '医政处党支部', communityName: '东门社区' });
    expect((await a1.client.post(`/api/communities/${west.id}/reports`, { reportedOn: '2026-03-01' })).json()).toMatchObject({ communityName: '西门社区', reportedOn: '2026-03-01' });
    expect((await a1.client.get('/api/communities/my-report')).json().report.communityId).toBe(west.id);
    expect(await countRows(ctx.database.db, 'community_reports')).toBe(1);
  });

  it('lets an admin record the report of a member of the own subtree only', async () => {
    expect((await branchAAdmin.post(`/api/communities/${east.id}/reports`, { memberId: a2.id })).statusCode).toBe(201);
    expect((await b1.client.post(`/api/communities/${west.id}/reports`, {})).statusCode).toBe(201);
    const before = await snapshot();
    const outside = await branchAAdmin.post(`/api/communities/${east.id}/reports`, { memberId: b1.id });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.fields.memberId).toBe('党员不存在或不在您的管理范围内');
    const noRecord = await noMember.post(`/api/communities/${east.id}/reports`, {});
    expect(noRecord.statusCode).toBe(404); // an account outside every tree does not see the community at all
    expect((await rootAdmin.post(`/api/communities/${east.id}/reports`, {})).json().error.fields.memberId).toBe('请选择报到的党员');
    expect((await rootAdmin.post(`/api/communities/${east.id}/reports`, { memberId: 'x' })).statusCode).toBe(400);
    expect(await snapshot()).toBe(before);
  });

  it('lists a community’s reported members: all for its keepers, the own subtree for other admins', async () => {
    expect((await rootAdmin.get(`/api/communities/${west.id}/members`)).json().items.map((r: { memberName: string }) => r.memberName)).toEqual(['吴刚', '郑洁']);
    expect((await branchBAdmin.get(`/api/communities/${west.id}/members`)).json().items.map((r: { memberName: string }) => r.memberName)).toEqual(['郑洁']);
    expect((await rootAdmin.get(`/api/communities/${west.id}`)).json().reportedCount).toBe(2);
  });

  it('counts per org and per community with exact figures', async () => {
    const stats = (await rootAdmin.get(`/api/communities/report-stats?orgId=${root.id}`)).json();
    expect(stats).toEqual({
      orgId: root.id,
      members: 4,
      reported: 3,
      byChildOrg: [{ orgId: bureau.id, orgName: '市卫健委机关党委', members: 4, reported: 3 }],
      byCommunity: [
        { communityId: west.id, communityName: '西门社区', street: '城关街道', reported: 2 },
        { communityId: east.id, communityName: '东门社区', street: '城关街道', reported: 1 },
      ],
    });
    const bureauStats = (await bureauAdmin.get(`/api/communities/report-stats?orgId=${bureau.id}`)).json();
    expect(bureauStats.byChildOrg).toEqual([
      { orgId: branchA.id, orgName: '医政处党支部', members: 2, reported: 2 },
      { orgId: branchB.id, orgName: '疾控处党支部', members: 1, reported: 1 },
    ]);
    expect(bureauStats).toMatchObject({ members: 4, reported: 3 });
    expect((await branchAAdmin.get(`/api/communities/report-stats?orgId=${bureau.id}`)).statusCode).toBe(404);
    expect(bm.name).toBe('何平');
  });

  it('withdraws a report (self or admin) and refuses others', async () => {
    expect((await branchBAdmin.delete(`/api/communities/reports/${a2.id}`)).statusCode).toBe(404);
    expect((await branchAAdmin.delete(`/api/communities/reports/${a2.id}`)).statusCode).toBe(200);
    expect((await rootAdmin.get(`/api/communities/${east.id}`)).json().reportedCount).toBe(0);
  });
});

describe('共驻共建', () => {
  let agreement: { id: string; projects: unknown[] };

  it('signs an agreement with a community of the tree and lists joint projects under it', async () => {
    const res = await branchAAdmin.post('/api/co-building/agreements', { orgId: branchA.id, communityId: east.id, title: '医政处—东门社区共建协议', content: '义诊、健康讲座', signedOn: '2026-01-10', startsOn: '2026-01-10', endsOn: '2027-01-09' });
    expect(res.statusCode, res.body).toBe(201);
    agreement = res.json();
    expect(agreement).toMatchObject({ orgName: '医政处党支部', communityName: '东门社区', projectCount: 0, canManage: true, projects: [] });
    const project = await branchAAdmin.post(`/api/co-building/agreements/${agreement.id}/projects`, { title: '社区义诊', plannedOn: '2026-05-12' });
    expect(project.statusCode).toBe(201);
    expect((await branchAAdmin.patch(`/api/co-building/projects/${project.json().id}`, { doneOn: '2026-05-12' })).json()).toMatchObject({ title: '社区义诊', doneOn: '2026-05-12' });
    expect((await a1.client.get(`/api/co-building/agreements/${agreement.id}`)).json()).toMatchObject({ canManage: false, projectCount: 1, projects: [{ title: '社区义诊', doneOn: '2026-05-12' }] });
    expect((await bureauAdmin.get('/api/co-building/agreements')).json().items.map((a: { id: string }) => a.id)).toEqual([agreement.id]);
  });

  it('keeps another org out: 404 to read or change', async () => {
    const before = await snapshot();
    expect((await branchBAdmin.get(`/api/co-building/agreements/${agreement.id}`)).statusCode).toBe(404);
    expect((await branchBAdmin.patch(`/api/co-building/agreements/${agreement.id}`, { title: '改' })).statusCode).toBe(404);
    expect((await branchBAdmin.post(`/api/co-building/agreements/${agreement.id}/projects`, { title: '新' })).statusCode).toBe(404);
    expect((await b1.client.get(`/api/co-building/agreements/${agreement.id}`)).statusCode).toBe(404);
    expect(await snapshot()).toBe(before);
  });

  it.each([
    ['ends before it starts', { endsOn: '2025-12-31' }, 'endsOn', '结束日期不能早于开始日期'],
    ['a community of another tree', { communityId: 'other' }, 'communityId', '社区不存在'],
    ['missing content', { content: undefined }, 'content', '必填'],
    ['a bad signing date', { signedOn: '10/01/2026' }, 'signedOn', '日期格式应为 YYYY-MM-DD'],
  ])('answers 400 for an agreement with %s and changes nothing', async (_case, overrides, field, message) => {
    const otherCommunity = (await otherAdmin.post('/api/communities', { orgId: otherRoot.id, name: '邻市社区', street: '某街道' })).json();
    const before = await snapshot();
    const body = { orgId: branchA.id, communityId: east.id, title: '协议', content: '内容', signedOn: '2026-01-10', startsOn: '2026-01-10', ...overrides };
    if (body.communityId === 'other') body.communityId = otherCommunity.id;
    const res = await branchAAdmin.post('/api/co-building/agreements', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect(await snapshot()).toBe(before);
    await ctx.database.db.execute(sql`delete from communities where id = ${otherCommunity.id}`);
  });

  it('answers 400 for bad edits of an agreement or a joint project and changes nothing', async () => {
    const before = await snapshot();
    expect((await branchAAdmin.patch(`/api/co-building/agreements/${agreement.id}`, { endsOn: '2020-01-01' })).json().error.fields.endsOn).toBe('结束日期不能早于开始日期');
    expect((await branchAAdmin.post(`/api/co-building/agreements/${agreement.id}/projects`, { title: '' })).statusCode).toBe(400);
    expect((await branchAAdmin.patch('/api/co-building/projects/1', { doneOn: 'soon' })).statusCode).toBe(400);
    expect(await snapshot()).toBe(before);
  });
});
