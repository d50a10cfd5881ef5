import { sql } from 'drizzle-orm';
import { MAX_EVIDENCE_FILES, type Round } from '../../../../contracts/standardization.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable } from '../../platform/db.js';
import { conflict, forbidden, invalidField, notFound } from '../../platform/errors.js';
import { removeUpload, storeUpload, type Upload } from '../../platform/uploads.js';
import { isBranchSide } from './policy.js';
import { findRound, getRound, type RoundRow } from './service.js';

/**
 * Evidence files of a self-assessment: the branch side attaches them to a criterion while it assesses
 * itself; whoever reads the round downloads them; after submission they are part of the record.
 */

type Row = Record<string, unknown>;

async function assessing(q: Queryable, actor: Actor, id: string, lock: boolean): Promise<RoundRow> {
  const r = await findRound(q, actor, id, lock);
  if (!isBranchSide(actor, { orgPath: r.org_path, submittedBy: r.submitted_by, reviewedBy: r.reviewed_by })) throw forbidden('standardization.not_branch_side');
  if (r.status !== 'self_assessing') throw conflict('standardization.wrong_state', { status: r.status });
  return r;
}

/** Checked before the upload is read, so that an outsider's 10 MB are not buffered for nothing. */
export async function assertMayAttach(db: Db, actor: Actor, id: string): Promise<void> {
  await assessing(db, actor, id, false);
}

export async function addEvidenceFile(db: Db, actor: Actor, dataDir: string, id: string, criterionId: string, upload: Upload): Promise<Round> {
  const key = await storeUpload(dataDir, `standardization/${id}`, upload);
  try {
    await db.transaction(async (tx) => {
      const r = await assessing(tx, actor, id, true);
      const counted = (await tx.execute<{ known: boolean; n: number } & Row>(sql`
        select exists (select 1 from grading_checks where round_id = ${id} and criterion_id = ${criterionId}) as known,
               (select count(*)::int from grading_evidence_files where round_id = ${id} and criterion_id = ${criterionId}) as n`)).rows[0]!;
      if (!counted.known) throw notFound('standardization.criterion_not_in_scheme');
      if (Number(counted.n) >= MAX_EVIDENCE_FILES) throw invalidField('file', 'standardization.too_many_files', { max: MAX_EVIDENCE_FILES });
      const inserted = (await tx.execute<{ id: string } & Row>(sql`insert into grading_evidence_files (round_id, criterion_id, file_name, mime_type, size_bytes, storage_key, uploaded_by)
        values (${id}, ${criterionId}, ${upload.fileName}, ${upload.mimeType}, ${upload.bytes.length}, ${key}, ${actor.userId}) returning id::text`)).rows[0]!;
      await audit(tx, actor, { action: 'standardization.attach_evidence', targetType: 'grading_round', targetId: id, orgPath: r.org_path,
        detail: { name: `${r.org_name} · ${r.scheme_name}`, fileId: inserted.id, fileName: upload.fileName, criterionId } });
    });
  } catch (error) {
    await removeUpload(dataDir, key);
    throw error;
  }
  return getRound(db, actor, id);
}

export async function findEvidenceFile(db: Db, actor: Actor, id: string, fileId: string): Promise<{ fileName: string; mimeType: string; storageKey: string }> {
  await findRound(db, actor, id);
  const row = (await db.execute<{ file_name: string; mime_type: string; storage_key: string } & Row>(sql`
    select file_name, mime_type, storage_key from grading_evidence_files where id = ${fileId} and round_id = ${id}`)).rows[0];
  if (!row) throw notFound('standardization.file_not_found');
  return { fileName: row.file_name, mimeType: row.mime_type, storageKey: row.storage_key };
}

export async function removeEvidenceFile(db: Db, actor: Actor, dataDir: string, id: string, fileId: string): Promise<Round> {
  const key = await db.transaction(async (tx) => {
    const r = await assessing(tx, actor, id, true);
    const deleted = (await tx.execute<{ file_name: string; storage_key: string } & Row>(sql`
      delete from grading_evidence_files where id = ${fileId} and round_id = ${id} returning file_name, storage_key`)).rows[0];
    if (!deleted) throw notFound('standardization.file_not_found');
    await audit(tx, actor, { action: 'standardization.remove_evidence', targetType: 'grading_round', targetId: id, orgPath: r.org_path,
      detail: { name: `${r.org_name} · ${r.scheme_name}`, fileId, fileName: deleted.file_name } });
    return deleted.storage_key;
  });
  await removeUpload(dataDir, key);
  return getRound(db, actor, id);
}
