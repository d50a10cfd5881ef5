import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeOrg, makeUser, startTestApp, type OrgFixture, type TestContext, type UserFixture } from '../../../test/harness.js';
import { MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_IP } from './service.js';

let ctx: TestContext;
let bureau: OrgFixture;

const attempt = (username: string, password: string, remoteAddress = '127.0.0.1') =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress });

beforeAll(async () => {
  ctx = await startTestApp();
  const root = await makeOrg(ctx.database.db, null, { name: '市直机关工委' });
  bureau = await makeOrg(ctx.database.db, root, { name: '市财政局机关党委', type: 'organ_committee' });
});
afterAll(async () => ctx?.close());

describe('POST /api/auth/login', () => {
  it('signs in with an HttpOnly, SameSite=Lax session cookie and answers who the user is', async () => {
    const user = await makeUser(ctx.database.db, [{ role: 'org_admin', org: bureau }]);
    const res = await attempt(user.username.toUpperCase(), user.password);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'dj_sid');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie!.value.length).toBeGreaterThanOrEqual(40);
    expect(res.json()).toEqual({
      user: { id: user.id, username: user.username, displayName: user.username, memberId: null, roles: [{ role: 'org_admin', orgId: bureau.id, orgName: '市财政局机关党委' }] },
      csrfToken: expect.any(String),
      abilities: { isAdmin: true, isPlatformAdmin: false, isJudge: false },
    });
    // the table keeps a hash of the token, never the token itself
    const stored = await ctx.database.db.execute<{ id: string } & Record<string, unknown>>(sql`select id from sessions where user_id = ${user.id}`);
    expect(stored.rows.map((r) => r.id)).not.toContain(cookie!.value);
    expect(stored.rows).toHaveLength(1);
  });

  it('a sign-in clears the account’s failures and is audited with its address, in the statement that stores the session', async () => {
    const user = await makeUser(ctx.database.db, [{ role: 'member' }]);
    const ip = '198.51.100.40';
    for (let i = 0; i < 3; i++) expect((await attempt(user.username, 'Wrong-password-9', ip)).statusCode).toBe(401);
    const failures = () => ctx.database.db.execute(sql`select 1 from login_failures where username = ${user.username}`);
    expect((await failures()).rows).toHaveLength(3);
    expect((await attempt(user.username, user.password, ip)).statusCode).toBe(200);
    expect((await failures()).rows).toHaveLength(0);
    const log = await ctx.database.db.execute(sql`select username, ip, target_type, target_id from audit_log where action = 'auth.login' and user_id = ${user.id}`);
    expect(log.rows).toEqual([{ username: user.username, ip, target_type: 'user', target_id: user.id }]);
    // a failing audit row takes the session and the clearing with it
    await ctx.database.db.execute(sql`alter table audit_log add constraint test_no_login check (action <> 'auth.login' or ip <> '198.51.100.41')`);
    try {
      expect((await attempt(user.username, 'Wrong-password-9', '198.51.100.41')).statusCode).toBe(401);
      expect((await attempt(user.username, user.password, '198.51.100.41')).statusCode).toBe(500);
    } finally {
      await ctx.database.db.execute(sql`alter table audit_log drop constraint test_no_login`);
    }
    expect((await failures()).rows).toHaveLength(1);
    const sessions = await ctx.database.db.execute(sql`select 1 from sessions where user_id = ${user.id}`);
    expect(sessions.rows).toHaveLength(1);
  });

  it('answers 401 to a wrong password or unknown user alike, and records the failure', async () => {
    const user = await makeUser(ctx.database.db, [{ role: 'member' }]);
    const before = await countRows(ctx.database.db, 'sessions');
    const wrong = await attempt(user.username, 'Wrong-password-9');
    const unknown = await attempt('no.such.person', 'Wrong-password-9');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: { code: 'auth.bad_credentials', message: '用户名或密码错误' } });
    expect(unknown.json()).toEqual(wrong.json());
    expect(wrong.cookies).toHaveLength(0);
    expect(await countRows(ctx.database.db, 'sessions')).toBe(before);
    const failures = await ctx.database.db.execute(sql`select username from login_failures where username in (${user.username}, 'no.such.person') order by id`);
    expect(failures.rows).toEqual([{ username: user.username }, { username: 'no.such.person' }]);
    const log = await ctx.database.db.execute(sql`select action, target_id, detail from audit_log where action = 'auth.login_failed' and detail->>'username' = ${user.username}`);
    expect(log.rows).toEqual([{ action: 'auth.login_failed', target_id: user.id, detail: { username: user.username } }]);
  });

  it('refuses a disabled account', async () => {
    const user = await makeUser(ctx.database.db, [{ role: 'member' }]);
    await ctx.database.db.execute(sql`update users set disabled_at = now() where id = ${user.id}`);
    expect((await attempt(user.username, user.password)).statusCode).toBe(401);
  });

  it.each([
    ['missing username', { password: 'x' }, 'username', '必填'],
    ['username of wrong type', { username: 5, password: 'x' }, 'username', '类型不正确'],
    ['username too long', { username: 'u'.repeat(51), password: 'x' }, 'username', '不能超过 50 个字符'],
    ['empty password', { username: 'someone', password: '' }, 'password', '不能为空'],
    ['unknown field', { username: 'someone', password: 'x', remember: true }, 'remember', '不支持的字段'],
  ])('answers 400 for %s', async (_case, payload, field, message) => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
  });
});

