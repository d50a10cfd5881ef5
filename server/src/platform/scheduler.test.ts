import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, startTestApp, type TestContext } from '../../test/harness.js';
import type { App } from './app.js';
import { openDatabase, type Database, type Db } from './db.js';
import { MAX_ATTEMPTS, cancelJob, enqueueJob, runDueJobs, startScheduler, type JobDefinition, type JobLog } from './scheduler.js';

let ctx: TestContext;
let db: Db;
/** A second server on the same database: another process (on PostgreSQL with its own connection pool). */
let second: { app: App; database: Database; own: boolean };
beforeAll(async () => {
  ctx = await startTestApp();
  db = ctx.database.db;
  const database = ctx.database.url ? await openDatabase({ url: ctx.database.url }) : ctx.database;
  second = { app: await buildTestApp(database), database, own: database !== ctx.database };
  await db.execute(sql`create table scheduler_test_runs (id bigint generated always as identity, kind text not null, payload jsonb, runner text not null)`);
});
afterAll(async () => {
  await second?.app.close();
  if (second?.own) await second.database.close();
  await ctx?.close();
});

type Row = Record<string, unknown>;
const quiet: JobLog = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const at = (iso: string) => new Date(iso);

/** A job that records each run (which process ran it), taking a little while so that runs overlap. */
function recordingJob(kind: string, runner: string, everySeconds?: number): JobDefinition {
  return {
    kind,
    everySeconds,
    async run({ db: jobDb, payload }) {
      await sleep(5);
      await jobDb.execute(sql`insert into scheduler_test_runs (kind, payload, runner) values (${kind}, ${JSON.stringify(payload)}::jsonb, ${runner})`);
    },
  };
}

async function runsOf(kind: string): Promise<{ payload: unknown; runner: string }[]> {
  return (await db.execute<{ payload: unknown; runner: string } & Row>(sql`select payload, runner from scheduler_test_runs where kind = ${kind} order by id`)).rows;
}

async function jobRows(kind: string) {
  return (await db.execute<{ state: string; attempts: number; last_error: string | null; run_at: Date | string; key: string | null } & Row>(sql`
    select state, attempts, last_error, run_at, key from scheduled_jobs where kind = ${kind} order by id`)).rows
    .map((r) => ({ ...r, run_at: new Date(r.run_at).toISOString() }));
}

