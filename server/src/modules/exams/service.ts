import { sql, type SQL } from 'drizzle-orm';
import type { CancelExam, CreateExam, Exam, ExamListQuery, ExamPage, MakeUpExam, Response, UpdateExam } from '../../../../contracts/exams.js';
import { isWithin, type Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { executePrepared, type Db, type Queryable, type Tx } from '../../platform/db.js';
import { conflict, forbidden, invalidField, invalidFields, notFound, type FieldProblem } from '../../platform/errors.js';
import { requireMember } from '../points/member-context.js';
import { awardPoints, reverseAwardsOf } from '../points/service.js';
import { scheduleExamOpening, unscheduleExamOpening } from '../reminders/exam-opening.js';
import { writeAttempt, writePaper, type AttemptHeader, type SavedAnswer, type WrittenAttempt, type WrittenPaper } from './attempt-json.js';
import { isCorrect, newSeed, responseFits, type QuestionSnapshot } from './grading.js';
import { drawVariants, findUsablePaper } from './papers.js';
import { GroupWriter } from './group-writer.js';
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
  is_auto_submitted: boolean; score: N | null; is_passed: boolean | null; title: string; total_score: N; pass_score: N; is_closed_book: boolean;
  answers: SavedRow[] | string; is_member: boolean; is_expired: boolean; is_closed: boolean; is_cancelled: boolean; answers_digest?: string;
} & Record<string, unknown>;
type SavedRow = { q: string; r: Response; c: boolean | null };

/**
 * An attempt of this member with its saved answers, in one query (the questions come from the
 * process's copy of the paper, openPaper); locked, with its exam key-shared, for grading.
 */
async function attemptRow(q: Queryable, id: string, memberId: string, lock = false, withDigest = false): Promise<AttemptRow | undefined> {
  return (await executePrepared<AttemptRow>(q, sql`
    select ${withDigest ? sql`${answersDigest(sql`a.id`)} as answers_digest, ` : sql``}a.id::text, a.exam_id::text, a.member_id::text, a.attempt_no, a.variant_no, a.seed, a.started_at, a.deadline_at, a.submitted_at, a.is_auto_submitted,
           a.score, a.is_passed, e.title, e.total_score, e.pass_score, e.is_closed_book,
           (select coalesce(json_agg(json_build_object('q', ans.question_id::text, 'r', ans.response, 'c', ans.is_correct)), '[]')
              from exam_answers ans where ans.attempt_id = a.id) as answers,
           exists (select 1 from members m where m.id = a.member_id and m.left_at is null) as is_member,
           (a.deadline_at <= now()) as is_expired, (e.closes_at <= now()) as is_closed, e.cancelled_at is not null as is_cancelled
      from exam_attempts a join exams e on e.id = a.exam_id
     where a.id = ${id} and a.member_id = ${memberId}${lock ? sql` for update of a for key share of e` : sql``}`))[0];
}

/** What an attempt's saved answers are, in one text: a submit graded from a read writes only if they are still the same. */
const answersDigest = (attemptId: SQL) => sql`(select coalesce(md5(string_agg(d.question_id::text || '=' || d.response::text, ',' order by d.question_id)), '')
   from exam_answers d where d.attempt_id = ${attemptId})`;

/** The acting member's id; an account without a member gets 403 (the queries check that they have not left). */
function memberIdOf(actor: Actor): string {
  if (!actor.memberId) throw forbidden('points.not_a_member');
  return actor.memberId;
}

/** An attempt of the acting member: 403 when they are no longer a member, 404 when it is not theirs or its exam was cancelled. */
async function myAttempt(q: Queryable, actor: Actor, id: string, lock = false, withDigest = false): Promise<AttemptRow> {
  const row = await attemptRow(q, id, memberIdOf(actor), lock, withDigest);
  if (!row) {
    await requireMember(q, actor);
    throw notFound('exam.attempt_not_found');
  }
  if (!row.is_member) throw forbidden('points.not_a_member');
  if (row.is_cancelled) throw notFound('exam.attempt_not_found');
  return row;
}

const savedOf = (row: AttemptRow) => new Map<string, SavedAnswer>(json(row.answers).map((a) => [a.q, { response: a.r, isCorrect: a.c }]));

