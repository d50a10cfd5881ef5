import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, makeOrg, makeUser, startTestApp, type OrgFixture, type TestContext } from '../../test/harness.js';
import type { App } from './app.js';
import { openDatabase, type Database } from './db.js';
import { LastSeenWriter, SessionReader, loadSession, newSessionCache, sessionReaderOf } from './session.js';

let ctx: TestContext;
let root: OrgFixture;
let bureau: OrgFixture;
/** A second server process on the same PostgreSQL database (PostgreSQL runs only). */
let other: { app: App; database: Database } | null = null;

beforeAll(async () => {
  ctx = await startTestApp();
  root = await makeOrg(ctx.database.db, null, { name: '市直机关工委' });
  bureau = await makeOrg(ctx.database.db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  if (ctx.database.url) {
    const database = await openDatabase({ url: ctx.database.url });
    other = { app: await buildTestApp(database), database };
  }
});
afterAll(async () => {
  await other?.app.close();
  await other?.database.close();
  await ctx?.close();
});

/** Raw SQL with the triggers off, as if the database changed behind the server's back. */
const withoutTriggers = (statement: ReturnType<typeof sql>) => ctx.database.db.transaction(async (tx) => {
  await tx.execute(sql`set local session_replication_role = replica`);
  await tx.execute(statement);
});

const me = (app: App, client: { cookie: string }) => app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: client.cookie } });

/** Another process hears of a change a few milliseconds after it commits. */
async function eventually(check: () => Promise<boolean>) {
  const until = Date.now() + 2000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('the other process never saw the change');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the session cache', () => {
  it('serves a remembered session without the database, and forgets it when the database says so', async () => {
    const user = await makeUser(ctx.database.db, [{ role: 'org_admin', org: bureau }]);
    const client = await login(ctx.app, user);
    expect((await me(ctx.app, client)).statusCode).toBe(200);
    // the session row goes without a notification: the process still knows the session (the cache is used)
    await withoutTriggers(sql`delete from sessions where user_id = ${user.id}`);
    expect((await me(ctx.app, client)).statusCode).toBe(200);
    // any change the triggers see ends it: here the user's name
    await ctx.database.db.execute(sql`update users set display_name = '改名' where id = ${user.id}`);
    await ctx.app.sessions.sync(ctx.database);
    expect((await me(ctx.app, client)).statusCode).toBe(401);
  });

  it('sees an org dissolved and restored, and a role taken away, at the next request', async () => {
    const branch = await makeOrg(ctx.database.db, bureau, { name: '预算处党支部' });
    const user = await makeUser(ctx.database.db, [{ role: 'org_admin', org: bureau }]);
    const client = await login(ctx.app, user);
    const canSee = async () => (await client.get(`/api/orgs/${branch.id}`)).statusCode;
    expect(await canSee()).toBe(200);
    // a role grants an org's subtree only while the org exists
    await ctx.database.db.execute(sql`update orgs set dissolved_at = now() where id = ${bureau.id}`);
    await ctx.app.sessions.sync(ctx.database);
    expect(await canSee()).toBe(404);
    await ctx.database.db.execute(sql`update orgs set dissolved_at = null where id = ${bureau.id}`);
    await ctx.app.sessions.sync(ctx.database);
    expect(await canSee()).toBe(200);
    await ctx.database.db.execute(sql`delete from user_roles where user_id = ${user.id}`);
    await ctx.app.sessions.sync(ctx.database);
    expect(await canSee()).toBe(404);
  });

  it('ends a session in this process before the sign-out is answered', async () => {
    const user = await makeUser(ctx.database.db, [{ role: 'member' }]);
    const first = await login(ctx.app, user);
    const second = await login(ctx.app, user);
    expect((await me(ctx.app, first)).statusCode).toBe(200);
    expect((await second.post('/api/auth/logout-everywhere')).statusCode).toBe(200);
    expect((await me(ctx.app, first)).statusCode).toBe(401);
    expect((await me(ctx.app, second)).statusCode).toBe(401);
  });
});

