import type { Db, Queryable } from '../../../platform/db.js';
import type { PersonalDataCipher } from '../../../platform/personal-data.js';
import fs from 'node:fs';
import { sql, type SQL } from 'drizzle-orm';
import { MAX_IMPORT_ROWS, type ImportJob, type ImportMode, type ImportProblem, type ImportResult } from '../../../../../contracts/member_import.js';
import { type CreateMember } from '../../../../../contracts/members.js';
import { isAdmin, type Actor } from '../../../platform/actor.js';
import { managedOrg } from '../../../platform/org-scope.js';
import { audit } from '../../../platform/audit.js';
import { AppError, badRequest, invalidField, notFound } from '../../../platform/errors.js';
import { hasMessage, translate, type Lang } from '../../../platform/i18n.js';
import { canManageMember, keepsMemberRoll } from '../policy.js';
import { insertMembers } from '../service.js';
import { readMemberSheet } from './sheet-reader.js';
import { OrgDirectory } from './org-directory.js';
import { COLUMN_OF, COLUMN_ORDER, checkRow } from './row-checks.js';
import './messages.js';



// ---------------------------------------------------------------------------------------------
// Jobs: the row in `jobs` is the only shared state, so any process of the site answers the poll

const JOB_KIND = 'member_import';
/** Problems kept in the job's result; a file of 50,000 bad rows needs fixing at the source first. */
const MAX_PROBLEMS = 5_000;
const CHUNK_ROWS = 500;
/** A queued or running job not touched for this long died with its process. */
const STALE_MINUTES = 30;

type JobRow = { id: string; status: ImportJob['status']; progress: number; total: number; result: ImportResult | string | null; created_by: string | null; created_at: Date | string; updated_at: Date | string; is_stale: boolean } & Record<string, unknown>;

export async function createImportJob(db: Db, actor: Actor, total: number): Promise<string> {
  const result = await db.execute<{ id: string } & Record<string, unknown>>(sql`
    insert into jobs (kind, status, progress, total, created_by) values (${JOB_KIND}, 'queued', 0, ${total}, ${actor.userId}) returning id::text`);
  return result.rows[0]!.id;
}

async function updateJob(db: Db, id: string, patch: { status?: ImportJob['status']; progress?: number; result?: ImportResult }): Promise<void> {
  const sets: SQL[] = [sql`updated_at = now()`];
  if (patch.status) sets.push(sql`status = ${patch.status}`);
  if (patch.progress !== undefined) sets.push(sql`progress = ${patch.progress}`);
  if (patch.result) sets.push(sql`result = ${JSON.stringify(patch.result)}::jsonb`);
  await db.execute(sql`update jobs set ${sql.join(sets, sql`, `)} where id = ${id}`);
}

