import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, countRows, login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import type { App } from '../../platform/app.js';
import { TINY_PNG, keysOf, multipartFile, signedInPerson, type SignedInPerson } from '../../../test/serving-fixtures.js';
import { runDueJobs, type JobLog } from '../../platform/scheduler.js';
import { noticeJobs } from './routes.js';
import { noticeReadRates } from './stats.js';

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branchA: OrgFixture, branchB: OrgFixture, otherRoot: OrgFixture, otherBranch: OrgFixture;
let rootAdmin: Client, bureauAdmin: Client, branchAAdmin: Client, otherAdmin: Client;
let bureauAdminId: string, branchAAdminId: string;
let alice: SignedInPerson, bob: SignedInPerson, carol: SignedInPerson, dave: SignedInPerson, outsider: SignedInPerson;

const quiet: JobLog = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
const db = () => ctx.database.db;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

beforeAll(async () => {
  ctx = await startTestApp();
  root = await makeOrg(db(), null, { name: '市直机关工委' });
  bureau = await makeOrg(db(), root, { name: '市教育局机关党委', type: 'organ_committee' });
  branchA = await makeOrg(db(), bureau, { name: '办公室党支部' });
  branchB = await makeOrg(db(), bureau, { name: '基础教育处党支部' });
  otherRoot = await makeOrg(db(), null, { name: '邻市机关工委' });
  otherBranch = await makeOrg(db(), otherRoot, { name: '邻市党支部' });
  rootAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: root }]));
  const bureauAdminUser = await makeUser(db(), [{ role: 'org_admin', org: bureau }]);
  const branchAAdminUser = await makeUser(db(), [{ role: 'org_admin', org: branchA }]);
  bureauAdminId = bureauAdminUser.id;
  branchAAdminId = branchAAdminUser.id;
  bureauAdmin = await login(ctx.app, bureauAdminUser);
  branchAAdmin = await login(ctx.app, branchAAdminUser);
  otherAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: otherRoot }]));
  alice = await signedInPerson(ctx, branchA, '陈静');
  bob = await signedInPerson(ctx, branchA, '刘洋');
  carol = await signedInPerson(ctx, branchB, '孙丽');
  dave = await signedInPerson(ctx, bureau, '赵强');
  outsider = await signedInPerson(ctx, otherBranch, '周杰');
});
afterAll(async () => ctx?.close());

type Draft = Partial<{ orgId: string; title: string; body: string; targetKind: 'subtree' | 'orgs'; targetOrgIds: string[]; toMembers: boolean; toOrgAdmins: boolean; mustRead: boolean; readDeadline: string | null }>;
const draftBody = (fields: Draft = {}) => ({ orgId: bureau.id, title: '关于开展主题党日活动的通知', body: '<p>请各支部于本月内开展<strong>主题党日</strong>活动。</p>', targetKind: 'subtree', ...fields });

async function draft(fields: Draft = {}, by: Client = bureauAdmin): Promise<string> {
  const res = await by.post('/api/notices', draftBody(fields));
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}

async function published(fields: Draft = {}): Promise<string> {
  const id = await draft(fields);
  const res = await bureauAdmin.post(`/api/notices/${id}/publish`, {});
  expect(res.statusCode, res.body).toBe(200);
  return id;
}

async function recipientsOf(id: string): Promise<string[]> {
  const r = await db().execute<{ user_id: string } & Record<string, unknown>>(sql`select user_id::text from notice_recipients where notice_id = ${id} order by user_id`);
  return r.rows.map((row) => row.user_id);
}

async function inboxOf(kind: string, id: string): Promise<string[]> {
  const r = await db().execute<{ user_id: string } & Record<string, unknown>>(sql`
    select user_id::text from inbox_items where kind = ${kind} and source_type = 'notice' and source_id = ${id} order by user_id`);
  return r.rows.map((row) => row.user_id);
}

const sorted = (ids: string[]) => [...ids].sort((a, b) => Number(a) - Number(b));

