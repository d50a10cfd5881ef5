import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeMember, makeOrg, makeUser, startTestApp, type OrgFixture, type TestContext, type UserFixture } from '../../../test/harness.js';
import { ACCOUNT_LOCK_ADDRESSES, ACCOUNT_LOCK_FAILURES, MAX_FAILED_ACCOUNTS_PER_ADDRESS, MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS } from './service.js';

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
      user: { id: user.id, username: user.username, displayName: user.username, memberId: null, roles: [{ role: 'org_admin', orgId: bureau.id, orgName: '市财政局机关党委' }], mustChangePassword: false },
      csrfToken: expect.any(String),
      abilities: { isAdmin: true, isPlatformAdmin: false, isJudge: false, isInspector: false, readOnlyPaths: [] },
    });
    // the table keeps a hash of the token, never the token itself
    const stored = await ctx.database.db.execute<{ id: string } & Record<string, unknown>>(sql`select id from sessions where user_id = ${user.id}`);
    expect(stored.rows.map((r) => r.id)).not.toContain(cookie!.value);
    expect(stored.rows).toHaveLength(1);
  });

  it('a sign-in clears the failures of its account and address and is audited with its address, in the statement that stores the session', async () => {
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
    // the failure, and the attempt whose session could not be stored (counted before its password was checked)
    expect((await failures()).rows).toHaveLength(2);
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
  const PAIR = MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS;

  it(`makes an account wait after ${PAIR} failures from one address, there only: the right password from another address works`, async () => {
    const user = await makeUser(ctx.database.db, [{ role: 'member' }]);
    const ip = '198.51.100.10';
    for (let i = 0; i < PAIR; i++) expect((await attempt(user.username, 'Wrong-password-9', ip)).statusCode).toBe(401);
    const locked = await attempt(user.username, user.password, ip);
    expect(locked.statusCode).toBe(429);
    const seconds = Number(locked.headers['retry-after']);
    expect(seconds).toBeGreaterThan(14 * 60);
    expect(seconds).toBeLessThanOrEqual(15 * 60);
    expect(locked.json().error).toEqual({ code: 'auth.too_many_attempts', message: `登录失败次数过多，请 ${seconds} 秒后再试` });
    // an attacker's failures do not lock the owner out from their own address
    expect((await attempt(user.username, user.password, '198.51.100.11')).statusCode).toBe(200);
    // other accounts from the same address are not affected
    const other = await makeUser(ctx.database.db, [{ role: 'member' }]);
    expect((await attempt(other.username, other.password, ip)).statusCode).toBe(200);
    // once the failures age out of the 15-minute window, the right password works there again
    await ctx.database.db.execute(sql`update login_failures set at = now() - interval '16 minutes' where username = ${user.username}`);
    expect((await attempt(user.username, user.password, ip)).statusCode).toBe(200);
  });

  it(`makes an address wait after failures on ${MAX_FAILED_ACCOUNTS_PER_ADDRESS} accounts (spraying), but not an office whose people mistype`, async () => {
    const office = '198.51.100.30';
    const colleagues = await Promise.all(Array.from({ length: MAX_FAILED_ACCOUNTS_PER_ADDRESS - 1 }, () => makeUser(ctx.database.db, [{ role: 'member' }])));
    for (const c of colleagues) for (let i = 0; i < 3; i++) expect((await attempt(c.username, 'Typo-password-9', office)).statusCode).toBe(401);
    // 27 failures from one address on 9 accounts: everyone there still signs in
    for (const c of colleagues) expect((await attempt(c.username, c.password, office)).statusCode).toBe(200);

    const ip = '198.51.100.20';
    for (let i = 0; i < MAX_FAILED_ACCOUNTS_PER_ADDRESS; i++) expect((await attempt(`spray${i}`, 'Wrong-password-9', ip)).statusCode).toBe(401);
    const user = await makeUser(ctx.database.db, [{ role: 'member' }]);
    const blocked = await attempt(user.username, user.password, ip);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.json().error.message).toMatch(/^登录失败次数过多，请 \d+ 秒后再试$/);
    expect((await attempt(user.username, user.password, '198.51.100.21')).statusCode).toBe(200);
  });

  it(`locks an account everywhere after ${ACCOUNT_LOCK_FAILURES} failures from ${ACCOUNT_LOCK_ADDRESSES}+ addresses, and tells the administrators once`, async () => {
    const root = await makeOrg(ctx.database.db, null, { name: '锁定测试工委' });
    const member = await makeMember(ctx.database.db, root);
    const user = await makeUser(ctx.database.db, [{ role: 'member' }], { memberId: member.id });
    const addresses = ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4'];
    // fewer than the pair limit from each address, so only the distributed rule can lock
    let failures = 0;
    for (const ip of addresses) {
      for (let i = 0; i < 3 && failures < ACCOUNT_LOCK_FAILURES; i++, failures++) {
        expect((await attempt(user.username, 'Wrong-password-9', ip)).statusCode).toBe(401);
      }
    }
    const locked = await attempt(user.username, user.password, '203.0.113.99');
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
    const alerts = await ctx.database.db.execute(sql`select org_path::text, detail from audit_log where action = 'auth.account_locked' and target_id = ${user.id}`);
    expect(alerts.rows).toEqual([{ org_path: root.path, detail: { username: user.username, failures: ACCOUNT_LOCK_FAILURES, addresses: ACCOUNT_LOCK_ADDRESSES + 1, minutes: 15 } }]);
    // more refused attempts do not repeat the alert
    expect((await attempt(user.username, 'Wrong-password-9', '203.0.113.5')).statusCode).toBe(429);
    expect((await ctx.database.db.execute(sql`select 1 from audit_log where action = 'auth.account_locked' and target_id = ${user.id}`)).rows).toHaveLength(1);
  });

  it('counts every attempt before checking its password: parallel guesses cannot pass the limit', async () => {
    const user = await makeUser(ctx.database.db, [{ role: 'member' }]);
    const ip = '198.51.100.50';
    const answers = await Promise.all(Array.from({ length: 60 }, () => attempt(user.username, 'Wrong-password-9', ip)));
    const codes = answers.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(PAIR);
    expect(codes.filter((c) => c === 429)).toHaveLength(60 - PAIR);
    // from one address across accounts: only as many accounts as the address limit are tried
    const spray = '198.51.100.51';
    const sprayed = await Promise.all(Array.from({ length: 40 }, (_, i) => attempt(`race.spray${i}`, 'Wrong-password-9', spray)));
    expect(sprayed.filter((r) => r.statusCode === 401)).toHaveLength(MAX_FAILED_ACCOUNTS_PER_ADDRESS);
    expect(sprayed.filter((r) => r.statusCode === 429)).toHaveLength(40 - MAX_FAILED_ACCOUNTS_PER_ADDRESS);
  });

  it('queues, not refuses, a hall of members signing in at the same moment behind one address', async () => {
    const hall = await Promise.all(Array.from({ length: 30 }, () => makeUser(ctx.database.db, [{ role: 'member' }])));
    const answers = await Promise.all(hall.map((u) => attempt(u.username, u.password, '198.51.100.60')));
    expect(answers.map((r) => r.statusCode)).toEqual(hall.map(() => 200));
    expect((await ctx.database.db.execute(sql`select 1 from login_failures where ip = '198.51.100.60'`)).rows).toHaveLength(0);
  });
});

