import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { parsePdf } from '../../../test/pdf-structure.js';
import { signedInPerson, type SignedInPerson } from '../../../test/serving-fixtures.js';
import { pdfHexText } from '../../platform/pdf.js';
import { renderCertificatePdf } from './certificate.js';

let ctx: TestContext;
let root: OrgFixture, branchA: OrgFixture, branchB: OrgFixture, otherRoot: OrgFixture;
let rootAdmin: Client, branchAAdmin: Client, branchBAdmin: Client;
let m1: SignedInPerson, m2: SignedInPerson, m3: SignedInPerson, outsider: SignedInPerson;
let community: { id: string }, otherCommunity: { id: string };

const hex = (text: string) => pdfHexText(text).slice(1, -1);
const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  branchA = await makeOrg(db, root, { name: '市文旅局党支部' });
  branchB = await makeOrg(db, root, { name: '市体育局党支部' });
  otherRoot = await makeOrg(db, null, { name: '邻市机关工委' });
  rootAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: root }]));
  branchAAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchA }]));
  branchBAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchB }]));
  m1 = await signedInPerson(ctx, branchA, '马丽');
  m2 = await signedInPerson(ctx, branchB, '高峰');
  m3 = await signedInPerson(ctx, branchB, '林涛');
  outsider = await signedInPerson(ctx, await makeOrg(db, otherRoot), '外人');
  const c = await db.execute<{ id: string } & Record<string, unknown>>(sql`insert into communities (org_id, org_path, name, street) values (${root.id}, ${root.path}::ltree, '南门社区', '城南街道') returning id::text`);
  community = c.rows[0]!;
  const o = await db.execute<{ id: string } & Record<string, unknown>>(sql`insert into communities (org_id, org_path, name, street) values (${otherRoot.id}, ${otherRoot.path}::ltree, '邻市社区', '某街道') returning id::text`);
  otherCommunity = o.rows[0]!;
});
afterAll(async () => ctx?.close());

async function snapshot() {
  const db = ctx.database.db;
  const counts = await Promise.all(['volunteer_projects', 'volunteer_signups', 'audit_log'].map((t) => countRows(db, t)));
  const state = await db.execute(sql`select v.id, v.title, v.capacity, v.cancelled_at, (select json_agg(s order by s.id) from volunteer_signups s where s.project_id = v.id) as s from volunteer_projects v order by v.id`);
  return JSON.stringify({ counts, state: state.rows });
}

const validProject = (overrides: Record<string, unknown> = {}) => ({
  orgId: branchA.id, communityId: community.id, title: '文明交通劝导', place: '南门路口', startsAt: inHours(24), endsAt: inHours(27), capacity: 2, ...overrides,
});