async function snapshot() {
  const counts = await Promise.all(['notices', 'notice_recipients', 'notice_target_orgs', 'notice_files', 'inbox_items', 'scheduled_jobs'].map((t) => countRows(db(), t)));
  const state = await db().execute(sql`select id, status, title, updated_at from notices order by id`);
  return JSON.stringify({ counts, state: state.rows });
}

describe('writing and publishing a notice', () => {
  it('saves a draft with sanitized HTML and a plain-text copy, and lists it for the publishing org’s admins only', async () => {
    const res = await bureauAdmin.post('/api/notices', draftBody({
      title: '防范诈骗提醒',
      body: '<p onclick="steal()">注意<script>alert(1)</script><img src="https://evil.example/t.gif"><img src=x onerror="alert(1)"><a href="javascript:alert(1)">点此</a></p><iframe src="https://evil.example"></iframe><h2>要点</h2><ul><li>不转账</li></ul>',
    }));
    expect(res.statusCode, res.body).toBe(201);
    const notice = res.json();
    expect(notice).toMatchObject({ status: 'draft', title: '防范诈骗提醒', orgName: '市教育局机关党委', recipients: 0, read: 0 });
    expect(notice.bodyHtml).toBe('<p>注意<a>点此</a></p><h2>要点</h2><ul><li>不转账</li></ul>');
    expect(notice.bodyText).toBe('注意点此\n要点\n不转账');
    const listed = (c: Client) => c.get('/api/notices?status=draft').then((r) => (r.json() as { items: { id: string }[] }).items.map((n) => n.id));
    expect(await listed(bureauAdmin)).toContain(notice.id);
    expect(await listed(rootAdmin)).toContain(notice.id);
    expect(await listed(branchAAdmin)).not.toContain(notice.id);
    expect(await listed(otherAdmin)).not.toContain(notice.id);
    expect((await otherAdmin.get(`/api/notices/${notice.id}`)).statusCode).toBe(404);
    expect((await alice.client.get(`/api/notices/${notice.id}`)).statusCode).toBe(404);
  });

  it('refuses bad input with the offending field and changes nothing', async () => {
    const before = await snapshot();
    const refused = async (body: unknown, field: string, by: Client = bureauAdmin) => {
      const res = await by.post('/api/notices', body);
      expect(res.statusCode, res.body).toBe(400);
      expect(Object.keys(res.json().error.fields ?? {})).toContain(field);
    };
    await refused(draftBody({ title: '  ' }), 'title');
    await refused(draftBody({ targetKind: 'orgs', targetOrgIds: [] }), 'targetOrgIds');
    await refused(draftBody({ targetKind: 'orgs', targetOrgIds: [otherBranch.id] }), 'targetOrgIds');
    // a chosen org outside the publishing org's subtree, though inside the admin's
    await refused(draftBody({ orgId: branchA.id, targetKind: 'orgs', targetOrgIds: [branchB.id] }), 'targetOrgIds', rootAdmin);
    await refused(draftBody({ mustRead: true }), 'readDeadline');
    await refused(draftBody({ toMembers: false, toOrgAdmins: false }), 'toMembers');
    await refused(draftBody({ body: '<script>alert(1)</script>' }), 'body');
    await refused(draftBody({ orgId: otherRoot.id }), 'orgId');
    await refused({ ...draftBody(), extra: 1 }, 'extra');
    expect(await snapshot()).toBe(before);
  });

  it('answers 400 to a bad page or filter of the lists', async () => {
    expect((await alice.client.get('/api/me/notices?pageSize=0')).statusCode).toBe(400);
    expect((await bureauAdmin.get('/api/notices?status=sent')).statusCode).toBe(400);
    expect((await bureauAdmin.get('/api/notices/abc')).statusCode).toBe(400);
    expect((await alice.client.post('/api/me/notices/abc/open')).statusCode).toBe(400);
  });

  it('answers 401 without a session', async () => {
    for (const [method, url] of [['GET', '/api/notices'], ['POST', '/api/notices'], ['GET', '/api/me/notices'], ['POST', '/api/me/notices/1/open'], ['GET', '/api/notices/1/receipts']] as const) {
      expect((await ctx.app.inject({ method, url, payload: method === 'POST' ? {} : undefined })).statusCode, url).toBe(401);
    }
  });

  it('edits a draft, and refuses to edit a published notice', async () => {
    const id = await draft();
    const edited = await bureauAdmin.put(`/api/notices/${id}`, draftBody({ title: '修改后的标题' }));
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().title).toBe('修改后的标题');
    expect((await otherAdmin.put(`/api/notices/${id}`, draftBody())).statusCode).toBe(404);
    expect((await bureauAdmin.put(`/api/notices/${id}`, draftBody({ title: '' }))).statusCode).toBe(400);
    await bureauAdmin.post(`/api/notices/${id}/publish`, {});
    const refused = await bureauAdmin.put(`/api/notices/${id}`, draftBody({ title: '发布后再改' }));
    expect(refused.statusCode).toBe(409);
    expect((await bureauAdmin.get(`/api/notices/${id}`)).json().title).toBe('修改后的标题');
  });

  it('deletes a draft only', async () => {
    const id = await draft();
    expect((await otherAdmin.delete(`/api/notices/${id}`)).statusCode).toBe(404);
    expect((await bureauAdmin.delete(`/api/notices/${id}`)).statusCode).toBe(200);
    expect((await bureauAdmin.get(`/api/notices/${id}`)).statusCode).toBe(404);
    const pub = await published();
    expect((await bureauAdmin.delete(`/api/notices/${pub}`)).statusCode).toBe(409);
  });
});

