import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';

let ctx: TestContext;
let root: OrgFixture, finance: OrgFixture, budget: OrgFixture, treasury: OrgFixture, edu: OrgFixture;
let admin: Client, financeAdmin: Client, budgetSec: Client, eduAdmin: Client, plainMember: Client;

type Entry = { id: string; action: string; actionLabel: string; username: string | null; targetType: string; targetId: string | null; targetName: string | null; orgPath: string | null; orgName: string | null; ip: string | null; at: string; detail: Record<string, unknown> };
const itemsOf = (res: { json(): unknown }) => (res.json() as { items: Entry[] }).items;

/** Entries with a chosen time, for the date filters (the API never writes the past). */
async function insertEntry(fields: { at: string; action: string; orgPath?: string | null; username?: string; ip?: string; targetId?: string }): Promise<string> {
  const r = await ctx.database.db.execute<{ id: string } & Record<string, unknown>>(sql`
    insert into audit_log (at, username, ip, action, target_type, target_id, org_path, detail)
    values (${fields.at}::timestamptz, ${fields.username ?? 'seed'}, ${fields.ip ?? '10.0.0.1'}, ${fields.action}, 'member', ${fields.targetId ?? '1'},
            ${fields.orgPath ?? null}::ltree, ${JSON.stringify({ via: 'seed' })}::jsonb) returning id::text`);
  return r.rows[0]!.id;
}

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  finance = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  budget = await makeOrg(db, finance, { name: '预算处党支部' });
  treasury = await makeOrg(db, finance, { name: '国库处党支部' });
  edu = await makeOrg(db, root, { name: '市教育局机关党委', type: 'organ_committee' });
  admin = await login(ctx.app, await makeUser(db, [{ role: 'platform_admin' }], { username: 'root.admin' }));
  financeAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: finance }], { username: 'finance.admin' }));
  budgetSec = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: budget }], { username: 'budget.sec' }));
  eduAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: edu }], { username: 'edu.admin' }));
  plainMember = await login(ctx.app, await makeUser(db, [{ role: 'member' }], { username: 'plain.member' }));
  // real actions through the API, each in its own org
  expect((await budgetSec.patch(`/api/orgs/${budget.id}`, { secretaryName: '张伟' })).statusCode).toBe(200);
  expect((await financeAdmin.patch(`/api/orgs/${treasury.id}`, { secretaryName: '李娜' })).statusCode).toBe(200);
  expect((await eduAdmin.patch(`/api/orgs/${edu.id}`, { secretaryName: '王芳' })).statusCode).toBe(200);
  const failed = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'wrong-password-1' }, remoteAddress: '203.0.113.9' });
  expect(failed.statusCode).toBe(401);
});
afterAll(async () => ctx?.close());