describe('sessions this process does not remember', () => {
  it('are read together, one statement for the requests of the same moment, each getting its own', async () => {
    const users = await Promise.all([0, 1, 2, 3].map(() => makeUser(ctx.database.db, [{ role: 'org_admin', org: bureau }])));
    const clients = await Promise.all(users.map((u) => login(ctx.app, u)));
    const tokens = clients.map((c) => decodeURIComponent(c.cookie.slice('dj_sid='.length)));
    // signed out, and a token nobody was given: no session, whatever the others in the statement
    await ctx.database.db.execute(sql`delete from sessions where user_id = ${users[3]!.id}`);
    const reader = sessionReaderOf(ctx.database);
    const before = reader.statements;
    const loaded = await Promise.all([...tokens, tokens[0]!, 'no-such-token'].map((t) => loadSession(ctx.database, t, '127.0.0.1')));
    expect(reader.statements - before).toBe(1);
    expect(loaded.map((s) => s?.actor.userId ?? null)).toEqual([users[0]!.id, users[1]!.id, users[2]!.id, null, users[0]!.id, null]);
    expect(loaded[1]!.csrfToken).toBe(clients[1]!.csrfToken);
    // more than a statement takes: several statements, still every session
    const small = new SessionReader(ctx.database, 2);
    const rows = await Promise.all(tokens.slice(0, 3).map((t) => small.read(crypto.createHash('sha256').update(t).digest('base64url'))));
    expect(small.statements).toBe(2);
    expect(rows.map((r) => String(r?.user_id))).toEqual(users.slice(0, 3).map((u) => u.id));
  });
});

describe('last-seen times', () => {
  /** Each user's session marked as last seen five minutes ago; returns the sessions' ages in seconds. */
  const ageOf = async (userIds: string[]) => (await ctx.database.db.execute<{ age: number } & Record<string, unknown>>(sql`
    select extract(epoch from now() - last_seen_at)::float8 as age from sessions where user_id = any(${sql.param(userIds)}::bigint[]) order by user_id`)).rows.map((r) => Number(r.age));
  const seenLongAgo = (userIds: string[]) => withoutTriggers(sql`update sessions set last_seen_at = now() - interval '5 minutes' where user_id = any(${sql.param(userIds)}::bigint[])`);

  it('are written for many sessions in one statement a moment later, not by each request', async () => {
    const users = await Promise.all([0, 1, 2].map(() => makeUser(ctx.database.db, [{ role: 'org_admin', org: bureau }])));
    const clients = await Promise.all(users.map((u) => login(ctx.app, u)));
    const ids = users.map((u) => u.id);
    for (const client of clients) expect((await me(ctx.app, client)).statusCode).toBe(200);
    // seen again after the minute: the requests are answered, the times wait for the writer
    await seenLongAgo(ids);
    ctx.app.sessions.invalidate('*');
    for (const client of clients) expect((await me(ctx.app, client)).statusCode).toBe(200);
    expect((await ageOf(ids)).every((age) => age > 290)).toBe(true);
    await ctx.app.lastSeen.flush();
    expect((await ageOf(ids)).every((age) => age < 5)).toBe(true);
    // a session this process remembers is marked too, when a minute has passed since it last wrote
    const standalone = new LastSeenWriter(ctx.database, 60_000);
    const cache = newSessionCache();
    await cache.start(ctx.database, ctx.database.url);
    try {
      const token = decodeURIComponent(clients[0]!.cookie.slice('dj_sid='.length));
      await loadSession(ctx.database, token, '127.0.0.1', cache, standalone);
      await seenLongAgo(ids);
      const realNow = Date.now;
      Date.now = () => realNow() + 120_000;
      try { expect(await loadSession(ctx.database, token, '127.0.0.1', cache, standalone)).not.toBeNull(); } finally { Date.now = realNow; }
      expect((await ageOf([ids[0]!]))[0]).toBeGreaterThan(290);
      // closing writes what is marked
      await standalone.close();
      expect((await ageOf([ids[0]!]))[0]).toBeLessThan(5);
    } finally {
      await cache.close();
    }
  });
});

// one embedded database serves one process: two processes need a PostgreSQL server
const onPostgres = Boolean(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL) && process.env.TEST_DB !== 'pglite';
if (onPostgres) describe('the session cache across processes', () => {
  it('ends a session in every process (two servers on one PostgreSQL)', async () => {
    if (!other) throw new Error('the second server did not start');
    const user = await makeUser(ctx.database.db, [{ role: 'org_admin', org: bureau }]);
    const client = await login(ctx.app, user);
    expect((await me(other.app, client)).statusCode).toBe(200);
    expect((await client.get(`/api/orgs/${bureau.id}`)).statusCode).toBe(200);
    // a role removed through the first server
    const admin = await makeUser(ctx.database.db, [{ role: 'platform_admin' }]);
    const adminClient = await login(ctx.app, admin);
    const changed = await adminClient.patch(`/api/users/${user.id}`, { roles: [{ role: 'member' }] });
    expect(changed.statusCode, changed.body).toBe(200);
    await eventually(async () => (await me(other!.app, client)).json().user.roles.every((r: { role: string }) => r.role !== 'org_admin'));
    // sign-out through the first server ends the session in the second
    expect((await client.post('/api/auth/logout')).statusCode).toBe(200);
    await eventually(async () => (await me(other!.app, client)).statusCode === 401);
  });
});