describe('who is asked to read', () => {
  it('a notice to the subtree reaches the users of every member in it, once, and puts it in their inboxes', async () => {
    const id = await published();
    const expected = sorted([alice.userId, bob.userId, carol.userId, dave.userId]);
    expect(await recipientsOf(id)).toEqual(expected);
    expect(await inboxOf('notice', id)).toEqual(expected);
    expect((await bureauAdmin.get(`/api/notices/${id}`)).json()).toMatchObject({ status: 'published', recipients: 4, read: 0 });
  });

  it('a notice to chosen orgs reaches the members of those orgs (with their subtrees) only', async () => {
    const id = await published({ targetKind: 'orgs', targetOrgIds: [branchB.id] });
    expect(await recipientsOf(id)).toEqual([carol.userId]);
    expect((await bureauAdmin.get(`/api/notices/${id}`)).json().targetOrgs).toEqual([{ id: branchB.id, name: '基础教育处党支部' }]);
  });

  it('a notice to org admins reaches the admins of the target orgs and no plain member', async () => {
    const id = await published({ toMembers: false, toOrgAdmins: true });
    expect(await recipientsOf(id)).toEqual(sorted([bureauAdminId, branchAAdminId]));
    const both = await published({ targetKind: 'orgs', targetOrgIds: [branchA.id], toMembers: true, toOrgAdmins: true });
    expect(await recipientsOf(both)).toEqual(sorted([alice.userId, bob.userId, branchAAdminId]));
  });

  it('recipients are fixed at publication: a member who joins later is not asked', async () => {
    const id = await published({ targetKind: 'orgs', targetOrgIds: [branchB.id] });
    const newcomer = await signedInPerson(ctx, branchB, '新党员');
    expect(await recipientsOf(id)).toEqual([carol.userId]);
    expect((await newcomer.client.post(`/api/me/notices/${id}/open`)).statusCode).toBe(404);
    // the newcomer leaves again, so that the other tests' recipients stay those of beforeAll
    await db().execute(sql`update users set disabled_at = now() where id = ${newcomer.userId}`);
  });

  it('refuses to publish a notice that reaches nobody, and changes nothing', async () => {
    const empty = await makeOrg(db(), bureau, { name: '空支部' });
    const id = await draft({ targetKind: 'orgs', targetOrgIds: [empty.id] });
    const before = await snapshot();
    const res = await bureauAdmin.post(`/api/notices/${id}/publish`, {});
    expect(res.statusCode).toBe(400);
    expect(await snapshot()).toBe(before);
  });
});

