import { sql, type SQL } from 'drizzle-orm';
import type { Attempt, CancelExam, CreateExam, Exam, ExamListQuery, ExamPage, MakeUpExam, Response, UpdateExam } from '../../../../contracts/exams.js';
import { isWithin, type Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { executePrepared, type Db, type Queryable, type Tx } from '../../platform/db.js';
import { conflict, invalidField, invalidFields, notFound, type FieldProblem } from '../../platform/errors.js';
import { requireMember } from '../points/member-context.js';
import { awardPoints, reverseAwardsOf } from '../points/service.js';
import { scheduleExamOpening, unscheduleExamOpening } from '../reminders/exam-opening.js';
import { blankCountOf, isCorrect, newSeed, optionsFor, responseFits, shuffled, type QuestionSnapshot } from './grading.js';
import { drawVariants, findUsablePaper } from './papers.js';
import { canManage, managedExams } from './policy.js';
import { managedOrg } from '../../platform/org-scope.js';
import { pageLimit } from '../../platform/sql.js';

type N = number | string;
type Time = Date | string;
const iso = (v: Time) => new Date(v).toISOString();
const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

export type ExamRow = {
  id: string; org_id: string; org_name: string; org_path: string; paper_id: string; title: string; description: string | null;
  opens_at: Time; closes_at: Time; status: Exam['status']; time_limit_minutes: N; max_attempts: N; pass_score: N; total_score: N;
  is_closed_book: boolean; make_up_of: string | null; make_up_id: string | null; participant_count: N; variant_count: N;
  cancelled_at: Time | null; cancel_reason: string | null; total?: N;
} & Record<string, unknown>;

const examColumns = sql`e.id::text, e.org_id::text, o.name as org_name, e.org_path::text, e.paper_id::text, e.title, e.description, e.opens_at, e.closes_at,
  case when now() < e.opens_at then 'upcoming' when now() >= e.closes_at then 'closed' else 'open' end as status,
  e.time_limit_minutes, e.max_attempts, e.pass_score, e.total_score, e.is_closed_book, e.make_up_of::text,
  (select mu.id::text from exams mu where mu.make_up_of = e.id) as make_up_id,
  (select count(*) from exam_participants p where p.exam_id = e.id)::int as participant_count, e.variant_count, e.cancelled_at, e.cancel_reason`;

export const toExam = (r: ExamRow): Exam => ({
  id: r.id, orgId: r.org_id, orgName: r.org_name, paperId: r.paper_id, title: r.title, description: r.description, opensAt: iso(r.opens_at),
  closesAt: iso(r.closes_at), status: r.status, timeLimitMinutes: Number(r.time_limit_minutes), maxAttempts: Number(r.max_attempts),
  passScore: Number(r.pass_score), totalScore: Number(r.total_score), isClosedBook: r.is_closed_book, makeUpOf: r.make_up_of, makeUpId: r.make_up_id,
  participantCount: Number(r.participant_count), cancelledAt: r.cancelled_at ? iso(r.cancelled_at) : null, cancelReason: r.cancel_reason,
});

async function examRow(q: Queryable, id: string, lock = false): Promise<ExamRow | undefined> {
  return (await q.execute<ExamRow>(sql`select ${examColumns} from exams e join orgs o on o.id = e.org_id where e.id = ${id}${lock ? sql` for update of e` : sql``}`)).rows[0];
}

/** An exam the actor organizes (admin of its org); 404 otherwise. */
export async function findManagedExam(q: Queryable, actor: Actor, id: string, lock = false): Promise<ExamRow> {
  const row = await examRow(q, id, lock);
  if (!row || !canManage(actor, { orgPath: row.org_path })) throw notFound('exam.not_found');
  return row;
}

export async function listExams(db: Db, actor: Actor, query: ExamListQuery): Promise<ExamPage> {
  const conditions: SQL[] = [managedExams(actor)];
  if (query.status === 'upcoming') conditions.push(sql`now() < e.opens_at`);
  if (query.status === 'open') conditions.push(sql`now() >= e.opens_at and now() < e.closes_at`);
  if (query.status === 'closed') conditions.push(sql`now() >= e.closes_at`);
  const r = await db.execute<ExamRow>(sql`select ${examColumns}, count(*) over () as total from exams e join orgs o on o.id = e.org_id
    where ${sql.join(conditions, sql` and `)} order by e.opens_at desc, e.id desc ${pageLimit(query)}`);
  return { items: r.rows.map(toExam), total: Number(r.rows[0]?.total ?? 0), page: query.page, pageSize: query.pageSize };
}

/** Organizers see any exam of their subtree; a member sees the exams they are called to. */
export async function getExam(db: Db, actor: Actor, id: string): Promise<Exam> {
  const row = await examRow(db, id);
  if (!row) throw notFound('exam.not_found');
  if (!canManage(actor, { orgPath: row.org_path })) {
    if (row.cancelled_at) throw notFound('exam.not_found');
    const isParticipant = actor.memberId && (await db.execute(sql`select 1 from exam_participants where exam_id = ${id} and member_id = ${actor.memberId}`)).rows.length > 0;
    if (!isParticipant) throw notFound('exam.not_found');
  }
  return toExam(row);
}

/**
 * Checks that every participant org and member lies inside the organizing org (400 naming each
 * one that does not), then calls them to the exam; 400 when nobody is left.
 */
async function addParticipants(tx: Tx, examId: string, orgPath: string, input: { participantOrgIds: string[]; participantMemberIds: string[] }): Promise<number> {
  const problems: Record<string, FieldProblem> = {};
  const orgPaths: string[] = [];
  if (input.participantOrgIds.length) {
    const orgs = await tx.execute<{ id: string; path: string } & Record<string, unknown>>(sql`select id::text, path::text from orgs
      where id in (${sql.join(input.participantOrgIds.map((x) => sql`${x}`), sql`, `)}) and dissolved_at is null`);
    input.participantOrgIds.forEach((oid, i) => {
      const org = orgs.rows.find((o) => o.id === oid);
      if (!org || !isWithin(org.path, orgPath)) problems[`participantOrgIds.${i}`] = { key: 'exam.participant_outside_org' };
      else orgPaths.push(org.path);
    });
  }
  if (input.participantMemberIds.length) {
    const members = await tx.execute<{ id: string; org_path: string } & Record<string, unknown>>(sql`select id::text, org_path::text from members
      where id in (${sql.join(input.participantMemberIds.map((x) => sql`${x}`), sql`, `)}) and left_at is null`);
    input.participantMemberIds.forEach((mid, i) => {
      const m = members.rows.find((x) => x.id === mid);
      if (!m || !isWithin(m.org_path, orgPath)) problems[`participantMemberIds.${i}`] = { key: 'exam.participant_outside_org' };
    });
  }
  if (Object.keys(problems).length) throw invalidFields(problems);
  const byOrg = orgPaths.map((p) => sql`m.org_path <@ ${p}::ltree`);
  const byId = input.participantMemberIds.length ? [sql`m.id in (${sql.join(input.participantMemberIds.map((x) => sql`${x}`), sql`, `)})`] : [];
  const added = await tx.execute(sql`insert into exam_participants (exam_id, member_id, org_path)
    select ${examId}, m.id, m.org_path from members m where m.left_at is null and (${sql.join([...byOrg, ...byId], sql` or `)})
    on conflict do nothing returning member_id`);
  if (added.rows.length === 0) throw invalidField('participantOrgIds', 'exam.no_participants');
  return added.rows.length;
}

export async function createExam(db: Db, actor: Actor, input: CreateExam): Promise<Exam> {
  const id = await db.transaction(async (tx) => {
    const { path: orgPath } = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share', notFoundKey: 'question.org_not_found', dissolvedKey: 'question.org_not_found' });
    const paper = await findUsablePaper(tx, actor, input.paperId, 'paperId');
    const total = Number(paper.total_score);
    if (input.passScore > total) throw invalidField('passScore', 'exam.pass_score_too_high', { total });
    const variants = await drawVariants(tx, input.paperId);
    if (variants.some((v) => v.length < Number(paper.question_count))) throw invalidField('paperId', 'paper.quota_short', { available: Math.min(...variants.map((v) => v.length)) });
    const inserted = await tx.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into exams (org_id, org_path, paper_id, title, description, opens_at, closes_at, time_limit_minutes, max_attempts, pass_score, total_score,
                         is_closed_book, variant_count, created_by)
      values (${input.orgId}, ${orgPath}::ltree, ${input.paperId}, ${input.title}, ${input.description ?? null}, ${input.opensAt}::timestamptz,
              ${input.closesAt}::timestamptz, ${input.timeLimitMinutes}, ${input.maxAttempts}, ${input.passScore}, ${total}, ${input.isClosedBook},
              ${variants.length}, ${actor.userId})
      returning id::text`);
    const examId = inserted.rows[0]!.id;
    await tx.execute(sql`insert into exam_variants (exam_id, variant_no, questions) values
      ${sql.join(variants.map((v, i) => sql`(${examId}, ${i}, ${JSON.stringify(v)}::jsonb)`), sql`, `)}`);
    const participants = await addParticipants(tx, examId, orgPath, input);
    await scheduleExamOpening(tx, examId, input.opensAt);
    await audit(tx, actor, { action: 'exam.create', targetType: 'exam', targetId: examId, orgPath,
      detail: { title: input.title, opensAt: input.opensAt, closesAt: input.closesAt, participants } });
    return examId;
  });
  return toExam((await examRow(db, id))!);
}

/** Changes an exam before it opens; once a member could have started it, it stays as published. */
export async function updateExam(db: Db, actor: Actor, id: string, input: UpdateExam): Promise<Exam> {
  await db.transaction(async (tx) => {
    const exam = await findManagedExam(tx, actor, id, true);
    if (exam.cancelled_at) throw conflict('exam.cancelled');
    if (exam.status !== 'upcoming') throw conflict('exam.already_opened');
    const opensAt = input.opensAt ?? iso(exam.opens_at);
    const closesAt = input.closesAt ?? iso(exam.closes_at);
    if (Date.parse(closesAt) <= Date.parse(opensAt)) throw invalidField(input.closesAt ? 'closesAt' : 'opensAt', 'exam.closes_before_opens');
    const isChangingParticipants = input.participantOrgIds !== undefined || input.participantMemberIds !== undefined;
    if (isChangingParticipants && exam.make_up_of) throw invalidField('participantOrgIds', 'exam.make_up_participants_fixed');
    await tx.execute(sql`update exams set title = ${input.title ?? exam.title},
        description = ${input.description === undefined ? exam.description : input.description},
        opens_at = ${opensAt}::timestamptz, closes_at = ${closesAt}::timestamptz,
        time_limit_minutes = ${input.timeLimitMinutes ?? Number(exam.time_limit_minutes)}
      where id = ${id}`);
    let participants: number | undefined;
    if (isChangingParticipants) {
      await tx.execute(sql`delete from exam_participants where exam_id = ${id}`);
      participants = await addParticipants(tx, id, exam.org_path, { participantOrgIds: input.participantOrgIds ?? [], participantMemberIds: input.participantMemberIds ?? [] });
    }
    await scheduleExamOpening(tx, id, opensAt);
    await audit(tx, actor, { action: 'exam.update', targetType: 'exam', targetId: id, orgPath: exam.org_path,
      detail: { ...input, ...(participants === undefined ? {} : { participants }) } });
  });
  return toExam((await examRow(db, id))!);
}

/** Cancels an exam that has not closed: members no longer see it or its attempts; the organizer still does, with the reason. */
export async function cancelExam(db: Db, actor: Actor, id: string, input: CancelExam): Promise<Exam> {
  await db.transaction(async (tx) => {
    const exam = await findManagedExam(tx, actor, id, true);
    if (exam.cancelled_at) throw conflict('exam.cancelled');
    if (exam.status === 'closed') throw conflict('exam.closed_cannot_cancel');
    await tx.execute(sql`update exams set cancelled_at = now(), cancel_reason = ${input.reason} where id = ${id}`);
    await unscheduleExamOpening(tx, id);
    // a submit holds a key-share lock on the exam row (attemptRow), so every award of this exam has
    // committed before the lock above was granted, and none can follow the cancellation
    const reversed = await reverseAwardsOf(tx, actor, {
      sourceType: 'exam_attempt', sourceIds: sql`select a.id::text from exam_attempts a where a.exam_id = ${id}`, reason: `考试取消：${input.reason}`,
    });
    await audit(tx, actor, { action: 'exam.cancel', targetType: 'exam', targetId: id, orgPath: exam.org_path,
      detail: { title: exam.title, reason: input.reason, reversedEntries: reversed.entries, reversedPoints: reversed.points } });
  });
  return toExam((await examRow(db, id))!);
}

// ---------- the member's side ----------

export async function listMyExams(db: Db, actor: Actor) {
  const me = await requireMember(db, actor);
  const r = await db.execute<ExamRow & { used: N; in_progress: string | null; best: N | null }>(sql`
    select ${examColumns},
           (select count(*) from exam_attempts a where a.exam_id = e.id and a.member_id = ${me.id})::int as used,
           (select a.id::text from exam_attempts a where a.exam_id = e.id and a.member_id = ${me.id} and a.submitted_at is null and a.deadline_at > now() limit 1) as in_progress,
           (select max(a.score) from exam_attempts a where a.exam_id = e.id and a.member_id = ${me.id}) as best
      from exam_participants p join exams e on e.id = p.exam_id join orgs o on o.id = e.org_id
     where p.member_id = ${me.id} and e.cancelled_at is null order by e.opens_at desc, e.id desc limit 200`);
  return {
    items: r.rows.map((row) => {
      const { participantCount: _omit, cancelledAt: _c, cancelReason: _r, ...exam } = toExam(row);
      const visible = !row.is_closed_book || row.status === 'closed';
      return { ...exam, attemptsUsed: Number(row.used), inProgressAttemptId: row.in_progress, bestScore: visible && row.best != null ? Number(row.best) : null };
    }),
  };
}

type AttemptRow = {
  id: string; exam_id: string; member_id: string; attempt_no: N; variant_no: N; seed: N; started_at: Time; deadline_at: Time; submitted_at: Time | null;
  is_auto_submitted: boolean; score: N | null; is_passed: boolean | null; title: string; total_score: N; pass_score: N; closes_at: Time; is_closed_book: boolean;
  questions: QuestionSnapshot[] | string; is_expired: boolean; is_closed: boolean; is_cancelled: boolean;
} & Record<string, unknown>;

async function attemptRow(q: Queryable, id: string, memberId: string, lock = false): Promise<AttemptRow | undefined> {
  return (await q.execute<AttemptRow>(sql`
    select a.id::text, a.exam_id::text, a.member_id::text, a.attempt_no, a.variant_no, a.seed, a.started_at, a.deadline_at, a.submitted_at, a.is_auto_submitted,
           a.score, a.is_passed, e.title, e.total_score, e.pass_score, e.closes_at, e.is_closed_book, v.questions,
           (a.deadline_at <= now()) as is_expired, (e.closes_at <= now()) as is_closed, e.cancelled_at is not null as is_cancelled
      from exam_attempts a join exams e on e.id = a.exam_id join exam_variants v on v.exam_id = a.exam_id and v.variant_no = a.variant_no
     where a.id = ${id} and a.member_id = ${memberId}${lock ? sql` for update of a for key share of e` : sql``}`)).rows[0];
}

/**
 * Grades the saved answers and closes the attempt: on submit (at now) or, once the member's own
 * deadline has passed, automatically (at the deadline, with what was saved in time).
 */
async function gradeAttempt(tx: Tx, attempt: AttemptRow, mode: 'submit' | 'expire'): Promise<void> {
  const questions = json(attempt.questions);
  const saved = await tx.execute<{ question_id: string; response: string } & Record<string, unknown>>(sql`
    select question_id::text, response::text as response from exam_answers where attempt_id = ${attempt.id}`);
  const responses = new Map(saved.rows.map((r) => [r.question_id, JSON.parse(r.response) as Response]));
  let score = 0;
  const graded = questions.filter((q) => responses.has(q.id)).map((q) => {
    const correct = isCorrect(q, responses.get(q.id));
    if (correct) score += q.score;
    return sql`(${q.id}::bigint, ${correct}::boolean, ${correct ? q.score : 0}::int)`;
  });
  if (graded.length) {
    await tx.execute(sql`update exam_answers ans set is_correct = g.correct, score = g.score
      from (values ${sql.join(graded, sql`, `)}) as g (question_id, correct, score) where ans.attempt_id = ${attempt.id} and ans.question_id = g.question_id`);
  }
  const isPassed = score >= Number(attempt.pass_score);
  const updated = await tx.execute(sql`update exam_attempts set score = ${score}, is_passed = ${isPassed},
      submitted_at = ${mode === 'submit' ? sql`now()` : sql`deadline_at`}, is_auto_submitted = ${mode === 'expire'}
    where id = ${attempt.id} and submitted_at is null returning id`);
  // a cancelled exam earns nothing, also when an expired attempt of it is graded afterwards
  if (updated.rows.length && isPassed && !attempt.is_cancelled) {
    // the first pass of an exam earns points; later passes of the same exam do not
    const earlier = await tx.execute(sql`select 1 from exam_attempts where exam_id = ${attempt.exam_id} and member_id = ${attempt.member_id} and is_passed and id <> ${attempt.id}`);
    if (earlier.rows.length === 0) await awardPoints(tx, { memberId: attempt.member_id, rule: 'exam_pass', sourceType: 'exam_attempt', sourceId: attempt.id });
  }
}

/** Closes every attempt of these exams whose deadline has passed (results and absentees need it). */
export async function finalizeExpiredAttempts(db: Db, examIds: string[], attemptId?: string): Promise<void> {
  const expired = await db.execute<{ id: string; member_id: string } & Record<string, unknown>>(sql`
    select id::text, member_id::text from exam_attempts where exam_id in (${sql.join(examIds.map((x) => sql`${x}`), sql`, `)})
       and submitted_at is null and deadline_at <= now()${attemptId ? sql` and id = ${attemptId}` : sql``}`);
  for (const a of expired.rows) {
    await db.transaction(async (tx) => {
      const row = await attemptRow(tx, a.id, a.member_id, true);
      if (row && !row.submitted_at) await gradeAttempt(tx, row, 'expire');
    });
  }
}

function toAttempt(row: AttemptRow, saved: Map<string, { response: Response; isCorrect: boolean | null }>): Attempt {
  const seed = Number(row.seed);
  const isSubmitted = row.submitted_at != null;
  // closed-book: nothing that reveals answers or scores until the exam closes
  const isResultVisible = isSubmitted && (!row.is_closed_book || row.is_closed);
  return {
    id: row.id, examId: row.exam_id, examTitle: row.title, attemptNo: Number(row.attempt_no), startedAt: iso(row.started_at), deadlineAt: iso(row.deadline_at),
    submittedAt: row.submitted_at ? iso(row.submitted_at) : null, isAutoSubmitted: row.is_auto_submitted, status: isSubmitted ? 'submitted' : 'in_progress',
    isResultVisible, score: isResultVisible && row.score != null ? Number(row.score) : null, totalScore: Number(row.total_score),
    isPassed: isResultVisible ? row.is_passed : null,
    questions: shuffled(json(row.questions), seed).map((q) => ({
      id: q.id, type: q.type, stem: q.stem, score: q.score, options: optionsFor(q, seed), blankCount: blankCountOf(q),
      response: saved.get(q.id)?.response ?? null,
      isCorrect: isResultVisible ? (saved.get(q.id)?.isCorrect ?? false) : null,
      answer: isResultVisible ? q.answer : null,
      explanation: isResultVisible ? q.explanation : null,
    })),
  };
}

export async function getAttempt(db: Db, actor: Actor, id: string): Promise<Attempt> {
  const me = await requireMember(db, actor);
  let row = await attemptRow(db, id, me.id);
  if (!row || row.is_cancelled) throw notFound('exam.attempt_not_found');
  if (!row.submitted_at && row.is_expired) {
    await finalizeExpiredAttempts(db, [row.exam_id], id);
    row = (await attemptRow(db, id, me.id))!;
  }
  const saved = await db.execute<{ question_id: string; response: string; is_correct: boolean | null } & Record<string, unknown>>(sql`
    select question_id::text, response::text as response, is_correct from exam_answers where attempt_id = ${id}`);
  return toAttempt(row, new Map(saved.rows.map((r) => [r.question_id, { response: JSON.parse(r.response) as Response, isCorrect: r.is_correct }])));
}

/**
 * The papers of open exams, as this process read them: a variant is drawn when the exam is published
 * and never changes once the exam has opened (updateExam refuses), so thousands of members starting
 * the same exam in the same second read it once per process, not once each.
 */
const openPapers = new WeakMap<Db, Map<string, QuestionSnapshot[]>>();
const OPEN_PAPERS_KEPT = 500;

async function openPaper(db: Db, examId: string, variantNo: number): Promise<QuestionSnapshot[]> {
  let papers = openPapers.get(db);
  if (!papers) openPapers.set(db, papers = new Map());
  const key = `${examId}/${variantNo}`;
  const kept = papers.get(key);
  if (kept) return kept;
  const row = (await executePrepared<{ questions: QuestionSnapshot[] | string } & Record<string, unknown>>(db, sql`
    select questions from exam_variants where exam_id = ${examId} and variant_no = ${variantNo}`))[0];
  const questions = json(row!.questions);
  if (papers.size >= OPEN_PAPERS_KEPT) papers.clear();
  papers.set(key, questions);
  return questions;
}

type StartRow = {
  title: string; total_score: N; pass_score: N; closes_at: Time; is_closed_book: boolean; max_attempts: N; is_open: boolean; is_upcoming: boolean;
  last_id: string | null; last_no: N | null; last_submitted: boolean | null; last_expired: boolean | null;
  id: string | null; attempt_no: N | null; variant_no: N | null; seed: N | null; started_at: Time | null; deadline_at: Time | null;
} & Record<string, unknown>;

/**
 * Starts an attempt, or resumes the one under way. The paper was drawn when the exam was published,
 * so a start is one statement — the exam open to this participant, their last attempt, and the insert
 * of a variant and a seed for the order of questions and options — and the paper comes from memory.
 */
export async function startAttempt(db: Db, actor: Actor, examId: string): Promise<{ attempt: Attempt; isResumed: boolean }> {
  const me = await requireMember(db, actor);
  const seed = newSeed();
  const start = (await executePrepared<StartRow>(db, sql`
    with e as (
      select e.id, e.title, e.total_score, e.pass_score, e.closes_at, e.is_closed_book, e.max_attempts, e.variant_count, e.time_limit_minutes,
             (now() >= e.opens_at and now() < e.closes_at) as is_open, now() < e.opens_at as is_upcoming
        from exams e join exam_participants p on p.exam_id = e.id and p.member_id = ${me.id}
       where e.id = ${examId} and e.cancelled_at is null),
    last as (
      select a.id, a.attempt_no, a.submitted_at is not null as is_submitted, a.deadline_at <= now() as is_expired
        from exam_attempts a where a.exam_id = ${examId} and a.member_id = ${me.id} order by a.attempt_no desc limit 1),
    started as (
      insert into exam_attempts (exam_id, member_id, attempt_no, variant_no, seed, deadline_at)
      select e.id, ${me.id}, coalesce(last.attempt_no, 0) + 1, ${seed}::bigint % e.variant_count, ${seed},
             least(now() + e.time_limit_minutes * interval '1 minute', e.closes_at)
        from e left join last on true
       where e.is_open and coalesce(last.is_submitted, true) and coalesce(last.attempt_no, 0) < e.max_attempts
      on conflict (exam_id, member_id, attempt_no) do nothing
      returning id, attempt_no, variant_no, seed, started_at, deadline_at)
    select e.title, e.total_score, e.pass_score, e.closes_at, e.is_closed_book, e.max_attempts, e.is_open, e.is_upcoming,
           last.id::text as last_id, last.attempt_no as last_no, last.is_submitted as last_submitted, last.is_expired as last_expired,
           started.id::text, started.attempt_no, started.variant_no, started.seed, started.started_at, started.deadline_at
      from e left join last on true left join started on true`))[0];
  if (!start) throw notFound('exam.not_found');
  if (start.is_upcoming) throw conflict('exam.not_open');
  if (!start.is_open) throw conflict('exam.closed');
  if (start.id !== null) {
    const row: AttemptRow = {
      id: start.id, exam_id: examId, member_id: me.id, attempt_no: start.attempt_no!, variant_no: start.variant_no!, seed: start.seed!,
      started_at: start.started_at!, deadline_at: start.deadline_at!, submitted_at: null, is_auto_submitted: false, score: null, is_passed: null,
      title: start.title, total_score: start.total_score, pass_score: start.pass_score, closes_at: start.closes_at, is_closed_book: start.is_closed_book,
      questions: await openPaper(db, examId, Number(start.variant_no)), is_expired: false, is_closed: false, is_cancelled: false,
    };
    return { attempt: toAttempt(row, new Map()), isResumed: false };
  }
  if (start.last_id !== null && !start.last_submitted) {
    // under way: resume it; its time is up: grade what was saved, then a new attempt if one is left
    if (!start.last_expired) return { attempt: await getAttempt(db, actor, start.last_id), isResumed: true };
    await finalizeExpiredAttempts(db, [examId], start.last_id);
    return startAttempt(db, actor, examId);
  }
  if (Number(start.last_no ?? 0) >= Number(start.max_attempts)) throw conflict('exam.no_attempts_left', { max: Number(start.max_attempts) });
  // a double click started it twice: the first insert won, resume that one
  const latest = (await db.execute<{ id: string } & Record<string, unknown>>(sql`
    select id::text from exam_attempts where exam_id = ${examId} and member_id = ${me.id} order by attempt_no desc limit 1`)).rows[0];
  if (!latest) throw conflict('exam.closed');
  return { attempt: await getAttempt(db, actor, latest.id), isResumed: true };
}

/** Saves one answer as the member goes; refused once the member's own deadline has passed. */
export async function saveAnswer(db: Db, actor: Actor, attemptId: string, questionId: string, response: Response): Promise<{ savedAt: string }> {
  const me = await requireMember(db, actor);
  const row = await attemptRow(db, attemptId, me.id);
  if (!row || row.is_cancelled) throw notFound('exam.attempt_not_found');
  if (row.submitted_at) throw conflict('exam.already_submitted');
  if (row.is_expired) throw conflict('exam.deadline_passed');
  const question = json(row.questions).find((q) => q.id === questionId);
  if (!question) throw invalidField('questionId', 'exam.question_not_in_paper');
  if (!responseFits(question, response)) throw invalidField('response', 'exam.response_shape');
  // the deadline is checked again by the write itself, against the database clock
  const saved = await db.execute<{ answered_at: Time } & Record<string, unknown>>(sql`
    insert into exam_answers (attempt_id, question_id, response)
    select a.id, ${questionId}, ${JSON.stringify(response)}::jsonb from exam_attempts a
     where a.id = ${attemptId} and a.submitted_at is null and a.deadline_at > now()
    on conflict (attempt_id, question_id) do update set response = excluded.response, answered_at = now()
    returning answered_at`);
  if (!saved.rows[0]) throw conflict('exam.deadline_passed');
  return { savedAt: iso(saved.rows[0].answered_at) };
}

export async function submitAttempt(db: Db, actor: Actor, attemptId: string): Promise<Attempt> {
  const me = await requireMember(db, actor);
  await db.transaction(async (tx) => {
    const row = await attemptRow(tx, attemptId, me.id, true);
    if (!row || row.is_cancelled) throw notFound('exam.attempt_not_found');
    if (row.submitted_at) throw conflict('exam.already_submitted');
    if (row.is_expired) throw conflict('exam.deadline_passed');
    await gradeAttempt(tx, row, 'submit');
  });
  return getAttempt(db, actor, attemptId);
}

// ---------- after the window closes ----------

type AbsenteeRow = { member_id: string; member_name: string; org_name: string } & Record<string, unknown>;

async function absenteesOf(q: Queryable, examId: string): Promise<AbsenteeRow[]> {
  return (await q.execute<AbsenteeRow>(sql`
    select p.member_id::text, m.name as member_name, coalesce(o.name, '') as org_name
      from exam_participants p join members m on m.id = p.member_id left join orgs o on o.path = p.org_path
     where p.exam_id = ${examId} and not exists (select 1 from exam_attempts a where a.exam_id = p.exam_id and a.member_id = p.member_id)
     order by p.org_path, p.member_id`)).rows;
}

export async function listAbsentees(db: Db, actor: Actor, examId: string) {
  const exam = await findManagedExam(db, actor, examId);
  if (exam.status !== 'closed') throw conflict('exam.not_closed');
  const rows = await absenteesOf(db, examId);
  return { items: rows.map((r) => ({ memberId: r.member_id, memberName: r.member_name, orgName: r.org_name })) };
}

/** 补考: the same papers, a new window, and exactly the members who never started the exam. */
export async function issueMakeUpExam(db: Db, actor: Actor, examId: string, input: MakeUpExam): Promise<Exam> {
  const id = await db.transaction(async (tx) => {
    const exam = await findManagedExam(tx, actor, examId, true);
    if (exam.cancelled_at) throw conflict('exam.cancelled');
    if (exam.status !== 'closed') throw conflict('exam.not_closed');
    if (exam.make_up_of) throw conflict('exam.make_up_of_make_up');
    if (exam.make_up_id) throw conflict('exam.make_up_exists');
    const absentees = await absenteesOf(tx, examId);
    if (absentees.length === 0) throw conflict('exam.no_absentees');
    const inserted = await tx.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into exams (org_id, org_path, paper_id, title, description, opens_at, closes_at, time_limit_minutes, max_attempts, pass_score, total_score,
                         is_closed_book, variant_count, make_up_of, created_by)
      select org_id, org_path, paper_id, ${input.title ?? `${exam.title}（补考）`}, description, ${input.opensAt}::timestamptz, ${input.closesAt}::timestamptz,
             ${input.timeLimitMinutes ?? Number(exam.time_limit_minutes)}, max_attempts, pass_score, total_score, is_closed_book, variant_count, id, ${actor.userId}
        from exams where id = ${examId}
      returning id::text`);
    const makeUpId = inserted.rows[0]!.id;
    await tx.execute(sql`insert into exam_variants (exam_id, variant_no, questions) select ${makeUpId}, variant_no, questions from exam_variants where exam_id = ${examId}`);
    await scheduleExamOpening(tx, makeUpId, input.opensAt);
    await tx.execute(sql`insert into exam_participants (exam_id, member_id, org_path)
      select ${makeUpId}, p.member_id, p.org_path from exam_participants p
       where p.exam_id = ${examId} and not exists (select 1 from exam_attempts a where a.exam_id = p.exam_id and a.member_id = p.member_id)`);
    await audit(tx, actor, { action: 'exam.issue_make_up', targetType: 'exam', targetId: makeUpId, orgPath: exam.org_path,
      detail: { makeUpOf: examId, participants: absentees.map((a) => a.member_id), opensAt: input.opensAt, closesAt: input.closesAt } });
    return makeUpId;
  });
  return toExam((await examRow(db, id))!);
}