function headerOf(row: AttemptRow): AttemptHeader {
  const isSubmitted = row.submitted_at != null;
  // closed-book: nothing that reveals answers or scores until the exam closes
  const isResultVisible = isSubmitted && (!row.is_closed_book || row.is_closed);
  return {
    id: row.id, examId: row.exam_id, examTitle: row.title, attemptNo: Number(row.attempt_no), startedAt: iso(row.started_at), deadlineAt: iso(row.deadline_at),
    submittedAt: row.submitted_at ? iso(row.submitted_at) : null, isAutoSubmitted: row.is_auto_submitted, status: isSubmitted ? 'submitted' : 'in_progress',
    isResultVisible, score: isResultVisible && row.score != null ? Number(row.score) : null, totalScore: Number(row.total_score),
    isPassed: isResultVisible ? row.is_passed : null,
  };
}

async function writtenAttemptOf(db: Db, row: AttemptRow, saved = savedOf(row)): Promise<WrittenAttempt> {
  return writeAttempt(headerOf(row), await openPaper(db, row.exam_id, Number(row.variant_no)), Number(row.seed), saved);
}

/** Marks each saved answer right or wrong (on the map it returns) and adds up the score. */
function gradeAnswers(attempt: AttemptRow, questions: QuestionSnapshot[]) {
  const saved = savedOf(attempt);
  let score = 0;
  const graded = questions.filter((q) => saved.has(q.id)).map((q) => {
    const answer = saved.get(q.id)!;
    answer.isCorrect = isCorrect(q, answer.response);
    if (answer.isCorrect) score += q.score;
    return { questionId: q.id, isCorrect: answer.isCorrect, score: answer.isCorrect ? q.score : 0 };
  });
  return { saved, score, isPassed: score >= Number(attempt.pass_score), graded };
}

/**
 * Grades the saved answers and closes the attempt: on submit (at now) or, once the member's own
 * deadline has passed, automatically (at the deadline, with what was saved in time). The attempt is
 * locked (attemptRow) and its answers were read with it; the grades, the score and the check for an
 * earlier pass are one statement. Answers the attempt as closed, or null when it was already.
 */
async function gradeAttempt(db: Db, tx: Tx, attempt: AttemptRow, mode: 'submit' | 'expire'): Promise<{ row: AttemptRow; saved: Map<string, SavedAnswer> } | null> {
  const { questions } = await openPaper(db, attempt.exam_id, Number(attempt.variant_no), tx);
  const { saved, score, isPassed, graded } = gradeAnswers(attempt, questions);
  const closed = (await tx.execute<{ submitted_at: Time; passed_before: boolean } & Record<string, unknown>>(sql`
    with closed as (
      update exam_attempts set score = ${score}, is_passed = ${isPassed}, submitted_at = ${mode === 'submit' ? sql`now()` : sql`deadline_at`},
             is_auto_submitted = ${mode === 'expire'}
       where id = ${attempt.id} and submitted_at is null
      returning id, submitted_at),
    marked as (
      update exam_answers ans set is_correct = g.correct, score = g.score
        from closed, unnest(${sql.param(graded.map((g) => g.questionId))}::bigint[], ${sql.param(graded.map((g) => g.isCorrect))}::boolean[],
                            ${sql.param(graded.map((g) => g.score))}::int[]) as g (question_id, correct, score)
       where ans.attempt_id = closed.id and ans.question_id = g.question_id)
    select closed.submitted_at,
           exists (select 1 from exam_attempts p where p.exam_id = ${attempt.exam_id} and p.member_id = ${attempt.member_id} and p.is_passed and p.id <> closed.id) as passed_before
      from closed`)).rows[0];
  if (!closed) return null;
  // the first pass of an exam earns points, later passes of the same exam do not; a cancelled exam
  // earns nothing, also when an expired attempt of it is graded afterwards
  if (isPassed && !attempt.is_cancelled && !closed.passed_before) {
    await awardPoints(tx, { memberId: attempt.member_id, rule: 'exam_pass', sourceType: 'exam_attempt', sourceId: attempt.id });
  }
  return { row: { ...attempt, submitted_at: closed.submitted_at, score, is_passed: isPassed, is_auto_submitted: mode === 'expire' }, saved };
}

