import { sql, type SQL } from 'drizzle-orm';
import {
  DUE_WINDOW_DAYS, ELECTION_STEPS, STEPS_OF_LEVEL_ABOVE, type CommitteeMember, type DueListQuery, type DueOrgPage, type DueSummary,
  type ElectionProcedure, type ElectionProcedurePage, type ElectionStep, type ElectionStepRecord, type OrgTerm, type OrgTermPage, type ProcedureListQuery,
  type ProcedureStatus, type RecordCongress, type RecordStep, type RecordTerm, type StartProcedure, type TermListQuery,
} from '../../../../contracts/elections.js';
import { todayInChina } from '../../../../contracts/china-time.js';
import type { Actor } from '../../platform/actor.js';
import type { Db, Queryable } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { conflict, forbidden, invalidField, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { pageLimit, textArray } from '../../platform/sql.js';
import { removeUpload, storeUpload, type Upload } from '../../platform/uploads.js';
import { currentMembersIn } from '../members/in-org.js';
import { orgTermEnd, orgTermsDue, orgTermsDueCounts, setOrgTermDates } from '../orgs/terms.js';
import { canManageElectionsOf, electionsInScope, isLevelAbove } from './policy.js';
import { waitingForStep } from './todos.js';

type Row = Record<string, unknown>;
const iso = (v: Date | string) => new Date(v).toISOString();
const orgOptions = { notFoundKey: 'election.org_not_found' } as const;

/** A term counts as the org's own once filed, or when it was recorded from the archive (no procedure). */
const isSettled = (t: string) => sql.raw(`(${t}.filed_on is not null or ${t}.procedure_id is null)`);

// ---------- terms ----------

type TermRow = {
  id: string; org_id: string; org_name: string; elected_on: string; term_years: number; ends_on: string; method: OrgTerm['method'];
  voters_count: number; votes_cast: number; procedure_id: string | null; filed_on: string | null; note: string | null; is_current: boolean;
} & Row;

const termColumns = sql`t.id::text, t.org_id::text, o.name as org_name, t.elected_on::text, t.term_years, t.ends_on::text, t.method, t.voters_count,
  t.votes_cast, t.procedure_id::text, t.filed_on::text, t.note,
  (${isSettled('t')} and not exists (select 1 from org_terms n where n.org_id = t.org_id and ${isSettled('n')}
     and (n.elected_on, n.id) > (t.elected_on, t.id))) as is_current`;

async function committeesOf(q: Queryable, termIds: string[]): Promise<Map<string, CommitteeMember[]>> {
  const byTerm = new Map<string, CommitteeMember[]>();
  if (termIds.length === 0) return byTerm;
  const rows = await q.execute<{ term_id: string; member_id: string; name: string; role: CommitteeMember['role']; votes: number | null } & Row>(sql`
    select term_id::text, member_id::text, name, role, votes from org_term_members where term_id = any(${textArray(termIds)}::bigint[])
     order by term_id, sort_order, member_id`);
  for (const r of rows.rows) {
    const list = byTerm.get(r.term_id) ?? [];
    list.push({ memberId: r.member_id, name: r.name, role: r.role, votes: r.votes == null ? null : Number(r.votes) });
    byTerm.set(r.term_id, list);
  }
  return byTerm;
}

function toTerm(r: TermRow, committees: Map<string, CommitteeMember[]>): OrgTerm {
  return {
    id: r.id, orgId: r.org_id, orgName: r.org_name, electedOn: r.elected_on, termYears: Number(r.term_years), endsOn: r.ends_on, method: r.method,
    votersCount: Number(r.voters_count), votesCast: Number(r.votes_cast), procedureId: r.procedure_id, filedOn: r.filed_on, note: r.note,
    committee: committees.get(r.id) ?? [], isCurrent: r.is_current,
  };
}

/** An org's terms, newest first. */
export async function listTerms(db: Db, actor: Actor, query: TermListQuery): Promise<OrgTermPage> {
  const org = await managedOrg(db, actor, query.orgId, { ...orgOptions, allowDissolved: true });
  const [rows, total] = await Promise.all([
    db.execute<TermRow>(sql`select ${termColumns} from org_terms t join orgs o on o.id = t.org_id
      where t.org_id = ${org.id} order by t.elected_on desc, t.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from org_terms t where t.org_id = ${org.id}`),
  ]);
  const committees = await committeesOf(db, rows.rows.map((r) => r.id));
  return { items: rows.rows.map((r) => toTerm(r, committees)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

export async function getTerm(db: Queryable, actor: Actor, id: string): Promise<OrgTerm> {
  const row = (await db.execute<TermRow>(sql`select ${termColumns} from org_terms t join orgs o on o.id = t.org_id
    where t.id = ${id} and ${electionsInScope(actor, sql`t.org_path`)}`)).rows[0];
  if (!row) throw notFound('election.term_not_found');
  return toTerm(row, await committeesOf(db, [row.id]));
}

type ElectionResult = Pick<RecordTerm, 'termYears' | 'method' | 'votersCount' | 'votesCast' | 'committee'>;

/** The committee: one secretary, no one twice, current members of the org's subtree, votes within the ballots. */
async function checkedCommittee(q: Queryable, orgPath: string, result: ElectionResult): Promise<Map<string, string>> {
  const { committee } = result;
  if (committee.filter((c) => c.role === 'secretary').length !== 1) throw invalidField('committee', 'election.one_secretary');
  const ids = committee.map((c) => c.memberId);
  if (new Set(ids).size !== ids.length) throw invalidField('committee', 'election.committee_duplicate');
  if (committee.some((c) => c.votes != null && c.votes > result.votesCast)) throw invalidField('committee', 'election.votes_above_cast');
  const names = await currentMembersIn(q, ids, orgPath);
  if (names.size !== ids.length) throw invalidField('committee', 'election.committee_member_not_found');
  return names;
}

async function insertTerm(tx: Queryable, actor: Actor, org: { id: string; path: string }, electedOn: string, result: ElectionResult,
  names: Map<string, string>, procedureId: string | null, note: string | null): Promise<{ id: string; endsOn: string }> {
  const exists = await tx.execute(sql`select 1 from org_terms where org_id = ${org.id} and elected_on = ${electedOn}::date`);
  if (exists.rows.length > 0) throw conflict('election.term_exists');
  const term = (await tx.execute<{ id: string; ends_on: string } & Row>(sql`
    insert into org_terms (org_id, org_path, elected_on, term_years, ends_on, method, voters_count, votes_cast, procedure_id, note, created_by)
    values (${org.id}, ${org.path}::ltree, ${electedOn}::date, ${result.termYears}, (${electedOn}::date + make_interval(years => ${result.termYears}))::date,
            ${result.method}, ${result.votersCount}, ${result.votesCast}, ${procedureId}, ${note}, ${actor.userId})
    returning id::text, ends_on::text`)).rows[0]!;
  const c = result.committee;
  await tx.execute(sql`insert into org_term_members (term_id, member_id, name, role, votes, sort_order)
    select ${term.id}, m.id, m.name, m.role, nullif(m.votes, '')::int, m.ord - 1
      from unnest(${textArray(c.map((x) => x.memberId))}::bigint[], ${textArray(c.map((x) => names.get(x.memberId)!))}::text[],
                  ${textArray(c.map((x) => x.role))}::text[], ${textArray(c.map((x) => (x.votes == null ? '' : String(x.votes))))}::text[])
           with ordinality as m (id, name, role, votes, ord)`);
  return { id: term.id, endsOn: term.ends_on };
}

/** When `termId` is now the org's newest settled term, the org's term dates follow it (the 工作台 and reminders read them). */
async function followNewestTerm(tx: Queryable, actor: Actor, org: { id: string; path: string }, termId: string): Promise<void> {
  const newest = (await tx.execute<{ id: string; elected_on: string; ends_on: string } & Row>(sql`
    select id::text, elected_on::text, ends_on::text from org_terms t where t.org_id = ${org.id} and ${isSettled('t')}
     order by t.elected_on desc, t.id desc limit 1`)).rows[0];
  if (newest?.id === termId) await setOrgTermDates(tx, actor, org, newest.elected_on, newest.ends_on, `election:${termId}`);
}

/** A past term from the archive; the newest one sets the org's current term. */
export async function recordTerm(db: Db, actor: Actor, input: RecordTerm): Promise<OrgTerm> {
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { ...orgOptions, field: 'orgId', lock: 'share' });
    if (input.electedOn > todayInChina()) throw invalidField('electedOn', 'election.date_in_future');
    const names = await checkedCommittee(tx, org.path, input);
    const term = await insertTerm(tx, actor, org, input.electedOn, input, names, null, input.note ?? null);
    await followNewestTerm(tx, actor, org, term.id);
    await audit(tx, actor, { action: 'election.term_record', targetType: 'org_term', targetId: term.id, orgPath: org.path,
      detail: { electedOn: input.electedOn, termYears: input.termYears, method: input.method } });
    return term.id;
  });
  return getTerm(db, actor, id);
}

// ---------- procedures ----------

type ProcedureRow = {
  id: string; org_id: string; org_path: string; org_name: string; replaces_term_end: string | null; status: ProcedureStatus; term_id: string | null;
  note: string | null; cancel_reason: string | null; created_at: Date | string;
} & Row;

const procedureColumns = sql`p.id::text, p.org_id::text, p.org_path::text, o.name as org_name, p.replaces_term_end::text, p.status, p.term_id::text,
  p.note, p.cancel_reason, p.created_at`;

async function stepsOf(q: Queryable, ids: string[]): Promise<Map<string, ElectionStepRecord[]>> {
  const byProcedure = new Map<string, ElectionStepRecord[]>();
  if (ids.length === 0) return byProcedure;
  const rows = await q.execute<{ procedure_id: string; step: ElectionStep; done_on: string; document_no: string | null; document_title: string; note: string | null; recorded_at: Date | string } & Row>(sql`
    select procedure_id::text, step, done_on::text, document_no, document_title, note, recorded_at from election_steps
     where procedure_id = any(${textArray(ids)}::bigint[])`);
  const files = await q.execute<{ id: string; procedure_id: string; step: ElectionStep; file_name: string; kind: 'photo' | 'document'; size_bytes: number } & Row>(sql`
    select id::text, procedure_id::text, step, file_name, kind, size_bytes from election_step_files
     where procedure_id = any(${textArray(ids)}::bigint[]) order by id`);
  const filesOf = (procedureId: string, step: ElectionStep) => files.rows.filter((f) => f.procedure_id === procedureId && f.step === step)
    .map((f) => ({ id: f.id, fileName: f.file_name, kind: f.kind, sizeBytes: Number(f.size_bytes) }));
  for (const r of rows.rows) {
    const list = byProcedure.get(r.procedure_id) ?? [];
    list.push({ step: r.step, doneOn: r.done_on, documentNo: r.document_no, documentTitle: r.document_title, note: r.note, recordedAt: iso(r.recorded_at),
      files: filesOf(r.procedure_id, r.step) });
    byProcedure.set(r.procedure_id, list);
  }
  for (const list of byProcedure.values()) list.sort((a, b) => ELECTION_STEPS.indexOf(a.step) - ELECTION_STEPS.indexOf(b.step));
  return byProcedure;
}

const nextStepOf = (status: ProcedureStatus, steps: readonly { step: ElectionStep }[]): ElectionStep | null =>
  status === 'in_progress' ? ELECTION_STEPS.find((s) => !steps.some((r) => r.step === s)) ?? null : null;

function mayRecord(actor: Actor, orgPath: string, step: ElectionStep | null): boolean {
  if (!step) return false;
  return STEPS_OF_LEVEL_ABOVE.includes(step) ? isLevelAbove(actor, orgPath) : canManageElectionsOf(actor, orgPath);
}

function toProcedure(actor: Actor, r: ProcedureRow, steps: Map<string, ElectionStepRecord[]>): ElectionProcedure {
  const own = steps.get(r.id) ?? [];
  const nextStep = nextStepOf(r.status, own);
  return {
    id: r.id, orgId: r.org_id, orgName: r.org_name, replacesTermEnd: r.replaces_term_end, status: r.status, termId: r.term_id, note: r.note,
    cancelReason: r.cancel_reason, steps: own, nextStep, canRecordNext: mayRecord(actor, r.org_path, nextStep),
    fileSteps: r.status === 'cancelled' ? [] : own.filter((s) => mayRecord(actor, r.org_path, s.step)).map((s) => s.step), createdAt: iso(r.created_at),
  };
}

export async function getProcedure(db: Queryable, actor: Actor, id: string): Promise<ElectionProcedure> {
  const row = (await db.execute<ProcedureRow>(sql`select ${procedureColumns} from election_procedures p join orgs o on o.id = p.org_id
    where p.id = ${id} and ${electionsInScope(actor, sql`p.org_path`)}`)).rows[0];
  if (!row) throw notFound('election.procedure_not_found');
  return toProcedure(actor, row, await stepsOf(db, [row.id]));
}

export async function listProcedures(db: Db, actor: Actor, query: ProcedureListQuery): Promise<ElectionProcedurePage> {
  const conditions: SQL[] = [electionsInScope(actor, sql`p.org_path`)];
  const root = query.orgId ? (await managedOrg(db, actor, query.orgId, { ...orgOptions, allowDissolved: true })).path : null;
  if (root) conditions.push(sql`p.org_path <@ ${root}::ltree`);
  if (query.waiting) conditions.push(waitingForStep(root, (path) => electionsInScope(actor, path)));
  if (query.status) conditions.push(sql`p.status = ${query.status}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<ProcedureRow>(sql`select ${procedureColumns} from election_procedures p join orgs o on o.id = p.org_id where ${where}
      order by p.created_at desc, p.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from election_procedures p where ${where}`),
  ]);
  const steps = await stepsOf(db, rows.rows.map((r) => r.id));
  return { items: rows.rows.map((r) => toProcedure(actor, r, steps)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

/** Starts an election for the org (one at a time): it replaces the org's current term. */
export async function startProcedure(db: Db, actor: Actor, input: StartProcedure): Promise<ElectionProcedure> {
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { ...orgOptions, field: 'orgId', lock: 'share' });
    // two admins starting at once: the second waits here and then sees the first
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('election:' || ${org.id}))`);
    const open = await tx.execute(sql`select 1 from election_procedures where org_id = ${org.id} and status = 'in_progress'`);
    if (open.rows.length > 0) throw conflict('election.procedure_open');
    const replaces = await orgTermEnd(tx, org.id);
    const row = (await tx.execute<{ id: string } & Row>(sql`insert into election_procedures (org_id, org_path, replaces_term_end, note, created_by)
      values (${org.id}, ${org.path}::ltree, ${replaces}::date, ${input.note ?? null}, ${actor.userId}) returning id::text`)).rows[0]!;
    await audit(tx, actor, { action: 'election.start', targetType: 'election_procedure', targetId: row.id, orgPath: org.path, detail: { replacesTermEnd: replaces } });
    return row.id;
  });
  return getProcedure(db, actor, id);
}

