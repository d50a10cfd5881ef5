import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { TINY_PNG, multipartFile, signedInPerson, type SignedInPerson } from '../../../test/serving-fixtures.js';

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branch: OrgFixture, sibling: OrgFixture, otherRoot: OrgFixture;
let rootAdmin: Client, bureauAdmin: Client, bureauAdmin2: Client, branchAdmin: Client, otherAdmin: Client;
let member: SignedInPerson, siblingMember: SignedInPerson;
let column: string;

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branch = await makeOrg(db, bureau, { name: '预算处党支部' });
  sibling = await makeOrg(db, bureau, { name: '国库处党支部' });
  otherRoot = await makeOrg(db, null, { name: '邻市机关工委' });
  rootAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: root }]));
  bureauAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: bureau }]));
  bureauAdmin2 = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: bureau }]));
  branchAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branch }]));
  otherAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: otherRoot }]));
  member = await signedInPerson(ctx, branch, '陈静');
  siblingMember = await signedInPerson(ctx, sibling, '刘洋');
  const res = await bureauAdmin.post('/api/news/columns', { orgId: bureau.id, name: '学习贯彻专栏', description: '主题教育' });
  expect(res.statusCode, res.body).toBe(201);
  column = (res.json() as { id: string }).id;
});
afterAll(async () => ctx?.close());

async function draft(author: Client, fields: Record<string, unknown> = {}): Promise<string> {
  const res = await author.post('/api/news/items', { columnId: column, title: '预算处开展主题党日', bodyHtml: '<p>预算处党支部开展<strong>主题党日</strong>活动。</p>', ...fields });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}
async function published(author: Client, reviewer: Client, fields: Record<string, unknown> = {}): Promise<string> {
  const id = await draft(author, fields);
  expect((await author.post(`/api/news/items/${id}/submit`)).json().status).toBe('submitted');
  const res = await reviewer.post(`/api/news/items/${id}/approve`);
  expect(res.statusCode, res.body).toBe(200);
  return id;
}
const ids = (res: { json: () => unknown }) => (res.json() as { items: { id: string }[] }).items.map((i) => i.id);