describe('reading and receipts', () => {
  it('a member sees their notices unread first; opening one marks it read and its inbox item too', async () => {
    const older = await published({ title: '较早的通知' });
    const newer = await published({ title: '较新的通知' });
    const opened = await alice.client.post(`/api/me/notices/${older}/open`);
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json()).toMatchObject({ id: older, title: '较早的通知', orgName: '市教育局机关党委' });
    expect(opened.json().readAt).not.toBeNull();
    const list = (await alice.client.get('/api/me/notices?pageSize=200')).json();
    const ids = list.items.map((n: { id: string }) => n.id);
    expect(ids.indexOf(newer)).toBeLessThan(ids.indexOf(older));
    expect(list.items.filter((n: { readAt: string | null }) => n.readAt === null)).toHaveLength(list.unread);
    const inbox = await db().execute<{ read: boolean } & Record<string, unknown>>(sql`
      select read_at is not null as read from inbox_items where user_id = ${alice.userId} and source_type = 'notice' and source_id = ${older}`);
    expect(inbox.rows).toEqual([{ read: true }]);
    // opening again keeps the first reading time
    expect((await alice.client.post(`/api/me/notices/${older}/open`)).json().readAt).toBe(opened.json().readAt);
  });

  it('a member outside the targets cannot open the notice or see it listed', async () => {
    const id = await published({ targetKind: 'orgs', targetOrgIds: [branchB.id] });
    expect((await alice.client.post(`/api/me/notices/${id}/open`)).statusCode).toBe(404);
    expect((await outsider.client.post(`/api/me/notices/${id}/open`)).statusCode).toBe(404);
    expect((await outsider.client.get('/api/me/notices')).json()).toMatchObject({ items: [], total: 0, unread: 0 });
    expect((await alice.client.get('/api/me/notices?pageSize=200')).json().items.map((n: { id: string }) => n.id)).not.toContain(id);
  });

  it('per-org figures equal the lists they open, with names and orgs only', async () => {
    const id = await published();
    await alice.client.post(`/api/me/notices/${id}/open`);
    await carol.client.post(`/api/me/notices/${id}/open`);
    const receipts = (await bureauAdmin.get(`/api/notices/${id}/receipts`)).json();
    expect(receipts).toEqual({
      noticeId: id, recipients: 4, read: 2,
      orgs: [
        { orgId: bureau.id, orgName: '市教育局机关党委', recipients: 1, read: 0 },
        { orgId: branchA.id, orgName: '办公室党支部', recipients: 2, read: 1 },
        { orgId: branchB.id, orgName: '基础教育处党支部', recipients: 1, read: 1 },
      ].sort((a, b) => Number(a.orgId) - Number(b.orgId)),
    });
    for (const org of receipts.orgs as { orgId: string; recipients: number; read: number }[]) {
      const all = (await bureauAdmin.get(`/api/notices/${id}/receipts/people?orgId=${org.orgId}`)).json();
      const read = (await bureauAdmin.get(`/api/notices/${id}/receipts/people?orgId=${org.orgId}&state=read`)).json();
      const unread = (await bureauAdmin.get(`/api/notices/${id}/receipts/people?orgId=${org.orgId}&state=unread`)).json();
      expect([all.total, all.items.length]).toEqual([org.recipients, org.recipients]);
      expect([read.total, read.items.length]).toEqual([org.read, org.read]);
      expect([unread.total, unread.items.length]).toEqual([org.recipients - org.read, org.recipients - org.read]);
    }
    const unread = (await bureauAdmin.get(`/api/notices/${id}/receipts/people?state=unread`)).json();
    expect(unread.items.map((p: { name: string }) => p.name).sort()).toEqual(['刘洋', '赵强'].sort());
    expect([...new Set(keysOf(unread.items))].sort()).toEqual(['name', 'orgId', 'orgName', 'readAt', 'userId']);
    const paged = (await bureauAdmin.get(`/api/notices/${id}/receipts/people?pageSize=3&page=2`)).json();
    expect(paged).toMatchObject({ total: 4, page: 2 });
    expect(paged.items).toHaveLength(1);
  });

  it('receipts: 400 on a bad filter, 404 outside the scope', async () => {
    const id = await published();
    expect((await bureauAdmin.get(`/api/notices/${id}/receipts/people?state=maybe`)).statusCode).toBe(400);
    expect((await otherAdmin.get(`/api/notices/${id}/receipts`)).statusCode).toBe(404);
    expect((await branchAAdmin.get(`/api/notices/${id}/receipts/people`)).statusCode).toBe(404);
    expect((await alice.client.get(`/api/notices/${id}/receipts`)).statusCode).toBe(404);
  });

  it('reminding the unread delivers one reminder to each unread recipient and to nobody else', async () => {
    const id = await published();
    await alice.client.post(`/api/me/notices/${id}/open`);
    await bob.client.post(`/api/me/notices/${id}/open`);
    const res = await bureauAdmin.post(`/api/notices/${id}/remind`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ delivered: 2 });
    expect(await inboxOf('notice_reminder', id)).toEqual(sorted([carol.userId, dave.userId]));
    expect((await bureauAdmin.get(`/api/notices/${id}`)).json().lastRemindedAt).not.toBeNull();
    expect((await otherAdmin.post(`/api/notices/${id}/remind`)).statusCode).toBe(404);
    const drafted = await draft();
    expect((await bureauAdmin.post(`/api/notices/${drafted}/remind`)).statusCode).toBe(409);
  });
});

