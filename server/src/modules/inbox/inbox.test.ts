import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext, type UserFixture } from '../../../test/harness.js';
import type { Db } from '../../platform/db.js';
import { deliver } from './deliver.js';
import { unreadCount } from './service.js';

let ctx: TestContext;
let db: Db;
let root: OrgFixture, branch: OrgFixture;
let owner: UserFixture, other: UserFixture;
let asOwner: Client, asOther: Client;

type Row = Record<string, unknown>;
const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();

beforeAll(async () => {
  ctx = await startTestApp();
  db = ctx.database.db;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  branch = await makeOrg(db, root, { name: '办公室党支部' });
  owner = await makeUser(db, [{ role: 'member' }], { memberId: (await makeMember(db, branch, { name: '张伟' })).id });
  other = await makeUser(db, [{ role: 'member' }], { memberId: (await makeMember(db, branch, { name: '李娜' })).id });
  asOwner = await login(ctx.app, owner);
  asOther = await login(ctx.app, other);
});
afterAll(async () => ctx?.close());

/** Delivers items with distinct keys to one user, oldest first. */
async function deliverTo(user: UserFixture, n: number, fields: { kind?: 'notice' | 'reminder' | 'exam'; prefix?: string } = {}) {
  for (let i = 0; i < n; i++) {
    await deliver(db, {
      kind: fields.kind ?? 'reminder', title: `${fields.prefix ?? '提醒'} ${i}`, link: `/me/x/${i}`, sourceType: 'test', sourceId: String(i),
      dedupeKey: `${fields.prefix ?? 'r'}:${i}`, recipients: sql`select ${user.id}::bigint`, channels: false,
    });
  }
}

describe('deliver', () => {
  it('delivers to every recipient in one statement, once per dedupe key, and skips disabled accounts', async () => {
    const users: string[] = [];
    for (let i = 0; i < 30; i++) users.push((await makeUser(db, [{ role: 'member' }])).id);
    await db.execute(sql`update users set disabled_at = now() where id = ${users[0]}`);
    let statements = 0;
    const counting = new Proxy(db, {
      get(target, key, receiver) {
        if (key !== 'execute') return Reflect.get(target, key, receiver) as unknown;
        return (query: Parameters<Db['execute']>[0]) => { statements++; return target.execute(query); };
      },
    });
    const delivery = {
      kind: 'notice' as const, title: '关于开展主题教育的通知', body: '请各支部认真组织学习', link: '/notices/1', sourceType: 'notice', sourceId: '1',
      dedupeKey: 'notice:1', recipients: sql`select id from users where id = any(${`{${users.join(',')}}`}::bigint[])`, channels: false,
    };
    expect(await deliver(counting, delivery)).toBe(29);
    expect(statements).toBe(1);
    expect(await deliver(db, delivery)).toBe(0);
    const rows = (await db.execute<{ user_id: string; title: string } & Row>(sql`select user_id::text, title from inbox_items where dedupe_key = 'notice:1' order by inbox_items.user_id`)).rows;
    expect(rows.map((r) => r.user_id)).toEqual(users.slice(1).sort((a, b) => Number(a) - Number(b)));
    expect(new Set(rows.map((r) => r.title))).toEqual(new Set(['关于开展主题教育的通知']));
  });
});

