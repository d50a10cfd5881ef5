import { sql, type SQL } from 'drizzle-orm';
import type {
  AppraisalBallot, AppraisalGrade, AppraisalListQuery, AppraisalParticipant, AppraisalPhase, AppraisalRound, AppraisalRoundPage, AppraisalRoundSummary,
  AppraisalTally, CommitteeGrades, FinalGrades, MemberAppraisalResults, MyAppraisal, MyAppraisals, OpenAppraisalNotice, OpenAppraisals, OpenedAppraisals,
  SelfAssessment, UpdateAppraisalRound,
} from '../../../../contracts/appraisals.js';
import type { Actor } from '../../platform/actor.js';
import type { Db, Queryable, Tx } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { conflict, invalidField, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { pageLimit, textArray } from '../../platform/sql.js';
import { openPublicNotice, publicNoticeState, registerPublicNoticeHandler } from '../public_notices/service.js';
import { canManageAppraisal, membersInScope, roundsInScope } from './policy.js';
import './messages.js';

type Row = Record<string, unknown>;
type Time = Date | string | null;
const iso = (v: Time) => (v == null ? null : new Date(v).toISOString());

/** The orgs that hold a 民主评议 of their own members. */
const BRANCH_TYPES = sql`('branch', 'temporary_branch')`;
/** Who takes part: the full and probationary members on the roll. */
const isParticipantMember = sql`m.left_at is null and m.stage in ('full', 'probationary')`;

const PHASE_NAMES: Record<AppraisalPhase, string> = {
  self_assessment: '个人自评', mutual: '民主测评', committee: '支委会评议', final: '确定等次', public_notice: '公示', published: '已公布',
};
const wrongPhase = (phase: AppraisalPhase) => conflict('appraisal.wrong_phase', { phase: PHASE_NAMES[phase] });
const NEXT_PHASE: Partial<Record<AppraisalPhase, AppraisalPhase>> = { self_assessment: 'mutual', mutual: 'committee', committee: 'final' };

/** The most 优秀 a round allows: the share of its participants, rounded down. */
const maxExcellentOf = (participants: number, percent: number) => Math.floor((participants * percent) / 100);

// ---------- rounds ----------

type RoundRow = {
  id: string; org_id: string; org_name: string; org_path: string; year: number; phase: AppraisalPhase; excellent_share_percent: number;
  participants: number; self_assessed: number; ballots: number; public_notice_id: string | null; created_at: Time; published_at: Time;
} & Row;

const roundColumns = sql`r.id::text, r.org_id::text, o.name as org_name, r.org_path::text, r.year, r.phase, r.excellent_share_percent,
  (select count(*)::int from appraisal_participants p where p.round_id = r.id) as participants,
  (select count(*)::int from appraisal_participants p where p.round_id = r.id and p.self_grade is not null) as self_assessed,
  (select count(*)::int from appraisal_ballots b where b.round_id = r.id) as ballots,
  r.public_notice_id::text, r.created_at, r.published_at`;
const roundFrom = sql`appraisal_rounds r join orgs o on o.id = r.org_id`;

const toSummary = (r: RoundRow): AppraisalRoundSummary => ({
  id: r.id, orgId: r.org_id, orgName: r.org_name, year: Number(r.year), phase: r.phase, excellentSharePercent: Number(r.excellent_share_percent),
  participants: Number(r.participants), selfAssessed: Number(r.self_assessed), ballots: Number(r.ballots), publicNoticeId: r.public_notice_id,
  createdAt: iso(r.created_at)!, publishedAt: iso(r.published_at),
});

export async function listRounds(db: Db, actor: Actor, query: AppraisalListQuery): Promise<AppraisalRoundPage> {
  const conditions: SQL[] = [roundsInScope(actor)];
  if (query.orgId) conditions.push(sql`r.org_path <@ (select path from orgs where id = ${query.orgId})`);
  if (query.year) conditions.push(sql`r.year = ${query.year}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<RoundRow>(sql`select ${roundColumns} from ${roundFrom} where ${where} order by r.year desc, r.org_path, r.id ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from appraisal_rounds r where ${where}`),
  ]);
  return { items: rows.rows.map(toSummary), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

async function findRound(q: Queryable, actor: Actor, id: string, lock = false): Promise<RoundRow> {
  const row = (await q.execute<RoundRow>(sql`select ${roundColumns} from ${roundFrom} where r.id = ${id} and ${roundsInScope(actor)}
    ${lock ? sql`for update of r` : sql``}`)).rows[0];
  if (!row) throw notFound('appraisal.not_found');
  return row;
}

type ParticipantRow = {
  member_id: string; name: string; stage: 'full' | 'probationary'; self_summary: string | null; self_grade: AppraisalGrade | null;
  committee_grade: AppraisalGrade | null; final_grade: AppraisalGrade | null; final_reason: string | null; withdrawn_reason: string | null;
  tally: Partial<Record<AppraisalGrade, number>> | string | null;
} & Row;

const emptyTally = (): AppraisalTally => ({ excellent: 0, qualified: 0, basically_qualified: 0, unqualified: 0 });

function toTally(value: ParticipantRow['tally']): AppraisalTally {
  const counts = (typeof value === 'string' ? JSON.parse(value) : value ?? {}) as Partial<Record<AppraisalGrade, number>>;
  const tally = emptyTally();
  for (const grade of Object.keys(tally) as AppraisalGrade[]) tally[grade] = Number(counts[grade] ?? 0);
  return tally;
}

/** The tallies are shown only once the mutual evaluation has closed: before, a count after one ballot would be that ballot. */
const talliesShown = (phase: AppraisalPhase) => phase !== 'self_assessment' && phase !== 'mutual';

export async function getRound(q: Queryable, actor: Actor, id: string): Promise<AppraisalRound> {
  const round = await findRound(q, actor, id);
  const shown = talliesShown(round.phase);
  const participants = (await q.execute<ParticipantRow>(sql`
    select p.member_id::text, p.name, p.stage, p.self_summary, p.self_grade, p.committee_grade, p.final_grade, p.final_reason, p.withdrawn_reason,
           ${shown ? sql`(select jsonb_object_agg(a.grade, a.votes) from appraisal_ratings a where a.round_id = p.round_id and a.ratee_member_id = p.member_id)` : sql`null`} as tally
      from appraisal_participants p where p.round_id = ${id} order by p.name, p.member_id`)).rows;
  const summary = toSummary(round);
  return {
    ...summary,
    responseRate: summary.participants === 0 ? 0 : summary.ballots / summary.participants,
    maxExcellent: maxExcellentOf(summary.participants, summary.excellentSharePercent),
    items: participants.map((p): AppraisalParticipant => ({
      memberId: p.member_id, name: p.name, stage: p.stage, selfSummary: p.self_summary, selfGrade: p.self_grade, tally: shown ? toTally(p.tally) : null,
      committeeGrade: p.committee_grade, finalGrade: p.final_grade, finalReason: p.final_reason, withdrawnReason: p.withdrawn_reason,
    })),
    canManage: canManageAppraisal(actor, round.org_path) && round.phase !== 'published',
  };
}

/**
 * Opens the year's round of the branch, or of every branch under the org, in one statement: each with
 * its full and probationary members of that moment as participants. Branches already open for the
 * year, and branches without members, are left out.
 */
export async function openRounds(db: Db, actor: Actor, input: OpenAppraisals): Promise<OpenedAppraisals> {
  return db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share', notFoundKey: 'appraisal.org_not_found' });
    const opened = (await tx.execute<{ id: string } & Row>(sql`
      with opened as (
        insert into appraisal_rounds (org_id, org_path, year, excellent_share_percent, opened_by)
        select o.id, o.path, ${input.year}, ${input.excellentSharePercent}, ${actor.userId} from orgs o
         where o.path <@ ${org.path}::ltree and o.type in ${BRANCH_TYPES} and o.dissolved_at is null
           and exists (select 1 from members m where m.org_path <@ o.path and ${isParticipantMember})
        on conflict (org_id, year) do nothing
        returning id, org_path
      ), joined as (
        insert into appraisal_participants (round_id, member_id, name, stage)
        select r.id, m.id, m.name, m.stage from opened r join members m on m.org_path <@ r.org_path and ${isParticipantMember}
      )
      select id::text from opened order by id`)).rows;
    if (opened.length === 0) throw conflict('appraisal.nothing_to_open');
    await audit(tx, actor, {
      action: 'appraisal.open', targetType: 'org', targetId: org.id, orgPath: org.path,
      detail: { name: org.name, year: input.year, excellentSharePercent: input.excellentSharePercent, opened: opened.length },
    });
    return { opened: opened.length, ids: opened.map((r) => r.id) };
  });
}

export async function updateRound(db: Db, actor: Actor, id: string, input: UpdateAppraisalRound): Promise<AppraisalRound> {
  await db.transaction(async (tx) => {
    const round = await findRound(tx, actor, id, true);
    if (round.phase === 'public_notice' || round.phase === 'published') throw conflict('appraisal.share_locked');
    await tx.execute(sql`update appraisal_rounds set excellent_share_percent = ${input.excellentSharePercent} where id = ${id}`);
    await audit(tx, actor, { action: 'appraisal.update', targetType: 'appraisal_round', targetId: id, orgPath: round.org_path,
      detail: { name: `${round.org_name} ${round.year}`, excellentSharePercent: input.excellentSharePercent } });
  });
  return getRound(db, actor, id);
}

/** 自评 → 民主测评 → 支委会评议 → 确定等次: the administrator moves the round on; closing the 测评 closes the ballot box. */
export async function advanceRound(db: Db, actor: Actor, id: string): Promise<AppraisalRound> {
  await db.transaction(async (tx) => {
    const round = await findRound(tx, actor, id, true);
    const next = NEXT_PHASE[round.phase];
    if (!next) throw wrongPhase(round.phase);
    await tx.execute(sql`update appraisal_rounds set phase = ${next} where id = ${id}`);
    await audit(tx, actor, { action: 'appraisal.advance', targetType: 'appraisal_round', targetId: id, orgPath: round.org_path,
      detail: { name: `${round.org_name} ${round.year}`, from: round.phase, to: next } });
  });
  return getRound(db, actor, id);
}

/** The given members must all be the round's participants (400 on `field` otherwise). */
async function checkParticipants(q: Queryable, roundId: string, memberIds: string[], field: string): Promise<void> {
  const found = (await q.execute<{ n: number } & Row>(sql`select count(*)::int as n from appraisal_participants
    where round_id = ${roundId} and member_id = any(${textArray(memberIds)}::bigint[])`)).rows[0];
  if (Number(found?.n ?? 0) !== memberIds.length) throw invalidField(field, 'appraisal.not_participant');
}

/** 支委会评议: the administrator records the committee's grade per member. */
export async function setCommitteeGrades(db: Db, actor: Actor, id: string, input: CommitteeGrades): Promise<AppraisalRound> {
  await db.transaction(async (tx) => {
    const round = await findRound(tx, actor, id, true);
    if (round.phase !== 'committee') throw wrongPhase(round.phase);
    const ids = input.grades.map((g) => g.memberId);
    await checkParticipants(tx, id, ids, 'grades');
    await tx.execute(sql`update appraisal_participants p set committee_grade = x.grade
      from unnest(${textArray(ids)}::bigint[], ${textArray(input.grades.map((g) => g.grade))}::text[]) as x (member_id, grade)
     where p.round_id = ${id} and p.member_id = x.member_id`);
    await audit(tx, actor, { action: 'appraisal.committee_grades', targetType: 'appraisal_round', targetId: id, orgPath: round.org_path,
      detail: { name: `${round.org_name} ${round.year}`, count: ids.length } });
  });
  return getRound(db, actor, id);
}

/** 确定等次: 不合格 needs a reason (the contract); 优秀 stays within the round's share of the participants. */
export async function setFinalGrades(db: Db, actor: Actor, id: string, input: FinalGrades): Promise<AppraisalRound> {
  await db.transaction(async (tx) => {
    const round = await findRound(tx, actor, id, true);
    if (round.phase !== 'final') throw wrongPhase(round.phase);
    const ids = input.grades.map((g) => g.memberId);
    await checkParticipants(tx, id, ids, 'grades');
    await tx.execute(sql`update appraisal_participants p set final_grade = x.grade, final_reason = nullif(x.reason, '')
      from unnest(${textArray(ids)}::bigint[], ${textArray(input.grades.map((g) => g.grade))}::text[],
                  ${textArray(input.grades.map((g) => g.reason ?? ''))}::text[]) as x (member_id, grade, reason)
     where p.round_id = ${id} and p.member_id = x.member_id`);
    const count = (await tx.execute<{ n: number } & Row>(sql`select count(*)::int as n from appraisal_participants
      where round_id = ${id} and final_grade = 'excellent'`)).rows[0];
    const participants = Number(round.participants);
    const percent = Number(round.excellent_share_percent);
    const max = maxExcellentOf(participants, percent);
    if (Number(count?.n ?? 0) > max) throw conflict('appraisal.excellent_share_exceeded', { percent, participants, max, count: Number(count?.n ?? 0) });
    await audit(tx, actor, { action: 'appraisal.final_grades', targetType: 'appraisal_round', targetId: id, orgPath: round.org_path,
      detail: { name: `${round.org_name} ${round.year}`, count: ids.length } });
  });
  return getRound(db, actor, id);
}

async function requireAllGraded(q: Queryable, id: string): Promise<void> {
  const missing = (await q.execute<{ n: number } & Row>(sql`select count(*)::int as n from appraisal_participants
    where round_id = ${id} and final_grade is null`)).rows[0];
  if (Number(missing?.n ?? 0) > 0) throw conflict('appraisal.grades_incomplete', { missing: Number(missing?.n) });
}

/** 公示: as is customary, only the 优秀 are shown (names and the branch, nothing personal). */
export async function openNotice(db: Db, actor: Actor, id: string, input: OpenAppraisalNotice): Promise<AppraisalRound> {
  await db.transaction(async (tx) => {
    const round = await findRound(tx, actor, id, true);
    if (round.phase !== 'final') throw wrongPhase(round.phase);
    await requireAllGraded(tx, id);
    const excellent = (await tx.execute<{ member_id: string; name: string } & Row>(sql`select member_id::text, name from appraisal_participants
      where round_id = ${id} and final_grade = 'excellent' order by name, member_id`)).rows;
    const { publicNoticeId } = await openPublicNotice(tx, actor, {
      kind: 'appraisal', sourceId: id, orgId: round.org_id,
      title: input.title ?? `${round.org_name}${round.year}年度民主评议党员优秀等次公示`,
      startsOn: input.startsOn, endsOn: input.endsOn,
      items: excellent.map((p) => ({ ref: p.member_id, name: p.name, orgName: round.org_name, title: `${round.year}年度民主评议优秀党员` })),
    });
    await tx.execute(sql`update appraisal_rounds set phase = 'public_notice', public_notice_id = ${publicNoticeId} where id = ${id}`);
    await audit(tx, actor, { action: 'appraisal.open_notice', targetType: 'appraisal_round', targetId: id, orgPath: round.org_path,
      detail: { name: `${round.org_name} ${round.year}`, publicNoticeId, items: excellent.length } });
  });
  return getRound(db, actor, id);
}

/**
 * 公布: the grades go on the members' records. After a 公示 that ended with no objection pending; a round
 * without any 优秀 has nothing to show and is published straight from 确定等次.
 */
export async function publishRound(db: Db, actor: Actor, id: string): Promise<AppraisalRound> {
  await db.transaction(async (tx) => {
    const round = await findRound(tx, actor, id, true);
    if (round.phase === 'public_notice') {
      const state = await publicNoticeState(tx, round.public_notice_id!);
      if (state.status !== 'ended' || state.pendingObjections > 0) throw conflict('appraisal.notice_not_ended');
    } else if (round.phase === 'final') {
      await requireAllGraded(tx, id);
      const excellent = (await tx.execute(sql`select 1 from appraisal_participants where round_id = ${id} and final_grade = 'excellent' limit 1`)).rows;
      if (excellent.length > 0) throw wrongPhase(round.phase);
    } else {
      throw wrongPhase(round.phase);
    }
    await tx.execute(sql`update appraisal_rounds set phase = 'published', published_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'appraisal.publish', targetType: 'appraisal_round', targetId: id, orgPath: round.org_path,
      detail: { name: `${round.org_name} ${round.year}` } });
  });
  return getRound(db, actor, id);
}

