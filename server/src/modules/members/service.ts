// Putting members on the roll (one, or a batch for the importer) and editing their records.
import { sql, type SQL } from 'drizzle-orm';
import {
  MEMBER_STAGES, STAGE_DATE_FIELD, birthDateOfIdNumber, memberRecordProblems, type CreateMember, type MemberDetail, type MemberRecordFacts,
  type StageDateField, type UpdateMember, type UpdateOwnProfile
} from '../../../../contracts/members.js';
import type { OrgType } from '../../../../contracts/orgs.js';
import type { Actor } from '../../platform/actor.js';
import type { Db, Queryable } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { AppError, conflict, invalidFields, type FieldProblem } from '../../platform/errors.js';
import { maskIdNumber, maskPhone, type PersonalDataCipher } from '../../platform/personal-data.js';
import { canManageMember, keepsMemberRoll } from './policy.js';
import { memberSearchText } from './search-text.js';
import './messages.js';
import { partialUpdate } from '../../platform/sql.js';
import { type Row, STAGE_DATE_COLUMN, stageDatesOf, lockManagedMember } from './member-record.js';
import { getMember } from './detail.js';

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
    if (!org || !canManageMember(actor, { orgPath: org.path })) problems.push({ index, field: 'orgId', key: 'org.not_found', status: 400 });
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
      problems.push(canManageMember(actor, { orgPath: t.org_path })
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

    const update = partialUpdate();
    update.set('name', input.name);
    if (input.name !== undefined) update.set('search_text', memberSearchText(input.name));
    update.set('gender', input.gender);
    update.set('ethnicity', input.ethnicity);
    if (birthDate !== current.birth_date) update.set('birth_date', birthDate);
    if (input.idNumber !== undefined) {
      const s = sealIdNumber(cipher, input.idNumber);
      if (s.hash !== current.id_number_hash) {
        const taken = await tx.execute(sql`select 1 from members where id_number_hash = ${s.hash} and id <> ${id}`);
        if (taken.rows.length > 0) throw idNumberTaken();
        update.set('id_number_enc', s.enc); update.set('id_number_hash', s.hash); update.set('id_number_masked', s.masked); update.set('id_number_last4', s.last4);
      }
    }
    setProfile(update.set, cipher, input);
    const changedDates = (Object.keys(STAGE_DATE_COLUMN) as StageDateField[]).filter((f) => input[f] !== undefined && input[f] !== currentDates[f]);
    for (const field of changedDates) update.set(STAGE_DATE_COLUMN[field], input[field]);
    if (update.isEmpty) return;
    try {
      await tx.execute(sql`update members set ${update.toSql()}, updated_at = now() where id = ${id}`);
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

export function setProfile(set: (column: string, value: unknown) => void, cipher: PersonalDataCipher, input: UpdateOwnProfile) {
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
export function auditDetailOf(input: UpdateMember): Record<string, unknown> {
  return {
    ...input,
    ...(input.idNumber !== undefined ? { idNumber: maskIdNumber(input.idNumber) } : {}),
    ...(input.phone !== undefined ? { phone: input.phone ? maskPhone(input.phone) : null } : {}),
  };
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
