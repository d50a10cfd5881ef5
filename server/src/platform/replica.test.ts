import crypto from 'node:crypto';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../test/harness.js';
import type { App } from './app.js';
import { readConfig } from './config.js';
import { REPLICA_WITHOUT_PRIMARY, openDatabase, type Database } from './db.js';
import { createMetrics } from './metrics.js';
import { migrate } from './migrate.js';
import { WRITE_LSN_COOKIE, openReplica, parseLsn } from './replica.js';

describe('DATABASE_REPLICA_URL without a PostgreSQL primary', () => {
  it('is refused with a message that names both variables', async () => {
    expect(readConfig({ DATABASE_REPLICA_URL: 'postgres://replica/db' }).databaseReplicaUrl).toBe('postgres://replica/db');
    await expect(openDatabase({ memory: true, replicaUrl: 'postgres://127.0.0.1:1/db' })).rejects.toThrow(REPLICA_WITHOUT_PRIMARY);
    expect(REPLICA_WITHOUT_PRIMARY).toMatch(/DATABASE_REPLICA_URL.*DATABASE_URL/);
  });
});

describe('WAL positions', () => {
  it('compare as positions, not as text', () => {
    expect(parseLsn('0/16B3748')).toBe(0x16B3748n);
    expect(parseLsn('1/0')! > parseLsn('0/FFFFFFFF')!).toBe(true);
    expect(parseLsn('A/10')! > parseLsn('9/FFFFFFF0')!).toBe(true);
    for (const bad of [undefined, '', '0/', '/1', '0/1;drop', 'G/1', '123456789/0', '0/1 ']) expect(parseLsn(bad)).toBeNull();
  });
});

describe('without a replica', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    // scripts/replica.sh gives every test server its standby: not this one
    const pair = process.env.TEST_REPLICA_URL;
    delete process.env.TEST_REPLICA_URL;
    try { ctx = await startTestApp(); } finally { if (pair) process.env.TEST_REPLICA_URL = pair; }
  });
  afterAll(async () => { await ctx?.close(); });

  it('reads and writes on the one database and sets no write-position cookie', async () => {
    expect(ctx.database.replica).toBeUndefined();
    const root = await makeOrg(ctx.database.db, null);
    const admin = await login(ctx.app, await makeUser(ctx.database.db, [{ role: 'org_admin', org: root }]));
    const created = await admin.post('/api/orgs', { parentId: root.id, name: '无副本党支部', type: 'branch' });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.cookies.find((c) => c.name === WRITE_LSN_COOKIE)).toBeUndefined();
    const children = await admin.get(`/api/orgs/${root.id}/children`);
    expect(children.json().items.map((o: { name: string }) => o.name)).toEqual(['无副本党支部']);
  });
});

/*
 * On PostgreSQL the "replica" is a second database made from the primary with CREATE DATABASE … TEMPLATE: real
 * connections to a real server, frozen at the copy as a replica whose replay is paused, and not in recovery — so it
 * cannot say what it has replayed, and a browser that has written reads the primary. What a browser reads shows
 * which handle answered. scripts/replica.sh runs replica-pair.check.ts against a real streaming replica.
 */
