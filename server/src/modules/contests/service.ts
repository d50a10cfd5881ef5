import { EventEmitter } from 'node:events';
import { sql } from 'drizzle-orm';
import type { CancelContest, Contest, ContestLeaderboard, ContestResults, CreateContest, Entry, SubmitEntry, UpdateContest } from '../../../../contracts/contests.js';
import { isWithin, type Actor } from '../../platform/actor.js';
import { managedOrg } from '../../platform/org-scope.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable, Tx } from '../../platform/db.js';
import { conflict, invalidField, invalidFields, notFound, type FieldProblem } from '../../platform/errors.js';
import { loadMemberContext, requireMember, type MemberContext } from '../points/member-context.js';
import { awardPoints, reverseAwardsOf } from '../points/service.js';
import { blankCountOf, isCorrect, newSeed, optionsFor, responseFits, shuffled, type QuestionSnapshot } from '../exams/grading.js';
import { drawVariants, findUsablePaper } from '../exams/papers.js';
import { canOrganize, isEntrant, visibleContests as visible } from './policy.js';
import './messages.js';
import { pageLimit } from '../../platform/sql.js';

type N = number | string;
type Time = Date | string;
const iso = (v: Time | null) => (v == null ? null : new Date(v).toISOString());
const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

/** Submissions announce themselves here; live leaderboards listening in this process refresh at once. */
export const contestEvents = new EventEmitter();
contestEvents.setMaxListeners(0);

type ContestRow = {
  id: string; org_id: string; org_path: string; title: string; starts_at: Time; ends_at: Time; status: Contest['status']; time_limit_seconds: N; entry_count: N;
  my_id: string | null; my_submitted: Time | null; my_score: N | null; my_duration: N | null; my_rank: N | null; is_entrant: boolean; total?: N;
  paper_id: string; orgs: Contest['orgs'] | string; cancelled_at: Time | null; cancel_reason: string | null;
} & Record<string, unknown>;

const contestColumns = (me: MemberContext | null) => sql`c.id::text, c.org_id::text, c.org_path::text, c.title, c.starts_at, c.ends_at, c.time_limit_seconds,
  case when now() < c.starts_at then 'upcoming' when now() >= c.ends_at then 'closed' else 'open' end as status,
  (select count(*) from contest_entries e where e.contest_id = c.id and e.submitted_at is not null)::int as entry_count,
  me.id::text as my_id, me.submitted_at as my_submitted, me.score as my_score, me.duration_ms as my_duration,
  case when me.submitted_at is not null then (select count(*) + 1 from contest_entries x where x.contest_id = c.id and x.submitted_at is not null
    and (x.score > me.score or (x.score = me.score and x.duration_ms < me.duration_ms))) end::int as my_rank,
  ${me ? isEntrant(me.orgPath) : sql`false`} as is_entrant, c.paper_id::text, c.cancelled_at, c.cancel_reason,
  (select coalesce(jsonb_agg(jsonb_build_object('orgId', co.org_id::text, 'orgName', o.name, 'includeSubtree', co.include_subtree) order by co.org_path), '[]'::jsonb)
     from contest_orgs co join orgs o on o.id = co.org_id where co.contest_id = c.id) as orgs`;
const contestFrom = (memberId: string | null) => sql`from contests c left join contest_entries me on me.contest_id = c.id and me.member_id = ${memberId}`;

const toContest = (actor: Actor, r: ContestRow): Contest => ({
  id: r.id, orgId: r.org_id, title: r.title, startsAt: iso(r.starts_at)!, endsAt: iso(r.ends_at)!, status: r.status, timeLimitSeconds: Number(r.time_limit_seconds),
  entryCount: Number(r.entry_count),
  myEntry: r.my_id ? { id: r.my_id, status: r.my_submitted ? 'submitted' : 'in_progress', score: r.my_score == null ? null : Number(r.my_score), durationMs: r.my_duration == null ? null : Number(r.my_duration),
    rank: r.my_rank == null ? null : Number(r.my_rank) } : null,
  isOrganizer: canOrganize(actor, { orgPath: r.org_path }),
  isEntrant: r.is_entrant,
  paperId: r.paper_id,
  orgs: json(r.orgs),
  cancelledAt: iso(r.cancelled_at),
  cancelReason: r.cancel_reason,
});

