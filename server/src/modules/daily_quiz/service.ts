import { sql } from 'drizzle-orm';
import type { DailyQuizToday, DailySubmission, Participation, ParticipationQuery, SubmitDailyQuiz, UpdateDailyQuizSettings } from '../../../../contracts/daily_quiz.js';
import type { Response } from '../../../../contracts/exams.js';
import type { Actor } from '../../platform/actor.js';
import { managedOrg } from '../../platform/org-scope.js';
import { audit } from '../../platform/audit.js';
import { executePrepared, type Database, type Db, type Queryable } from '../../platform/db.js';
import { conflict, forbidden, invalidField, notFound } from '../../platform/errors.js';
import { addDays, requireMember, weekStartOf } from '../points/member-context.js';
import { pointsUnderCaps, ruleOf, usedOf } from '../points/service.js';
import { blankCountOf, isCorrect, optionsFor, responseFits, seedOf, shuffled, type QuestionSnapshot } from '../exams/grading.js';
import { listDailyQuestionIds, loadSnapshots } from '../exams/questions.js';
import { canConfigureQuiz, canViewParticipation } from './policy.js';
import './messages.js';
import { todayInChina } from '../../../../contracts/china-time.js';

type N = number | string;

/** A week's bank: frozen on first use, so the whole week draws from one list. */
interface WeekBank { questionIds: string[]; questionsPerDay: number }

// Per database handle (tests run several servers in one process). Week banks never change once
// written; question content is re-read after a minute so bank edits show up promptly.
const QUESTION_TTL_MS = 60_000;
interface Cache { weeks: Map<string, WeekBank>; questions: Map<string, { snapshot: QuestionSnapshot; at: number }> }
const caches = new WeakMap<object, Cache>();
function cacheOf(db: Db): Cache {
  let cache = caches.get(db);
  if (!cache) { cache = { weeks: new Map(), questions: new Map() }; caches.set(db, cache); }
  return cache;
}

async function weekBank(db: Db, weekStart: string): Promise<WeekBank> {
  const cache = cacheOf(db);
  const cached = cache.weeks.get(weekStart);
  if (cached) return cached;
  const read = async () => (await db.execute<{ question_ids: (string | number)[]; questions_per_day: N } & Record<string, unknown>>(sql`
    select question_ids::text[] as question_ids, questions_per_day from daily_quiz_weeks where week_start = ${weekStart}::date`)).rows[0];
  let row = await read();
  if (!row) {
    const ids = await listDailyQuestionIds(db);
    // an empty bank is not frozen: questions added later this week still count
    if (ids.length === 0) return { questionIds: [], questionsPerDay: 0 };
    await db.execute(sql`insert into daily_quiz_weeks (week_start, question_ids, questions_per_day)
      select ${weekStart}::date, ${`{${ids.join(',')}}`}::bigint[], questions_per_day from daily_quiz_settings where id = 1
      on conflict (week_start) do nothing`);
    row = (await read())!;
  }
  const bank = { questionIds: row.question_ids.map(String), questionsPerDay: Number(row.questions_per_day) };
  cache.weeks.set(weekStart, bank);
  return bank;
}

/**
 * A member's questions for a day: a pure function of (member, date, the week's bank). The bank
 * is shuffled once per member and week and each weekday takes the next slice, so nothing repeats
 * within the week while the bank has at least 7 × N questions.
 */
export function questionIdsFor(memberId: string, date: string, bank: WeekBank): string[] {
  const count = Math.min(bank.questionsPerDay, bank.questionIds.length);
  if (count === 0) return [];
  const weekStart = weekStartOf(date);
  const order = shuffled(bank.questionIds, seedOf(`${memberId}:${weekStart}`));
  const weekday = Math.round((Date.parse(date) - Date.parse(weekStart)) / 86_400_000);
  return Array.from({ length: count }, (_, i) => order[(weekday * count + i) % order.length]!);
}

async function snapshots(db: Db, ids: string[]): Promise<QuestionSnapshot[]> {
  const cache = cacheOf(db).questions;
  const now = Date.now();
  const missing = ids.filter((id) => { const hit = cache.get(id); return !hit || now - hit.at > QUESTION_TTL_MS; });
  if (missing.length) for (const [id, snapshot] of await loadSnapshots(db, missing)) cache.set(id, { snapshot, at: now });
  return ids.map((id) => cache.get(id)?.snapshot).filter((q): q is QuestionSnapshot => q !== undefined);
}