/** An objection to the 公示 upheld: that member's 优秀 falls back to 合格, and the reason stays with the record. */
export async function withdrawExcellent(tx: Tx, roundId: string, memberId: string, reason: string): Promise<void> {
  await tx.execute(sql`update appraisal_participants set final_grade = 'qualified', withdrawn_reason = ${reason}
    where round_id = ${roundId} and member_id = ${memberId} and final_grade = 'excellent'`);
}

registerPublicNoticeHandler('appraisal', {
  onItemWithdrawn: async (tx, item) => {
    if (/^[1-9]\d{0,17}$/.test(item.sourceId) && /^[1-9]\d{0,17}$/.test(item.ref)) await withdrawExcellent(tx, item.sourceId, item.ref, item.reason);
  },
});

// ---------- the member ----------

type MyRow = {
  id: string; org_name: string; year: number; phase: AppraisalPhase; self_summary: string | null; self_grade: AppraisalGrade | null;
  has_voted: boolean; final_grade: AppraisalGrade | null; final_reason: string | null;
} & Row;

const myColumns = (memberId: string) => sql`r.id::text, o.name as org_name, r.year, r.phase, p.self_summary, p.self_grade,
  exists (select 1 from appraisal_ballots b where b.round_id = r.id and b.rater_member_id = ${memberId}) as has_voted,
  case when r.phase = 'published' then p.final_grade end as final_grade, case when r.phase = 'published' then p.final_reason end as final_reason`;

