import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db, Queryable } from './db.js';
import { textArray } from './sql.js';

/**
 * Jobs stored in PostgreSQL (table scheduled_jobs), run by every server process. A job is claimed by
 * one process with `for update skip locked` and a lease, so it runs once however many processes
 * poll; a recurring job's slot is claimed in recurring_job_slots by a conditional upsert that only
 * one process can win. Written in plain SQL rather than with graphile-worker or pg-boss: both need
 * a node-postgres connection (LISTEN/NOTIFY, advisory locks, their own schema installer) and do
 * not run on the embedded PGlite, which is the default database (README, "Jobs and reminders").
 */

/** Anything with pino's methods: Fastify's logger or pino itself. */
export type JobLog = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error' | 'debug'>;

export interface JobContext {
  db: Db;
  log: JobLog;
  /** The time the run was asked for: tests pass a chosen instant, the loop the clock. */
  now: Date;
  payload: unknown;
  jobId: string;
}

export interface JobDefinition {
  kind: string;
  /** recurring: one run per slot of this many seconds, across all processes */
  everySeconds?: number;
  run(ctx: JobContext): Promise<void>;
}

/** A run that fails is tried again after 30 s, 1 min, 2 min, … up to this many attempts, then kept as failed. */
export const MAX_ATTEMPTS = 5;
/** How long a claimed job is its process's: a process that dies mid-run leaves it claimable again after this. */
const LEASE_MS = 10 * 60_000;
const CLAIM_BATCH = 10;
/** Per call, so a job that enqueues itself due at once cannot keep one poll running forever. */
const MAX_RUNS_PER_CALL = 200;

export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

/** Queues a run of `kind` at `runAt`. With a key, (kind, key) names it: queuing it again replaces the pending run. */
export async function enqueueJob(db: Queryable, kind: string, runAt: Date, payload: unknown = null, key?: string): Promise<void> {
  const json = JSON.stringify(payload ?? null);
  if (key === undefined) {
    await db.execute(sql`insert into scheduled_jobs (kind, run_at, payload) values (${kind}, ${runAt}, ${json}::jsonb)`);
    return;
  }
  await db.execute(sql`
    insert into scheduled_jobs (kind, key, run_at, payload) values (${kind}, ${key}, ${runAt}, ${json}::jsonb)
    on conflict (kind, key) where state = 'pending'
    do update set run_at = excluded.run_at, payload = excluded.payload, attempts = 0, last_error = null`);
}

/** Drops the pending run named (kind, key); a run already under way finishes. */
export async function cancelJob(db: Queryable, kind: string, key: string): Promise<void> {
  await db.execute(sql`delete from scheduled_jobs where kind = ${kind} and key = ${key} and state = 'pending'`);
}

interface ClaimedJob extends Record<string, unknown> {
  id: string;
  kind: string;
  key: string | null;
  payload: unknown;
  attempts: number;
}

/**
 * Runs every job due at `now` that this process knows, and claims the recurring slots `now` falls in.
 * Returns how many runs were made (failed ones included). Safe to call from several processes at once.
 */
export async function runDueJobs(db: Db, jobs: readonly JobDefinition[], now: Date, log: JobLog): Promise<number> {
  const byKind = new Map(jobs.map((job) => [job.kind, job]));
  if (!byKind.size) return 0;
  await claimRecurringSlots(db, jobs, now);
  const kinds = [...byKind.keys()];
  let runs = 0;
  while (runs < MAX_RUNS_PER_CALL) {
    const leaseUntil = new Date(now.getTime() + LEASE_MS);
    // a pending run that is due, or a claimed one whose process let its lease lapse (it died)
    const claimed = (await db.execute<ClaimedJob>(sql`
      update scheduled_jobs j set state = 'running', attempts = j.attempts + 1, locked_until = ${leaseUntil}, started_at = ${now}
      where j.id in (
        select id from scheduled_jobs
        where kind = any(${textArray(kinds)}::text[])
          and ((state = 'pending' and run_at <= ${now}) or (state = 'running' and locked_until < ${now}))
        order by run_at, id
        limit ${CLAIM_BATCH}
        for update skip locked)
      returning j.id::text, j.kind, j.key, j.payload, j.attempts`)).rows;
    if (!claimed.length) break;
    for (const job of claimed) {
      runs++;
      const definition = byKind.get(job.kind)!;
      try {
        await definition.run({ db, log, now, payload: job.payload, jobId: job.id });
        await db.execute(sql`delete from scheduled_jobs where id = ${job.id}`);
      } catch (error) {
        await recordFailure(db, job, now, error, log);
      }
    }
  }
  return runs;
}

