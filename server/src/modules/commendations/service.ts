import { sql, type SQL } from 'drizzle-orm';
import {
  HONOUR_TITLES, MEMBER_KINDS, type Check, type CreateNomination, type CreateRound, type ExtraQuotas, type Nomination, type NominationListQuery,
  type NominationPage, type OpenRoundNotice, type Quota, type Round, type RoundKind, type RoundListQuery, type RoundPage, type SetQuotas,
} from '../../../../contracts/commendations.js';
import { DISCIPLINE_LABELS } from '../../../../contracts/commendations.js';
import type { Actor } from '../../platform/actor.js';
import type { Db, Queryable, Tx } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { chinaDateOf } from '../../platform/china-time.js';
import { AppError, conflict, invalidField, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { pageLimit, textArray } from '../../platform/sql.js';
import { findSchemeWithResults, resultsOf } from '../assessment/service.js';
import { openPublicNotice, publicNoticeState, registerPublicNoticeHandler, type PublicNoticeState } from '../public_notices/service.js';
import { canManageRound, nominationsInScope, quotasInScope, roundsInScope, runsOrgAt } from './policy.js';
import './messages.js';

type Row = Record<string, unknown>;
type Time = Date | string | null;
const iso = (v: Time) => (v == null ? null : new Date(v).toISOString());
const today = chinaDateOf(sql`now()`);
const ID = /^[1-9]\d{0,17}$/;

// ---------- rounds ----------

type RoundRow = {
  id: string; org_id: string; org_path: string; org_name: string; year: number; title: string; kinds: RoundKind[] | string; nomination_deadline: string;
  min_party_years: number; status: Round['status']; public_notice_id: string | null; awarded_on: string | null; created_at: Time;
  submitted: number; approved: number; returned: number; withdrawn: number; awarded: number;
} & Row;

const roundColumns = sql`r.id::text, r.org_id::text, r.org_path::text, o.name as org_name, r.year, r.title, r.kinds, r.nomination_deadline::text,
  r.min_party_years, r.status, r.public_notice_id::text, r.awarded_on::text, r.created_at,
  c.submitted, c.approved, c.returned, c.withdrawn, c.awarded`;
const roundFrom = sql`commendation_rounds r join orgs o on o.id = r.org_id
  cross join lateral (select count(*) filter (where n.status = 'submitted')::int as submitted, count(*) filter (where n.status = 'approved')::int as approved,
    count(*) filter (where n.status = 'returned')::int as returned, count(*) filter (where n.status = 'withdrawn')::int as withdrawn,
    count(*) filter (where n.status = 'awarded')::int as awarded from commendation_nominations n where n.round_id = r.id) c`;

/** node-postgres answers text[] as an array; PGlite may answer its literal. */
const textArrayOf = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.replace(/^\{|\}$/g, '').split(',').filter(Boolean) : []);

const toRoundSummary = (actor: Actor, r: RoundRow): Omit<Round, 'quotas'> => ({
  id: r.id, orgId: r.org_id, orgName: r.org_name, year: Number(r.year), title: r.title, kinds: textArrayOf(r.kinds) as RoundKind[],
  nominationDeadline: r.nomination_deadline, minPartyYears: Number(r.min_party_years), status: r.status, publicNoticeId: r.public_notice_id,
  awardedOn: r.awarded_on, createdAt: iso(r.created_at)!,
  counts: { submitted: Number(r.submitted), approved: Number(r.approved), returned: Number(r.returned), withdrawn: Number(r.withdrawn), awarded: Number(r.awarded) },
  canManage: canManageRound(actor, { orgPath: r.org_path }),
});