const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
const onPostgres = Boolean(serverUrl) && process.env.TEST_DB !== 'pglite';
if (onPostgres) describe('reads on a replica (PostgreSQL)', () => {
  const suffix = `${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const primaryName = `dj_test_primary_${suffix}`, replicaName = `dj_test_replica_${suffix}`;
  const urlOf = (name: string) => { const u = new URL(serverUrl!); u.pathname = `/${name}`; return u.toString(); };
  const admin = async (statement: string) => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    try { await c.query(statement); } finally { await c.end(); }
  };
  let database: Database;
  let app: App;
  let bureau: OrgFixture;
  const logged: string[] = [];

  beforeAll(async () => {
    await admin(`create database ${primaryName}`);
    const setup = await openDatabase({ url: urlOf(primaryName) });
    await migrate(setup);
    const root = await makeOrg(setup.db, null);
    bureau = await makeOrg(setup.db, root, { type: 'party_committee', name: '复制前的党委' });
    await makeMember(setup.db, bureau, { name: '复制前的党员' });
    await setup.close();
    await admin(`create database ${replicaName} template ${primaryName}`);
    database = await openDatabase({ url: urlOf(primaryName) });
    database.replica = openReplica(urlOf(replicaName), database.raw.pool!, (url) => new pg.Pool({ connectionString: url, max: 4 }), (line) => logged.push(line));
    app = await buildTestApp(database);
    // written after the copy: only the primary has it
    await makeMember(database.db, bureau, { name: '复制后的党员' });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
    await admin(`drop database if exists ${replicaName} with (force)`);
    await admin(`drop database if exists ${primaryName} with (force)`);
  });

  const names = async (client: Client, url: string) => {
    const res = await client.get(url);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { items: { name: string }[] }).items.map((i) => i.name).sort();
  };

  it('answers lists from the replica, while the session is read on the primary', async () => {
    // the account exists only on the primary: signing in and loading the session never touch the replica
    const viewer = await login(app, await makeUser(database.db, [{ role: 'org_admin', org: bureau }]));
    const before = database.replica!.reads.replica;
    expect(await names(viewer, `/api/members?orgId=${bureau.id}`)).toEqual(['复制前的党员']);
    expect(database.replica!.reads.replica).toBe(before + 1);
  });

  it('lets a browser read its own writes: after a write it reads the primary, other browsers still the replica', async () => {
    const writer = await login(app, await makeUser(database.db, [{ role: 'org_admin', org: bureau }]));
    const other = await login(app, await makeUser(database.db, [{ role: 'org_admin', org: bureau }]));
    const created = await writer.post('/api/orgs', { parentId: bureau.id, name: '新成立的党支部', type: 'branch' });
    expect(created.statusCode, created.body).toBe(201);
    const position = created.cookies.find((c) => c.name === WRITE_LSN_COOKIE);
    expect(parseLsn(position?.value)).not.toBeNull();
    expect(position).toMatchObject({ httpOnly: true, path: '/' });
    // the write is on the primary, not in the frozen copy
    expect((await database.db.execute(sql`select 1 from orgs where name = '新成立的党支部'`)).rows).toHaveLength(1);

    const withPosition = { cookie: `${writer.cookie}; ${WRITE_LSN_COOKIE}=${position!.value}` };
    const afterWrite = database.replica!.reads.primaryAfterWrite;
    const res = await writer.get(`/api/orgs/${bureau.id}/children`, withPosition);
    expect(res.json().items.map((o: { name: string }) => o.name)).toEqual(['新成立的党支部']);
    expect(database.replica!.reads.primaryAfterWrite).toBe(afterWrite + 1);
    const own = await writer.get(`/api/members?orgId=${bureau.id}`, withPosition);
    expect(own.json().items.map((m: { name: string }) => m.name).sort()).toEqual(['复制前的党员', '复制后的党员']);
    expect(database.replica!.reads.primaryAfterWrite).toBe(afterWrite + 2);

    // without the cookie (another browser): the replica's older answer
    expect((await other.get(`/api/orgs/${bureau.id}/children`)).json().items).toEqual([]);
  });

  it('counts reads by the handle that answered them in /metrics', async () => {
    const text = await createMetrics(database, 'metrics-token').registry.metrics();
    const reads = database.replica!.reads;
    expect(reads.replica).toBeGreaterThan(0);
    expect(text).toContain(`db_replica_reads{handle="replica",reason="replayed"} ${reads.replica}`);
    expect(text).toContain(`db_replica_reads{handle="primary",reason="own_write_not_replayed"} ${reads.primaryAfterWrite}`);
    expect(text).toContain(`db_replica_reads{handle="primary",reason="replica_down"} ${reads.primaryReplicaDown}`);
  });

  it('ignores a write-position cookie that is not a WAL position', async () => {
    const viewer = await login(app, await makeUser(database.db, [{ role: 'org_admin', org: bureau }]));
    for (const value of ['garbage', '0/', 'FFFFFFFFF/0', '1/1%3Bselect']) {
      const res = await viewer.get(`/api/members?orgId=${bureau.id}`, { cookie: `${viewer.cookie}; ${WRITE_LSN_COOKIE}=${value}` });
      expect(res.statusCode, value).toBe(200);
      expect(res.json().items.map((m: { name: string }) => m.name)).toEqual(['复制前的党员']);
    }
  });

  it('never sends a write or a transaction to the replica', async () => {
    const writer = await login(app, await makeUser(database.db, [{ role: 'org_admin', org: bureau }]));
    const replicaReads = database.replica!.reads.replica;
    const res = await writer.patch(`/api/orgs/${bureau.id}`, { address: '只写主库路 1 号' });
    expect(res.statusCode, res.body).toBe(200);
    expect(database.replica!.reads.replica).toBe(replicaReads);
    const replica = new pg.Client({ connectionString: urlOf(replicaName) });
    await replica.connect();
    try {
      expect((await replica.query(`select address from orgs where id = $1`, [bureau.id])).rows[0].address).toBeNull();
    } finally {
      await replica.end();
    }
  });

  it('reads the primary, logging once, when the replica stops accepting connections', async () => {
    const viewer = await login(app, await makeUser(database.db, [{ role: 'org_admin', org: bureau }]));
    expect(await names(viewer, `/api/members?orgId=${bureau.id}`)).toEqual(['复制前的党员']);
    // the replica was answering a moment ago: the next read takes a connection, is refused, and is answered by the primary
    await admin(`alter database ${replicaName} allow_connections false`);
    try {
      await admin(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${replicaName}'`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const down = database.replica!.reads.primaryReplicaDown;
      expect(await names(viewer, `/api/members?orgId=${bureau.id}`)).toEqual(['复制前的党员', '复制后的党员']);
      expect(await names(viewer, `/api/members?orgId=${bureau.id}`)).toEqual(['复制前的党员', '复制后的党员']);
      expect(database.replica!.reads.primaryReplicaDown).toBeGreaterThanOrEqual(down + 1);
      expect(logged.filter((line) => line.includes('replica down'))).toHaveLength(1);
    } finally {
      await admin(`alter database ${replicaName} allow_connections true`);
    }
    // back after the retry interval: the replica answers again, and that is logged once
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await names(viewer, `/api/members?orgId=${bureau.id}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await names(viewer, `/api/members?orgId=${bureau.id}`)).toEqual(['复制前的党员']);
    expect(logged.filter((line) => line.includes('replica answering again'))).toHaveLength(1);
  });

  it('starts on the primary when the replica cannot be reached at all', async () => {
    const lines: string[] = [];
    const alone = await openDatabase({ url: urlOf(primaryName) });
    alone.replica = openReplica('postgres://postgres@127.0.0.1:1/nothing', alone.raw.pool!, (url) => new pg.Pool({ connectionString: url }), (line) => lines.push(line));
    const other = await buildTestApp(alone);
    try {
      const viewer = await login(other, await makeUser(alone.db, [{ role: 'org_admin', org: bureau }]));
      for (let i = 0; i < 3; i++) expect(await names(viewer, `/api/members?orgId=${bureau.id}`)).toEqual(['复制前的党员', '复制后的党员']);
      expect(alone.replica.reads).toMatchObject({ replica: 0, primaryReplicaDown: 3 });
      expect(lines).toHaveLength(1);
    } finally {
      await other.close();
      await alone.close();
    }
  });
});