/** The rounds the member takes part in, newest first, with the others to rate while the 测评 is open. */
export async function myRounds(db: Db, actor: Actor): Promise<MyAppraisals> {
  if (!actor.memberId) return { items: [] };
  const rows = (await db.execute<MyRow>(sql`select ${myColumns(actor.memberId)}
    from appraisal_participants p join appraisal_rounds r on r.id = p.round_id join orgs o on o.id = r.org_id
   where p.member_id = ${actor.memberId} order by r.year desc, r.id desc limit 20`)).rows;
  const voting = rows.filter((r) => r.phase === 'mutual' && r.has_voted !== true).map((r) => r.id);
  const others = voting.length === 0 ? [] : (await db.execute<{ round_id: string; member_id: string; name: string } & Row>(sql`
    select round_id::text, member_id::text, name from appraisal_participants
     where round_id = any(${textArray(voting)}::bigint[]) and member_id <> ${actor.memberId} order by name, member_id`)).rows;
  return {
    items: rows.map((r): MyAppraisal => ({
      id: r.id, orgName: r.org_name, year: Number(r.year), phase: r.phase, selfSummary: r.self_summary, selfGrade: r.self_grade,
      hasVoted: r.has_voted === true, others: others.filter((o) => o.round_id === r.id).map((o) => ({ memberId: o.member_id, name: o.name })),
      finalGrade: r.final_grade, finalReason: r.final_reason,
    })),
  };
}