describe('login throttling', () => {
  it(`locks an account after ${MAX_FAILURES_PER_ACCOUNT} failures, telling how many seconds to wait`, async () => {
    const user = await makeUser(ctx.database.db, [{ role: 'member' }]);
    const ip = '198.51.100.10';
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) expect((await attempt(user.username, 'Wrong-password-9', ip)).statusCode).toBe(401);
    // even the right password waits, and from any address
    const locked = await attempt(user.username, user.password, '198.51.100.11');
    expect(locked.statusCode).toBe(429);
    const seconds = Number(locked.headers['retry-after']);
    expect(seconds).toBeGreaterThan(14 * 60);
    expect(seconds).toBeLessThanOrEqual(15 * 60);
    expect(locked.json().error).toEqual({ code: 'auth.too_many_attempts', message: `登录失败次数过多，请 ${seconds} 秒后再试` });
    expect((await attempt(user.username, user.password, ip)).statusCode).toBe(429);
    // other accounts from the same address are not affected
    const other = await makeUser(ctx.database.db, [{ role: 'member' }]);
    expect((await attempt(other.username, other.password, ip)).statusCode).toBe(200);
    // once the failures age out of the 15-minute window, the right password works again
    await ctx.database.db.execute(sql`update login_failures set at = now() - interval '16 minutes' where username = ${user.username}`);
    expect((await attempt(user.username, user.password, ip)).statusCode).toBe(200);
  });

  it(`blocks an address after ${MAX_FAILURES_PER_IP} failures across usernames`, async () => {
    const ip = '198.51.100.20';
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) expect((await attempt(`spray${i}`, 'Wrong-password-9', ip)).statusCode).toBe(401);
    const user = await makeUser(ctx.database.db, [{ role: 'member' }]);
    const blocked = await attempt(user.username, user.password, ip);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.json().error.message).toMatch(/^登录失败次数过多，请 \d+ 秒后再试$/);
    expect((await attempt(user.username, user.password, '198.51.100.21')).statusCode).toBe(200);
  });
});

describe('GET /api/auth/me', () => {
  it('describes the signed-in user, their roles and abilities', async () => {
    const user = await makeUser(ctx.database.db, [{ role: 'platform_admin' }, { role: 'judge' }]);
    const client = await login(ctx.app, user);
    const res = await client.get('/api/auth/me');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      user: { id: user.id, username: user.username, displayName: user.username, memberId: null, roles: [{ role: 'platform_admin', orgId: null, orgName: null }, { role: 'judge', orgId: null, orgName: null }] },
      csrfToken: client.csrfToken,
      abilities: { isAdmin: true, isPlatformAdmin: true, isJudge: true },
    });
  });

  it('answers 401 without a session or with an unknown cookie', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/me' })).json().error.code).toBe('auth.required');
    expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: 'dj_sid=forged' } })).statusCode).toBe(401);
  });
});

describe('CSRF', () => {
  it('refuses a write whose x-csrf-token header is missing or wrong, changing nothing', async () => {
    const user = await makeUser(ctx.database.db, [{ role: 'member' }]);
    const client = await login(ctx.app, user);
    const hashBefore = await ctx.database.db.execute(sql`select password_hash from users where id = ${user.id}`);
    for (const headers of [{ cookie: client.cookie }, { cookie: client.cookie, 'x-csrf-token': 'guess' }]) {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/password', headers, payload: { currentPassword: user.password, newPassword: 'Csrf-attack-2026' } });
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toEqual({ code: 'auth.csrf', message: '页面已过期，请刷新后重试' });
    }
    expect((await ctx.database.db.execute(sql`select password_hash from users where id = ${user.id}`)).rows).toEqual(hashBefore.rows);
  });
});

