import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { ID_NUMBER_ANYWHERE, MOBILE_ANYWHERE, signedInPerson, type SignedInPerson } from '../../../test/serving-fixtures.js';

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branch: OrgFixture, otherRoot: OrgFixture;
let bureauAdmin: Client, rootAdmin: Client, otherAdmin: Client;
let member: SignedInPerson;
let column: string, otherColumn: string;

const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();
const anonymous = (method: 'GET' | 'POST', url: string, payload?: unknown, ip = '10.9.0.1') =>
  ctx.app.inject({ method, url, payload: payload as never, remoteAddress: ip });

async function news(author: Client, reviewer: Client, columnId: string, fields: Record<string, unknown>, publish = true): Promise<string> {
  const res = await author.post('/api/news/items', { columnId, bodyHtml: '<p>正文内容</p>', ...fields });
  expect(res.statusCode, res.body).toBe(201);
  const id = (res.json() as { id: string }).id;
  if (publish) {
    await author.post(`/api/news/items/${id}/submit`);
    expect((await reviewer.post(`/api/news/items/${id}/approve`)).statusCode).toBe(200);
  }
  return id;
}

async function openLesson(startsIn: number, fields: Record<string, unknown> = {}): Promise<string> {
  const res = await bureauAdmin.post('/api/activities', { orgId: bureau.id, type: 'open_lesson', title: '开放式党课：财政与民生', startsAt: minutes(startsIn), endsAt: minutes(startsIn + 60), isPublic: true, ...fields });
  expect(res.statusCode, res.body).toBe(201);
  const id = (res.json() as { id: string }).id;
  expect((await bureauAdmin.post(`/api/activities/${id}/publish`)).statusCode).toBe(200);
  return id;
}

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branch = await makeOrg(db, bureau, { name: '预算处党支部' });
  otherRoot = await makeOrg(db, null, { name: '邻市机关工委' });
  rootAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: root }]));
  bureauAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: bureau }]));
  otherAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: otherRoot }]));
  member = await signedInPerson(ctx, branch, '陈静');
  column = (await bureauAdmin.post('/api/news/columns', { orgId: bureau.id, name: '财政动态' })).json().id;
  otherColumn = (await otherAdmin.post('/api/news/columns', { orgId: otherRoot.id, name: '邻市动态' })).json().id;
});
afterAll(async () => ctx?.close());