async function todaysQuestions(db: Db, memberId: string, date: string): Promise<QuestionSnapshot[]> {
  return snapshots(db, questionIdsFor(memberId, date, await weekBank(db, weekStartOf(date))));
}

type SubmissionRow = { id: string; quiz_date: string; submitted_at: Date | string; correct_count: N; question_count: N; streak: N; answers: string; points: N } & Record<string, unknown>;

function toSubmission(row: SubmissionRow, questions: QuestionSnapshot[]): DailySubmission {
  const answers = JSON.parse(row.answers) as { questionId: string; response: Response }[];
  return {
    id: row.id, date: row.quiz_date, submittedAt: new Date(row.submitted_at).toISOString(), correctCount: Number(row.correct_count),
    questionCount: Number(row.question_count), points: Number(row.points), streak: Number(row.streak),
    results: questions.map((q) => {
      const response = answers.find((a) => a.questionId === q.id)?.response ?? null;
      return { questionId: q.id, response, isCorrect: isCorrect(q, response), answer: q.answer, explanation: q.explanation };
    }),
  };
}

export async function getToday(db: Db, actor: Actor): Promise<DailyQuizToday> {
  const me = await requireMember(db, actor);
  const date = todayInChina();
  const questions = await todaysQuestions(db, me.id, date);
  const rows = (await db.execute<SubmissionRow>(sql`
    select s.id::text, s.quiz_date::text, s.submitted_at, s.correct_count, s.question_count, s.streak, s.answers::text as answers,
           coalesce(s.points, (select sum(l.points) from points_ledger l where l.rule = 'daily_quiz_correct' and l.source_type = 'daily_quiz_submission' and l.source_id = s.id::text), 0)::int as points
      from daily_quiz_submissions s where s.member_id = ${me.id} and s.quiz_date in (${date}::date, ${addDays(date, -1)}::date) order by s.quiz_date desc`)).rows;
  const today = rows.find((r) => r.quiz_date === date);
  const seed = seedOf(`${me.id}:${date}`);
  return {
    date,
    questions: questions.map((q) => ({ id: q.id, type: q.type, stem: q.stem, options: optionsFor(q, seed), blankCount: blankCountOf(q) })),
    streak: Number((today ?? rows[0])?.streak ?? 0),
    submission: today ? toSubmission(today, questions) : null,
  };
}

/**
 * The hot path (tens of thousands of members in a morning): the day's set is computed, not
 * read; grading is in memory; then the submission and its ledger entry are written by the
 * process's submission writer (below), with those of the other members submitting at that moment.
 * The unique key (member_id, quiz_date) turns a second submission into a 409 without a race,
 * and, being one per member and day, also keeps the rule's cap safe without a lock.
 */
export async function submit(database: Database, actor: Actor, input: SubmitDailyQuiz): Promise<DailySubmission> {
  const { db } = database;
  if (!actor.memberId) throw forbidden('points.not_a_member');
  const memberId = actor.memberId;
  const date = todayInChina();
  const questions = await todaysQuestions(db, memberId, date);
  if (questions.length === 0) throw conflict('daily_quiz.no_questions');
  const seen = new Set<string>();
  let correct = 0;
  input.answers.forEach((a, i) => {
    const q = questions.find((x) => x.id === a.questionId);
    if (!q) throw invalidField(`answers.${i}.questionId`, 'daily_quiz.question_not_in_set');
    if (seen.has(a.questionId)) throw invalidField(`answers.${i}.questionId`, 'daily_quiz.duplicate_answer');
    seen.add(a.questionId);
    if (!responseFits(q, a.response)) throw invalidField(`answers.${i}.response`, 'exam.response_shape');
    if (isCorrect(q, a.response)) correct++;
  });
  const row = await writerOf(database).write({ memberId, date, answers: JSON.stringify(input.answers), correct, questionCount: questions.length });
  if (!row) {
    const isMember = (await db.execute(sql`select 1 from members where id = ${memberId} and left_at is null`)).rows.length > 0;
    throw isMember ? conflict('daily_quiz.already_submitted') : forbidden('points.not_a_member');
  }
  return toSubmission(row, questions);
}

interface NewSubmission { memberId: string; date: string; answers: string; correct: number; questionCount: number }
interface Waiting extends NewSubmission { resolve(row: SubmissionRow | undefined): void; reject(error: unknown): void }