export async function listRounds(db: Db, actor: Actor, query: RoundListQuery): Promise<RoundPage> {
  const conditions: SQL[] = [roundsInScope(actor)];
  if (query.year) conditions.push(sql`r.year = ${query.year}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<RoundRow>(sql`select ${roundColumns} from ${roundFrom} where ${where} order by r.year desc, r.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from commendation_rounds r where ${where}`),
  ]);
  return { items: rows.rows.map((r) => toRoundSummary(actor, r)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

async function findRound(q: Queryable, actor: Actor, id: string, lock = false): Promise<RoundRow> {
  if (lock) await q.execute(sql`select 1 from commendation_rounds where id = ${id} for update`);
  const row = (await q.execute<RoundRow>(sql`select ${roundColumns} from ${roundFrom} where r.id = ${id} and ${roundsInScope(actor)}`)).rows[0];
  if (!row) throw notFound('commendation.round_not_found');
  return row;
}

async function findManagedRound(q: Queryable, actor: Actor, id: string, lock = false): Promise<RoundRow> {
  const row = await findRound(q, actor, id, lock);
  if (!canManageRound(actor, { orgPath: row.org_path })) throw notFound('commendation.round_not_found');
  return row;
}

type QuotaRow = { org_id: string; org_name: string; org_path: string; kind: RoundKind; places: number; extra_places: number; extra_note: string | null; used: number } & Row;

async function quotasOf(q: Queryable, actor: Actor, round: RoundRow): Promise<Quota[]> {
  const mine = canManageRound(actor, { orgPath: round.org_path }) ? sql`true` : quotasInScope(actor);
  const rows = (await q.execute<QuotaRow>(sql`
    select q.org_id::text, o.name as org_name, q.kind, q.places, q.extra_places, q.extra_note,
           (select count(*)::int from commendation_nominations n where n.round_id = q.round_id and n.org_id = q.org_id and n.kind = q.kind
              and n.status not in ('returned', 'withdrawn')) as used
      from commendation_quotas q join orgs o on o.id = q.org_id
     where q.round_id = ${round.id} and ${mine} order by o.path, q.kind`)).rows;
  return rows.map((r) => ({ orgId: r.org_id, orgName: r.org_name, kind: r.kind, places: Number(r.places), extraPlaces: Number(r.extra_places), extraNote: r.extra_note, used: Number(r.used) }));
}

export async function getRound(db: Queryable, actor: Actor, id: string): Promise<Round> {
  const row = await findRound(db, actor, id);
  return { ...toRoundSummary(actor, row), quotas: await quotasOf(db, actor, row) };
}

export async function createRound(db: Db, actor: Actor, input: CreateRound): Promise<Round> {
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { lock: 'share', field: 'orgId' });
    const row = (await tx.execute<{ id: string } & Row>(sql`
      insert into commendation_rounds (org_id, org_path, year, title, kinds, nomination_deadline, min_party_years, created_by)
      values (${org.id}, ${org.path}::ltree, ${input.year}, ${input.title}, ${textArray(input.kinds)}::text[], ${input.nominationDeadline}, ${input.minPartyYears}, ${actor.userId})
      returning id::text`)).rows[0]!;
    await audit(tx, actor, { action: 'commendation.create_round', targetType: 'commendation_round', targetId: row.id, orgPath: org.path, detail: { title: input.title, year: input.year, kinds: input.kinds } });
    return row.id;
  });
  return getRound(db, actor, id);
}

function assertNominating(round: RoundRow): void {
  if (round.status !== 'nominating') throw conflict('commendation.not_nominating');
}

/** 分配名额: places per kind for orgs of the round's subtree (fewer than already nominated is refused). */
export async function setQuotas(db: Db, actor: Actor, id: string, input: SetQuotas): Promise<Round> {
  await db.transaction(async (tx) => {
    const round = await findManagedRound(tx, actor, id, true);
    assertNominating(round);
    const kinds = textArrayOf(round.kinds);
    const ids = [...new Set(input.quotas.map((x) => x.orgId))];
    const orgs = ids.length === 0 ? [] : (await tx.execute<{ id: string; path: string } & Row>(sql`
      select id::text, path::text from orgs where id = any(${textArray(ids)}::bigint[]) and path <@ ${round.org_path}::ltree and dissolved_at is null`)).rows;
    const pathOf = new Map(orgs.map((o) => [o.id, o.path]));
    for (const [i, quota] of input.quotas.entries()) {
      if (!pathOf.has(quota.orgId)) throw invalidField(`quotas.${i}.orgId`, 'commendation.quota_org_outside');
      if (!kinds.includes(quota.kind)) throw invalidField(`quotas.${i}.kind`, 'commendation.kind_not_offered');
    }
    for (const quota of input.quotas) {
      const used = Number((await tx.execute<{ n: number } & Row>(sql`select count(*)::int as n from commendation_nominations
        where round_id = ${id} and org_id = ${quota.orgId} and kind = ${quota.kind} and status not in ('returned', 'withdrawn')`)).rows[0]!.n);
      const extra = Number((await tx.execute<{ n: number } & Row>(sql`select coalesce(max(extra_places), 0)::int as n from commendation_quotas
        where round_id = ${id} and org_id = ${quota.orgId} and kind = ${quota.kind}`)).rows[0]!.n);
      if (quota.places + extra < used) throw conflict('commendation.quota_below_used', { used });
      await tx.execute(sql`insert into commendation_quotas (round_id, org_id, org_path, kind, places)
        values (${id}, ${quota.orgId}, ${pathOf.get(quota.orgId)!}::ltree, ${quota.kind}, ${quota.places})
        on conflict (round_id, org_id, kind) do update set places = excluded.places`);
    }
    await audit(tx, actor, { action: 'commendation.set_quotas', targetType: 'commendation_round', targetId: id, orgPath: round.org_path, detail: { title: round.title, quotas: input.quotas } });
  });
  return getRound(db, actor, id);
}

/**
 * Extra places for the orgs ranked in the first `top` places of a frozen assessment scheme (read through the
 * assessment module's service: only frozen or published results count).
 */
export async function addExtraQuotas(db: Db, actor: Actor, id: string, input: ExtraQuotas): Promise<Round> {
  await db.transaction(async (tx) => {
    const round = await findManagedRound(tx, actor, id, true);
    assertNominating(round);
    if (!textArrayOf(round.kinds).includes(input.kind)) throw invalidField('kind', 'commendation.kind_not_offered');
    let scheme: Awaited<ReturnType<typeof findSchemeWithResults>>;
    try {
      scheme = await findSchemeWithResults(tx, actor, input.schemeId);
    } catch (error) {
      if (error instanceof AppError && error.status === 404) throw invalidField('schemeId', 'commendation.scheme_not_found');
      throw error;
    }
    if (scheme.status !== 'frozen' && scheme.status !== 'published') throw invalidField('schemeId', 'commendation.scheme_not_frozen');
    const { items } = await resultsOf(tx, input.schemeId, { offset: 0, limit: Math.max(input.top * 4, 50) });
    const ranked = items.filter((r) => r.rank <= input.top);
    const orgs = ranked.length === 0 ? [] : (await tx.execute<{ id: string; path: string } & Row>(sql`
      select id::text, path::text from orgs where id = any(${textArray(ranked.map((r) => r.orgId))}::bigint[]) and path <@ ${round.org_path}::ltree and dissolved_at is null`)).rows;
    const pathOf = new Map(orgs.map((o) => [o.id, o.path]));
    const given: { orgId: string; rank: number }[] = [];
    for (const r of ranked) {
      const path = pathOf.get(r.orgId);
      if (!path) continue;
      await tx.execute(sql`insert into commendation_quotas (round_id, org_id, org_path, kind, places, extra_places, extra_note)
        values (${id}, ${r.orgId}, ${path}::ltree, ${input.kind}, 0, ${input.places}, ${`${scheme.name} 第${r.rank}名`})
        on conflict (round_id, org_id, kind) do update set extra_places = excluded.extra_places, extra_note = excluded.extra_note`);
      given.push({ orgId: r.orgId, rank: r.rank });
    }
    await audit(tx, actor, { action: 'commendation.extra_quotas', targetType: 'commendation_round', targetId: id, orgPath: round.org_path, detail: { title: round.title, schemeId: input.schemeId, kind: input.kind, given } });
  });
  return getRound(db, actor, id);
}

// ---------- qualification ----------

type CandidateRow = { id: string; name: string; org_path: string; org_name: string; stage: string; full_since: string | null; party_years: number | null; discipline: string | null } & Row;

/** 党龄 counts from full membership (转正; a year after joining when the conversion day is not recorded), at the deadline. */
async function memberCandidate(q: Queryable, memberId: string, underPath: string, deadline: string): Promise<CandidateRow | undefined> {
  return (await q.execute<CandidateRow>(sql`
    select m.id::text, m.name, m.org_path::text, o.name as org_name, m.stage, f.full_since::text,
           case when f.full_since is null then null else extract(year from age(${deadline}::date, f.full_since))::int end as party_years,
           (select d.kind || ' ' || d.decided_on::text from member_discipline_records d
             where d.member_id = m.id and d.decided_on <= ${today} and (d.ends_on is null or d.ends_on >= ${today}) order by d.decided_on desc limit 1) as discipline
      from members m join orgs o on o.id = m.org_id
      cross join lateral (select coalesce(m.converted_on, (m.joined_on + interval '1 year')::date) as full_since) f
     where m.id = ${memberId} and m.left_at is null and m.org_path <@ ${underPath}::ltree`)).rows[0];
}

function checksOf(c: CandidateRow, minPartyYears: number): Check[] {
  const [kind, decidedOn] = (c.discipline ?? '').split(' ');
  return [
    { code: 'party_age', ok: c.party_years !== null && Number(c.party_years) >= minPartyYears && c.stage === 'full',
      detail: c.party_years === null ? `未登记入党日期（要求党龄不少于 ${minPartyYears} 年）` : `党龄 ${Math.max(0, Number(c.party_years))} 年（要求不少于 ${minPartyYears} 年）` },
    { code: 'full_member', ok: c.stage === 'full', detail: c.stage === 'full' ? '正式党员' : c.stage === 'probationary' ? '预备党员' : '非党员' },
    { code: 'no_discipline', ok: !c.discipline,
      detail: c.discipline ? `党纪处分影响期内：${DISCIPLINE_LABELS[kind as keyof typeof DISCIPLINE_LABELS] ?? kind}（${decidedOn}）` : '无影响期内的党纪处分' },
  ];
}
const failures = (checks: Check[]) => checks.filter((c) => !c.ok).map((c) => c.detail).join('；');

/** The checks a member candidate would get now (the nomination form shows them before submitting). */
export async function checkCandidate(db: Db, actor: Actor, roundId: string, input: { kind: RoundKind; memberId: string }): Promise<{ checks: Check[]; qualified: boolean }> {
  const round = await findRound(db, actor, roundId);
  const c = await memberCandidate(db, input.memberId, round.org_path, round.nomination_deadline);
  if (!c || !runsOrgAt(actor, c.org_path)) throw invalidField('memberId', 'commendation.candidate_not_found');
  const checks = checksOf(c, Number(round.min_party_years));
  return { checks, qualified: checks.every((x) => x.ok) };
}

// ---------- nominations ----------

type NominationRow = {
  id: string; round_id: string; org_id: string; org_name: string; kind: RoundKind; member_id: string | null; candidate_org_id: string | null;
  candidate_name: string; candidate_org_name: string; deeds: string; checks: Check[] | string; status: Nomination['status']; status_reason: string | null;
  nominated_by_name: string | null; reviewed_at: Time; created_at: Time;
} & Row;

const nominationColumns = sql`n.id::text, n.round_id::text, n.org_id::text, o.name as org_name, n.kind, n.member_id::text, n.candidate_org_id::text,
  n.candidate_name, n.candidate_org_name, n.deeds, n.checks, n.status, n.status_reason, u.display_name as nominated_by_name, n.reviewed_at, n.created_at`;
const nominationFrom = sql`commendation_nominations n join orgs o on o.id = n.org_id left join users u on u.id = n.nominated_by`;

function toNomination(r: NominationRow): Nomination {
  const checks = (typeof r.checks === 'string' ? JSON.parse(r.checks) : r.checks) as Check[];
  return {
    id: r.id, roundId: r.round_id, orgId: r.org_id, orgName: r.org_name, kind: r.kind, memberId: r.member_id, candidateOrgId: r.candidate_org_id,
    candidateName: r.candidate_name, candidateOrgName: r.candidate_org_name, deeds: r.deeds, checks, qualified: checks.every((c) => c.ok),
    status: r.status, statusReason: r.status_reason, nominatedBy: r.nominated_by_name, reviewedAt: iso(r.reviewed_at), createdAt: iso(r.created_at)!,
  };
}

export async function listNominations(db: Db, actor: Actor, roundId: string, query: NominationListQuery): Promise<NominationPage> {
  const round = await findRound(db, actor, roundId);
  const conditions: SQL[] = [sql`n.round_id = ${roundId}`];
  if (!canManageRound(actor, { orgPath: round.org_path })) conditions.push(nominationsInScope(actor));
  if (query.status) conditions.push(sql`n.status = ${query.status}`);
  if (query.kind) conditions.push(sql`n.kind = ${query.kind}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<NominationRow>(sql`select ${nominationColumns} from ${nominationFrom} where ${where} order by n.kind, o.path, n.id ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from commendation_nominations n where ${where}`),
  ]);
  return { items: rows.rows.map(toNomination), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

async function readNomination(q: Queryable, id: string): Promise<Nomination> {
  return toNomination((await q.execute<NominationRow>(sql`select ${nominationColumns} from ${nominationFrom} where n.id = ${id}`)).rows[0]!);
}

/**
 * 推荐: the admin of a quota-holding org nominates a member or an org of its subtree, within its places
 * (409 when they are used up). A member candidate is checked (党龄, 正式党员, no 处分 in force) and refused
 * when a check fails; the checks are kept with the nomination.
 */
export async function createNomination(db: Db, actor: Actor, roundId: string, input: CreateNomination): Promise<Nomination> {
  const id = await db.transaction(async (tx) => {
    const round = await findRound(tx, actor, roundId, true);
    assertNominating(round);
    const isPast = (await tx.execute<{ past: boolean } & Row>(sql`select ${today} > ${round.nomination_deadline}::date as past`)).rows[0]!.past;
    if (isPast) throw conflict('commendation.deadline_passed', { deadline: round.nomination_deadline });
    if (!textArrayOf(round.kinds).includes(input.kind)) throw invalidField('kind', 'commendation.kind_not_offered');
    const org = await managedOrg(tx, actor, input.orgId, { lock: 'share', field: 'orgId' });
    const quota = (await tx.execute<{ places: number; extra_places: number } & Row>(sql`
      select places, extra_places from commendation_quotas where round_id = ${roundId} and org_id = ${org.id} and kind = ${input.kind} for update`)).rows[0];
    if (!quota) throw invalidField('orgId', 'commendation.no_quota');
    let candidate: { memberId: string | null; orgId: string | null; name: string; orgName: string; checks: Check[] };
    if (MEMBER_KINDS.includes(input.kind)) {
      const c = await memberCandidate(tx, input.memberId!, org.path, round.nomination_deadline);
      if (!c) throw invalidField('memberId', 'commendation.candidate_not_found');
      const checks = checksOf(c, Number(round.min_party_years));
      if (!checks.every((x) => x.ok)) throw invalidField('memberId', 'commendation.not_qualified', { reasons: failures(checks) });
      candidate = { memberId: c.id, orgId: null, name: c.name, orgName: c.org_name, checks };
    } else {
      const o = (await tx.execute<{ id: string; name: string } & Row>(sql`
        select id::text, name from orgs where id = ${input.candidateOrgId!} and path <@ ${org.path}::ltree and dissolved_at is null`)).rows[0];
      if (!o) throw invalidField('candidateOrgId', 'commendation.candidate_not_found');
      candidate = { memberId: null, orgId: o.id, name: o.name, orgName: org.name, checks: [] };
    }
    const used = Number((await tx.execute<{ n: number } & Row>(sql`select count(*)::int as n from commendation_nominations
      where round_id = ${roundId} and org_id = ${org.id} and kind = ${input.kind} and status not in ('returned', 'withdrawn')`)).rows[0]!.n);
    const places = Number(quota.places) + Number(quota.extra_places);
    if (used >= places) throw conflict('commendation.quota_full', { kind: HONOUR_TITLES[input.kind], places, used });
    const row = (await tx.execute<{ id: string } & Row>(sql`
      insert into commendation_nominations (round_id, org_id, org_path, kind, member_id, candidate_org_id, candidate_name, candidate_org_name, deeds, checks, nominated_by)
      values (${roundId}, ${org.id}, ${org.path}::ltree, ${input.kind}, ${candidate.memberId}, ${candidate.orgId}, ${candidate.name}, ${candidate.orgName},
              ${input.deeds}, ${JSON.stringify(candidate.checks)}::jsonb, ${actor.userId})
      on conflict do nothing returning id::text`)).rows[0];
    if (!row) throw conflict('commendation.already_nominated');
    await audit(tx, actor, { action: 'commendation.nominate', targetType: 'commendation_nomination', targetId: row.id, orgPath: org.path,
      detail: { round: round.title, kind: input.kind, name: candidate.name } });
    return row.id;
  });
  return readNomination(db, id);
}

async function findManagedNomination(tx: Queryable, actor: Actor, id: string): Promise<{ nomination: NominationRow; round: RoundRow }> {
  const n = (await tx.execute<NominationRow>(sql`select ${nominationColumns} from ${nominationFrom} where n.id = ${id} for update of n`)).rows[0];
  if (!n) throw notFound('commendation.nomination_not_found');
  let round: RoundRow;
  try {
    round = await findManagedRound(tx, actor, n.round_id, true);
  } catch (error) {
    if (error instanceof AppError && error.status === 404) throw notFound('commendation.nomination_not_found');
    throw error;
  }
  return { nomination: n, round };
}

/** 审核通过: the round's admins; a member candidate is checked again (a 处分 may have been recorded since). */
export async function approveNomination(db: Db, actor: Actor, id: string): Promise<Nomination> {
  await db.transaction(async (tx) => {
    const { nomination: n, round } = await findManagedNomination(tx, actor, id);
    assertNominating(round);
    if (n.status !== 'submitted') throw conflict('commendation.not_submitted');
    let checks = toNomination(n).checks;
    if (n.member_id) {
      const c = await memberCandidate(tx, n.member_id, round.org_path, round.nomination_deadline);
      checks = c ? checksOf(c, Number(round.min_party_years)) : checks.map((x) => ({ ...x, ok: false }));
      if (!checks.every((x) => x.ok)) throw conflict('commendation.not_qualified_now', { reasons: failures(checks) || '已不在本组织' });
    }
    await tx.execute(sql`update commendation_nominations set status = 'approved', checks = ${JSON.stringify(checks)}::jsonb, reviewed_by = ${actor.userId}, reviewed_at = now()
      where id = ${id}`);
    await audit(tx, actor, { action: 'commendation.approve', targetType: 'commendation_nomination', targetId: id, orgPath: round.org_path, detail: { round: round.title, name: n.candidate_name } });
  });
  return readNomination(db, id);
}

/** 退回 with the reason: the place is free again. */
export async function returnNomination(db: Db, actor: Actor, id: string, reason: string): Promise<Nomination> {
  await db.transaction(async (tx) => {
    const { nomination: n, round } = await findManagedNomination(tx, actor, id);
    assertNominating(round);
    if (n.status !== 'submitted' && n.status !== 'approved') throw conflict('commendation.not_submitted');
    await tx.execute(sql`update commendation_nominations set status = 'returned', status_reason = ${reason}, reviewed_by = ${actor.userId}, reviewed_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'commendation.return', targetType: 'commendation_nomination', targetId: id, orgPath: round.org_path, detail: { round: round.title, name: n.candidate_name, reason } });
  });
  return readNomination(db, id);
}

// ---------- 公示 and award ----------

/** 公示: the approved nominations are shown through the public_notices module (names, org names, deeds; nothing personal). */
export async function openRoundNotice(db: Db, actor: Actor, id: string, input: OpenRoundNotice): Promise<Round> {
  await db.transaction(async (tx) => {
    const round = await findManagedRound(tx, actor, id, true);
    assertNominating(round);
    if (Number(round.submitted) > 0) throw conflict('commendation.pending_review', { n: Number(round.submitted) });
    const approved = (await tx.execute<NominationRow>(sql`select ${nominationColumns} from ${nominationFrom}
      where n.round_id = ${id} and n.status = 'approved' order by n.kind, o.path, n.id`)).rows;
    if (approved.length === 0) throw conflict('commendation.none_approved');
    const { publicNoticeId } = await openPublicNotice(tx as Tx, actor, {
      kind: 'commendation', sourceId: id, orgId: round.org_id, title: `${round.title}拟表彰对象公示`, startsOn: input.startsOn, endsOn: input.endsOn,
      items: approved.map((n) => ({ ref: n.id, name: n.candidate_name, orgName: n.candidate_org_name, title: HONOUR_TITLES[n.kind], summary: n.deeds.slice(0, 2000) })),
    });
    await tx.execute(sql`update commendation_rounds set status = 'public_notice', public_notice_id = ${publicNoticeId}, updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'commendation.open_notice', targetType: 'commendation_round', targetId: id, orgPath: round.org_path,
      detail: { title: round.title, publicNoticeId, startsOn: input.startsOn, endsOn: input.endsOn, items: approved.length } });
  });
  return getRound(db, actor, id);
}

