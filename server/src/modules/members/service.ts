import { sql, type SQL } from 'drizzle-orm';
import {
  MEMBER_COUNT_CAP, MEMBER_STAGES, STAGE_DATE_FIELD, addYears, birthDateOfIdNumber, memberRecordProblems, todayInChina,
  type AdvanceStage, type CreateMember, type LeaveMember, type LeaveReason, type Member, type MemberDetail, type MemberListQuery,
  type MemberPage, type MemberRecordFacts, type MemberStage, type Reveal, type Revealed, type StageDateField, type UpdateMember,
  type UpdateOwnProfile,
} from '../../../../contracts/members.js';
import type { OrgType } from '../../../../contracts/orgs.js';
import { administers, inAdminScope, type Actor } from '../../platform/actor.js';
import { executePrepared, type Db, type Queryable } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { AppError, conflict, forbidden, invalidField, invalidFields, notFound, type FieldProblem } from '../../platform/errors.js';
import { maskIdNumber, maskPhone, type PersonalDataCipher } from '../../platform/personal-data.js';
import { canManageMember, canRevealMember, keepsMemberRoll, visibleMembers } from './policy.js';
import { memberSearchText, normalizeSearchTerm } from './search-text.js';
import { disableAccountsOfMember } from '../users/service.js';
import './messages.js';

type Row<T> = T & Record<string, unknown>;

type MemberRow = Row<{
  id: string; org_id: string; org_name: string; org_path: string; name: string; gender: 'male' | 'female'; ethnicity: string;
  birth_date: string | null; id_number_masked: string | null; phone_masked: string | null; education: string | null;
  work_unit: string | null; post: string | null; stage: MemberStage; applied_on: string | null; activist_on: string | null;
  candidate_on: string | null; joined_on: string | null; converted_on: string | null; residence_community: string | null;
  left_at: Date | string | null; left_on: string | null; left_reason: LeaveReason | null; left_note: string | null;
  created_at: Date | string; updated_at: Date | string;
}>;

const memberColumns = sql`
  m.id::text, m.org_id::text, o.name as org_name, m.org_path::text, m.name, m.gender, m.ethnicity, m.birth_date::text,
  m.id_number_masked, m.phone_masked, m.education, m.work_unit, m.post, m.stage,
  m.applied_on::text, m.activist_on::text, m.candidate_on::text, m.joined_on::text, m.converted_on::text,
  m.residence_community, m.left_at, m.left_on::text, m.left_reason, m.left_note, m.created_at, m.updated_at`;

/** Record field (camelCase, as in the contract) → column. */
const STAGE_DATE_COLUMN: Record<StageDateField, string> = {
  appliedOn: 'applied_on', activistOn: 'activist_on', candidateOn: 'candidate_on', joinedOn: 'joined_on', convertedOn: 'converted_on',
};

const iso = (t: Date | string) => new Date(t).toISOString();

function toMember(row: MemberRow): Member {
  return {
    id: row.id,
    orgId: row.org_id,
    orgName: row.org_name,
    name: row.name,
    gender: row.gender,
    ethnicity: row.ethnicity,
    birthDate: row.birth_date,
    idNumberMasked: row.id_number_masked,
    phoneMasked: row.phone_masked,
    education: row.education,
    workUnit: row.work_unit,
    post: row.post,
    stage: row.stage,
    joinedOn: row.joined_on,
    convertedOn: row.converted_on,
    residenceCommunity: row.residence_community,
    leftAt: row.left_at == null ? null : iso(row.left_at),
  };
}

function stageDatesOf(row: Pick<MemberRow, 'applied_on' | 'activist_on' | 'candidate_on' | 'joined_on' | 'converted_on'>): Record<StageDateField, string | null> {
  return { appliedOn: row.applied_on, activistOn: row.activist_on, candidateOn: row.candidate_on, joinedOn: row.joined_on, convertedOn: row.converted_on };
}

/** The step that may come next and the earliest day for it (the rules of advanceStage). */
function nextStep(stage: MemberStage, dates: Record<StageDateField, string | null>): { stage: MemberStage | null; earliest: string | null } {
  const next = MEMBER_STAGES[MEMBER_STAGES.indexOf(stage) + 1];
  if (!next) return { stage: null, earliest: null };
  let earliest = latestStepDate(stage, dates);
  const byRule = next === 'candidate' && dates.activistOn ? addYears(dates.activistOn, 1) : next === 'full' && dates.joinedOn ? addYears(dates.joinedOn, 1) : null;
  if (byRule && (!earliest || byRule > earliest)) earliest = byRule;
  return { stage: next, earliest };
}

/** The date of the latest step taken (old records may lack the dates of early steps). */
function latestStepDate(stage: MemberStage, dates: Record<StageDateField, string | null>): string | null {
  for (let i = MEMBER_STAGES.indexOf(stage); i >= 0; i--) {
    const date = dates[STAGE_DATE_FIELD[MEMBER_STAGES[i]!]];
    if (date) return date;
  }
  return null;
}