/**
 * One row per recurring kind holds the last slot started; moving it forward is a conditional upsert
 * only one process can win, and the winner queues the slot's run in the same statement, so a slot
 * is neither lost nor run twice. A server that was down runs the current slot, not the missed ones.
 */
async function claimRecurringSlots(db: Db, jobs: readonly JobDefinition[], now: Date): Promise<void> {
  const recurring = jobs.filter((job) => job.everySeconds && job.everySeconds > 0);
  if (!recurring.length) return;
  const kinds = recurring.map((job) => job.kind);
  const slots = recurring.map((job) => new Date(Math.floor(now.getTime() / (job.everySeconds! * 1000)) * job.everySeconds! * 1000).toISOString());
  await db.execute(sql`
    with due (kind, slot) as (select * from unnest(${textArray(kinds)}::text[], ${textArray(slots)}::timestamptz[])),
    won as (
      insert into recurring_job_slots (kind, last_slot) select kind, slot from due
      on conflict (kind) do update set last_slot = excluded.last_slot
      where recurring_job_slots.last_slot < excluded.last_slot
      returning kind, last_slot)
    insert into scheduled_jobs (kind, key, run_at, payload)
    select kind, 'slot:' || to_char(last_slot at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), last_slot,
           jsonb_build_object('slot', to_char(last_slot at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
    from won
    on conflict (kind, key) where state = 'pending' do nothing`);
}

async function recordFailure(db: Db, job: ClaimedJob, now: Date, error: unknown, log: JobLog): Promise<void> {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
  const giveUp = job.attempts >= MAX_ATTEMPTS;
  log.error({ err: error, jobId: job.id, kind: job.kind, attempts: job.attempts, givenUp: giveUp }, 'scheduled job failed');
  const retryAt = new Date(now.getTime() + retryDelayMs(job.attempts));
  // a newer pending run of the same key (queued while this one ran) replaces the retry
  await db.execute(sql`
    update scheduled_jobs j set
      state = case when ${giveUp} then 'failed'
                   when j.key is not null and exists (select 1 from scheduled_jobs p where p.kind = j.kind and p.key = j.key and p.state = 'pending') then 'superseded'
                   else 'pending' end,
      run_at = case when ${giveUp} then j.run_at else ${retryAt} end,
      locked_until = null, last_error = ${message}, failed_at = ${now}
    where j.id = ${job.id}`);
}

export interface SchedulerOptions {
  /** How often this process looks for due jobs. */
  intervalMs?: number;
}

/** Polls for due jobs every few seconds until stopped; stopping waits for the run under way. */
export function startScheduler(db: Db, jobs: readonly JobDefinition[], log: JobLog, options: SchedulerOptions = {}): { stop(): Promise<void> } {
  const intervalMs = options.intervalMs ?? 5_000;
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    running ??= runDueJobs(db, jobs, new Date(), log)
      .then(() => undefined)
      .catch((error: unknown) => log.error({ err: error }, 'scheduler poll failed'))
      .finally(() => { running = null; });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  // the first poll soon after start, not a whole interval later
  const first = setTimeout(tick, Math.min(intervalMs, 1_000));
  first.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(first);
      await running;
    },
  };
}