async function createProject(overrides: Record<string, unknown> = {}) {
  const res = await branchAAdmin.post('/api/volunteering/projects', validProject(overrides));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

/** Time passes: the project took place yesterday (3 hours long). */
async function moveToYesterday(id: string) {
  await ctx.database.db.execute(sql`update volunteer_projects set starts_at = now() - interval '27 hours', ends_at = now() - interval '24 hours' where id = ${id}`);
}

describe('volunteer projects', () => {
  it('are posted by an org for a community, seen by members of the tree, not of another tree', async () => {
    const project = await createProject();
    expect(project).toMatchObject({ orgName: '市文旅局党支部', communityName: '南门社区', capacity: 2, signedUp: 0, placesLeft: 2, canManage: true, mySignup: null });
    expect((await m2.client.get(`/api/volunteering/projects/${project.id}`)).json().canManage).toBe(false);
    expect((await outsider.client.get(`/api/volunteering/projects/${project.id}`)).statusCode).toBe(404);
    expect((await branchBAdmin.patch(`/api/volunteering/projects/${project.id}`, { capacity: 9 })).statusCode).toBe(404);
    expect((await m2.client.patch(`/api/volunteering/projects/${project.id}`, { capacity: 9 })).statusCode).toBe(403);
  });

  it.each([
    ['ends before it starts', { endsAt: inHours(23) }, 'endsAt', '结束时间必须晚于开始时间'],
    ['no places', { capacity: 0 }, 'capacity', '不能小于 1'],
    ['a time without zone', { startsAt: '2026-12-01 09:00' }, 'startsAt', '时间格式应为 ISO 8601'],
    ['a community of another tree', { communityId: 'other' }, 'communityId', '社区不存在'],
    ['an org outside the scope', { orgId: 'B' }, 'orgId', '党组织不存在'],
  ])('answers 400 for %s and changes nothing', async (_case, overrides, field, message) => {
    const before = await snapshot();
    const body = validProject(overrides);
    if (body.communityId === 'other') body.communityId = otherCommunity.id;
    if (body.orgId === 'B') body.orgId = branchB.id;
    const res = await branchAAdmin.post('/api/volunteering/projects', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect(await snapshot()).toBe(before);
  });

  it('refuses cutting places below the sign-ups', async () => {
    const project = await createProject();
    await m1.client.post(`/api/volunteering/projects/${project.id}/signups`);
    await m2.client.post(`/api/volunteering/projects/${project.id}/signups`);
    const before = await snapshot();
    const res = await branchAAdmin.patch(`/api/volunteering/projects/${project.id}`, { capacity: 1 });
    expect(res.json().error.fields.capacity).toBe('已有 2 人报名，名额不能少于报名人数');
    expect(await snapshot()).toBe(before);
  });
});

describe('signing up', () => {
  it('gives the places to the first members and refuses the rest, a second sign-up, and other trees', async () => {
    const project = await createProject();
    const results = await Promise.all([m1, m2, m3].map((m) => m.client.post(`/api/volunteering/projects/${project.id}/signups`)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 409]);
    expect((await rootAdmin.get(`/api/volunteering/projects/${project.id}`)).json()).toMatchObject({ signedUp: 2, placesLeft: 0 });
    const winner = [m1, m2, m3][results.findIndex((r) => r.statusCode === 200)]!;
    expect((await winner.client.post(`/api/volunteering/projects/${project.id}/signups`)).json().error.message).toBe('您已报名该项目');
    expect((await outsider.client.post(`/api/volunteering/projects/${project.id}/signups`)).statusCode).toBe(404);
    expect((await branchAAdmin.post(`/api/volunteering/projects/${project.id}/signups`)).statusCode).toBe(403);
    expect((await m1.client.post(`/api/volunteering/projects/${project.id}/signups`, { memberId: m3.id })).statusCode).toBe(400);
  });

  it('lets a member withdraw before the start, and refuses a cancelled project', async () => {
    const project = await createProject();
    await m3.client.post(`/api/volunteering/projects/${project.id}/signups`);
    expect((await m3.client.delete(`/api/volunteering/projects/${project.id}/signups/me`)).json()).toMatchObject({ signedUp: 0, mySignup: null });
    await branchAAdmin.patch(`/api/volunteering/projects/${project.id}`, { cancelled: true });
    expect((await m3.client.post(`/api/volunteering/projects/${project.id}/signups`)).json().error.message).toBe('该项目已取消');
  });
});

describe('attendance and hours', () => {
  let p1: { id: string }, p2: { id: string };

  beforeAll(async () => {
    p1 = await createProject({ capacity: 5, title: '图书馆志愿服务' });
    p2 = await createProject({ capacity: 5, title: '全民健身日' });
    for (const m of [m1, m2, m3]) await m.client.post(`/api/volunteering/projects/${p1.id}/signups`);
    for (const m of [m1, m2]) await m.client.post(`/api/volunteering/projects/${p2.id}/signups`);
  });

  it('cannot be confirmed before the project starts', async () => {
    expect((await branchAAdmin.post(`/api/volunteering/projects/${p1.id}/attendance`, { entries: [{ memberId: m1.id, attended: true, hours: 1 }] })).statusCode).toBe(409);
  });

  it('are confirmed by the organizer and summed per member', async () => {
    await moveToYesterday(p1.id);
    await moveToYesterday(p2.id);
    const res = await branchAAdmin.post(`/api/volunteering/projects/${p1.id}/attendance`, { entries: [
      { memberId: m1.id, attended: true, hours: 3 }, { memberId: m2.id, attended: true, hours: 2.5 }, { memberId: m3.id, attended: false },
    ] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.map((s: { memberName: string; attended: boolean; hours: number }) => [s.memberName, s.attended, s.hours])).toEqual([['马丽', true, 3], ['高峰', true, 2.5], ['林涛', false, 0]]);
    await branchAAdmin.post(`/api/volunteering/projects/${p2.id}/attendance`, { entries: [{ memberId: m1.id, attended: true, hours: 1.5 }, { memberId: m2.id, attended: true, hours: 0.2 }] });
    expect((await m1.client.get('/api/volunteering/hours/me')).json()).toMatchObject({ hours: 4.5, records: [{ title: '图书馆志愿服务', hours: 3 }, { title: '全民健身日', hours: 1.5 }] });
    expect((await m2.client.get('/api/volunteering/hours/me')).json().hours).toBe(2.7);
    const totals = (await rootAdmin.get(`/api/volunteering/hours?orgId=${root.id}`)).json();
    expect(totals.items.map((r: { memberName: string; hours: number; projects: number }) => [r.memberName, r.hours, r.projects])).toEqual([['马丽', 4.5, 2], ['高峰', 2.7, 2], ['林涛', 0, 0]]);
    expect((await branchBAdmin.get(`/api/volunteering/hours?orgId=${branchB.id}`)).json().items.map((r: { memberName: string }) => r.memberName)).toEqual(['高峰', '林涛']);
    expect((await branchBAdmin.get(`/api/volunteering/hours?orgId=${root.id}`)).statusCode).toBe(404);
    expect((await branchBAdmin.get(`/api/volunteering/projects/${p1.id}/signups`)).statusCode).toBe(404);
    expect((await m1.client.get(`/api/volunteering/projects/${p1.id}/signups`)).statusCode).toBe(403);
  });

  it.each([
    ['a member who did not sign up', () => ({ entries: [{ memberId: outsider.id, attended: true, hours: 1 }] }), 'entries.0.memberId', '该党员未报名此项目'],
    ['more hours than the project lasted', () => ({ entries: [{ memberId: m1.id, attended: true, hours: 3.5 }] }), 'entries.0.hours', '时长不能超过项目时长 3 小时'],
    ['hours finer than 0.1', () => ({ entries: [{ memberId: m1.id, attended: true, hours: 1.25 }] }), 'entries.0.hours', '时长最小单位为 0.1 小时'],
    ['attended without hours', () => ({ entries: [{ memberId: m1.id, attended: true }] }), 'entries.0.hours', '必填'],
    ['no entries', () => ({ entries: [] }), 'entries', '不能为空'],
  ])('answers 400 for %s and changes nothing', async (_case, body, field, message) => {
    const before = await snapshot();
    const res = await branchAAdmin.post(`/api/volunteering/projects/${p1.id}/attendance`, body());
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect(await snapshot()).toBe(before);
  });

  it('issues a PDF certificate of hours with the name, org and confirmed total', async () => {
    const before = await countRows(ctx.database.db, 'audit_log');
    const res = await m1.client.get(`/api/volunteering/members/${m1.id}/certificate`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`inline; filename="volunteer-hours-certificate.pdf"; filename*=UTF-8''${encodeURIComponent('志愿服务时长证明-马丽.pdf')}`);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const pdf = parsePdf(res.rawPayload);
    expect(pdf.contents).toHaveLength(1);
    const content = pdf.contents[0]!;
    for (const text of ['志愿服务时长证明', '马丽', '市文旅局党支部', '4.5', '图书馆志愿服务', '全民健身日', '市直机关工委']) expect(content).toContain(hex(text));
    // Most recent first: 全民健身日 was moved to yesterday a moment after 图书馆志愿服务.
    expect(content.indexOf(hex('全民健身日'))).toBeLessThan(content.indexOf(hex('图书馆志愿服务')));
    expect(content).not.toContain(hex('等 '));
    expect(await countRows(ctx.database.db, 'audit_log')).toBe(before + 1);
  });

  it('gives the certificate to the member and the admins above them only', async () => {
    expect((await branchAAdmin.get(`/api/volunteering/members/${m1.id}/certificate`)).headers['content-type']).toBe('application/pdf');
    expect((await rootAdmin.get(`/api/volunteering/members/${m1.id}/certificate`)).statusCode).toBe(200);
    for (const client of [branchBAdmin, m2.client, outsider.client]) expect((await client.get(`/api/volunteering/members/${m1.id}/certificate`)).statusCode).toBe(404);
    expect((await rootAdmin.get('/api/volunteering/members/999999999/certificate')).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/volunteering/members/${m1.id}/certificate` })).statusCode).toBe(401);
    const badFormat = await m1.client.get(`/api/volunteering/members/${m1.id}/certificate?format=docx`);
    expect(badFormat.statusCode).toBe(400);
    expect(badFormat.json().error.fields).toHaveProperty('format');
    expect((await m1.client.get(`/api/volunteering/members/abc/certificate`)).statusCode).toBe(400);
  });

  it('still offers the printable HTML page with the same rules', async () => {
    const own = await m1.client.get(`/api/volunteering/members/${m1.id}/certificate?format=html`);
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toContain('text/html');
    expect(own.body).toContain('志愿服务时长证明');
    expect(own.body).toContain('马丽');
    expect(own.body).toContain('<strong>4.5</strong> 小时');
    expect(own.body).toContain('市直机关工委');
    expect((await branchBAdmin.get(`/api/volunteering/members/${m1.id}/certificate?format=html`)).statusCode).toBe(404);
    expect((await m2.client.get(`/api/volunteering/members/${m1.id}/certificate?format=html`)).statusCode).toBe(404);
  });

  it('keeps hostile project titles inside their strings, in HTML and PDF alike', async () => {
    const title = '<script>alert(1)</script>\\';
    await ctx.database.db.execute(sql`update volunteer_projects set title = ${title} where id = ${p2.id}`);
    const html = (await m1.client.get(`/api/volunteering/members/${m1.id}/certificate?format=html`)).body;
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;');
    const pdf = parsePdf((await m1.client.get(`/api/volunteering/members/${m1.id}/certificate`)).rawPayload);
    expect(pdf.contents[0]).toContain(hex(title));
    expect(pdf.contents[0]).not.toContain('<script>');
  });
});

describe('the certificate of a long-serving member', () => {
  const record = (i: number) => ({ projectId: String(i + 1), title: `社区服务第${i + 1}期`, orgName: '市文旅局党支部', startsAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(), hours: 2 });

  it('lists the most recent services that fit the page, then how many there are in all', () => {
    const records = Array.from({ length: 40 }, (_, i) => record(i));
    const content = parsePdf(renderCertificatePdf({ memberName: '马丽', orgName: '市文旅局党支部', treeName: '市直机关工委', hours: { hours: 80, records }, issuedOn: '2026-11-23' })).contents[0]!;
    const listed = records.filter((r) => content.includes(hex(r.title) + '>'));
    expect(listed.length).toBeGreaterThan(8);
    expect(listed.length).toBeLessThan(40);
    expect(listed).toEqual(records.slice(40 - listed.length));
    expect(content).toContain(hex(`等 40 项（以上为最近 ${listed.length} 项）`));
    expect(content).toContain(hex('80.0'));
    expect(content).toContain(hex('2026年11月23日'));
  });

  it('lists every service when they all fit, and says so when there are none', () => {
    const three = parsePdf(renderCertificatePdf({ memberName: '高峰', orgName: '市体育局党支部', treeName: '市直机关工委', hours: { hours: 6, records: [0, 1, 2].map(record) }, issuedOn: '2026-11-23' })).contents[0]!;
    for (const i of [0, 1, 2]) expect(three).toContain(hex(record(i).title));
    expect(three).not.toContain(hex('等 '));
    const none = parsePdf(renderCertificatePdf({ memberName: '林涛', orgName: '市体育局党支部', treeName: '市直机关工委', hours: { hours: 0, records: [] }, issuedOn: '2026-11-23' })).contents[0]!;
    expect(none).toContain(hex('暂无经确认的志愿服务记录'));
    expect(none).toContain(hex('0.0'));
  });
});