// ---------- list ----------

/** The filters of the list (and of the export, which takes the same query without paging). */
export type MemberFilterQuery = Partial<Pick<MemberListQuery, 'q' | 'orgId' | 'stage' | 'gender' | 'education' | 'joinedFrom' | 'joinedTo' | 'ageMin' | 'ageMax' | 'status'>>;

/**
 * The whole WHERE of the member list over `members m`: the viewer's scope, then the filters.
 * Every part is indexable: `m.org_path <@ …` (GiST), search_text LIKE (trigram GIN), the last
 * four digits (btree), the blind indexes for a whole ID or phone number (needs `cipher`; without
 * it a whole number is matched by its last four digits).
 */
export function memberFilter(actor: Actor, query: MemberFilterQuery, cipher?: PersonalDataCipher): SQL {
  const conditions: SQL[] = [visibleMembers(actor)];
  const status = query.status ?? 'active';
  if (status === 'active') conditions.push(sql`m.left_at is null`);
  if (status === 'left') conditions.push(sql`m.left_at is not null`);
  if (query.orgId) conditions.push(sql`m.org_path <@ (select path from orgs where id = ${query.orgId})`);
  if (query.stage?.length) conditions.push(sql`m.stage in (${sql.join(query.stage.map((s) => sql`${s}`), sql`, `)})`);
  if (query.gender) conditions.push(sql`m.gender = ${query.gender}`);
  if (query.education) conditions.push(sql`m.education = ${query.education}`);
  if (query.joinedFrom) conditions.push(sql`m.joined_on >= ${query.joinedFrom}::date`);
  if (query.joinedTo) conditions.push(sql`m.joined_on <= ${query.joinedTo}::date`);
  // age in whole years today: born on or before today − ageMin years, after today − (ageMax + 1) years
  if (query.ageMin !== undefined) conditions.push(sql`m.birth_date <= (current_date - make_interval(years => ${query.ageMin}::int))::date`);
  if (query.ageMax !== undefined) conditions.push(sql`m.birth_date > (current_date - make_interval(years => ${query.ageMax + 1}::int))::date`);
  const search = query.q ? searchCondition(query.q, cipher) : null;
  if (search) conditions.push(search);
  return sql.join(conditions, sql` and `);
}

function searchCondition(q: string, cipher?: PersonalDataCipher): SQL | null {
  const digits = q.replace(/[\s-]/g, '').toUpperCase();
  if (/^\d{3,17}[\dX]$/.test(digits)) {
    if (cipher && digits.length === 18) return sql`m.id_number_hash = ${cipher.blindIndex(digits)}`;
    if (cipher && digits.length === 11 && digits.startsWith('1')) {
      return sql`(m.phone_hash = ${cipher.blindIndex(digits)} or m.id_number_last4 = ${digits.slice(-4)})`;
    }
    const last4 = digits.slice(-4);
    return sql`(m.id_number_last4 = ${last4} or m.phone_last4 = ${last4})`;
  }
  const term = normalizeSearchTerm(q);
  if (!term) return null;
  // one or two letters are the start of the initials or the pinyin ('wj' → 王建国): a word-start
  // match, which the trigram index serves; a substring of two letters would scan every row
  if (/^[a-z]{1,2}$/.test(term)) return sql`m.search_text like ${'% ' + term + '%'}`;
  // one or two name characters (王) have no trigram: the grams index finds them (migration
  // 20261123110600), LIKE decides
  if (/^\P{ASCII}{1,2}$/u.test(term)) return sql`member_name_grams(m.search_text) @> array[${term}]::text[] and m.search_text like ${'%' + escapeLike(term) + '%'}`;
  return sql`m.search_text like ${'%' + escapeLike(term) + '%'}`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => '\\' + c);
}

/**
 * ORDER BY of the list, always ending in the id so that pages never overlap. With a search term
 * the keys are wrapped (same order, no index): the hits of a name search sit together in name
 * order, so walking the name index from the start to find them is the planner's trap; the
 * trigram/last-4 hits are few, fetched by their own index and sorted.
 */
export function memberOrder(query: Partial<Pick<MemberListQuery, 'sort' | 'order' | 'q'>>): SQL {
  const dir = sql.raw(query.order === 'desc' ? 'desc' : 'asc');
  const searching = Boolean(query.q?.trim());
  const key = (column: string, noIndex: string) => sql.raw(searching ? noIndex : column);
  switch (query.sort ?? 'name') {
    case 'joinedOn': return sql`${key('m.joined_on', '(m.joined_on + 0)')} ${dir} nulls last, m.id ${dir}`;
    case 'birthDate': return sql`${key('m.birth_date', '(m.birth_date + 0)')} ${dir}, m.id ${dir}`;
    case 'id': return sql`${key('m.id', '(m.id + 0)')} ${dir}`;
    default: return sql`${key('m.name_sort', "(m.name_sort || '')")} ${dir}, m.id ${dir}`;
  }
}