describe('sessions at sign-in and sign-out', () => {
  it('signing in again in the same browser ends the session it held', async () => {
    const user = await makeUser(ctx.database.db, [{ role: 'member' }]);
    const first = await login(ctx.app, user);
    const again = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: user.password }, headers: { cookie: first.cookie } });
    expect(again.statusCode).toBe(200);
    expect((await first.get('/api/auth/me')).statusCode).toBe(401);
    const second = again.cookies.find((c) => c.name === 'dj_sid')!.value;
    expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `dj_sid=${second}` } })).statusCode).toBe(200);
  });

  it('refuses a sign-out without the CSRF token (a forged cross-site sign-out), keeping the session', async () => {
    const user = await makeUser(ctx.database.db, [{ role: 'member' }]);
    const client = await login(ctx.app, user);
    const forged = await ctx.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: client.cookie } });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.code).toBe('auth.csrf');
    expect((await client.get('/api/auth/me')).statusCode).toBe(200);
    expect((await client.post('/api/auth/logout')).statusCode).toBe(200);
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
  });
});

describe('GET /api/auth/me', () => {
  it('describes the signed-in user, their roles and abilities', async () => {
    const user = await makeUser(ctx.database.db, [{ role: 'platform_admin' }, { role: 'judge' }]);
    const client = await login(ctx.app, user);
    const res = await client.get('/api/auth/me');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      user: { id: user.id, username: user.username, displayName: user.username, memberId: null, roles: [{ role: 'platform_admin', orgId: null, orgName: null }, { role: 'judge', orgId: null, orgName: null }], mustChangePassword: false },
      csrfToken: client.csrfToken,
      abilities: { isAdmin: true, isPlatformAdmin: true, isJudge: true, isInspector: false, readOnlyPaths: [] },
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
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS; i++) {
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