/** Closes every attempt of these exams whose deadline has passed (results and absentees need it). */
export async function finalizeExpiredAttempts(db: Db, examIds: string[], attemptId?: string): Promise<void> {
  const expired = await db.execute<{ id: string; member_id: string } & Record<string, unknown>>(sql`
    select id::text, member_id::text from exam_attempts where exam_id in (${sql.join(examIds.map((x) => sql`${x}`), sql`, `)})
       and submitted_at is null and deadline_at <= now()${attemptId ? sql` and id = ${attemptId}` : sql``}`);
  for (const a of expired.rows) {
    await db.transaction(async (tx) => {
      const row = await attemptRow(tx, a.id, a.member_id, true);
      if (row && !row.submitted_at) await gradeAttempt(db, tx, row, 'expire');
    });
  }
}

export async function getAttempt(db: Db, actor: Actor, id: string): Promise<WrittenAttempt> {
  let row = await myAttempt(db, actor, id);
  if (!row.submitted_at && row.is_expired) {
    await finalizeExpiredAttempts(db, [row.exam_id], id);
    row = await myAttempt(db, actor, id);
  }
  return writtenAttemptOf(db, row);
}

/**
 * The papers of open exams, as this process read them and wrote them as JSON: a variant is drawn
 * when the exam is published and never changes (updateExam refuses once it opened; nothing updates
 * exam_variants), so thousands of members starting the same exam in the same second read it once
 * per process, not once each. `q` reads a paper not yet kept (an open transaction on PGlite must
 * read through itself).
 */
const openPapers = new WeakMap<Db, Map<string, WrittenPaper>>();
const OPEN_PAPERS_KEPT = 500;

async function openPaper(db: Db, examId: string, variantNo: number, q: Queryable = db): Promise<WrittenPaper> {
  let papers = openPapers.get(db);
  if (!papers) openPapers.set(db, papers = new Map());
  const key = `${examId}/${variantNo}`;
  const kept = papers.get(key);
  if (kept) return kept;
  const row = (await executePrepared<{ questions: QuestionSnapshot[] | string } & Record<string, unknown>>(q, sql`
    select questions from exam_variants where exam_id = ${examId} and variant_no = ${variantNo}`))[0];
  const paper = writePaper(json(row!.questions));
  if (papers.size >= OPEN_PAPERS_KEPT) papers.clear();
  papers.set(key, paper);
  return paper;
}

type StartRow = {
  n: N; is_member: boolean; is_called: boolean; title: string; total_score: N; max_attempts: N; is_open: boolean; is_upcoming: boolean;
  last_id: string | null; last_no: N | null; last_submitted: boolean | null; last_expired: boolean | null;
  id: string | null; attempt_no: N | null; variant_no: N | null; seed: N | null; started_at: Time | null; deadline_at: Time | null;
} & Record<string, unknown>;

interface StartRequest { examId: string; memberId: string; seed: number }

/**
 * Starts attempts of distinct members, each in one row of the statement: the exam open to that
 * participant (and they still a member), their last attempt, and the insert of a variant and a
 * seed for the order of questions and options. One prepared statement whatever the count (the
 * starts travel as arrays); the unique key (exam, member, attempt_no) keeps a double start to one
 * attempt, across statements and processes.
 */