/**
 * Group commit: a submission that arrives while earlier ones are being written waits for the
 * next statement, which writes all that have gathered (one INSERT, one commit, one WAL flush).
 * Alone, a submission is written at once; under load, many share a statement. One statement runs
 * at a time per process: the statements of a batch lock the same rows (the points totals of the
 * members' orgs and their ancestors), so concurrent ones mostly wait for each other. Measured on
 * 2026-12-07 (BENCH_ONLY='daily quiz', two runs each), three statements at a time against one:
 * one process 1,907 / 1,787 → 2,016 / 2,450 req/s; two processes 1,102 / 985 → 1,564 / 1,699 req/s,
 * with PostgreSQL's CPU a submission 853 / 940 → 482 / 450 µs.
 * A member's second submission never shares a statement with the first: it waits for the next
 * one, where the unique key refuses it.
 */
const MAX_BATCH = 500;
class SubmissionWriter {
  private waiting: Waiting[] = [];
  private running = 0;
  private readonly db: Db;
  private readonly maxStatements = 1;
  constructor(database: Database) {
    this.db = database.db;
  }

  write(submission: NewSubmission): Promise<SubmissionRow | undefined> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ...submission, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.maxStatements && this.waiting.length > 0) {
      const members = new Set<string>();
      const batch: Waiting[] = [];
      const later: Waiting[] = [];
      for (const w of this.waiting) {
        if (batch.length < MAX_BATCH && !members.has(w.memberId)) { members.add(w.memberId); batch.push(w); } else later.push(w);
      }
      this.waiting = later;
      this.running++;
      void this.run(batch).finally(() => { this.running--; this.pump(); });
    }
  }

  private async run(batch: Waiting[]): Promise<void> {
    try {
      const rows = await insertSubmissions(this.db, batch);
      const byMember = new Map(rows.map((r) => [r.member_id, r]));
      for (const w of batch) w.resolve(byMember.get(w.memberId));
    } catch (error) {
      // one bad submission must not fail the others: alone, each gets its own answer (one after
      // another, so the retries keep within this writer's share of the pool)
      if (batch.length === 1) { batch[0]!.reject(error); return; }
      for (const w of batch) {
        try { w.resolve((await insertSubmissions(this.db, [w]))[0]); } catch (e) { w.reject(e); }
      }
    }
  }
}

const writers = new WeakMap<object, SubmissionWriter>();
function writerOf(database: Database): SubmissionWriter {
  let writer = writers.get(database.db);
  if (!writer) { writer = new SubmissionWriter(database); writers.set(database.db, writer); }
  return writer;
}

/**
 * The submissions of distinct members, each with its streak and the points it earns by the rule and
 * its caps over the ledger, and their ledger entries (whose per-period totals trigger runs once for
 * the statement). One prepared statement whatever the count: the rows travel as arrays. A member is
 * in a statement at most once and submits once a day (the unique key), so the caps read in the
 * statement cannot be raced by another submission of theirs.
 */
async function insertSubmissions(db: Db, batch: NewSubmission[]): Promise<(SubmissionRow & { member_id: string })[]> {
  // each column as one array parameter (a bare array would be spread into a list of parameters)
  const column = <T>(f: (s: NewSubmission) => T) => sql.param(batch.map(f));
  const week = { from: sql`w.week_start`, to: sql`w.week_start + 6` };
  return executePrepared<SubmissionRow & { member_id: string }>(db, sql`
    with rule as (${ruleOf('daily_quiz_correct')}),
    added as (
      insert into daily_quiz_submissions (member_id, org_path, quiz_date, answers, correct_count, question_count, streak, points)
      select m.id, m.org_path, i.quiz_date, i.answers::jsonb, i.correct, i.question_count,
             coalesce((select y.streak from daily_quiz_submissions y where y.member_id = m.id and y.quiz_date = i.quiz_date - 1), 0) + 1,
             (select ${pointsUnderCaps(sql`i.correct`)} from rule, lateral (${usedOf(sql`m.id`, 'daily_quiz_correct', sql`i.quiz_date`, week)}) used
               where i.correct > 0)
        from unnest(${column((s) => s.memberId)}::bigint[], ${column((s) => s.date)}::date[], ${column((s) => s.answers)}::text[],
                    ${column((s) => s.correct)}::int[], ${column((s) => s.questionCount)}::int[]) as i (member_id, quiz_date, answers, correct, question_count)
        cross join lateral (select date_trunc('week', i.quiz_date::timestamp)::date as week_start) w
        join members m on m.id = i.member_id and m.left_at is null
      on conflict (member_id, quiz_date) do nothing
      returning *
    ), awarded as (
      insert into points_ledger (member_id, org_path, rule, source_type, source_id, points, occurred_on)
      select member_id, org_path, 'daily_quiz_correct', 'daily_quiz_submission', id::text, points, quiz_date
        from added where points is not null order by id
      on conflict (rule, source_type, source_id) do nothing
    )
    select member_id::text, id::text, quiz_date::text, submitted_at, correct_count, question_count, streak, answers::text as answers, coalesce(points, 0) as points
      from added`);
}