describe('the public portal of a tree', () => {
  it('shows published public news of the tree only, newest first, and nothing personal', async () => {
    const older = await news(bureauAdmin, rootAdmin, column, { title: '财政局开展为民服务月活动', summary: '联系人张姐 13812345678', isPublic: true });
    const newer = await news(bureauAdmin, rootAdmin, column, { title: '财政局举办预算公开日', isPublic: true });
    const internal = await news(bureauAdmin, rootAdmin, column, { title: '内部学习安排', isPublic: false });
    const draft = await news(bureauAdmin, rootAdmin, column, { title: '公开草稿', isPublic: true }, false);
    const otherTree = await news(otherAdmin, await login(ctx.app, await makeUser(ctx.database.db, [{ role: 'platform_admin' }])), otherColumn, { title: '邻市公开资讯', isPublic: true });
    const res = await anonymous('GET', `/api/public/portal/${root.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const portal = res.json() as { tree: { name: string }; news: { id: string; summary: string | null }[] };
    expect(portal.tree.name).toBe('市直机关工委');
    expect(portal.news.map((n) => n.id)).toEqual([newer, older]);
    for (const hidden of [internal, draft, otherTree]) expect(portal.news.map((n) => n.id)).not.toContain(hidden);
    expect(portal.news.find((n) => n.id === older)!.summary).toBe('联系人张姐 138****5678');
    expect(res.body).not.toMatch(MOBILE_ANYWHERE);
    expect(res.body).not.toMatch(ID_NUMBER_ANYWHERE);
    expect(res.body).not.toContain(member.name);
    const detail = await anonymous('GET', `/api/public/portal/${root.id}/news/${newer}`);
    expect(detail.json()).toMatchObject({ title: '财政局举办预算公开日', bodyHtml: '<p>正文内容</p>', columnName: '财政动态', orgName: '市财政局机关党委' });
    expect(Object.keys(detail.json()).sort()).toEqual(['bodyHtml', 'columnName', 'coverUrl', 'id', 'orgName', 'publishedAt', 'summary', 'title']);
    expect((await anonymous('GET', `/api/public/portal/${root.id}/news/${internal}`)).statusCode).toBe(404);
    expect((await anonymous('GET', `/api/public/portal/${root.id}/news/${otherTree}`)).statusCode).toBe(404);
    expect((await anonymous('GET', `/api/public/portal/${branch.id}`)).statusCode).toBe(404);
    const list = (await anonymous('GET', `/api/public/portal/${root.id}/news?pageSize=1&page=2`)).json() as { items: { id: string }[]; total: number };
    expect(list).toMatchObject({ total: 2, items: [{ id: older }] });
  });

  it('searches the tree’s public texts only', async () => {
    const open = await news(bureauAdmin, rootAdmin, column, { title: '税收宣传进社区', isPublic: true });
    await news(bureauAdmin, rootAdmin, column, { title: '税收内部培训', isPublic: false });
    const res = await anonymous('GET', `/api/public/portal/${root.id}/search?q=${encodeURIComponent('稅收')}`);
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as { items: { sourceId: string }[] }).items.map((i) => i.sourceId)).toEqual([open]);
    expect((await anonymous('GET', `/api/public/portal/${root.id}/search?q=x`)).statusCode).toBe(400);
  });

  it('lists the tree’s public open lessons from today on with counts, and takes a visitor’s registration', async () => {
    const upcoming = await openLesson(600);
    const internal = await openLesson(600, { isPublic: false });
    expect((await member.client.post(`/api/activities/${upcoming}/register`)).statusCode).toBe(200);
    const portal = (await anonymous('GET', `/api/public/portal/${root.id}`)).json() as { openLessons: { id: string; registrations: number; attended: number }[] };
    expect(portal.openLessons.map((l) => l.id)).toEqual([upcoming]);
    expect(portal.openLessons[0]).toMatchObject({ registrations: 1, attended: 0 });
    expect(JSON.stringify(portal)).not.toContain(member.name);
    const reg = await anonymous('POST', `/api/public/portal/${root.id}/open-lessons/${upcoming}/register`, { name: '王秀英', unit: '东门社区' }, '10.9.1.1');
    expect(reg.statusCode, reg.body).toBe(201);
    expect(reg.json()).toEqual({ registrations: 2 });
    expect((await anonymous('POST', `/api/public/portal/${root.id}/open-lessons/${upcoming}/register`, { name: '王秀英' }, '10.9.1.1')).statusCode).toBe(409);
    const before = await countRows(ctx.database.db, 'open_lesson_registrations');
    const blank = await anonymous('POST', `/api/public/portal/${root.id}/open-lessons/${upcoming}/register`, { name: '' }, '10.9.1.2');
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.fields).toHaveProperty('name');
    expect((await anonymous('POST', `/api/public/portal/${root.id}/open-lessons/${internal}/register`, { name: '李四' }, '10.9.1.3')).statusCode).toBe(404);
    expect((await anonymous('POST', `/api/public/portal/${otherRoot.id}/open-lessons/${upcoming}/register`, { name: '李四' }, '10.9.1.3')).statusCode).toBe(404);
    expect(await countRows(ctx.database.db, 'open_lesson_registrations')).toBe(before);
  });

  it('limits one address to five registrations an hour (429)', async () => {
    const lesson = await openLesson(900);
    for (let i = 0; i < 5; i++) {
      expect((await anonymous('POST', `/api/public/portal/${root.id}/open-lessons/${lesson}/register`, { name: `访客${i}` }, '10.9.2.1')).statusCode).toBe(201);
    }
    const sixth = await anonymous('POST', `/api/public/portal/${root.id}/open-lessons/${lesson}/register`, { name: '访客5' }, '10.9.2.1');
    expect(sixth.statusCode).toBe(429);
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
  });
});