describe('scheduled publication, reminders and withdrawal', () => {
  it('a scheduled notice is published by the job at its time, not before', async () => {
    const id = await draft({ title: '定时发布的通知' });
    const publishAt = new Date(Date.now() + 2 * DAY);
    const res = await bureauAdmin.post(`/api/notices/${id}/publish`, { publishAt: publishAt.toISOString() });
    expect(res.json()).toMatchObject({ status: 'scheduled', publishAt: publishAt.toISOString(), recipients: 0 });
    expect((await alice.client.post(`/api/me/notices/${id}/open`)).statusCode).toBe(404);
    await runDueJobs(db(), noticeJobs, new Date(publishAt.getTime() - 60_000), quiet);
    expect((await bureauAdmin.get(`/api/notices/${id}`)).json().status).toBe('scheduled');
    await runDueJobs(db(), noticeJobs, new Date(publishAt.getTime() + 1000), quiet);
    const after = (await bureauAdmin.get(`/api/notices/${id}`)).json();
    expect(after).toMatchObject({ status: 'published', publishedAt: new Date(publishAt.getTime() + 1000).toISOString(), recipients: 4 });
    expect(await inboxOf('notice', id)).toEqual(sorted([alice.userId, bob.userId, carol.userId, dave.userId]));
  });

  it('editing or withdrawing a scheduled notice cancels its publication', async () => {
    const edited = await draft();
    const withdrawn = await draft();
    const publishAt = new Date(Date.now() + 3 * DAY);
    await bureauAdmin.post(`/api/notices/${edited}/publish`, { publishAt: publishAt.toISOString() });
    await bureauAdmin.post(`/api/notices/${withdrawn}/publish`, { publishAt: publishAt.toISOString() });
    expect((await bureauAdmin.put(`/api/notices/${edited}`, draftBody({ title: '改了再发' }))).json().status).toBe('draft');
    expect((await bureauAdmin.post(`/api/notices/${withdrawn}/withdraw`)).json().status).toBe('withdrawn');
    await runDueJobs(db(), noticeJobs, new Date(publishAt.getTime() + 1000), quiet);
    expect((await bureauAdmin.get(`/api/notices/${edited}`)).json()).toMatchObject({ status: 'draft', recipients: 0 });
    expect((await bureauAdmin.get(`/api/notices/${withdrawn}`)).json()).toMatchObject({ status: 'withdrawn', recipients: 0 });
  });

  it('publish: 400 for a deadline before publication, 404 out of scope, 409 when already published', async () => {
    const id = await draft({ mustRead: true, readDeadline: new Date(Date.now() + DAY).toISOString() });
    const late = await bureauAdmin.post(`/api/notices/${id}/publish`, { publishAt: new Date(Date.now() + 2 * DAY).toISOString() });
    expect(late.statusCode).toBe(400);
    expect(Object.keys(late.json().error.fields)).toEqual(['publishAt']);
    expect((await bureauAdmin.post(`/api/notices/${id}/publish`, { publishAt: 'tomorrow' })).statusCode).toBe(400);
    expect((await otherAdmin.post(`/api/notices/${id}/publish`, {})).statusCode).toBe(404);
    expect((await bureauAdmin.post(`/api/notices/${id}/publish`, {})).statusCode).toBe(200);
    expect((await bureauAdmin.post(`/api/notices/${id}/publish`, {})).statusCode).toBe(409);
  });

  it('a must-read notice reminds its unread 3 days and 1 day before the deadline, once each, whatever the number of processes', async () => {
    const deadline = new Date(Date.now() + 10 * DAY);
    const id = await published({ mustRead: true, readDeadline: deadline.toISOString() });
    await dave.client.post(`/api/me/notices/${id}/open`);
    const second: App = await buildTestApp(ctx.database);
    try {
      const at = (msBefore: number) => new Date(deadline.getTime() - msBefore);
      await runDueJobs(db(), noticeJobs, at(4 * DAY), quiet);
      expect(await inboxOf('notice_reminder', id)).toEqual([]);
      // two processes poll at the same instant, then again within the same hour
      await Promise.all([runDueJobs(db(), noticeJobs, at(2.5 * DAY), quiet), runDueJobs(second.database.db, noticeJobs, at(2.5 * DAY), quiet)]);
      await runDueJobs(db(), noticeJobs, at(2.5 * DAY - HOUR), quiet);
      const threeDays = sorted([alice.userId, bob.userId, carol.userId]);
      expect(await inboxOf('notice_reminder', id)).toEqual(threeDays);
      await alice.client.post(`/api/me/notices/${id}/open`);
      await runDueJobs(db(), noticeJobs, at(0.5 * DAY), quiet);
      await runDueJobs(second.database.db, noticeJobs, at(0.5 * DAY - HOUR), quiet);
      const reminders = await db().execute<{ user_id: string; dedupe_key: string } & Record<string, unknown>>(sql`
        select user_id::text, dedupe_key from inbox_items where kind = 'notice_reminder' and source_id = ${id} order by dedupe_key, user_id`);
      expect(reminders.rows).toEqual([
        ...sorted([bob.userId, carol.userId]).map((u) => ({ user_id: u, dedupe_key: `notice:${id}:remind:1d` })),
        ...threeDays.map((u) => ({ user_id: u, dedupe_key: `notice:${id}:remind:3d` })),
      ]);
    } finally {
      await second.close();
    }
  });

  it('withdrawing takes the notice from its readers but keeps its receipts', async () => {
    const id = await published();
    await alice.client.post(`/api/me/notices/${id}/open`);
    expect((await otherAdmin.post(`/api/notices/${id}/withdraw`)).statusCode).toBe(404);
    const res = await bureauAdmin.post(`/api/notices/${id}/withdraw`);
    expect(res.json()).toMatchObject({ status: 'withdrawn', recipients: 4, read: 1 });
    expect((await alice.client.post(`/api/me/notices/${id}/open`)).statusCode).toBe(404);
    expect((await bob.client.get('/api/me/notices?pageSize=200')).json().items.map((n: { id: string }) => n.id)).not.toContain(id);
    expect((await bureauAdmin.post(`/api/notices/${id}/withdraw`)).statusCode).toBe(409);
  });
});