async function findContest(q: Queryable, actor: Actor, me: MemberContext | null, id: string): Promise<ContestRow> {
  const r = await q.execute<ContestRow>(sql`select ${contestColumns(me)} ${contestFrom(me?.id ?? null)} where c.id = ${id} and ${visible(actor, me)}`);
  if (!r.rows[0]) throw notFound('contest.not_found');
  return r.rows[0];
}

const viewer = async (db: Queryable, actor: Actor) => (actor.memberId ? loadMemberContext(db, actor.memberId) : null);

export async function listContests(db: Db, actor: Actor, page: { page: number; pageSize: number }) {
  const me = await viewer(db, actor);
  const r = await db.execute<ContestRow>(sql`select ${contestColumns(me)}, count(*) over () as total ${contestFrom(me?.id ?? null)} where ${visible(actor, me)}
    order by c.starts_at desc, c.id desc ${pageLimit(page)}`);
  return { items: r.rows.map((row) => toContest(actor, row)), total: Number(r.rows[0]?.total ?? 0), page: page.page, pageSize: page.pageSize };
}

export async function getContest(db: Db, actor: Actor, id: string): Promise<Contest> {
  return toContest(actor, await findContest(db, actor, await viewer(db, actor), id));
}

export async function createContest(db: Db, actor: Actor, input: CreateContest): Promise<Contest> {
  const id = await db.transaction(async (tx) => {
    const { path: orgPath } = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share', notFoundKey: 'question.org_not_found', dissolvedKey: 'question.org_not_found' });
    await findUsablePaper(tx, actor, input.paperId, 'paperId');
    const orgPaths = await entrantOrgPaths(tx, orgPath, input.orgs);
    const variants = await drawVariants(tx, input.paperId);
    const r = await tx.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into contests (org_id, org_path, paper_id, title, starts_at, ends_at, time_limit_seconds, variants, created_by)
      values (${input.orgId}, ${orgPath}::ltree, ${input.paperId}, ${input.title}, ${input.startsAt}::timestamptz, ${input.endsAt}::timestamptz,
              ${input.timeLimitSeconds}, ${JSON.stringify(variants)}::jsonb, ${actor.userId}) returning id::text`);
    const contestId = r.rows[0]!.id;
    await insertEntrantOrgs(tx, contestId, input.orgs, orgPaths);
    await audit(tx, actor, { action: 'contest.create', targetType: 'contest', targetId: contestId, orgPath, detail: { title: input.title, orgs: input.orgs } });
    return contestId;
  });
  return getContest(db, actor, id);
}

/** The listed orgs' paths; 400 naming each one that is not inside the organizing org. */
async function entrantOrgPaths(tx: Tx, orgPath: string, list: CreateContest['orgs']): Promise<Map<string, string>> {
  const orgs = await tx.execute<{ id: string; path: string } & Record<string, unknown>>(sql`select id::text, path::text from orgs
    where id in (${sql.join(list.map((o) => sql`${o.orgId}`), sql`, `)}) and dissolved_at is null`);
  const problems: Record<string, FieldProblem> = {};
  list.forEach((o, i) => {
    const org = orgs.rows.find((x) => x.id === o.orgId);
    if (!org || !isWithin(org.path, orgPath)) problems[`orgs.${i}.orgId`] = { key: 'contest.org_outside' };
  });
  if (Object.keys(problems).length) throw invalidFields(problems);
  return new Map(orgs.rows.map((o) => [o.id, o.path]));
}

async function insertEntrantOrgs(tx: Tx, contestId: string, list: CreateContest['orgs'], paths: Map<string, string>): Promise<void> {
  await tx.execute(sql`insert into contest_orgs (contest_id, org_id, org_path, include_subtree) values
    ${sql.join(list.map((o) => sql`(${contestId}, ${o.orgId}, ${paths.get(o.orgId)!}::ltree, ${o.includeSubtree})`), sql`, `)}
    on conflict do nothing`);
}

type ManagedRow = { org_path: string; title: string; starts_at: Time; ends_at: Time; status: Contest['status']; cancelled_at: Time | null } & Record<string, unknown>;

/** A contest the actor organizes (admin of its org), locked for the change; 404 otherwise, as for a missing one. */
async function lockManagedContest(tx: Tx, actor: Actor, id: string): Promise<ManagedRow> {
  const row = (await tx.execute<ManagedRow>(sql`select c.org_path::text, c.title, c.starts_at, c.ends_at, c.cancelled_at,
      case when now() < c.starts_at then 'upcoming' when now() >= c.ends_at then 'closed' else 'open' end as status
    from contests c where c.id = ${id} for update`)).rows[0];
  if (!row || !canOrganize(actor, { orgPath: row.org_path })) throw notFound('contest.not_found');
  return row;
}

/** Changes a contest before it starts; once a member could have entered, it stays as set up. */
export async function updateContest(db: Db, actor: Actor, id: string, input: UpdateContest): Promise<Contest> {
  await db.transaction(async (tx) => {
    const contest = await lockManagedContest(tx, actor, id);
    if (contest.cancelled_at) throw conflict('contest.already_cancelled');
    if (contest.status !== 'upcoming') throw conflict('contest.already_started');
    const startsAt = input.startsAt ?? iso(contest.starts_at)!;
    const endsAt = input.endsAt ?? iso(contest.ends_at)!;
    if (Date.parse(endsAt) <= Date.parse(startsAt)) throw invalidField(input.endsAt ? 'endsAt' : 'startsAt', 'contest.ends_before_starts');
    const orgPaths = input.orgs ? await entrantOrgPaths(tx, contest.org_path, input.orgs) : null;
    let variants: string | null = null;
    if (input.paperId) {
      await findUsablePaper(tx, actor, input.paperId, 'paperId');
      variants = JSON.stringify(await drawVariants(tx, input.paperId));
    }
    await tx.execute(sql`update contests set title = coalesce(${input.title ?? null}, title), starts_at = ${startsAt}::timestamptz, ends_at = ${endsAt}::timestamptz,
        time_limit_seconds = coalesce(${input.timeLimitSeconds ?? null}::int, time_limit_seconds),
        paper_id = coalesce(${input.paperId ?? null}::bigint, paper_id), variants = coalesce(${variants}::jsonb, variants)
      where id = ${id}`);
    if (input.orgs && orgPaths) {
      await tx.execute(sql`delete from contest_orgs where contest_id = ${id}`);
      await insertEntrantOrgs(tx, id, input.orgs, orgPaths);
    }
    await audit(tx, actor, { action: 'contest.update', targetType: 'contest', targetId: id, orgPath: contest.org_path, detail: { ...input } });
  });
  return getContest(db, actor, id);
}

/**
 * Cancels a contest that has not ended: no new entries or submissions, its live board closes, and
 * the points its entries earned are reversed. A submit holds a key-share lock on the contest row,
 * so every award has committed before this lock is granted, and none can follow.
 */
export async function cancelContest(db: Db, actor: Actor, id: string, input: CancelContest): Promise<Contest> {
  await db.transaction(async (tx) => {
    const contest = await lockManagedContest(tx, actor, id);
    if (contest.cancelled_at) throw conflict('contest.already_cancelled');
    if (contest.status === 'closed') throw conflict('contest.ended_cannot_cancel');
    await tx.execute(sql`update contests set cancelled_at = now(), cancel_reason = ${input.reason} where id = ${id}`);
    const reversed = await reverseAwardsOf(tx, actor, {
      sourceType: 'contest_entry', sourceIds: sql`select e.id::text from contest_entries e where e.contest_id = ${id}`, reason: `竞赛取消：${input.reason}`,
    });
    await audit(tx, actor, { action: 'contest.cancel', targetType: 'contest', targetId: id, orgPath: contest.org_path,
      detail: { title: contest.title, reason: input.reason, reversedEntries: reversed.entries, reversedPoints: reversed.points } });
  });
  contestEvents.emit('submitted', id);
  return getContest(db, actor, id);
}

type EntryRow = {
  id: string; contest_id: string; seed: N; variant_no: N; started_at: Time; deadline_at: Time; submitted_at: Time | null; score: N | null; duration_ms: N | null;
  variants: QuestionSnapshot[][] | string; is_expired: boolean;
} & Record<string, unknown>;

async function entryRow(q: Queryable, id: string, memberId: string): Promise<EntryRow | undefined> {
  return (await q.execute<EntryRow>(sql`select e.id::text, e.contest_id::text, e.seed, e.variant_no, e.started_at, e.deadline_at, e.submitted_at, e.score, e.duration_ms,
      c.variants, e.deadline_at <= now() as is_expired
    from contest_entries e join contests c on c.id = e.contest_id where e.id = ${id} and e.member_id = ${memberId}`)).rows[0];
}

const questionsOf = (row: EntryRow) => json(row.variants)[Number(row.variant_no)] ?? [];

function toEntry(row: EntryRow): Entry {
  const seed = Number(row.seed);
  return {
    id: row.id, contestId: row.contest_id, startedAt: iso(row.started_at)!, deadlineAt: iso(row.deadline_at)!, submittedAt: iso(row.submitted_at),
    score: row.score == null ? null : Number(row.score), durationMs: row.duration_ms == null ? null : Number(row.duration_ms),
    questions: shuffled(questionsOf(row), seed).map((q) => ({ id: q.id, type: q.type, stem: q.stem, score: q.score, options: optionsFor(q, seed), blankCount: blankCountOf(q) })),
  };
}

/** Entering starts the member's clock; a reload before submitting returns the same entry. */
export async function enterContest(db: Db, actor: Actor, contestId: string): Promise<{ entry: Entry; isResumed: boolean }> {
  const me = await requireMember(db, actor);
  const r = (await db.execute<{ id: string; status: Contest['status']; variant_count: N; cancel_reason: string | null; is_cancelled: boolean } & Record<string, unknown>>(sql`
    select c.id::text, case when now() < c.starts_at then 'upcoming' when now() >= c.ends_at then 'closed' else 'open' end as status,
           jsonb_array_length(c.variants) as variant_count, c.cancel_reason, c.cancelled_at is not null as is_cancelled
      from contests c where c.id = ${contestId} and ${isEntrant(me.orgPath)}`)).rows[0];
  if (!r) throw notFound('contest.not_found');
  if (r.is_cancelled) throw conflict('contest.cancelled', { reason: r.cancel_reason ?? '' });
  const existing = (await db.execute<{ id: string } & Record<string, unknown>>(sql`select id::text from contest_entries where contest_id = ${contestId} and member_id = ${me.id}`)).rows[0];
  if (existing) {
    const row = (await entryRow(db, existing.id, me.id))!;
    if (row.submitted_at || row.is_expired) throw conflict('contest.already_entered');
    return { entry: toEntry(row), isResumed: true };
  }
  if (r.status === 'upcoming') throw conflict('contest.not_started');
  if (r.status === 'closed') throw conflict('contest.ended');
  const seed = newSeed();
  const inserted = await db.execute<{ id: string } & Record<string, unknown>>(sql`
    insert into contest_entries (contest_id, member_id, org_path, seed, variant_no, deadline_at)
    select c.id, ${me.id}, ${me.orgPath}::ltree, ${seed}, ${seed % Math.max(1, Number(r.variant_count))}, least(now() + c.time_limit_seconds * interval '1 second', c.ends_at)
      from contests c where c.id = ${contestId} and c.cancelled_at is null
    on conflict (contest_id, member_id) do nothing returning id::text`);
  const id = inserted.rows[0]?.id ?? (await db.execute<{ id: string } & Record<string, unknown>>(sql`select id::text from contest_entries where contest_id = ${contestId} and member_id = ${me.id}`)).rows[0]?.id;
  // cancelled between the check and the insert
  if (!id) throw conflict('contest.cancelled', { reason: r.cancel_reason ?? '' });
  return { entry: toEntry((await entryRow(db, id, me.id))!), isResumed: !inserted.rows[0] };
}

export async function getEntry(db: Db, actor: Actor, id: string): Promise<Entry> {
  const me = await requireMember(db, actor);
  const row = await entryRow(db, id, me.id);
  if (!row) throw notFound('contest.entry_not_found');
  return toEntry(row);
}

/** One submission, graded and timed by the server; ties on the board go to the faster entrant. */
export async function submitEntry(db: Db, actor: Actor, id: string, input: SubmitEntry): Promise<Entry> {
  const me = await requireMember(db, actor);
  const row = await entryRow(db, id, me.id);
  if (!row) throw notFound('contest.entry_not_found');
  if (row.submitted_at) throw conflict('exam.already_submitted');
  if (row.is_expired) throw conflict('exam.deadline_passed');
  const questions = questionsOf(row);
  const seen = new Set<string>();
  let score = 0;
  input.answers.forEach((a, i) => {
    const q = questions.find((x) => x.id === a.questionId);
    if (!q) throw invalidField(`answers.${i}.questionId`, 'exam.question_not_in_paper');
    if (seen.has(a.questionId)) throw invalidField(`answers.${i}.questionId`, 'daily_quiz.duplicate_answer');
    seen.add(a.questionId);
    if (!responseFits(q, a.response)) throw invalidField(`answers.${i}.response`, 'exam.response_shape');
    if (isCorrect(q, a.response)) score += q.score;
  });
  await db.transaction(async (tx) => {
    const contest = (await tx.execute<{ cancelled_at: Time | null; cancel_reason: string | null } & Record<string, unknown>>(sql`
      select cancelled_at, cancel_reason from contests where id = ${row.contest_id} for key share`)).rows[0];
    if (contest?.cancelled_at) throw conflict('contest.cancelled', { reason: contest.cancel_reason ?? '' });
    const updated = await tx.execute(sql`update contest_entries set answers = ${JSON.stringify(input.answers)}::jsonb, score = ${score}, submitted_at = now(),
        duration_ms = (extract(epoch from (now() - started_at)) * 1000)::int
      where id = ${id} and submitted_at is null and deadline_at > now() returning id`);
    if (updated.rows.length === 0) throw conflict('exam.deadline_passed');
    await awardPoints(tx, { memberId: me.id, rule: 'contest_join', sourceType: 'contest_entry', sourceId: id });
  });
  contestEvents.emit('submitted', row.contest_id);
  return toEntry((await entryRow(db, id, me.id))!);
}

/** Ranked by score, then by time taken: equal on both is an equal rank. */
export async function getLeaderboard(db: Db, actor: Actor, id: string, limit = 50): Promise<ContestLeaderboard> {
  const contest = await findContest(db, actor, await viewer(db, actor), id);
  const r = await db.execute<{ rank: N; member_id: string; name: string; org_name: string; score: N; duration_ms: N } & Record<string, unknown>>(sql`
    select rank() over (order by e.score desc, e.duration_ms) as rank, e.member_id::text, m.name, coalesce(o.name, '') as org_name, e.score, e.duration_ms
      from contest_entries e join members m on m.id = e.member_id left join orgs o on o.id = m.org_id
     where e.contest_id = ${id} and e.submitted_at is not null
     order by e.score desc, e.duration_ms, e.member_id limit ${limit}`);
  return {
    contestId: id, status: contest.status, entryCount: Number(contest.entry_count), cancelledAt: iso(contest.cancelled_at),
    items: r.rows.map((x) => ({ rank: Number(x.rank), memberId: x.member_id, memberName: x.name, orgName: x.org_name, score: Number(x.score), durationMs: Number(x.duration_ms) })),
  };
}

/** Results for the organizers (admins of the contest's org only): every submitted entry ranked, and per entrant org the entries, average and top score. */
export async function getContestResults(db: Db, actor: Actor, id: string): Promise<ContestResults> {
  const contest = await findContest(db, actor, null, id);
  const people = await db.execute<{ rank: N; member_id: string; name: string; org_id: string | null; org_name: string; score: N; duration_ms: N } & Record<string, unknown>>(sql`
    select rank() over (order by e.score desc, e.duration_ms) as rank, e.member_id::text, m.name, o.id::text as org_id, coalesce(o.name, '') as org_name, e.score, e.duration_ms
      from contest_entries e join members m on m.id = e.member_id left join orgs o on o.path = e.org_path
     where e.contest_id = ${id} and e.submitted_at is not null
     order by e.score desc, e.duration_ms, e.member_id`);
  // one GROUP BY over the entries, by the org each entrant belonged to when entering
  const orgs = await db.execute<{ org_id: string; org_name: string; participants: N; average: N; top: N } & Record<string, unknown>>(sql`
    select o.id::text as org_id, o.name as org_name, count(*)::int as participants, round(avg(e.score), 2) as average, max(e.score) as top
      from contest_entries e join orgs o on o.path = e.org_path
     where e.contest_id = ${id} and e.submitted_at is not null
     group by o.id, o.name, o.path order by avg(e.score) desc, o.path`);
  return {
    contestId: id, status: contest.status,
    people: people.rows.map((x) => ({ rank: Number(x.rank), memberId: x.member_id, memberName: x.name, orgId: x.org_id, orgName: x.org_name, score: Number(x.score), durationMs: Number(x.duration_ms) })),
    orgs: orgs.rows.map((x) => ({ orgId: x.org_id, orgName: x.org_name, participants: Number(x.participants), averageScore: Number(x.average), topScore: Number(x.top) })),
  };
}