async function lockProcedure(tx: Queryable, actor: Actor, id: string): Promise<{ id: string; orgId: string; orgPath: string; status: ProcedureStatus; termId: string | null }> {
  const row = (await tx.execute<{ id: string; org_id: string; org_path: string; status: ProcedureStatus; term_id: string | null } & Row>(sql`
    select id::text, org_id::text, org_path::text, status, term_id::text from election_procedures p
     where p.id = ${id} and ${electionsInScope(actor, sql`p.org_path`)} for update`)).rows[0];
  if (!row) throw notFound('election.procedure_not_found');
  return { id: row.id, orgId: row.org_id, orgPath: row.org_path, status: row.status, termId: row.term_id };
}

/**
 * Records one step, in order (409 otherwise): 请示 and 选举大会 by the org's admins, 批复 and 报备 by the
 * level above (403 for the org's own). The congress elects the new term; its filing makes it the org's.
 */
export async function recordStep(db: Db, actor: Actor, id: string, step: ElectionStep, input: RecordStep | RecordCongress): Promise<ElectionProcedure> {
  await db.transaction(async (tx) => {
    const procedure = await lockProcedure(tx, actor, id);
    if (procedure.status !== 'in_progress') throw conflict('election.procedure_closed');
    const done = (await tx.execute<{ step: ElectionStep; done_on: string } & Row>(sql`
      select step, done_on::text from election_steps where procedure_id = ${id}`)).rows;
    const expected = nextStepOf(procedure.status, done);
    if (step !== expected) throw conflict('election.step_out_of_order', { expected: `election_step.${expected ?? 'filing'}` });
    if (!mayRecord(actor, procedure.orgPath, step)) throw forbidden('election.level_above_only');
    const previous = done.find((d) => d.step === ELECTION_STEPS[ELECTION_STEPS.indexOf(step) - 1]);
    if (previous && input.doneOn < previous.done_on) throw invalidField('doneOn', 'election.step_before_previous', { previous: previous.done_on });
    if (input.doneOn > todayInChina()) throw invalidField('doneOn', 'election.date_in_future');
    const org = { id: procedure.orgId, path: procedure.orgPath };
    if (step === 'congress') {
      const result = input as RecordCongress;
      const names = await checkedCommittee(tx, org.path, result);
      const term = await insertTerm(tx, actor, org, input.doneOn, result, names, id, null);
      await tx.execute(sql`update election_procedures set term_id = ${term.id}, updated_at = now() where id = ${id}`);
    }
    await tx.execute(sql`insert into election_steps (procedure_id, step, done_on, document_no, document_title, note, recorded_by)
      values (${id}, ${step}, ${input.doneOn}::date, ${input.documentNo ?? null}, ${input.documentTitle}, ${input.note ?? null}, ${actor.userId})`);
    if (step === 'filing') {
      await tx.execute(sql`update org_terms set filed_on = ${input.doneOn}::date where id = ${procedure.termId}`);
      await tx.execute(sql`update election_procedures set status = 'completed', updated_at = now() where id = ${id}`);
      await followNewestTerm(tx, actor, org, procedure.termId!);
    } else {
      await tx.execute(sql`update election_procedures set updated_at = now() where id = ${id}`);
    }
    await audit(tx, actor, { action: `election.${step}`, targetType: 'election_procedure', targetId: id, orgPath: org.path,
      detail: { doneOn: input.doneOn, documentNo: input.documentNo ?? null, documentTitle: input.documentTitle } });
  });
  return getProcedure(db, actor, id);
}

