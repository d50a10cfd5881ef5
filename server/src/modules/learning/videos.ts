import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/actor.js';
import { managedOrg } from '../../platform/org-scope.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable } from '../../platform/db.js';
import { AppError, invalidField, notFound } from '../../platform/errors.js';
import { viewerOf } from './content.js';
import { visibleContent } from './policy.js';

/** Course videos are large: streamed to disk (never buffered), up to 2 GB; the app-wide 10 MB limit is for everything else. */
export const MAX_VIDEO_BYTES = 2 * 1024 ** 3;

// the type comes from the file's first bytes, never from its name or the client's content type
const SIGNATURES = [
  { mime: 'video/mp4', ext: 'mp4', test: (b: Buffer) => b.subarray(4, 8).toString('latin1') === 'ftyp' },
  { mime: 'video/webm', ext: 'webm', test: (b: Buffer) => b.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3])) },
];

export const videoUrl = (id: string) => `/api/learning/videos/${id}`;
const fileOf = (dataDir: string, key: string) => path.join(dataDir, 'uploads', key);

export async function uploadVideo(db: Db, actor: Actor, dataDir: string, orgId: string, request: FastifyRequest) {
  const { path: orgPath } = await managedOrg(db, actor, orgId, { field: 'orgId', notFoundKey: 'learning.org_not_found', dissolvedKey: 'learning.org_not_found' });
  const part = request.isMultipart() ? await request.file({ limits: { fileSize: MAX_VIDEO_BYTES, files: 1 } }) : undefined;
  if (!part) throw invalidField('file', 'learning.video_missing');
  const key = `videos/${crypto.randomUUID()}`;
  const target = fileOf(dataDir, key);
  await fsp.mkdir(path.dirname(target), { recursive: true });
  try {
    await pipeline(part.file, fs.createWriteStream(target, { mode: 0o600 }));
    if (part.file.truncated) throw invalidField('file', 'learning.video_too_large');
    const handle = await fsp.open(target, 'r');
    const head = Buffer.alloc(16);
    const [{ bytesRead }, stat] = await Promise.all([handle.read(head, 0, 16, 0), handle.stat()]).finally(() => handle.close());
    const type = SIGNATURES.find((s) => s.test(head.subarray(0, bytesRead)));
    if (!type) throw invalidField('file', 'learning.video_type');
    const utf8Name = Buffer.from(part.filename, 'latin1').toString('utf8');
    // eslint-disable-next-line no-control-regex -- control characters are what we strip
    const fileName = path.basename(utf8Name.includes('\uFFFD') ? part.filename : utf8Name).replace(/[\u0000-\u001f"\\/]/g, '_').slice(0, 120) || `video.${type.ext}`;
    const id = await db.transaction(async (tx) => {
      const r = await tx.execute<{ id: string } & Record<string, unknown>>(sql`insert into learning_videos (org_id, org_path, storage_key, file_name, mime_type, size_bytes, created_by)
        values (${orgId}, ${orgPath}::ltree, ${key}, ${fileName}, ${type.mime}, ${stat.size}, ${actor.userId}) returning id::text`);
      await audit(tx, actor, { action: 'learning.video_upload', targetType: 'learning_video', targetId: r.rows[0]!.id, orgPath, detail: { fileName, size: stat.size } });
      return r.rows[0]!.id;
    });
    return { id, fileName, mimeType: type.mime, sizeBytes: stat.size, url: videoUrl(id) };
  } catch (error) {
    await fsp.rm(target, { force: true });
    throw error;
  }
}

/** The video ids a course may use: uploaded within the publishing org's subtree or above it. */
export async function assertUsableVideos(q: Queryable, orgPath: string, ids: { field: string; id: string }[]): Promise<void> {
  for (const { field, id } of ids) {
    const r = await q.execute(sql`select 1 from learning_videos where id = ${id} and (org_path <@ ${orgPath}::ltree or org_path @> ${orgPath}::ltree)`);
    if (r.rows.length === 0) throw invalidField(field, 'learning.video_not_found');
  }
}

/** Streams a video to anyone who may see content of its org, honouring Range so players can seek. */
export async function openVideo(db: Db, actor: Actor, dataDir: string, id: string, range: string | undefined) {
  const me = await viewerOf(db, actor);
  const row = (await db.execute<{ storage_key: string; mime_type: string; size_bytes: string | number } & Record<string, unknown>>(sql`
    select v.storage_key, v.mime_type, v.size_bytes from learning_videos v where v.id = ${id} and ${visibleContent(actor, me, sql`v.org_path`)}`)).rows[0];
  if (!row) throw notFound('learning.video_not_found');
  const size = Number(row.size_bytes);
  const match = range ? /^bytes=(\d*)-(\d*)$/.exec(range.trim()) : null;
  let start = 0, end = size - 1, status = 200;
  if (range) {
    if (!match || (match[1] === '' && match[2] === '')) throw new AppError(416, 'learning.range_invalid', {}, undefined, { 'content-range': `bytes */${size}` });
    if (match[1] === '') start = Math.max(0, size - Number(match[2]));
    else { start = Number(match[1]); end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1); }
    if (start > end || start >= size) throw new AppError(416, 'learning.range_invalid', {}, undefined, { 'content-range': `bytes */${size}` });
    status = 206;
  }
  const headers: Record<string, string> = { 'content-type': row.mime_type, 'accept-ranges': 'bytes', 'content-length': String(end - start + 1), 'cache-control': 'private, max-age=3600' };
  if (status === 206) headers['content-range'] = `bytes ${start}-${end}/${size}`;
  return { status, headers, stream: fs.createReadStream(fileOf(dataDir, row.storage_key), { start, end }) };
}