describe('attachments and pictures', () => {
  it('are uploaded to a draft and served to its admins and, once published, to its recipients only', async () => {
    const id = await draft({ targetKind: 'orgs', targetOrgIds: [branchA.id] });
    const { body, headers } = multipartFile('会议安排.png', TINY_PNG, 'image/png');
    const up = await bureauAdmin.post(`/api/notices/${id}/files`, body, headers);
    expect(up.statusCode, up.body).toBe(201);
    const file = up.json();
    expect(file).toMatchObject({ kind: 'photo', fileName: '会议安排.png', url: `/api/notices/${id}/files/${file.id}` });
    // the picture may sit in the body: the sanitizer keeps our own upload URLs
    const edited = await bureauAdmin.put(`/api/notices/${id}`, draftBody({ targetKind: 'orgs', targetOrgIds: [branchA.id], body: `<p>见图</p><img src="${file.url}" alt="安排">` }));
    expect(edited.json().bodyHtml).toBe(`<p>见图</p><img src="${file.url}" alt="安排" />`);
    expect((await alice.client.get(file.url)).statusCode).toBe(404);
    expect((await bureauAdmin.get(file.url)).statusCode).toBe(200);
    await bureauAdmin.post(`/api/notices/${id}/publish`, {});
    const seen = await alice.client.get(file.url);
    expect(seen.statusCode).toBe(200);
    expect(seen.rawPayload.equals(TINY_PNG)).toBe(true);
    expect((await carol.client.get(file.url)).statusCode).toBe(404);
    expect((await outsider.client.get(file.url)).statusCode).toBe(404);
    expect((await alice.client.post(`/api/me/notices/${id}/open`)).json().files).toHaveLength(1);
    // a published notice's attachments are what its recipients were sent
    expect((await bureauAdmin.post(`/api/notices/${id}/files`, body, headers)).statusCode).toBe(409);
  });

  it('refuses a file of an unknown type (400) and another tree’s notice (404)', async () => {
    const id = await draft();
    const bad = multipartFile('x.exe', Buffer.from('MZ not a picture'));
    expect((await bureauAdmin.post(`/api/notices/${id}/files`, bad.body, bad.headers)).statusCode).toBe(400);
    const ok = multipartFile('a.png', TINY_PNG, 'image/png');
    expect((await otherAdmin.post(`/api/notices/${id}/files`, ok.body, ok.headers)).statusCode).toBe(404);
    const file = (await bureauAdmin.post(`/api/notices/${id}/files`, ok.body, ok.headers)).json();
    expect((await otherAdmin.delete(`/api/notices/${id}/files/${file.id}`)).statusCode).toBe(404);
    expect((await bureauAdmin.delete(`/api/notices/${id}/files/${file.id}`)).statusCode).toBe(200);
    expect((await bureauAdmin.get(`/api/notices/${id}`)).json().files).toEqual([]);
  });
});

describe('read rates for the 工作台', () => {
  it('counts each published notice of the subtree from its receipts', async () => {
    const id = await published({ title: '读取率统计' });
    await bob.client.post(`/api/me/notices/${id}/open`);
    const rates = await noticeReadRates(db(), bureau.path);
    expect(rates.find((r) => r.noticeId === id)).toEqual({ noticeId: id, title: '读取率统计', orgId: bureau.id, recipients: 4, read: 1 });
    const receipts = (await bureauAdmin.get(`/api/notices/${id}/receipts`)).json();
    expect(rates.find((r) => r.noticeId === id)).toMatchObject({ recipients: receipts.recipients, read: receipts.read });
    expect((await noticeReadRates(db(), otherRoot.path)).map((r) => r.noticeId)).not.toContain(id);
    expect((await noticeReadRates(db(), branchA.path)).map((r) => r.noticeId)).not.toContain(id);
  });
});