describe('columns', () => {
  it('are created by the admins of their org and read by members on its path', async () => {
    const listed = await member.client.get('/api/news/columns');
    expect(listed.statusCode).toBe(200);
    const seen = (listed.json() as { items: { id: string; canWrite: boolean; canManage: boolean }[] }).items.find((c) => c.id === column);
    expect(seen).toMatchObject({ canWrite: false, canManage: false });
    const asBranch = (await branchAdmin.get('/api/news/columns')).json() as { items: { id: string; canWrite: boolean; canManage: boolean }[] };
    expect(asBranch.items.find((c) => c.id === column)).toMatchObject({ canWrite: true, canManage: false });
    expect(ids(await otherAdmin.get('/api/news/columns'))).not.toContain(column);
  });

  it('refuses a column for an org outside the admin’s subtree (400 on orgId) and a blank name', async () => {
    const before = await countRows(ctx.database.db, 'news_columns');
    const outside = await branchAdmin.post('/api/news/columns', { orgId: bureau.id, name: '越权专栏' });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.fields).toHaveProperty('orgId');
    const blank = await bureauAdmin.post('/api/news/columns', { orgId: bureau.id, name: '  ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.fields).toHaveProperty('name');
    expect(await countRows(ctx.database.db, 'news_columns')).toBe(before);
    expect((await otherAdmin.patch(`/api/news/columns/${column}`, { name: '改名' })).statusCode).toBe(404);
  });
});

describe('review', () => {
  it('publishes a branch secretary’s item after a bureau admin approves it; every branch under the column’s org sees it, drafts stay hidden', async () => {
    const id = await draft(branchAdmin);
    expect(ids(await member.client.get('/api/news/items'))).not.toContain(id);
    expect((await member.client.get(`/api/news/items/${id}`)).statusCode).toBe(404);
    expect((await branchAdmin.post(`/api/news/items/${id}/submit`)).json().status).toBe('submitted');
    expect(ids(await bureauAdmin.get('/api/news/items?view=review'))).toContain(id);
    const approved = await bureauAdmin.post(`/api/news/items/${id}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'published', canWithdraw: true });
    expect(ids(await member.client.get('/api/news/items'))).toContain(id);
    expect(ids(await siblingMember.client.get('/api/news/items'))).toContain(id);
  });

  it('refuses an author approving their own item (403), even as an admin of the column’s org', async () => {
    const id = await draft(bureauAdmin);
    await bureauAdmin.post(`/api/news/items/${id}/submit`);
    const own = await bureauAdmin.post(`/api/news/items/${id}/approve`);
    expect(own.statusCode).toBe(403);
    expect(own.json().error.code).toBe('news.own_item');
    expect((await bureauAdmin.get(`/api/news/items/${id}`)).json().status).toBe('submitted');
    expect((await bureauAdmin2.post(`/api/news/items/${id}/approve`)).json().status).toBe('published');
  });

  it('answers 404 to a reviewer below the column’s org, and returns an item with a reason, which the author edits and resubmits', async () => {
    const id = await draft(bureauAdmin, { title: '初稿' });
    await bureauAdmin.post(`/api/news/items/${id}/submit`);
    expect((await branchAdmin.post(`/api/news/items/${id}/approve`)).statusCode).toBe(404);
    const noReason = await rootAdmin.post(`/api/news/items/${id}/return`, { reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields).toHaveProperty('reason');
    const returned = await rootAdmin.post(`/api/news/items/${id}/return`, { reason: '标题请写明时间地点' });
    expect(returned.json()).toMatchObject({ status: 'returned', returnReason: '标题请写明时间地点', canReview: false });
    const edited = await bureauAdmin.patch(`/api/news/items/${id}`, { title: '12月5日预算处主题党日' });
    expect(edited.json()).toMatchObject({ title: '12月5日预算处主题党日', canEdit: true });
    expect((await bureauAdmin.post(`/api/news/items/${id}/submit`)).json()).toMatchObject({ status: 'submitted', returnReason: null });
    expect((await bureauAdmin.patch(`/api/news/items/${id}`, { title: '审核中改标题' })).statusCode).toBe(409);
  });

  it('withdraws a published item: gone from the list and from search', async () => {
    const id = await published(bureauAdmin, rootAdmin, { title: '防汛抢险先进事迹', bodyHtml: '<p>防汛一线党员冲锋在前</p>' });
    const found = await member.client.get(`/api/search?q=${encodeURIComponent('防汛')}`);
    expect((found.json() as { items: { sourceId: string }[] }).items.map((i) => i.sourceId)).toEqual([id]);
    expect((await bureauAdmin.post(`/api/news/items/${id}/withdraw`)).json().status).toBe('withdrawn');
    expect(ids(await member.client.get('/api/news/items'))).not.toContain(id);
    expect((await member.client.get(`/api/search?q=${encodeURIComponent('防汛')}`)).json().items).toEqual([]);
  });

  it('sanitizes the body (no script) and refuses an empty one with 400 on bodyHtml', async () => {
    const id = await draft(bureauAdmin, { bodyHtml: '<p onclick="x()">正文<script>alert(1)</script></p><img src="https://evil.example/t.png">' });
    const item = (await bureauAdmin.get(`/api/news/items/${id}`)).json() as { bodyHtml: string };
    expect(item.bodyHtml).toBe('<p>正文</p>');
    const before = await countRows(ctx.database.db, 'news_items');
    const empty = await bureauAdmin.post('/api/news/items', { columnId: column, title: '空', bodyHtml: '<p> </p>' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields).toHaveProperty('bodyHtml');
    expect(await countRows(ctx.database.db, 'news_items')).toBe(before);
  });

  it('keeps a cover image, readable by those who may read the item', async () => {
    const id = await draft(bureauAdmin);
    const { body, headers } = multipartFile('封面.png', TINY_PNG, 'image/png');
    const res = await bureauAdmin.post(`/api/news/items/${id}/cover`, body, headers);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().coverUrl).toBe(`/api/news/items/${id}/cover`);
    const image = await bureauAdmin.get(`/api/news/items/${id}/cover`);
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect((await otherAdmin.get(`/api/news/items/${id}/cover`)).statusCode).toBe(404);
  });

  it('answers 401 without sign-in, 404 out of scope, 400 for a column outside the writer’s reach', async () => {
    const id = await draft(bureauAdmin);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/news/items' })).statusCode).toBe(401);
    expect((await otherAdmin.get(`/api/news/items/${id}`)).statusCode).toBe(404);
    expect((await otherAdmin.post(`/api/news/items/${id}/submit`)).statusCode).toBe(404);
    const foreign = await otherAdmin.post('/api/news/items', { columnId: column, title: '越权', bodyHtml: '<p>内容</p>' });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.fields).toHaveProperty('columnId');
    const byMember = await member.client.post('/api/news/items', { columnId: column, title: '党员投稿', bodyHtml: '<p>内容</p>' });
    expect(byMember.statusCode).toBe(400);
  });
});