export async function listMembers(db: Queryable, actor: Actor, query: MemberListQuery, cipher?: PersonalDataCipher): Promise<MemberPage> {
  const where = memberFilter(actor, query, cipher);
  const order = memberOrder(query);
  const limit = sql`limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`;
  const capped = (n: number) => ({ total: Math.min(n, MEMBER_COUNT_CAP), isTotalCapped: n > MEMBER_COUNT_CAP });
  const countCapped = async () => Number((await db.execute<Row<{ n: number }>>(
    sql`select count(*)::int as n from (select 1 from members m where ${where} limit ${MEMBER_COUNT_CAP + 1}) hits`)).rows[0]?.n ?? 0);
  // offset paging, capped at MAX_LIST_OFFSET by the contract: deeper lists are narrowed or exported
  const short = shortSearchOf(actor, query);
  if (short) {
    const page = await listByPostings(db, query, short);
    if (page) return page;
  }
  if (query.q?.trim()) {
    // a search sorts all its hits anyway: count them in the same pass (the filter is the cost);
    // only ids and sort keys are sorted, the page's 20 rows are read after
    const rows = (await db.execute<MemberRow & Row<{ total: number }>>(sql`select ${memberColumns}, hits.total
      from (select m.id, count(*) over () as total from members m where ${where} order by ${order} ${limit}) hits
      join members m on m.id = hits.id join orgs o on o.id = m.org_id order by ${order}`)).rows;
    const total = rows.length > 0 ? Number(rows[0]!.total) : query.page > 1 ? await countCapped() : 0;
    return { items: rows.map(toMember), ...capped(total), page: query.page, pageSize: query.pageSize };
  }
  // a browse walks an index in list order and stops after the page; the count stops at the cap
  const [rows, total] = await Promise.all([
    db.execute<MemberRow>(sql`select ${memberColumns} from members m join orgs o on o.id = m.org_id where ${where} order by ${order} ${limit}`),
    countCapped(),
  ]);
  return { items: rows.rows.map(toMember), ...capped(total), page: query.page, pageSize: query.pageSize };
}

/**
 * A one- or two-character search (王, zh) of a whole subtree the actor administers, with no other
 * filter, in list order: answered from member_search_postings (migration 20261123124000), whose keys
 * are exactly the hits of searchCondition. The range of the subtree's paths is read in index order,
 * counted and paged without visiting members; then the page's members are read.
 */
function shortSearchOf(actor: Actor, query: MemberListQuery): { term: string; range: SQL } | null {
  const term = query.q ? normalizeSearchTerm(query.q) : '';
  if (!/^[a-z]{1,2}$/.test(term) && !/^\P{ASCII}{1,2}$/u.test(term)) return null;
  if (query.status !== 'active' || (query.sort ?? 'name') !== 'name' || query.stage?.length || query.gender || query.education
    || query.joinedFrom || query.joinedTo || query.ageMin !== undefined || query.ageMax !== undefined) return null;
  // a subtree is the byte range ['<path>.', '<path>/') of the postings' paths; the org must lie in the
  // actor's scope as a whole (else the general query sorts out which of its members are visible)
  if (query.orgId) return { term, range: sql`(select o.path::text || '.' as lo, o.path::text || '/' as hi from orgs o where o.id = ${query.orgId} and ${inAdminScope(actor, sql`o.path`)})` };
  if (actor.isPlatformAdmin) return { term, range: sql`(select ''::text as lo, '~'::text as hi)` };
  return null;
}

async function listByPostings(db: Queryable, query: MemberListQuery, short: { term: string; range: SQL }): Promise<MemberPage | null> {
  const dir = sql.raw(query.order === 'desc' ? 'desc' : 'asc');
  const rows = await executePrepared<MemberRow & Row<{ total: number }>>(db, sql`select ${memberColumns}, hits.total
    from (select p.member_id, count(*) over () as total
            from member_search_postings p, ${short.range} r
           where p.term = ${short.term} and p.path >= r.lo collate "C" and p.path < r.hi collate "C"
           order by p.name_sort ${dir}, p.member_id ${dir}
           limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}) hits
    join members m on m.id = hits.member_id join orgs o on o.id = m.org_id
    order by ${memberOrder(query)}`);
  // nothing on the page: out of scope, no hits, or past the end; the general query tells which
  if (rows.length === 0) return null;
  const total = Number(rows[0]!.total);
  return { items: rows.map(toMember), total: Math.min(total, MEMBER_COUNT_CAP), isTotalCapped: total > MEMBER_COUNT_CAP, page: query.page, pageSize: query.pageSize };
}