export async function getSettings(db: Queryable) {
  const r = await db.execute<{ questions_per_day: N; bank_size: N } & Record<string, unknown>>(sql`
    select questions_per_day, (select count(*) from questions where is_daily and archived_at is null)::int as bank_size from daily_quiz_settings where id = 1`);
  return { questionsPerDay: Number(r.rows[0]!.questions_per_day), bankSize: Number(r.rows[0]!.bank_size) };
}

/** Takes effect from next week: this week's bank was frozen with its own count. */
export async function updateSettings(db: Db, actor: Actor, input: UpdateDailyQuizSettings) {
  if (!canConfigureQuiz(actor)) throw forbidden();
  await db.transaction(async (tx) => {
    const before = await getSettings(tx);
    await tx.execute(sql`update daily_quiz_settings set questions_per_day = ${input.questionsPerDay}, updated_at = now() where id = 1`);
    await audit(tx, actor, { action: 'daily_quiz.settings_update', targetType: 'daily_quiz_settings', targetId: '1', detail: { before: before.questionsPerDay, after: input.questionsPerDay } });
  });
  return getSettings(db);
}

/** Of each org under the chosen one: how many members answered that day. */
export async function participation(db: Db, actor: Actor, query: ParticipationQuery): Promise<Participation> {
  const date = query.date ?? todayInChina();
  let org: { id: string; path: string; name: string } | undefined;
  if (query.orgId) {
    org = await managedOrg(db, actor, query.orgId, { allowDissolved: true, notFoundKey: 'daily_quiz.org_not_found' });
  } else {
    const root = actor.adminPaths[0] ?? (actor.isPlatformAdmin ? null : undefined);
    if (root !== undefined) org = (await db.execute<{ id: string; path: string; name: string } & Record<string, unknown>>(sql`
      select id::text, path::text, name from orgs where ${root === null ? sql`parent_id is null` : sql`path = ${root}::ltree`} order by id limit 1`)).rows[0];
  }
  if (!org || !canViewParticipation(actor, org)) throw notFound('daily_quiz.org_not_found');
  // the subtree's members and the day's submissions are read once, then counted per line
  const r = await db.execute<{ id: string; name: string; member_count: N; submitted_count: N; is_self: boolean } & Record<string, unknown>>(sql`
    with scoped as materialized (select m.id, m.org_path from members m where m.org_path <@ ${org.path}::ltree and m.left_at is null),
         done as materialized (select sm.org_path from daily_quiz_submissions s join scoped sm on sm.id = s.member_id where s.quiz_date = ${date}::date)
    select o.id::text, o.name, o.id = ${org.id} as is_self,
           (select count(*) from scoped sm where sm.org_path <@ o.path)::int as member_count,
           (select count(*) from done d where d.org_path <@ o.path)::int as submitted_count
      from orgs o where (o.id = ${org.id} or o.parent_id = ${org.id}) and o.dissolved_at is null
     order by o.id = ${org.id} desc, o.sort_order, o.id`);
  const line = (x: (typeof r.rows)[number]) => ({
    orgId: x.id, orgName: x.name, memberCount: Number(x.member_count), submittedCount: Number(x.submitted_count),
    rate: Number(x.member_count) ? Math.round((Number(x.submitted_count) / Number(x.member_count)) * 10_000) / 10_000 : 0,
  });
  const self = r.rows.find((x) => x.is_self);
  if (!self) throw notFound('daily_quiz.org_not_found');
  return { date, total: line(self), items: r.rows.filter((x) => !x.is_self).map(line) };
}