describe('POST /api/auth/password', () => {
  let user: UserFixture;
  beforeAll(async () => { user = await makeUser(ctx.database.db, [{ role: 'member' }]); });

  it('refuses a wrong current password or a weak new one, naming the field', async () => {
    const client = await login(ctx.app, user);
    const wrong = await client.post('/api/auth/password', { currentPassword: 'Not-my-password-1', newPassword: 'Brand-new-pass-1' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields).toEqual({ currentPassword: '当前密码不正确' });
    const cases: [unknown, string, string][] = [
      [{ currentPassword: user.password, newPassword: 'short1' }, 'newPassword', '至少 10 个字符'],
      [{ currentPassword: user.password, newPassword: 'no-digits-at-all' }, 'newPassword', '密码至少 10 位，且须同时包含字母和数字'],
      [{ currentPassword: user.password, newPassword: '1234567890123' }, 'newPassword', '密码至少 10 位，且须同时包含字母和数字'],
      [{ currentPassword: user.password, newPassword: user.password }, 'newPassword', '新密码不能与当前密码相同'],
      [{ newPassword: 'Brand-new-pass-1' }, 'currentPassword', '必填'],
      [{ currentPassword: user.password, newPassword: 12345678901 }, 'newPassword', '类型不正确'],
    ];
    for (const [body, field, message] of cases) {
      const res = await client.post('/api/auth/password', body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields[field]).toContain(message);
    }
    expect((await attempt(user.username, user.password)).statusCode).toBe(200);
  });

  it('changes the password and ends every other session, keeping this one', async () => {
    const here = await login(ctx.app, user);
    const elsewhere = await login(ctx.app, user);
    const res = await here.post('/api/auth/password', { currentPassword: user.password, newPassword: 'Brand-new-pass-1' });
    expect(res.statusCode).toBe(200);
    expect((await here.get('/api/auth/me')).statusCode).toBe(200);
    expect((await elsewhere.get('/api/auth/me')).statusCode).toBe(401);
    expect((await attempt(user.username, user.password)).statusCode).toBe(401);
    expect((await attempt(user.username, 'Brand-new-pass-1')).statusCode).toBe(200);
    const log = await ctx.database.db.execute<{ detail: { endedSessions: number } } & Record<string, unknown>>(
      sql`select detail from audit_log where action = 'auth.password_change' and user_id = ${user.id}`);
    expect(log.rows).toHaveLength(1);
    expect(log.rows[0]!.detail.endedSessions).toBeGreaterThanOrEqual(1);
  });

  it('counts wrong current passwords as failed sign-ins, so a borrowed session cannot guess freely', async () => {
    const victim = await makeUser(ctx.database.db, [{ role: 'member' }]);
    const client = await login(ctx.app, victim);
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      expect((await client.post('/api/auth/password', { currentPassword: `Guess-number-${i}`, newPassword: 'Taken-over-2026' })).statusCode).toBe(400);
    }
    const locked = await client.post('/api/auth/password', { currentPassword: victim.password, newPassword: 'Taken-over-2026' });
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await attempt(victim.username, 'Taken-over-2026')).statusCode).toBe(429);
  });
});

describe('logout and logout-everywhere', () => {
  it('ends this session only on logout', async () => {
    const user = await makeUser(ctx.database.db, [{ role: 'member' }]);
    const one = await login(ctx.app, user);
    const two = await login(ctx.app, user);
    const res = await one.post('/api/auth/logout');
    expect(res.statusCode).toBe(200);
    expect(res.cookies.find((c) => c.name === 'dj_sid')?.value).toBe('');
    expect((await one.get('/api/auth/me')).statusCode).toBe(401);
    expect((await two.get('/api/auth/me')).statusCode).toBe(200);
    // a logout without a session is harmless
    expect((await ctx.app.inject({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(200);
  });

  it('ends every session of the account everywhere', async () => {
    const user = await makeUser(ctx.database.db, [{ role: 'member' }]);
    const other = await makeUser(ctx.database.db, [{ role: 'member' }]);
    const sessions = [await login(ctx.app, user), await login(ctx.app, user), await login(ctx.app, user)];
    const bystander = await login(ctx.app, other);
    const res = await sessions[0]!.post('/api/auth/logout-everywhere');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ endedSessions: 3 });
    for (const s of sessions) expect((await s.get('/api/auth/me')).statusCode).toBe(401);
    expect((await bystander.get('/api/auth/me')).statusCode).toBe(200);
    const log = await ctx.database.db.execute(sql`select detail from audit_log where action = 'auth.logout_everywhere' and user_id = ${user.id}`);
    expect(log.rows).toEqual([{ detail: { endedSessions: 3 } }]);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/auth/logout-everywhere' })).statusCode).toBe(401);
  });
});