/** A job of its creator (or any job for a platform admin); 404 for everyone else. */
export async function getImportJob(db: Db, actor: Actor, id: string, lang: Lang): Promise<ImportJob> {
  const owner = actor.isPlatformAdmin ? sql`true` : sql`created_by = ${actor.userId}`;
  const result = await db.execute<JobRow>(sql`
    select id::text, status, progress, total, result, created_by::text, created_at, updated_at,
           (status in ('queued', 'running') and updated_at < now() - ${`${STALE_MINUTES} minutes`}::interval) as is_stale
      from jobs where id = ${id} and kind = ${JOB_KIND} and ${owner}`);
  const row = result.rows[0];
  if (!row) throw notFound('member_import.job_not_found');
  let jobResult = typeof row.result === 'string' ? (JSON.parse(row.result) as ImportResult) : row.result;
  let status = row.status;
  if (row.is_stale) {
    status = 'failed';
    jobResult = { mode: 'all', total: row.total, valid: 0, imported: 0, failed: 0, problems: [], problemsTruncated: false, error: translate('member_import.interrupted', lang) };
    await updateJob(db, id, { status, result: jobResult });
  }
  return {
    id: row.id, status, progress: row.progress, total: row.total, result: jobResult,
    createdAt: new Date(row.created_at).toISOString(), updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export interface ImportRun {
  db: Db;
  cipher: PersonalDataCipher;
  actor: Actor;
  jobId: string;
  file: string;
  mode: ImportMode;
  defaultOrgId: string | undefined;
  lang: Lang;
}

/**
 * The background part of an import: parse the file again (streaming), check it in chunks of 500
 * rows — schema, org, duplicates in the file and in the database — writing progress after each
 * chunk, then insert every good row in one transaction (or none, by the mode). Never throws:
 * whatever goes wrong ends as a failed job with a reason.
 */
export async function runImportJob(run: ImportRun): Promise<void> {
  const { db, actor, jobId, lang } = run;
  const problems: ImportProblem[] = [];
  let problemCount = 0;
  let total = 0;
  let failed = 0;
  const valid: { row: number; input: CreateMember }[] = [];
  const outcome = (extra: Partial<ImportResult>): ImportResult => ({
    mode: run.mode, total, valid: 0, imported: 0, failed,
    problems: problems.sort((a, b) => a.row - b.row || (COLUMN_ORDER.get(a.column) ?? 99) - (COLUMN_ORDER.get(b.column) ?? 99)),
    problemsTruncated: problemCount > problems.length, ...extra,
  });
  const report = (row: number, column: string, key: string, params?: Record<string, string | number>) => {
    problemCount++;
    if (problems.length < MAX_PROBLEMS) problems.push({ row, column, message: translateProblem(key, lang, params) });
  };
  try {
    await updateJob(db, jobId, { status: 'running' });
    const orgs = await OrgDirectory.load(db, actor);
    const firstRowOfId = new Map<string, number>();
    let chunk: { row: number; input: CreateMember }[] = [];
    const idColumn = COLUMN_OF.get('idNumber')!.header;

    const flushChunk = async () => {
      const hashes = chunk.map((c) => run.cipher.blindIndex(c.input.idNumber));
      const taken = await registeredIdNumbers(db, hashes);
      for (const [i, c] of chunk.entries()) {
        const holder = taken.get(hashes[i]!);
        if (!holder) {
          valid.push(c);
          continue;
        }
        failed++;
        // who holds the number is told only to someone who may see that record
        if (canManageMember(actor, { orgPath: holder.orgPath })) report(c.row, idColumn, 'member.id_number_taken_by', { name: holder.name, org: holder.orgName });
        else report(c.row, idColumn, 'member_import.duplicate_in_db');
      }
      chunk = [];
      await updateJob(db, jobId, { progress: total });
    };

    for await (const row of readMemberSheet(run.file, run.defaultOrgId !== undefined)) {
      total++;
      if (total > MAX_IMPORT_ROWS) throw badRequest('member_import.too_many_rows', { max: MAX_IMPORT_ROWS });
      const check = checkRow(row, orgs, run.defaultOrgId);
      if (check.input) {
        const first = firstRowOfId.get(check.input.idNumber);
        if (first !== undefined) check.problems.push({ column: idColumn, key: 'member_import.duplicate_in_file', params: { row: first } });
        else firstRowOfId.set(check.input.idNumber, row.number);
      }
      if (check.problems.length > 0 || !check.input) {
        failed++;
        for (const p of check.problems) report(row.number, p.column, p.key, p.params);
      } else {
        chunk.push({ row: row.number, input: check.input });
      }
      if (total % CHUNK_ROWS === 0) await flushChunk();
    }
    await flushChunk();

    let imported = 0;
    if ((run.mode === 'valid_only' || (run.mode === 'all' && failed === 0)) && valid.length > 0) {
      imported = await db.transaction(async (tx) => {
        let rows = valid;
        let { problems: late } = await insertMembers(tx, actor, run.cipher, rows.map((r) => r.input));
        // what changed since the rows were checked (an org dissolved, a number registered meanwhile)
        if (late.length > 0) {
          const bad = new Set(late.map((p) => p.index));
          for (const p of late) report(rows[p.index]!.row, COLUMN_OF.get(p.field)!.header, p.key, p.params);
          failed += bad.size;
          if (run.mode === 'all') return 0;
          rows = rows.filter((_, i) => !bad.has(i));
          if (rows.length === 0) return 0;
          ({ problems: late } = await insertMembers(tx, actor, run.cipher, rows.map((r) => r.input)));
          if (late.length > 0) throw new AppError(409, late[0]!.key, late[0]!.params);
        }
        await audit(tx, actor, {
          action: 'member.import', targetType: 'job', targetId: jobId, orgPath: commonRoot(actor),
          detail: { mode: run.mode, total, imported: rows.length, failed },
        });
        return rows.length;
      });
    }
    const validCount = total - failed;
    await updateJob(db, jobId, { status: 'done', progress: total, result: outcome({ imported, valid: validCount }) });
  } catch (error) {
    let reason: string;
    if (error instanceof AppError && error.status < 500) {
      reason = translateProblem(error.code, lang, error.params);
      const fieldMessages = Object.values(error.fields ?? {}).map((p) => translateProblem(p.key, lang, p.params));
      if (fieldMessages.length > 0) reason += `（${fieldMessages.join('；')}）`;
    } else {
      reason = translate('internal', lang, { requestId: `job-${jobId}` });
      console.error(`member import job ${jobId} failed`, error);
    }
    await updateJob(db, jobId, { status: 'failed', result: outcome({ imported: 0, error: translate('member_import.failed', lang, { reason }) }) })
      .catch((e: unknown) => console.error(`member import job ${jobId}: could not record the failure`, e));
  } finally {
    await fs.promises.rm(run.file, { force: true });
  }
}

// parameters that are message keys themselves (an org type) are translated too, as the API does
function translateProblem(key: string, lang: Lang, params: Record<string, string | number> = {}): string {
  return translate(key, lang, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' && hasMessage(v) ? translate(v, lang) : v])));
}

/** Which of these blind indexes already belong to a member, on any roll (left members keep theirs). */
async function registeredIdNumbers(q: Queryable, hashes: string[]): Promise<Map<string, { name: string; orgPath: string; orgName: string }>> {
  if (hashes.length === 0) return new Map();
  const rows = await q.execute<{ h: string; name: string; org_path: string; org_name: string } & Record<string, unknown>>(sql`
    select m.id_number_hash as h, m.name, m.org_path::text, o.name as org_name
      from members m join orgs o on o.id = m.org_id where m.id_number_hash in (${sql.join(hashes.map((h) => sql`${h}`), sql`, `)})`);
  return new Map(rows.rows.map((r) => [r.h, { name: r.name, orgPath: r.org_path, orgName: r.org_name }]));
}

/** The deepest org path covering everything the actor administers (the audit's org). */
export function commonRoot(actor: Actor): string | null {
  if (actor.isPlatformAdmin || actor.adminPaths.length === 0) return null;
  let common = actor.adminPaths[0]!.split('.');
  for (const path of actor.adminPaths.slice(1)) {
    const labels = path.split('.');
    let i = 0;
    while (i < common.length && common[i] === labels[i]) i++;
    common = common.slice(0, i);
  }
  return common.length > 0 ? common.join('.') : null;
}

/** The default org chosen in the wizard: one the importer administers, not dissolved. */
export async function checkDefaultOrg(db: Db, actor: Actor, orgId: string): Promise<void> {
  const org = await managedOrg(db, actor, orgId, { field: 'orgId', dissolvedKey: 'org.not_found' });
  if (!keepsMemberRoll(org.type)) throw invalidField('orgId', 'member.org_type_not_allowed', { type: `org_type.${org.type}` });
}

export function assertMayImport(actor: Actor): void {
  if (!isAdmin(actor)) throw new AppError(403, 'member_import.not_admin');
}