describe('GET /api/audit: who sees what', () => {
  it('shows a platform admin everything, including anonymous events', async () => {
    const items = itemsOf(await admin.get('/api/audit?pageSize=200'));
    const total = Number((await ctx.database.db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from audit_log`)).rows[0]!.n);
    expect(items).toHaveLength(total);
    expect(items.some((e) => e.action === 'auth.login_failed' && e.ip === '203.0.113.9' && e.detail.username === 'nobody')).toBe(true);
  });

  it('shows an org admin the entries of their subtree plus their own actions', async () => {
    const items = itemsOf(await financeAdmin.get('/api/audit?pageSize=200'));
    const updates = items.filter((e) => e.action === 'org.update').map((e) => e.targetId).sort();
    expect(updates).toEqual([budget.id, treasury.id].sort());
    // own sign-in (no org) is there; other people's are not
    const logins = items.filter((e) => e.action === 'auth.login').map((e) => e.username);
    expect(logins).toEqual(['finance.admin']);
    expect(items.some((e) => e.action === 'auth.login_failed')).toBe(false);
    expect(items.every((e) => e.username === 'finance.admin' || (e.orgPath ?? '').startsWith(finance.path))).toBe(true);
  });

  it('shows a branch secretary only their branch and themselves', async () => {
    const items = itemsOf(await budgetSec.get('/api/audit?pageSize=200'));
    expect(items.filter((e) => e.action === 'org.update').map((e) => e.targetId)).toEqual([budget.id]);
    expect(new Set(items.map((e) => e.username))).toEqual(new Set(['budget.sec']));
    expect(itemsOf(await eduAdmin.get('/api/audit?action=org.')).map((e) => e.targetId)).toEqual([edu.id]);
  });

  it('refuses a plain member with 403 and an anonymous caller with 401', async () => {
    const res = await plainMember.get('/api/audit');
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
    expect((await ctx.app.inject({ method: 'GET', url: '/api/audit' })).statusCode).toBe(401);
  });
});

describe('GET /api/audit: entries and filters', () => {
  it('gives who, when, what, where and the detail, with a readable label', async () => {
    const [entry] = itemsOf(await admin.get(`/api/audit?action=org.update&targetId=${budget.id}`));
    expect(entry).toMatchObject({
      action: 'org.update', actionLabel: '修改党组织', username: 'budget.sec', targetType: 'org', targetId: budget.id,
      orgPath: budget.path, orgName: '预算处党支部', ip: '127.0.0.1', detail: { secretaryName: '张伟' },
    });
    expect(new Date(entry!.at).getTime()).toBeGreaterThan(Date.now() - 600_000);
  });

  it('labels actions in the request language and falls back to the code', async () => {
    await insertEntry({ at: '2026-03-01T02:00:00Z', action: 'member.reveal_id_number', orgPath: budget.path });
    await insertEntry({ at: '2026-03-01T02:00:00Z', action: 'venue.mystery', orgPath: budget.path });
    expect(itemsOf(await admin.get('/api/audit?action=member.reveal'))[0]!.actionLabel).toBe('查看身份证号');
    expect(itemsOf(await admin.get('/api/audit?action=member.reveal', { 'accept-language': 'en' }))[0]!.actionLabel).toBe('Viewed an ID number');
    expect(itemsOf(await admin.get('/api/audit?action=member.reveal', { 'accept-language': 'zh-TW' }))[0]!.actionLabel).toBe('查看身份證號');
    expect(itemsOf(await admin.get('/api/audit?action=venue.'))[0]!.actionLabel).toBe('venue.mystery');
  });

  it('filters by action prefix, target, username, address and days in China time', async () => {
    // 16:30 UTC on 1 Jan is 00:30 on 2 Jan in Beijing
    const lateNight = await insertEntry({ at: '2026-01-01T16:30:00Z', action: 'member.export', orgPath: treasury.path, username: 'Export.Clerk', ip: '198.51.100.7', targetId: '42' });
    const earlier = await insertEntry({ at: '2026-01-01T15:30:00Z', action: 'member.export', orgPath: treasury.path, username: 'other', targetId: '43' });
    const ids = async (query: string) => itemsOf(await admin.get(`/api/audit?pageSize=200&${query}`)).map((e) => e.id);
    expect(await ids('action=member.exp')).toEqual([lateNight, earlier]);
    expect(await ids('action=member.export&from=2026-01-02&to=2026-01-02')).toEqual([lateNight]);
    expect(await ids('action=member.export&to=2026-01-01')).toEqual([earlier]);
    expect(await ids('targetType=member&targetId=42')).toEqual([lateNight]);
    expect(await ids('username=export.clerk')).toEqual([lateNight]);
    expect(await ids('ip=198.51.100.7')).toEqual([lateNight]);
    expect(await ids('action=member.%25')).toEqual([]);
    expect(itemsOf(await financeAdmin.get('/api/audit?action=member.export')).map((e) => e.id)).toEqual([lateNight, earlier]);
    expect(itemsOf(await eduAdmin.get('/api/audit?action=member.export'))).toEqual([]);
  });

  it('lists newest first with a total and stable pages', async () => {
    const first = (await admin.get('/api/audit?pageSize=3&page=1')).json();
    const second = (await admin.get('/api/audit?pageSize=3&page=2')).json();
    expect(first.total).toBe(second.total);
    expect(first.total).toBeGreaterThan(6);
    const all = [...first.items, ...second.items] as Entry[];
    expect(new Set(all.map((e) => e.id)).size).toBe(6);
    const keys = all.map((e) => [new Date(e.at).getTime(), Number(e.id)] as const);
    for (let i = 1; i < keys.length; i++) {
      const [t0, id0] = keys[i - 1]!;
      const [t1, id1] = keys[i]!;
      expect(t0 > t1 || (t0 === t1 && id0 > id1)).toBe(true);
    }
  });

  it.each([
    ['from', 'from=2026-02-30', '日期格式应为 YYYY-MM-DD'],
    ['to', 'from=2026-02-02&to=2026-02-01', '结束日期不能早于开始日期'],
    ['action', `action=${'a'.repeat(101)}`, '不能超过 100 个字符'],
    ['pageSize', 'pageSize=0', '不能小于 1'],
    ['page', 'page=abc', '类型不正确'],
  ])('answers 400 naming %s for a bad query', async (field, query, message) => {
    const res = await admin.get(`/api/audit?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
  });

  it('records its own reads nowhere and offers no way to write', async () => {
    const before = await ctx.database.db.execute(sql`select count(*)::int as n from audit_log`);
    await admin.get('/api/audit');
    expect((await ctx.database.db.execute(sql`select count(*)::int as n from audit_log`)).rows).toEqual(before.rows);
    expect((await admin.post('/api/audit', { action: 'x' })).statusCode).toBe(404);
  });
});

describe('GET /api/audit: targets by name', () => {
  /** An entry as a module writes it, about any kind of object. */
  async function entryAbout(targetType: string, targetId: string | null, detail: Record<string, unknown> = {}): Promise<string> {
    const r = await ctx.database.db.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into audit_log (username, action, target_type, target_id, org_path, detail)
      values ('seed', 'names.check', ${targetType}, ${targetId}, ${budget.path}::ltree, ${JSON.stringify(detail)}::jsonb) returning id::text`);
    return r.rows[0]!.id;
  }
  const named = async () => new Map(itemsOf(await admin.get('/api/audit?action=names.&pageSize=200')).map((e) => [e.id, e.targetName]));

  it('names a member by the name a reveal was about, not by the id', async () => {
    const member = await makeMember(ctx.database.db, budget, { name: '张三', idNumber: '11010519491231002X' });
    expect((await budgetSec.post(`/api/members/${member.id}/reveal`, { field: 'idNumber' })).statusCode).toBe(200);
    const [entry] = itemsOf(await budgetSec.get(`/api/audit?action=member.reveal_id_number&targetId=${member.id}`));
    expect(entry).toMatchObject({ targetType: 'member', targetId: member.id, targetName: '张三' });
  });

  it('names an org by its current name, and a user by the display name', async () => {
    const [update] = itemsOf(await admin.get(`/api/audit?action=org.update&targetId=${budget.id}`));
    expect(update!.targetName).toBe('预算处党支部');
    const [signIn] = itemsOf(await admin.get('/api/audit?action=auth.login&username=finance.admin'));
    expect(signIn).toMatchObject({ targetType: 'user', targetName: 'finance.admin' });
    const renamed = await makeOrg(ctx.database.db, finance, { name: '综合处党支部' });
    const entry = await entryAbout('org', renamed.id, { name: '综合处党支部' });
    expect((await admin.patch(`/api/orgs/${renamed.id}`, { name: '办公室党支部' })).statusCode).toBe(200);
    expect((await named()).get(entry)).toBe('办公室党支部');
  });

  it('falls back to the name recorded in the entry when the object is gone, and to nothing when none was', async () => {
    const gone = await entryAbout('member', '987654321', { name: '李四' });
    const goneActivity = await entryAbout('activity', '987654322', { title: '主题党日：重温入党誓词' });
    const unknown = await entryAbout('member', '987654323');
    const notAnId = await entryAbout('job', 'nightly-seal');
    const names = await named();
    expect(names.get(gone)).toBe('李四');
    expect(names.get(goneActivity)).toBe('主题党日：重温入党誓词');
    expect(names.get(unknown)).toBeNull();
    expect(names.get(notAnId)).toBeNull();
  });
});

describe('GET /api/audit: a long log', () => {
  it('stops counting at 10,000 and says the total is capped', async () => {
    expect((await admin.get('/api/audit')).json().isTotalCapped).toBe(false);
    await ctx.database.db.execute(sql`insert into audit_log (at, username, action, target_type, org_path)
      select now() - make_interval(secs => g), 'bulk', 'bulk.entry', 'member', ${budget.path}::ltree from generate_series(1, 10001) g`);
    const res = (await admin.get('/api/audit?action=bulk.&pageSize=5&page=3')).json();
    expect(res).toMatchObject({ total: 10_000, isTotalCapped: true, page: 3, pageSize: 5 });
    expect(res.items).toHaveLength(5);
    const few = (await admin.get(`/api/audit?action=bulk.&to=${new Date(Date.now() - 86_400_000 * 2).toISOString().slice(0, 10)}`)).json();
    expect(few).toMatchObject({ total: 0, isTotalCapped: false });
  });
});