// ---------- one member ----------

export async function getMember(db: Queryable, actor: Actor, id: string): Promise<MemberDetail> {
  // one statement: the member and, aggregated, the stage history
  const [row] = await executePrepared<MemberRow & Row<{ events: string }>>(db, sql`select ${memberColumns},
      (select coalesce(json_agg(json_build_object('id', e.id::text, 'stage', e.stage, 'occurred_on', e.occurred_on::text,
                 'recorded_by_name', u.display_name, 'created_at', e.created_at) order by e.occurred_on, e.id), '[]')::text
         from member_stage_events e left join users u on u.id = e.recorded_by where e.member_id = m.id) as events
    from members m join orgs o on o.id = m.org_id
    where m.id = ${id} and ${visibleMembers(actor)}`);
  if (!row) throw notFound('member.not_found');
  const events = JSON.parse(row.events) as { id: string; stage: MemberStage; occurred_on: string; recorded_by_name: string | null; created_at: string }[];
  const dates = stageDatesOf(row);
  const next = row.left_at ? { stage: null, earliest: null } : nextStep(row.stage, dates);
  const member = { id: row.id, orgPath: row.org_path };
  return {
    ...toMember(row),
    orgPath: row.org_path,
    appliedOn: row.applied_on,
    activistOn: row.activist_on,
    candidateOn: row.candidate_on,
    leftOn: row.left_on,
    leftReason: row.left_reason,
    leftNote: row.left_note,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    stageHistory: events.map((e) => ({ id: e.id, stage: e.stage, occurredOn: e.occurred_on, recordedByName: e.recorded_by_name, recordedAt: iso(e.created_at) })),
    nextStage: next.stage,
    nextStageEarliest: next.earliest,
    canManage: canManageMember(actor, member),
    canReveal: canRevealMember(actor, member),
  };
}

type LockedMember = Row<{
  id: string; org_path: string; stage: MemberStage; birth_date: string | null; id_number_enc: string | null; id_number_hash: string | null;
  applied_on: string | null; activist_on: string | null; candidate_on: string | null; joined_on: string | null; converted_on: string | null;
  left_at: Date | string | null;
}>;

/** A member the actor may see, locked for the rest of the transaction; 404 otherwise. */
async function lockVisibleMember(tx: Queryable, actor: Actor, id: string): Promise<LockedMember> {
  const result = await tx.execute<LockedMember>(sql`
    select m.id::text, m.org_path::text, m.stage, m.birth_date::text, m.id_number_enc, m.id_number_hash,
           m.applied_on::text, m.activist_on::text, m.candidate_on::text, m.joined_on::text, m.converted_on::text, m.left_at
      from members m where m.id = ${id} and ${visibleMembers(actor)} for update`);
  const row = result.rows[0];
  if (!row) throw notFound('member.not_found');
  return row;
}

/** As lockVisibleMember, and the actor administers the member's org (a member viewing themself gets 403). */
async function lockManagedMember(tx: Queryable, actor: Actor, id: string): Promise<LockedMember> {
  const row = await lockVisibleMember(tx, actor, id);
  if (!canManageMember(actor, { orgPath: row.org_path })) throw forbidden('member.not_manageable');
  return row;
}

// ---------- personal data ----------

interface SealedIdNumber { enc: string; hash: string; masked: string; last4: string }
interface SealedPhone { enc: string | null; hash: string | null; masked: string | null; last4: string | null }

function sealIdNumber(cipher: PersonalDataCipher, id: string): SealedIdNumber {
  return { enc: cipher.encrypt(id), hash: cipher.blindIndex(id), masked: maskIdNumber(id), last4: id.slice(-4) };
}