/** At most this many documents on one step (a step's documents are a few scans, not an archive). */
export const STEP_FILES_MAX = 20;

/**
 * Attaches a document to a recorded step: by whoever may record that step (the org's admins for 请示 and
 * 选举大会, the level above for 批复 and 报备), also after the election is completed (documents often
 * arrive later), never to a cancelled one. The file is written after a first check and recorded in a
 * transaction that checks again; a refused or failed record removes it.
 */
export async function addStepFile(db: Db, actor: Actor, dataDir: string, id: string, step: ElectionStep, upload: Upload): Promise<ElectionProcedure> {
  const check = async (q: Queryable) => {
    const procedure = await lockProcedure(q, actor, id);
    if (procedure.status === 'cancelled') throw conflict('election.procedure_closed');
    const recorded = (await q.execute<{ files: number } & Row>(sql`
      select (select count(*)::int from election_step_files f where f.procedure_id = s.procedure_id and f.step = s.step) as files
        from election_steps s where s.procedure_id = ${id} and s.step = ${step}`)).rows[0];
    if (!recorded) throw conflict('election.step_not_recorded', { step: `election_step.${step}` });
    if (!mayRecord(actor, procedure.orgPath, step)) throw forbidden('election.level_above_only');
    if (Number(recorded.files) >= STEP_FILES_MAX) throw invalidField('file', 'election.too_many_files', { max: STEP_FILES_MAX });
    return procedure;
  };
  await db.transaction(check);
  const key = await storeUpload(dataDir, `elections/${id}`, upload);
  try {
    await db.transaction(async (tx) => {
      const procedure = await check(tx);
      const fileId = (await tx.execute<{ id: string } & Row>(sql`insert into election_step_files (procedure_id, step, kind, file_name, mime_type, size_bytes, storage_key, uploaded_by)
        values (${id}, ${step}, ${upload.kind}, ${upload.fileName}, ${upload.mimeType}, ${upload.bytes.length}, ${key}, ${actor.userId}) returning id::text`)).rows[0]!.id;
      await audit(tx, actor, { action: 'election.add_file', targetType: 'election_procedure', targetId: id, orgPath: procedure.orgPath,
        detail: { step, fileId, fileName: upload.fileName, sizeBytes: upload.bytes.length } });
    });
  } catch (error) {
    await removeUpload(dataDir, key);
    throw error;
  }
  return getProcedure(db, actor, id);
}