/** The member's own participation, locked against the administrator moving the round on meanwhile. */
async function myParticipation(tx: Tx, actor: Actor, roundId: string): Promise<{ phase: AppraisalPhase; org_path: string; memberId: string }> {
  if (!actor.memberId) throw notFound('appraisal.not_found');
  const row = (await tx.execute<{ phase: AppraisalPhase; org_path: string } & Row>(sql`
    select r.phase, r.org_path::text from appraisal_rounds r join appraisal_participants p on p.round_id = r.id and p.member_id = ${actor.memberId}
     where r.id = ${roundId} for share of r`)).rows[0];
  if (!row) throw notFound('appraisal.not_found');
  return { ...row, memberId: actor.memberId };
}

async function myRound(db: Db, actor: Actor, roundId: string): Promise<MyAppraisal> {
  const item = (await myRounds(db, actor)).items.find((r) => r.id === roundId);
  if (!item) throw notFound('appraisal.not_found');
  return item;
}

export async function saveSelfAssessment(db: Db, actor: Actor, roundId: string, input: SelfAssessment): Promise<MyAppraisal> {
  await db.transaction(async (tx) => {
    const me = await myParticipation(tx, actor, roundId);
    if (me.phase !== 'self_assessment') throw wrongPhase(me.phase);
    await tx.execute(sql`update appraisal_participants set self_summary = ${input.summary}, self_grade = ${input.grade}
      where round_id = ${roundId} and member_id = ${me.memberId}`);
    await audit(tx, actor, { action: 'appraisal.self_assess', targetType: 'appraisal_round', targetId: roundId, orgPath: me.org_path, detail: {} });
  });
  return myRound(db, actor, roundId);
}