function sealPhone(cipher: PersonalDataCipher, phone: string | null | undefined): SealedPhone {
  if (!phone) return { enc: null, hash: null, masked: null, last4: null };
  return { enc: cipher.encrypt(phone), hash: cipher.blindIndex(phone), masked: maskPhone(phone), last4: phone.slice(-4) };
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

const idNumberTaken = () => new AppError(409, 'member.id_number_taken', {}, { idNumber: { key: 'member.id_number_taken' } });

// ---------- create ----------

/** One problem of one input of insertMembers. */
export interface MemberRowProblem {
  /** Position in the `inputs` array. */
  index: number;
  /** The CreateMember field at fault: 'orgId' or 'idNumber'. */
  field: 'orgId' | 'idNumber';
  /** Message key (registered by ./messages.js) and its parameters. */
  key: string;
  params?: Record<string, string | number>;
  /** 409 for an ID number already on a roll (or twice in the batch), 400 otherwise. */
  status: 400 | 409;
  /** For 'member.id_number_repeated': the index of the first input with that ID number. */
  duplicateOf?: number;
}

export interface InsertMembersResult {
  /** In the order of the inputs; empty when there are problems. */
  inserted: { id: string; orgPath: string }[];
  problems: MemberRowProblem[];
}

const INSERT_CHUNK = 1000; // 25 parameters a row, well under PostgreSQL's 65,535 per statement

/**
 * Inserts members already validated by CreateMemberSchema, as multi-row INSERTs (1,000 rows a
 * statement) with their pipeline history, in the caller's transaction.
 *
 * Contract (the importer relies on it):
 * - First checks every input, with one query per 1,000 orgs / ID numbers: the org exists, the actor
 *   administers it, it is not dissolved and keeps a roll (MEMBER_ORG_TYPES); the ID number is on no
 *   roll yet (any org, left members included) and appears once in the batch.
 * - If any input has a problem, nothing is written and `problems` lists them all (an input may
 *   have several); `inserted` is empty. The caller decides (report them, or drop those rows and
 *   call again with the good ones).
 * - Otherwise every input is inserted and `inserted[i]` is the new member of `inputs[i]`.
 * - Does not audit: createMember writes 'member.create'; a bulk caller writes its own entry
 *   (e.g. 'member.import' with the count).
 * - A concurrent insert of the same ID number (after the check) ends in a 409 AppError on
 *   idNumber thrown from here: the caller's transaction is then unusable and must roll back.
 */
export async function insertMembers(tx: Queryable, actor: Actor, cipher: PersonalDataCipher, inputs: readonly CreateMember[]): Promise<InsertMembersResult> {
  const problems: MemberRowProblem[] = [];
  if (inputs.length === 0) return { inserted: [], problems };

  const orgs = new Map<string, { path: string; type: OrgType; dissolved: boolean }>();
  for (const ids of chunks([...new Set(inputs.map((i) => i.orgId))], INSERT_CHUNK)) {
    const result = await tx.execute<Row<{ id: string; path: string; type: OrgType; dissolved: boolean }>>(sql`
      select id::text, path::text, type, dissolved_at is not null as dissolved from orgs where id in (${list(ids)})`);
    for (const o of result.rows) orgs.set(o.id, { path: o.path, type: o.type, dissolved: o.dissolved });
  }
  inputs.forEach((input, index) => {
    const org = orgs.get(input.orgId);
    if (!org || !administers(actor, org.path)) problems.push({ index, field: 'orgId', key: 'org.not_found', status: 400 });
    else if (org.dissolved) problems.push({ index, field: 'orgId', key: 'org.dissolved', status: 400 });
    else if (!keepsMemberRoll(org.type)) problems.push({ index, field: 'orgId', key: 'member.org_type_not_allowed', params: { type: `org_type.${org.type}` }, status: 400 });
  });

  const sealed = inputs.map((input) => ({ idNumber: sealIdNumber(cipher, input.idNumber), phone: sealPhone(cipher, input.phone) }));
  const firstWithHash = new Map<string, number>();
  sealed.forEach(({ idNumber }, index) => {
    const first = firstWithHash.get(idNumber.hash);
    if (first === undefined) firstWithHash.set(idNumber.hash, index);
    else problems.push({ index, field: 'idNumber', key: 'member.id_number_repeated', status: 409, duplicateOf: first });
  });
  for (const hashes of chunks([...firstWithHash.keys()], INSERT_CHUNK)) {
    const taken = await tx.execute<Row<{ id_number_hash: string; name: string; org_path: string; org_name: string }>>(sql`
      select m.id_number_hash, m.name, m.org_path::text, o.name as org_name
        from members m join orgs o on o.id = m.org_id where m.id_number_hash in (${list(hashes)})`);
    for (const t of taken.rows) {
      const index = firstWithHash.get(t.id_number_hash)!;
      // who holds the number is told only to someone who may see that record
      problems.push(administers(actor, t.org_path)
        ? { index, field: 'idNumber', key: 'member.id_number_taken_by', params: { name: t.name, org: t.org_name }, status: 409 }
        : { index, field: 'idNumber', key: 'member.id_number_taken', status: 409 });
    }
  }
  if (problems.length > 0) return { inserted: [], problems: problems.sort((a, b) => a.index - b.index) };

  const inserted: { id: string; orgPath: string }[] = [];
  const indexes = inputs.map((_, i) => i);
  for (const part of chunks(indexes, INSERT_CHUNK)) {
    const values = part.map((i) => {
      const m = inputs[i]!;
      const { idNumber, phone } = sealed[i]!;
      return sql`(${m.orgId}, ${orgs.get(m.orgId)!.path}::ltree, ${m.name}, ${m.gender}, ${m.ethnicity}, ${m.birthDate}::date,
        ${idNumber.enc}, ${idNumber.hash}, ${idNumber.masked}, ${idNumber.last4}, ${phone.enc}, ${phone.hash}, ${phone.masked}, ${phone.last4},
        ${m.education ?? null}, ${m.workUnit ?? null}, ${m.post ?? null}, ${m.stage},
        ${m.appliedOn ?? null}::date, ${m.activistOn ?? null}::date, ${m.candidateOn ?? null}::date, ${m.joinedOn ?? null}::date, ${m.convertedOn ?? null}::date,
        ${m.residenceCommunity ?? null}, ${memberSearchText(m.name)})`;
    });
    let rows: Row<{ id: string; id_number_hash: string }>[];
    try {
      rows = (await tx.execute<Row<{ id: string; id_number_hash: string }>>(sql`
        insert into members (org_id, org_path, name, gender, ethnicity, birth_date,
          id_number_enc, id_number_hash, id_number_masked, id_number_last4, phone_enc, phone_hash, phone_masked, phone_last4,
          education, work_unit, post, stage, applied_on, activist_on, candidate_on, joined_on, converted_on,
          residence_community, search_text)
        values ${sql.join(values, sql`, `)}
        returning id::text, id_number_hash`)).rows;
    } catch (error) {
      if (isUniqueViolation(error)) throw idNumberTaken();
      throw error;
    }
    const idByHash = new Map(rows.map((r) => [r.id_number_hash, r.id]));
    for (const i of part) inserted.push({ id: idByHash.get(sealed[i]!.idNumber.hash)!, orgPath: orgs.get(inputs[i]!.orgId)!.path });
  }

  const events = inputs.flatMap((m, i) => MEMBER_STAGES.flatMap((stage) => {
    const date = m[STAGE_DATE_FIELD[stage]];
    return date ? [sql`(${inserted[i]!.id}, ${stage}, ${date}::date, ${actor.userId})`] : [];
  }));
  for (const part of chunks(events, INSERT_CHUNK * 4)) {
    await tx.execute(sql`insert into member_stage_events (member_id, stage, occurred_on, recorded_by) values ${sql.join(part, sql`, `)}`);
  }
  return { inserted, problems };
}

/** The API error for the problems of one input: 409 when the ID number is taken, else 400. */
function errorOf(problems: MemberRowProblem[]): AppError {
  const fields: Record<string, FieldProblem> = {};
  for (const p of problems) fields[p.field] ??= { key: p.key, params: p.params };
  const taken = problems.find((p) => p.status === 409);
  if (taken) return new AppError(409, taken.key, taken.params, fields);
  return invalidFields(fields);
}

export async function createMember(db: Db, actor: Actor, cipher: PersonalDataCipher, input: CreateMember): Promise<MemberDetail> {
  const id = await db.transaction(async (tx) => {
    const { inserted, problems } = await insertMembers(tx, actor, cipher, [input]);
    if (problems.length > 0) throw errorOf(problems);
    const member = inserted[0]!;
    await audit(tx, actor, {
      action: 'member.create', targetType: 'member', targetId: member.id, orgPath: member.orgPath,
      detail: { ...input, idNumber: maskIdNumber(input.idNumber), phone: input.phone ? maskPhone(input.phone) : null },
    });
    return member.id;
  });
  return getMember(db, actor, id);
}

// ---------- edit ----------

export async function updateMember(db: Db, actor: Actor, cipher: PersonalDataCipher, id: string, input: UpdateMember): Promise<MemberDetail> {
  await db.transaction(async (tx) => {
    const current = await lockManagedMember(tx, actor, id);
    if (current.left_at) throw conflict('member.has_left');
    const currentDates = stageDatesOf(current);
    const idNumber = input.idNumber ?? (current.id_number_enc ? cipher.decrypt(current.id_number_enc) : null);
    // the birth date follows the ID number unless given; cleared, it is read from the ID number again
    let birthDate = input.birthDate === undefined ? (input.idNumber ? null : current.birth_date) : input.birthDate;
    if (!birthDate && idNumber) birthDate = birthDateOfIdNumber(idNumber);
    const dates = { ...currentDates };
    for (const field of Object.keys(STAGE_DATE_COLUMN) as StageDateField[]) if (input[field] !== undefined) dates[field] = input[field];
    const merged: MemberRecordFacts = { stage: current.stage, idNumber, birthDate, ...dates };
    const problems = memberRecordProblems(merged);
    if (problems.length > 0) throw invalidFields(Object.fromEntries(problems.map((p) => [p.path, { key: p.key }])));

    const sets: SQL[] = [];
    const set = (column: string, value: unknown) => { if (value !== undefined) sets.push(sql`${sql.identifier(column)} = ${value}`); };
    set('name', input.name);
    if (input.name !== undefined) set('search_text', memberSearchText(input.name));
    set('gender', input.gender);
    set('ethnicity', input.ethnicity);
    if (birthDate !== current.birth_date) set('birth_date', birthDate);
    if (input.idNumber !== undefined) {
      const s = sealIdNumber(cipher, input.idNumber);
      if (s.hash !== current.id_number_hash) {
        const taken = await tx.execute(sql`select 1 from members where id_number_hash = ${s.hash} and id <> ${id}`);
        if (taken.rows.length > 0) throw idNumberTaken();
        set('id_number_enc', s.enc); set('id_number_hash', s.hash); set('id_number_masked', s.masked); set('id_number_last4', s.last4);
      }
    }
    setProfile(set, cipher, input);
    const changedDates = (Object.keys(STAGE_DATE_COLUMN) as StageDateField[]).filter((f) => input[f] !== undefined && input[f] !== currentDates[f]);
    for (const field of changedDates) set(STAGE_DATE_COLUMN[field], input[field]);
    if (sets.length === 0) return;
    try {
      await tx.execute(sql`update members set ${sql.join(sets, sql`, `)}, updated_at = now() where id = ${id}`);
    } catch (error) {
      if (isUniqueViolation(error)) throw idNumberTaken();
      throw error;
    }
    // a corrected date corrects the history of that step too
    for (const field of changedDates) {
      const stage = MEMBER_STAGES.find((s) => STAGE_DATE_FIELD[s] === field)!;
      const date = input[field];
      if (!date) await tx.execute(sql`delete from member_stage_events where member_id = ${id} and stage = ${stage}`);
      else {
        const updated = await tx.execute(sql`update member_stage_events set occurred_on = ${date}::date where member_id = ${id} and stage = ${stage} returning id`);
        if (updated.rows.length === 0) await tx.execute(sql`insert into member_stage_events (member_id, stage, occurred_on, recorded_by) values (${id}, ${stage}, ${date}::date, ${actor.userId})`);
      }
    }
    await audit(tx, actor, { action: 'member.update', targetType: 'member', targetId: id, orgPath: current.org_path, detail: auditDetailOf(input) });
  });
  return getMember(db, actor, id);
}

function setProfile(set: (column: string, value: unknown) => void, cipher: PersonalDataCipher, input: UpdateOwnProfile) {
  if (input.phone !== undefined) {
    const p = sealPhone(cipher, input.phone);
    set('phone_enc', p.enc); set('phone_hash', p.hash); set('phone_masked', p.masked); set('phone_last4', p.last4);
  }
  set('education', input.education);
  set('work_unit', input.workUnit);
  set('post', input.post);
  set('residence_community', input.residenceCommunity);
}

/** What changed, for the audit log: personal numbers only in their masked form. */
function auditDetailOf(input: UpdateMember): Record<string, unknown> {
  return {
    ...input,
    ...(input.idNumber !== undefined ? { idNumber: maskIdNumber(input.idNumber) } : {}),
    ...(input.phone !== undefined ? { phone: input.phone ? maskPhone(input.phone) : null } : {}),
  };
}

// ---------- pipeline ----------

/**
 * Records the next step of the development pipeline. Refused, naming the field: a stage that is
 * not the next one (skipped, backwards, the same), a date before the previous step or in the
 * future, 发展对象 before a year as 积极分子, 转正 before a year of probation.
 */
export async function advanceStage(db: Db, actor: Actor, id: string, input: AdvanceStage): Promise<MemberDetail> {
  await db.transaction(async (tx) => {
    const current = await lockManagedMember(tx, actor, id);
    if (current.left_at) throw conflict('member.has_left');
    const from = MEMBER_STAGES.indexOf(current.stage);
    const to = MEMBER_STAGES.indexOf(input.stage);
    const stageName = (s: MemberStage) => `member_stage.${s}`;
    if (to === from) throw invalidField('stage', 'member.stage_same', { stage: stageName(current.stage) });
    if (to < from) throw invalidField('stage', 'member.stage_backwards', { from: stageName(current.stage), to: stageName(input.stage) });
    if (to > from + 1) throw invalidField('stage', 'member.stage_skipped', { next: stageName(MEMBER_STAGES[from + 1]!) });

    const dates = stageDatesOf(current);
    const previous = latestStepDate(current.stage, dates);
    if (input.date > todayInChina()) throw invalidField('date', 'member.date_in_future');
    if (previous && input.date < previous) throw invalidField('date', 'member.stage_date_before', { stage: stageName(current.stage), previous });
    if (input.stage === 'candidate' && dates.activistOn && input.date < addYears(dates.activistOn, 1)) {
      throw invalidField('date', 'member.candidate_too_early_since', { date: addYears(dates.activistOn, 1) });
    }
    if (input.stage === 'full' && dates.joinedOn && input.date < addYears(dates.joinedOn, 1)) {
      throw invalidField('date', 'member.conversion_too_early_since', { date: addYears(dates.joinedOn, 1) });
    }
    const column = sql.identifier(STAGE_DATE_COLUMN[STAGE_DATE_FIELD[input.stage]]);
    await tx.execute(sql`update members set stage = ${input.stage}, ${column} = ${input.date}::date, updated_at = now() where id = ${id}`);
    await tx.execute(sql`insert into member_stage_events (member_id, stage, occurred_on, recorded_by) values (${id}, ${input.stage}, ${input.date}::date, ${actor.userId})`);
    await audit(tx, actor, { action: 'member.advance_stage', targetType: 'member', targetId: id, orgPath: current.org_path, detail: { from: current.stage, to: input.stage, date: input.date } });
  });
  return getMember(db, actor, id);
}

// ---------- leaving the roll ----------

/**
 * Takes a person off the party roll (soft: the record and its history stay, lists skip it); their
 * linked accounts are disabled in the same transaction.
 */
export async function leaveMember(db: Db, actor: Actor, id: string, input: LeaveMember): Promise<MemberDetail> {
  await db.transaction(async (tx) => {
    const current = await lockManagedMember(tx, actor, id);
    if (current.left_at) throw conflict('member.already_left');
    // it would disable the actor's own account mid-request: another admin records it
    if (actor.memberId === id) throw forbidden('member.cannot_leave_self');
    if (input.date > todayInChina()) throw invalidField('date', 'member.date_in_future');
    const firstDate = STAGE_DATE_FIELDS_IN_ORDER.map((f) => stageDatesOf(current)[f]).find((d) => d) ?? current.birth_date;
    if (firstDate && input.date < firstDate) throw invalidField('date', 'member.left_before_record');
    const open = await tx.execute(sql`select 1 from transfers where member_id = ${id} and status = 'issued'`);
    if (open.rows.length > 0) throw conflict('member.transfer_open');
    await tx.execute(sql`update members set left_at = now(), left_on = ${input.date}::date, left_reason = ${input.reason}, left_note = ${input.note ?? null}, updated_at = now()
      where id = ${id}`);
    await audit(tx, actor, { action: 'member.leave', targetType: 'member', targetId: id, orgPath: current.org_path, detail: { ...input } });
    await disableAccountsOfMember(tx, actor, id, current.org_path);
  });
  return getMember(db, actor, id);
}

const STAGE_DATE_FIELDS_IN_ORDER = MEMBER_STAGES.map((s) => STAGE_DATE_FIELD[s]);

// ---------- reveal ----------

/** The full ID or phone number, for the member's org admins and the member themself; each look is audited. */
export async function revealPersonalData(db: Db, actor: Actor, cipher: PersonalDataCipher, id: string, input: Reveal): Promise<Revealed> {
  return db.transaction(async (tx) => {
    const result = await tx.execute<Row<{ id: string; org_path: string; id_number_enc: string | null; phone_enc: string | null }>>(sql`
      select m.id::text, m.org_path::text, m.id_number_enc, m.phone_enc from members m where m.id = ${id} and ${visibleMembers(actor)}`);
    const row = result.rows[0];
    if (!row || !canRevealMember(actor, { id: row.id, orgPath: row.org_path })) throw notFound('member.not_found');
    const sealed = input.field === 'idNumber' ? row.id_number_enc : row.phone_enc;
    await audit(tx, actor, {
      action: input.field === 'idNumber' ? 'member.reveal_id_number' : 'member.reveal_phone',
      targetType: 'member', targetId: id, orgPath: row.org_path, detail: { field: input.field, self: actor.memberId === id },
    });
    return { value: sealed ? cipher.decrypt(sealed) : null };
  });
}

// ---------- self-service ----------

function ownMemberId(actor: Actor): string {
  if (!actor.memberId) throw notFound('member.no_profile');
  return actor.memberId;
}

export async function getOwnProfile(db: Db, actor: Actor): Promise<MemberDetail> {
  return getMember(db, actor, ownMemberId(actor));
}

/** A member updates their own contact and work details; identity and party record stay with the org. */
export async function updateOwnProfile(db: Db, actor: Actor, cipher: PersonalDataCipher, input: UpdateOwnProfile): Promise<MemberDetail> {
  const id = ownMemberId(actor);
  await db.transaction(async (tx) => {
    const current = await lockVisibleMember(tx, actor, id);
    if (current.left_at) throw conflict('member.has_left');
    const sets: SQL[] = [];
    setProfile((column, value) => { if (value !== undefined) sets.push(sql`${sql.identifier(column)} = ${value}`); }, cipher, input);
    if (sets.length === 0) return;
    await tx.execute(sql`update members set ${sql.join(sets, sql`, `)}, updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'member.update_self', targetType: 'member', targetId: id, orgPath: current.org_path, detail: auditDetailOf(input) });
  });
  return getMember(db, actor, id);
}

// ---------- helpers ----------

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `a, b, c` as bound parameters, for `in (…)`. */
function list(values: readonly string[]): SQL {
  return sql.join(values.map((v) => sql`${v}`), sql`, `);
}