async function insertStarts(db: Db, batch: StartRequest[]): Promise<StartRow[]> {
  const column = <T>(f: (s: StartRequest) => T) => sql.param(batch.map(f));
  const rows = await executePrepared<StartRow>(db, sql`
    with i as (
      select * from unnest(${column((s) => s.examId)}::bigint[], ${column((s) => s.memberId)}::bigint[], ${column((s) => s.seed)}::bigint[])
        with ordinality as i (exam_id, member_id, seed, n)),
    me as (
      select i.n from i join members m on m.id = i.member_id and m.left_at is null),
    e as (
      select i.n, e.id, e.title, e.total_score, e.max_attempts, e.variant_count, e.time_limit_minutes, e.closes_at,
             (now() >= e.opens_at and now() < e.closes_at) as is_open, now() < e.opens_at as is_upcoming
        from i join me using (n)
        join exams e on e.id = i.exam_id and e.cancelled_at is null
        join exam_participants p on p.exam_id = e.id and p.member_id = i.member_id),
    last as (
      select i.n, l.id, l.attempt_no, l.is_submitted, l.is_expired
        from i cross join lateral (
          select a.id, a.attempt_no, a.submitted_at is not null as is_submitted, a.deadline_at <= now() as is_expired
            from exam_attempts a where a.exam_id = i.exam_id and a.member_id = i.member_id order by a.attempt_no desc limit 1) l),
    started as (
      insert into exam_attempts (exam_id, member_id, attempt_no, variant_no, seed, deadline_at)
      select e.id, i.member_id, coalesce(last.attempt_no, 0) + 1, i.seed % e.variant_count, i.seed,
             least(now() + e.time_limit_minutes * interval '1 minute', e.closes_at)
        from e join i using (n) left join last using (n)
       where e.is_open and coalesce(last.is_submitted, true) and coalesce(last.attempt_no, 0) < e.max_attempts
      on conflict (exam_id, member_id, attempt_no) do nothing
      returning id, exam_id, member_id, attempt_no, variant_no, seed, started_at, deadline_at)
    select i.n, me.n is not null as is_member, e.n is not null as is_called, e.title, e.total_score, e.max_attempts, e.is_open, e.is_upcoming,
           last.id::text as last_id, last.attempt_no as last_no, last.is_submitted as last_submitted, last.is_expired as last_expired,
           started.id::text, started.attempt_no, started.variant_no, started.seed, started.started_at, started.deadline_at
      from i left join me using (n) left join e using (n) left join last using (n)
      left join started on started.exam_id = i.exam_id and started.member_id = i.member_id`);
  const byN = new Map(rows.map((r) => [Number(r.n), r]));
  return batch.map((_, k) => byN.get(k + 1)!);
}

/** Starts are written together (GroupWriter): a member's double start goes to two statements. */
const startWriters = new WeakMap<Db, GroupWriter<StartRequest, StartRow>>();
function startWriterOf(db: Db): GroupWriter<StartRequest, StartRow> {
  let writer = startWriters.get(db);
  if (!writer) startWriters.set(db, writer = new GroupWriter((batch) => insertStarts(db, batch), (s) => `${s.examId}/${s.memberId}`));
  return writer;
}

/**
 * Starts an attempt, or resumes the one under way. The paper was drawn when the exam was published,
 * so a start is one row of a shared insert (GroupWriter) and the paper, written once, comes from memory.
 */