describe('scheduler across two server processes on one database', () => {
  it('runs each queued job once when both processes poll at the same time', async () => {
    const kind = 'test.once';
    const payloads = Array.from({ length: 40 }, (_, i) => ({ n: i }));
    for (const payload of payloads) await enqueueJob(db, kind, at('2026-03-01T00:00:00Z'), payload);
    const now = at('2026-03-01T00:00:01Z');
    const [a, b] = await Promise.all([
      runDueJobs(ctx.app.database.db, [recordingJob(kind, 'a')], now, quiet),
      runDueJobs(second.app.database.db, [recordingJob(kind, 'b')], now, quiet),
    ]);
    expect(a + b).toBe(40);
    const runs = await runsOf(kind);
    expect(runs.map((r) => (r.payload as { n: number }).n).sort((x, y) => x - y)).toEqual(payloads.map((p) => p.n));
    expect(await jobRows(kind)).toEqual([]);
    // on PostgreSQL both processes really worked (skip locked hands each its own rows); PGlite has one connection
    if (second.own) expect(new Set(runs.map((r) => r.runner)).size).toBe(2);
  });

  it('runs a recurring job once per slot, whichever process polls, and again in the next slot', async () => {
    const kind = 'test.recurring';
    const poll = (now: Date) => Promise.all([
      runDueJobs(ctx.app.database.db, [recordingJob(kind, 'a', 3600)], now, quiet),
      runDueJobs(second.app.database.db, [recordingJob(kind, 'b', 3600)], now, quiet),
      runDueJobs(second.app.database.db, [recordingJob(kind, 'b', 3600)], now, quiet),
    ]);
    await poll(at('2026-03-02T08:10:00Z'));
    await poll(at('2026-03-02T08:50:00Z'));
    expect((await runsOf(kind)).map((r) => r.payload)).toEqual([{ slot: '2026-03-02T08:00:00Z' }]);
    await poll(at('2026-03-02T09:00:05Z'));
    expect((await runsOf(kind)).map((r) => r.payload)).toEqual([{ slot: '2026-03-02T08:00:00Z' }, { slot: '2026-03-02T09:00:00Z' }]);
    // a process whose clock lags does not run an earlier slot again
    await poll(at('2026-03-02T08:59:00Z'));
    expect(await runsOf(kind)).toHaveLength(2);
  });

  it('leaves a job queued for later alone until it is due', async () => {
    const kind = 'test.later';
    await enqueueJob(db, kind, at('2026-03-03T10:00:00Z'), { n: 1 });
    expect(await runDueJobs(db, [recordingJob(kind, 'a')], at('2026-03-03T09:59:59Z'), quiet)).toBe(0);
    expect(await runsOf(kind)).toEqual([]);
    expect(await runDueJobs(db, [recordingJob(kind, 'a')], at('2026-03-03T10:00:00Z'), quiet)).toBe(1);
    expect(await runsOf(kind)).toHaveLength(1);
  });

  it('replaces a pending job queued again under the same key, and cancels it by key', async () => {
    const kind = 'test.keyed';
    await enqueueJob(db, kind, at('2026-03-04T10:00:00Z'), { v: 1 }, 'notice:7');
    await enqueueJob(db, kind, at('2026-03-04T12:00:00Z'), { v: 2 }, 'notice:7');
    await enqueueJob(db, kind, at('2026-03-04T11:00:00Z'), { v: 3 }, 'notice:8');
    expect((await jobRows(kind)).map((r) => [r.key, r.run_at])).toEqual([['notice:7', '2026-03-04T12:00:00.000Z'], ['notice:8', '2026-03-04T11:00:00.000Z']]);
    await cancelJob(db, kind, 'notice:8');
    await runDueJobs(db, [recordingJob(kind, 'a')], at('2026-03-04T13:00:00Z'), quiet);
    expect((await runsOf(kind)).map((r) => r.payload)).toEqual([{ v: 2 }]);
  });

  it('does not claim jobs of a kind this process does not know', async () => {
    await enqueueJob(db, 'test.unknown', at('2026-03-05T00:00:00Z'));
    expect(await runDueJobs(db, [recordingJob('test.other', 'a')], at('2026-03-05T01:00:00Z'), quiet)).toBe(0);
    expect((await jobRows('test.unknown')).map((r) => r.state)).toEqual(['pending']);
  });

  it('retries a failing job with growing delays and records the error', async () => {
    const kind = 'test.flaky';
    let calls = 0;
    const flaky: JobDefinition = {
      kind,
      async run() {
        calls++;
        if (calls <= 2) throw new Error(`provider down (${calls})`);
      },
    };
    await enqueueJob(db, kind, at('2026-03-06T00:00:00Z'));
    await runDueJobs(db, [flaky], at('2026-03-06T00:00:00Z'), quiet);
    expect(await jobRows(kind)).toMatchObject([{ state: 'pending', attempts: 1, last_error: 'provider down (1)', run_at: '2026-03-06T00:00:30.000Z' }]);
    // not before the delay
    expect(await runDueJobs(db, [flaky], at('2026-03-06T00:00:29Z'), quiet)).toBe(0);
    await runDueJobs(db, [flaky], at('2026-03-06T00:00:30Z'), quiet);
    expect(await jobRows(kind)).toMatchObject([{ state: 'pending', attempts: 2, last_error: 'provider down (2)', run_at: '2026-03-06T00:01:30.000Z' }]);
    await runDueJobs(db, [flaky], at('2026-03-06T00:01:30Z'), quiet);
    expect(calls).toBe(3);
    expect(await jobRows(kind)).toEqual([]);
  });

  it('keeps a job that failed every attempt as failed, with its last error, and runs it no more', async () => {
    const kind = 'test.broken';
    let calls = 0;
    const broken: JobDefinition = { kind, async run() { calls++; throw new Error('bad payload'); } };
    await enqueueJob(db, kind, at('2026-03-07T00:00:00Z'));
    for (let hour = 0; hour < MAX_ATTEMPTS + 3; hour++) {
      await runDueJobs(db, [broken], new Date(Date.UTC(2026, 2, 7, hour * 3)), quiet);
    }
    expect(calls).toBe(MAX_ATTEMPTS);
    expect(await jobRows(kind)).toMatchObject([{ state: 'failed', attempts: MAX_ATTEMPTS, last_error: 'bad payload' }]);
  });

  it('takes over a job whose process died while running it, once its lease has lapsed', async () => {
    const kind = 'test.orphaned';
    await db.execute(sql`insert into scheduled_jobs (kind, run_at, state, attempts, locked_until) values (${kind}, '2026-03-08T00:00:00Z', 'running', 1, '2026-03-08T00:10:00Z')`);
    expect(await runDueJobs(db, [recordingJob(kind, 'a')], at('2026-03-08T00:05:00Z'), quiet)).toBe(0);
    expect(await runDueJobs(db, [recordingJob(kind, 'b')], at('2026-03-08T00:10:01Z'), quiet)).toBe(1);
    expect((await runsOf(kind)).map((r) => r.runner)).toEqual(['b']);
  });

  it('polls on its own until stopped, and stopping waits for the run under way', async () => {
    const kind = 'test.loop';
    await enqueueJob(db, kind, new Date(Date.now() - 1000));
    const scheduler = startScheduler(db, [recordingJob(kind, 'loop')], quiet, { intervalMs: 20 });
    for (let i = 0; i < 100 && (await runsOf(kind)).length === 0; i++) await sleep(20);
    await scheduler.stop();
    expect(await runsOf(kind)).toHaveLength(1);
    await enqueueJob(db, kind, new Date(Date.now() - 1000));
    await sleep(100);
    expect(await runsOf(kind)).toHaveLength(1);
  });
});