/**
 * 民主测评: one ballot per participant, rating every other participant at once. The ballot marks only
 * that the rater has voted; the grades add to per-(ratee, grade) counts — no rater, no time, no order —
 * and the audit log says "cast a ballot" without its contents.
 */
export async function castBallot(db: Db, actor: Actor, roundId: string, input: AppraisalBallot): Promise<MyAppraisal> {
  await db.transaction(async (tx) => {
    const me = await myParticipation(tx, actor, roundId);
    if (me.phase !== 'mutual') throw wrongPhase(me.phase);
    const others = (await tx.execute<{ member_id: string } & Row>(sql`select member_id::text from appraisal_participants
      where round_id = ${roundId} and member_id <> ${me.memberId}`)).rows.map((r) => r.member_id);
    const rated = new Set(input.ratings.map((r) => r.memberId));
    if (rated.size !== others.length || others.some((id) => !rated.has(id))) throw invalidField('ratings', 'appraisal.ballot_incomplete');
    const cast = (await tx.execute(sql`insert into appraisal_ballots (round_id, rater_member_id) values (${roundId}, ${me.memberId})
      on conflict do nothing returning 1`)).rows;
    if (cast.length === 0) throw conflict('appraisal.already_voted');
    await tx.execute(sql`insert into appraisal_ratings (round_id, ratee_member_id, grade, votes)
      select ${roundId}, x.member_id, x.grade, 1
        from unnest(${textArray(input.ratings.map((r) => r.memberId))}::bigint[], ${textArray(input.ratings.map((r) => r.grade))}::text[]) as x (member_id, grade)
       order by random()
      on conflict (round_id, ratee_member_id, grade) do update set votes = appraisal_ratings.votes + 1`);
    await audit(tx, actor, { action: 'appraisal.ballot', targetType: 'appraisal_round', targetId: roundId, orgPath: me.org_path, detail: {} });
  });
  return myRound(db, actor, roundId);
}

