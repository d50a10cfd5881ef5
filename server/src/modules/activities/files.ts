import { sql } from 'drizzle-orm';
import type { Activity } from '../../../../contracts/activities.js';
import { MAX_ACTIVITY_FILES } from '../../../../contracts/activities.js';
import type { Actor } from '../../platform/actor.js';
import type { Db } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { conflict, invalidField, notFound } from '../../platform/errors.js';
import { removeUpload, storeUpload, type Upload } from '../../platform/uploads.js';
import { canManageActivity } from './policy.js';
import { findManagedActivity, getActivity } from './service.js';

/**
 * Photos and documents of an activity's record. The organizer uploads them (not after a cancel);
 * once the activity is closed they are part of the archive and cannot be removed. The bytes are
 * served to the activity's managers and participants only; to anyone else the file does not exist.
 */

/** Checked before the upload is read, so that an outsider's 10 MB are not buffered for nothing. */
export async function assertMayUpload(db: Db, actor: Actor, id: string): Promise<void> {
  const activity = await findManagedActivity(db, actor, id, false);
  if (activity.status === 'cancelled') throw conflict('activity.files_not_uploadable');
}

export async function addActivityFile(db: Db, actor: Actor, dataDir: string, id: string, upload: Upload): Promise<Activity> {
  const key = await storeUpload(dataDir, `activities/${id}`, upload);
  try {
    await db.transaction(async (tx) => {
      // checked again with the row locked: the activity may have been cancelled meanwhile
      const activity = await findManagedActivity(tx, actor, id);
      if (activity.status === 'cancelled') throw conflict('activity.files_not_uploadable');
      const count = (await tx.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from activity_files where activity_id = ${id}`)).rows[0]!.n;
      if (Number(count) >= MAX_ACTIVITY_FILES) throw invalidField('file', 'activity.too_many_files', { max: MAX_ACTIVITY_FILES });
      const inserted = await tx.execute<{ id: string } & Record<string, unknown>>(sql`
        insert into activity_files (activity_id, kind, file_name, mime_type, size_bytes, storage_key, uploaded_by)
        values (${id}, ${upload.kind}, ${upload.fileName}, ${upload.mimeType}, ${upload.bytes.length}, ${key}, ${actor.userId}) returning id::text`);
      await audit(tx, actor, { action: 'activity.upload_file', targetType: 'activity', targetId: id, orgPath: activity.orgPath,
        detail: { fileId: inserted.rows[0]!.id, fileName: upload.fileName, kind: upload.kind, mimeType: upload.mimeType, sizeBytes: upload.bytes.length } });
    });
  } catch (error) {
    await removeUpload(dataDir, key);
    throw error;
  }
  return getActivity(db, actor, id);
}

/** A file for download: the activity's managers, and its participants once it is announced; 404 for everyone else. */
export async function findActivityFile(db: Db, actor: Actor, id: string, fileId: string): Promise<{ fileName: string; mimeType: string; storageKey: string }> {
  const row = (await db.execute<{ org_path: string; status: string; is_participant: boolean; file_name: string; mime_type: string; storage_key: string } & Record<string, unknown>>(sql`
    select a.org_path::text, a.status, f.file_name, f.mime_type, f.storage_key,
           exists (select 1 from activity_participants p where p.activity_id = a.id and p.member_id = ${actor.memberId ?? null}) as is_participant
      from activity_files f join activities a on a.id = f.activity_id
     where f.id = ${fileId} and f.activity_id = ${id}`)).rows[0];
  const allowed = !!row && (canManageActivity(actor, { orgPath: row.org_path }) || (row.is_participant && row.status !== 'draft'));
  if (!row || !allowed) throw notFound('activity.file_not_found');
  return { fileName: row.file_name, mimeType: row.mime_type, storageKey: row.storage_key };
}

/** Removes the record of a file, then the bytes (only once the removal is committed). */
export async function removeActivityFile(db: Db, actor: Actor, dataDir: string, id: string, fileId: string): Promise<Activity> {
  const key = await db.transaction(async (tx) => {
    const activity = await findManagedActivity(tx, actor, id);
    if (activity.status === 'closed' || activity.status === 'cancelled') throw conflict('activity.files_locked');
    const deleted = (await tx.execute<{ file_name: string; kind: string; storage_key: string } & Record<string, unknown>>(sql`
      delete from activity_files where id = ${fileId} and activity_id = ${id} returning file_name, kind, storage_key`)).rows[0];
    if (!deleted) throw notFound('activity.file_not_found');
    await audit(tx, actor, { action: 'activity.remove_file', targetType: 'activity', targetId: id, orgPath: activity.orgPath,
      detail: { fileId, fileName: deleted.file_name, kind: deleted.kind } });
    return deleted.storage_key;
  });
  await removeUpload(dataDir, key);
  return getActivity(db, actor, id);
}