describe('GET /api/inbox', () => {
  it('lists only the own items, newest first, a page at a time', async () => {
    await deliverTo(owner, 5, { prefix: 'page' });
    await deliverTo(other, 2, { prefix: 'others' });
    const first = (await asOwner.get('/api/inbox?limit=3')).json();
    expect(first.items.map((i: { title: string }) => i.title)).toEqual(['page 4', 'page 3', 'page 2']);
    expect(first.nextCursor).toBe(first.items[2].id);
    const second = (await asOwner.get(`/api/inbox?limit=3&before=${first.nextCursor}`)).json();
    expect(second.items.map((i: { title: string }) => i.title)).toEqual(['page 1', 'page 0']);
    expect(second.nextCursor).toBeNull();
    expect(first.items[0]).toMatchObject({ kind: 'reminder', link: '/me/x/4', sourceType: 'test', sourceId: '4', readAt: null, body: null });
  });

  it('filters by kind and by unread', async () => {
    await deliverTo(owner, 2, { kind: 'exam', prefix: 'exam' });
    const exams = (await asOwner.get('/api/inbox?kind=exam')).json();
    expect(exams.items.map((i: { title: string }) => i.title)).toEqual(['exam 1', 'exam 0']);
    const read = await asOwner.post(`/api/inbox/${exams.items[0].id}/read`);
    expect(read.statusCode).toBe(200);
    expect((await asOwner.get('/api/inbox?kind=exam&unread=true')).json().items.map((i: { title: string }) => i.title)).toEqual(['exam 0']);
  });

  it('refuses a bad filter with the field named, and anonymous callers', async () => {
    const bad = await asOwner.get('/api/inbox?kind=spam&limit=0');
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['kind', 'limit']);
    expect((await asOwner.get('/api/inbox?before=abc')).json().error.fields.before).toBeTruthy();
    expect((await ctx.app.inject({ method: 'GET', url: '/api/inbox' })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/inbox/unread-count' })).statusCode).toBe(401);
  });
});

describe('reading', () => {
  it('counts the unread, marks one read, and marks all read', async () => {
    const user = await makeUser(db, [{ role: 'member' }]);
    const client = await login(ctx.app, user);
    await deliverTo(user, 3, { prefix: 'count' });
    await deliverTo(user, 2, { kind: 'notice', prefix: 'count-notice' });
    expect((await client.get('/api/inbox/unread-count')).json()).toEqual({ unread: 5 });
    const items = (await client.get('/api/inbox')).json().items as { id: string; readAt: string | null }[];
    const read = (await client.post(`/api/inbox/${items[0]!.id}/read`)).json();
    expect(read.readAt).not.toBeNull();
    // reading it again keeps the first reading time
    expect((await client.post(`/api/inbox/${items[0]!.id}/read`)).json().readAt).toBe(read.readAt);
    expect(await unreadCount(db, user.id)).toBe(4);
    expect((await client.post('/api/inbox/read-all', { kind: 'reminder' })).json()).toEqual({ marked: 3 });
    expect((await client.get('/api/inbox/unread-count')).json()).toEqual({ unread: 1 });
    expect((await client.post('/api/inbox/read-all')).json()).toEqual({ marked: 1 });
    expect((await client.get('/api/inbox/unread-count')).json()).toEqual({ unread: 0 });
  });

  it('answers not found for another user\'s item and leaves it unread', async () => {
    await deliverTo(other, 1, { prefix: 'private' });
    const theirs = (await asOther.get('/api/inbox?limit=1')).json().items[0] as { id: string };
    const res = await asOwner.post(`/api/inbox/${theirs.id}/read`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('inbox.not_found');
    expect((await asOwner.post('/api/inbox/999999999/read')).statusCode).toBe(404);
    const after = (await db.execute<{ read_at: Date | null } & Row>(sql`select read_at from inbox_items where id = ${theirs.id}`)).rows[0]!;
    expect(after.read_at).toBeNull();
    // read-all touches the caller's items only
    const othersUnread = await unreadCount(db, other.id);
    await asOwner.post('/api/inbox/read-all');
    expect(await unreadCount(db, other.id)).toBe(othersUnread);
  });

  it('refuses a write without the CSRF token', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/inbox/read-all', payload: {}, headers: { cookie: asOwner.cookie } });
    expect(res.statusCode).toBe(403);
  });
});

describe('activity notices', () => {
  it('publishing an activity puts it in the inbox of each participant with an account', async () => {
    const secretary = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branch }]));
    // a member without an account is invited, and told through the activity's own notice only
    await makeMember(db, branch, { name: '王芳' });
    const created = await secretary.post('/api/activities', {
      orgId: branch.id, type: 'theme_day', title: '主题党日：重温入党誓词', startsAt: minutes(60 * 24), endsAt: minutes(60 * 25), place: '三楼会议室',
      participants: { orgIds: [branch.id] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const before = (await db.execute<{ n: number } & Row>(sql`select count(*)::int as n from inbox_items where source_type = 'activity' and source_id = ${id}`)).rows[0]!.n;
    expect(before).toBe(0);
    expect((await secretary.post(`/api/activities/${id}/publish`)).statusCode).toBe(200);
    const rows = (await db.execute<{ user_id: string; title: string; link: string; body: string } & Row>(sql`
      select user_id::text, title, link, body from inbox_items where source_type = 'activity' and source_id = ${id} order by inbox_items.user_id`)).rows;
    expect(rows.map((r) => r.user_id)).toEqual([owner.id, other.id].sort((a, b) => Number(a) - Number(b)));
    expect(rows[0]).toMatchObject({ title: '活动通知：主题党日：重温入党誓词', link: `/me/activities/${id}` });
    expect(rows[0]!.body).toContain('三楼会议室');
    const members = (await db.execute<{ n: number } & Row>(sql`select count(*)::int as n from activity_participants where activity_id = ${id}`)).rows[0]!.n;
    expect(Number(members)).toBe(3);
    const listed = (await asOwner.get('/api/inbox?kind=activity')).json().items[0];
    expect(listed).toMatchObject({ title: '活动通知：主题党日：重温入党誓词', sourceId: id });
  });
});

describe('the API description', () => {
  it('documents the inbox routes from their contracts', async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { parameters?: { name: string }[] }>> };
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/api/inbox')).sort()).toEqual(['/api/inbox', '/api/inbox/read-all', '/api/inbox/unread-count', '/api/inbox/{id}/read']);
    expect(doc.paths['/api/inbox']!.get!.parameters!.map((p) => p.name).sort()).toEqual(['before', 'kind', 'limit', 'unread']);
  });
});
