import { sql } from 'drizzle-orm';
import type { Database, Queryable } from '../../platform/db.js';

/**
 * The daily quiz's ledger entries, written in batches (migration 20261123123000): a submission stores
 * the points it earns and is marked pending; this moves up to `batch` pending submissions into the
 * points ledger in one statement (whose per-period totals trigger then runs once for the batch) and
 * clears their mark. SKIP LOCKED lets several processes share the work; the ledger's unique source
 * key makes a repeat harmless. Returns how many submissions it took.
 */
export async function awardPendingQuizPoints(db: Queryable, batch = 2000): Promise<number> {
  const r = await db.execute<{ n: number } & Record<string, unknown>>(sql`
    with locked as (
      select id from daily_quiz_submissions where award_pending order by id limit ${batch} for update skip locked
    ), taken as (
      update daily_quiz_submissions s set award_pending = false from locked where s.id = locked.id
      returning s.id, s.member_id, s.org_path, s.quiz_date, s.points
    ), awarded as (
      insert into points_ledger (member_id, org_path, rule, source_type, source_id, points, occurred_on)
      select member_id, org_path, 'daily_quiz_correct', 'daily_quiz_submission', id::text, points, quiz_date
        from taken where points is not null order by id
      on conflict (rule, source_type, source_id) do nothing
    )
    select count(*)::int as n from taken`);
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * Awards whatever is pending and waits until nothing is: rows another process's batch has locked
 * count as pending until that batch commits. For tests and tools that need the ledger up to date.
 */
export async function settleQuizAwards(db: Queryable, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    await awardPendingQuizPoints(db);
    const pending = await db.execute(sql`select 1 from daily_quiz_submissions where award_pending limit 1`);
    if (pending.rows.length === 0) return;
    if (Date.now() > until) throw new Error('daily quiz awards: submissions still pending');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Runs the batches in this process: shortly after a submission (so that under load one batch carries
 * many), and every few seconds whatever is left (a process that stopped between a submission and its
 * batch leaves it pending; any process picks it up).
 */
export class QuizAwarder {
  private timer: NodeJS.Timeout | null = null;
  private readonly sweep: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** Kicked while a batch ran: its submission may have committed after the batch looked. */
  private again = false;

  constructor(private readonly database: Database, private readonly options = { delayMs: 50, sweepMs: 5000, batch: 2000 }) {
    this.sweep = setInterval(() => this.kick(0), options.sweepMs);
    this.sweep.unref();
  }

  /** A submission was made: award it (and whatever else is pending) soon. */
  kick(delayMs = this.options.delayMs): void {
    if (this.stopped || this.timer) return;
    if (this.running) { this.again = true; return; }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.again = false;
      this.running = this.drain().finally(() => {
        this.running = null;
        if (this.again) this.kick();
      });
    }, delayMs);
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped && (await awardPendingQuizPoints(this.database.db, this.options.batch)) === this.options.batch) { /* more to take */ }
    } catch (error) {
      // the submissions stay pending: the next kick or sweep retries them
      if (!this.stopped) console.warn(`daily quiz awards: ${(error as Error).message}`);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweep);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