export async function startAttempt(db: Db, actor: Actor, examId: string): Promise<{ attempt: WrittenAttempt; isResumed: boolean }> {
  const memberId = memberIdOf(actor);
  const start = await startWriterOf(db).add({ examId, memberId, seed: newSeed() });
  if (!start.is_member) throw forbidden('points.not_a_member');
  if (!start.is_called) throw notFound('exam.not_found');
  if (start.is_upcoming) throw conflict('exam.not_open');
  if (!start.is_open) throw conflict('exam.closed');
  if (start.id !== null) {
    const header: AttemptHeader = {
      id: start.id, examId, examTitle: start.title, attemptNo: Number(start.attempt_no), startedAt: iso(start.started_at!), deadlineAt: iso(start.deadline_at!),
      submittedAt: null, isAutoSubmitted: false, status: 'in_progress', isResultVisible: false, score: null, totalScore: Number(start.total_score), isPassed: null,
    };
    return { attempt: writeAttempt(header, await openPaper(db, examId, Number(start.variant_no)), Number(start.seed), new Map()), isResumed: false };
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
    select id::text from exam_attempts where exam_id = ${examId} and member_id = ${memberId} order by attempt_no desc limit 1`)).rows[0];
  if (!latest) throw conflict('exam.closed');
  return { attempt: await getAttempt(db, actor, latest.id), isResumed: true };
}

/** Saves one answer as the member goes; refused once the member's own deadline has passed. */
export async function saveAnswer(db: Db, actor: Actor, attemptId: string, questionId: string, response: Response): Promise<{ savedAt: string }> {
  const row = await myAttempt(db, actor, attemptId);
  if (row.submitted_at) throw conflict('exam.already_submitted');
  if (row.is_expired) throw conflict('exam.deadline_passed');
  const { questions } = await openPaper(db, row.exam_id, Number(row.variant_no));
  const question = questions.find((q) => q.id === questionId);
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

interface GradedSubmit { attemptId: string; memberId: string; score: number; digest: string; graded: { questionId: string; isCorrect: boolean; score: number }[] }

/**
 * Closes attempts graded from a read, together: each only if it is still open, before its deadline,
 * its exam not cancelled, and its answers exactly those graded (their digest); answers each one's
 * submission time, or null when it was not closed.
 */
async function closeGraded(db: Db, batch: GradedSubmit[]): Promise<(Time | null)[]> {
  const column = <T>(f: (s: GradedSubmit) => T) => sql.param(batch.map(f));
  const grades = batch.flatMap((s) => s.graded.map((g) => ({ attemptId: s.attemptId, ...g })));
  const grade = <T>(f: (g: (typeof grades)[number]) => T) => sql.param(grades.map(f));
  const rows = await executePrepared<{ id: string; submitted_at: Time } & Record<string, unknown>>(db, sql`
    with s as materialized (
      -- the digests first, by attempt: as a condition of the update's join they made PostgreSQL hash every open attempt
      select s.* from unnest(${column((x) => x.attemptId)}::bigint[], ${column((x) => x.memberId)}::bigint[], ${column((x) => x.score)}::int[],
                             ${column((x) => x.digest)}::text[]) as s (attempt_id, member_id, score, digest)
       where ${answersDigest(sql`s.attempt_id`)} = s.digest),
    closed as (
      update exam_attempts a set score = s.score, is_passed = false, submitted_at = now(), is_auto_submitted = false
        from s
       where a.id = s.attempt_id and a.member_id = s.member_id and a.submitted_at is null and a.deadline_at > now()
         and not exists (select 1 from exams e where e.id = a.exam_id and e.cancelled_at is not null)
      returning a.id, a.submitted_at),
    marked as (
      update exam_answers ans set is_correct = g.correct, score = g.score
        from closed, unnest(${grade((g) => g.attemptId)}::bigint[], ${grade((g) => g.questionId)}::bigint[], ${grade((g) => g.isCorrect)}::boolean[],
                            ${grade((g) => g.score)}::int[]) as g (attempt_id, question_id, correct, score)
       where g.attempt_id = closed.id and ans.attempt_id = closed.id and ans.question_id = g.question_id)
    select id::text, submitted_at from closed`);
  const byId = new Map(rows.map((r) => [r.id, r.submitted_at]));
  return batch.map((x) => byId.get(x.attemptId) ?? null);
}

const submitWriters = new WeakMap<Db, GroupWriter<GradedSubmit, Time | null>>();
function submitWriterOf(db: Db): GroupWriter<GradedSubmit, Time | null> {
  let writer = submitWriters.get(db);
  if (!writer) submitWriters.set(db, writer = new GroupWriter((batch) => closeGraded(db, batch), (x) => x.attemptId));
  return writer;
}

/**
 * Grades and closes the member's attempt, and answers it as it now is (without reading it back).
 *
 * When the whole exam submits in its last seconds, a submit that earns no points needs no transaction:
 * the attempt and its answers are read (one prepared statement), graded here, and written with the
 * other submits of the moment (closeGraded, one statement for them all). A submit
 * that earns points, or whose attempt changed in between, takes the locked transaction below: the
 * award reads the member's points under their advisory lock (awardPoints), which one statement cannot.
 */
export async function submitAttempt(db: Db, actor: Actor, attemptId: string): Promise<WrittenAttempt> {
  const row = await myAttempt(db, actor, attemptId, false, true);
  if (row.submitted_at) throw conflict('exam.already_submitted');
  if (row.is_expired) throw conflict('exam.deadline_passed');
  const { questions } = await openPaper(db, row.exam_id, Number(row.variant_no));
  const { saved, score, isPassed, graded } = gradeAnswers(row, questions);
  if (!isPassed) {
    const submittedAt = await submitWriterOf(db).add({ attemptId: row.id, memberId: row.member_id, score, digest: row.answers_digest!, graded });
    if (submittedAt !== null) return writtenAttemptOf(db, { ...row, submitted_at: submittedAt, score, is_passed: false }, saved);
  }
  return submitLocked(db, actor, attemptId);
}

async function submitLocked(db: Db, actor: Actor, attemptId: string): Promise<WrittenAttempt> {
  const closed = await db.transaction(async (tx) => {
    const row = await myAttempt(tx, actor, attemptId, true);
    if (row.submitted_at) throw conflict('exam.already_submitted');
    if (row.is_expired) throw conflict('exam.deadline_passed');
    const graded = await gradeAttempt(db, tx, row, 'submit');
    if (!graded) throw conflict('exam.already_submitted');
    return graded;
  });
  return writtenAttemptOf(db, closed.row, closed.saved);
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