/** A step's document, for whoever sees the election. */
export async function findStepFile(db: Queryable, actor: Actor, id: string, fileId: string): Promise<{ fileName: string; mimeType: string; storageKey: string }> {
  const row = (await db.execute<{ file_name: string; mime_type: string; storage_key: string } & Row>(sql`
    select f.file_name, f.mime_type, f.storage_key from election_step_files f join election_procedures p on p.id = f.procedure_id
     where f.id = ${fileId} and f.procedure_id = ${id} and ${electionsInScope(actor, sql`p.org_path`)}`)).rows[0];
  if (!row) throw notFound('election.file_not_found');
  return { fileName: row.file_name, mimeType: row.mime_type, storageKey: row.storage_key };
}

/** Cancels an election before its congress (after it, the term stands and is filed). */
export async function cancelProcedure(db: Db, actor: Actor, id: string, reason: string): Promise<ElectionProcedure> {
  await db.transaction(async (tx) => {
    const procedure = await lockProcedure(tx, actor, id);
    if (procedure.status !== 'in_progress') throw conflict('election.procedure_closed');
    if (procedure.termId) throw conflict('election.cancel_after_congress');
    await tx.execute(sql`update election_procedures set status = 'cancelled', cancel_reason = ${reason}, updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'election.cancel', targetType: 'election_procedure', targetId: id, orgPath: procedure.orgPath, detail: { reason } });
  });
  return getProcedure(db, actor, id);
}

// ---------- due lists ----------

async function dueRoot(db: Queryable, actor: Actor, orgId: string | undefined): Promise<string | null> {
  return orgId ? (await managedOrg(db, actor, orgId, { ...orgOptions, allowDissolved: true })).path : null;
}

/** Orgs of the subtree whose term ends within 90 / 60 / 30 days (today included), or has ended; soonest end first. */
export async function listDue(db: Db, actor: Actor, query: DueListQuery, today = todayInChina()): Promise<DueOrgPage> {
  const rootPath = await dueRoot(db, actor, query.orgId);
  const days = query.window === 'overdue' ? null : DUE_WINDOW_DAYS[query.window];
  const due = await orgTermsDue(db, electionsInScope(actor, sql`o.path`), rootPath, today, days, query);
  const ids = due.items.map((o) => o.id);
  const open = ids.length === 0 ? [] : (await db.execute<{ org_id: string; id: string; steps: string[] | string } & Row>(sql`
    select p.org_id::text, p.id::text, array(select s.step from election_steps s where s.procedure_id = p.id) as steps
      from election_procedures p where p.org_id = any(${textArray(ids)}::bigint[]) and p.status = 'in_progress'`)).rows;
  const byOrg = new Map(open.map((p) => [p.org_id, p]));
  return {
    items: due.items.map((o) => {
      const p = byOrg.get(o.id);
      const steps = p ? (Array.isArray(p.steps) ? p.steps : String(p.steps).replace(/[{}]/g, '').split(',').filter(Boolean)) as ElectionStep[] : [];
      return {
        orgId: o.id, orgName: o.name, orgType: o.type, termStart: o.termStart, termEnd: o.termEnd, daysLeft: o.daysLeft, isOverdue: o.daysLeft < 0,
        procedureId: p?.id ?? null, procedureNextStep: p ? nextStepOf('in_progress', steps.map((s) => ({ step: s }))) : null,
      };
    }),
    total: due.total, page: query.page, pageSize: query.pageSize,
  };
}

export async function dueSummary(db: Db, actor: Actor, orgId: string | undefined, today = todayInChina()): Promise<DueSummary> {
  return orgTermsDueCounts(db, electionsInScope(actor, sql`o.path`), await dueRoot(db, actor, orgId), today);
}
