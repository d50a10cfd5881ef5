/**
 * Read-your-writes against a real streaming replica: run by scripts/replica.sh, which starts a primary and a
 * standby (pg_basebackup) and sets DATABASE_URL and TEST_REPLICA_URL to them. Not in `npm test`: it needs the
 * pair. The routing itself is tested on every run by replica.test.ts.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, makeMember, makeOrg, makeUser, type Client, type OrgFixture } from '../../test/harness.js';
import type { App } from './app.js';
import { openDatabase, type Database } from './db.js';
import { migrate } from './migrate.js';
import { REPLAY_WAIT_MS, WRITE_LSN_COOKIE, parseLsn } from './replica.js';

const primaryUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
const replicaUrl = process.env.TEST_REPLICA_URL;
if (!primaryUrl || !replicaUrl) throw new Error('replica-pair.check.ts needs DATABASE_URL and TEST_REPLICA_URL (scripts/replica.sh sets them)');

const name = `dj_pair_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
const on = (url: string) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();
async function run(url: string, statement: string): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try { return await c.query(statement); } finally { await c.end(); }
}
const eventually = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 200; i++) { if (await check()) return; await new Promise((r) => setTimeout(r, 25)); }
  throw new Error('not within 5 s');
};

describe('a streaming replica', () => {
  let database: Database;
  let app: App;
  let bureau: OrgFixture;
  let writer: Client, other: Client;

  beforeAll(async () => {
    await run(primaryUrl, `create database ${name}`);
    database = await openDatabase({ url: on(primaryUrl), replicaUrl: on(replicaUrl) });
    await migrate(database);
    const root = await makeOrg(database.db, null);
    bureau = await makeOrg(database.db, root, { type: 'party_committee' });
    await makeMember(database.db, bureau, { name: '配对测试党员' });
    app = await buildTestApp(database);
    writer = await login(app, await makeUser(database.db, [{ role: 'org_admin', org: bureau }]));
    other = await login(app, await makeUser(database.db, [{ role: 'org_admin', org: bureau }]));
    // the standby has replayed the database, its tables and the accounts
    await eventually(async () => (await run(on(replicaUrl), 'select count(*)::int as n from users')).rows[0].n === 2);
  });
  afterAll(async () => {
    await run(replicaUrl, 'select pg_wal_replay_resume()').catch(() => undefined);
    await app?.close();
    await database?.close();
    await run(primaryUrl, `drop database if exists ${name} with (force)`);
  });

  const childNames = async (client: Client, cookie?: string) => {
    const res = await client.get(`/api/orgs/${bureau.id}/children`, cookie ? { cookie: `${client.cookie}; ${WRITE_LSN_COOKIE}=${cookie}` } : {});
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { items: { name: string }[] }).items.map((o) => o.name).sort();
  };

  it('is a standby that lists are read from', async () => {
    expect((await run(on(replicaUrl), 'select pg_is_in_recovery() as r')).rows[0].r).toBe(true);
    const before = database.replica!.reads.replica;
    const res = await other.get(`/api/members?orgId=${bureau.id}`);
    expect(res.json().items.map((m: { name: string }) => m.name)).toEqual(['配对测试党员']);
    expect(database.replica!.reads.replica).toBe(before + 1);
  });

  it('shows a browser its write at once, from the replica once replayed', async () => {
    const created = await writer.post('/api/orgs', { parentId: bureau.id, name: '第一党支部', type: 'branch' });
    expect(created.statusCode, created.body).toBe(201);
    const position = created.cookies.find((c) => c.name === WRITE_LSN_COOKIE)!.value;
    expect(await childNames(writer, position)).toEqual(['第一党支部']);
    // a replica on the same machine replays within the wait: the read was the replica's
    await eventually(async () => (await run(on(replicaUrl), `select count(*)::int as n from orgs where name = '第一党支部'`)).rows[0].n === 1);
    const replicaReads = database.replica!.reads.replica;
    expect(await childNames(writer, position)).toEqual(['第一党支部']);
    expect(database.replica!.reads.replica).toBe(replicaReads + 1);
  });

  it('reads the primary for the writer while the replica lags, and the replica for everyone else', async () => {
    await run(replicaUrl, 'select pg_wal_replay_pause()');
    try {
      const created = await writer.post('/api/orgs', { parentId: bureau.id, name: '第二党支部', type: 'branch' });
      expect(created.statusCode, created.body).toBe(201);
      const position = created.cookies.find((c) => c.name === WRITE_LSN_COOKIE)!.value;
      const replayed = parseLsn((await run(replicaUrl, 'select pg_last_wal_replay_lsn()::text as lsn')).rows[0].lsn)!;
      expect(replayed < parseLsn(position)!).toBe(true);

      const afterWrite = database.replica!.reads.primaryAfterWrite;
      const started = performance.now();
      expect(await childNames(writer, position)).toEqual(['第一党支部', '第二党支部']);
      expect(performance.now() - started).toBeGreaterThanOrEqual(REPLAY_WAIT_MS);
      expect(database.replica!.reads.primaryAfterWrite).toBe(afterWrite + 1);
      // another browser reads the replica, which has not replayed the write
      expect(await childNames(other)).toEqual(['第一党支部']);
    } finally {
      await run(replicaUrl, 'select pg_wal_replay_resume()');
    }
    await eventually(async () => (await childNames(other)).length === 2);
  });
});