// ---------- a member's record ----------

/** The published results of a member: their own, or of a member in the administrator's subtree. */
export async function memberResults(db: Db, actor: Actor, memberId: string): Promise<MemberAppraisalResults> {
  if (actor.memberId !== memberId) {
    const inScope = (await db.execute(sql`select 1 from members m where m.id = ${memberId} and ${membersInScope(actor)}`)).rows;
    if (inScope.length === 0) throw notFound('appraisal.member_not_found');
  }
  const rows = (await db.execute<{ round_id: string; year: number; org_name: string; final_grade: AppraisalGrade; final_reason: string | null;
    withdrawn_reason: string | null; published_at: Time } & Row>(sql`
    select r.id::text as round_id, r.year, o.name as org_name, p.final_grade, p.final_reason, p.withdrawn_reason, r.published_at
      from appraisal_participants p join appraisal_rounds r on r.id = p.round_id join orgs o on o.id = r.org_id
     where p.member_id = ${memberId} and r.phase = 'published' order by r.year desc, r.id desc limit 50`)).rows;
  return {
    items: rows.map((r) => ({
      roundId: r.round_id, year: Number(r.year), orgName: r.org_name, finalGrade: r.final_grade, finalReason: r.final_reason,
      withdrawnReason: r.withdrawn_reason, publishedAt: iso(r.published_at)!,
    })),
  };
}