export async function roundNoticeState(db: Db, actor: Actor, id: string): Promise<PublicNoticeState | null> {
  const round = await findRound(db, actor, id);
  return round.public_notice_id ? publicNoticeState(db, round.public_notice_id) : null;
}

/** An upheld objection withdraws the nomination (the reason kept); the award leaves it out. */
registerPublicNoticeHandler('commendation', {
  async onItemWithdrawn(tx, item) {
    if (!ID.test(item.ref) || !ID.test(item.sourceId)) return;
    await tx.execute(sql`update commendation_nominations set status = 'withdrawn', status_reason = ${item.reason}
      where id = ${item.ref} and round_id = ${item.sourceId} and status = 'approved'`);
  },
});

/** 表彰: after the 公示 ended without a pending objection, the approved nominations become honours. */
export async function awardRound(db: Db, actor: Actor, id: string): Promise<Round> {
  await db.transaction(async (tx) => {
    const round = await findManagedRound(tx, actor, id, true);
    if (round.status === 'awarded') throw conflict('commendation.already_awarded');
    if (round.status !== 'public_notice' || !round.public_notice_id) throw conflict('commendation.no_public_notice');
    const state = await publicNoticeState(tx, round.public_notice_id);
    if (state.status !== 'ended') throw conflict('commendation.notice_not_ended', { endsOn: state.endsOn });
    if (state.pendingObjections > 0) throw conflict('commendation.objections_pending', { n: state.pendingObjections });
    const withdrawn = textArray(state.withdrawnRefs);
    await tx.execute(sql`update commendation_nominations set status = 'withdrawn', status_reason = coalesce(status_reason, '公示期间异议成立')
      where round_id = ${id} and status = 'approved' and id::text = any(${withdrawn}::text[])`);
    const awarded = await tx.execute<{ id: string } & Row>(sql`
      insert into honours (kind, member_id, org_id, org_path, awarded_by_org_id, awarded_by_org_name, recipient_name, recipient_org_name, title, year,
                           reason, round_id, nomination_id, awarded_on, awarded_by)
      select n.kind, n.member_id, coalesce(m.org_id, n.candidate_org_id), coalesce(m.org_path, co.path), ${round.org_id}, ${round.org_name}, n.candidate_name,
             coalesce(mo.name, co.name), case n.kind when 'outstanding_member' then '优秀共产党员' when 'outstanding_worker' then '优秀党务工作者' else '先进基层党组织' end,
             ${round.year}, n.deeds, n.round_id, n.id, ${today}, ${actor.userId}
        from commendation_nominations n
        left join members m on m.id = n.member_id left join orgs mo on mo.id = m.org_id
        left join orgs co on co.id = n.candidate_org_id
       where n.round_id = ${id} and n.status = 'approved'
       order by n.kind, n.id
      returning id::text`);
    await tx.execute(sql`update commendation_nominations set status = 'awarded' where round_id = ${id} and status = 'approved'`);
    await tx.execute(sql`update commendation_rounds set status = 'awarded', awarded_on = ${today}, updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'commendation.award', targetType: 'commendation_round', targetId: id, orgPath: round.org_path,
      detail: { title: round.title, honours: awarded.rows.length, withdrawn: state.withdrawnRefs.length } });
  });
  return getRound(db, actor, id);
}
