import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createReadStream } from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { invalidField } from './errors.js';
import { defineMessages } from './i18n.js';

/**
 * Evidence files (photos, documents) are uploaded, not linked: a link can rot or point anywhere,
 * and evidence must outlive the page it came from. Files live in DATA_DIR/uploads/<key>; the
 * type is decided by the file's first bytes, never by the name or the client's content type.
 * Shared by the modules that keep files (service projects, micro wishes, activity records); each
 * module keeps its own table of files and serves them under its own permissions.
 */
const SIGNATURES: { mime: string; ext: string; kind: 'photo' | 'document'; test: (b: Buffer) => boolean }[] = [
  { mime: 'image/jpeg', ext: 'jpg', kind: 'photo', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: 'image/png', ext: 'png', kind: 'photo', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { mime: 'image/webp', ext: 'webp', kind: 'photo', test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
  { mime: 'application/pdf', ext: 'pdf', kind: 'document', test: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  // Office Open XML (docx, xlsx) are zip files; the legacy formats are OLE compound files
  { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx', kind: 'document', test: (b) => isZip(b) },
  { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx', kind: 'document', test: (b) => isZip(b) },
  { mime: 'application/msword', ext: 'doc', kind: 'document', test: (b) => isOle(b) },
  { mime: 'application/vnd.ms-excel', ext: 'xls', kind: 'document', test: (b) => isOle(b) },
];
const isZip = (b: Buffer) => b.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
const isOle = (b: Buffer) => b.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));

export interface Upload { fileName: string; mimeType: string; kind: 'photo' | 'document'; ext: string; bytes: Buffer }

/** Reads the one file of a multipart request (10 MB limit set on the app) and recognises its type. */
export async function receiveUpload(request: FastifyRequest): Promise<Upload> {
  if (!request.isMultipart()) throw invalidField('file', 'upload.missing');
  const part = await request.file();
  if (!part) throw invalidField('file', 'upload.missing');
  const bytes = await part.toBuffer();
  if (bytes.length === 0) throw invalidField('file', 'upload.missing');
  // a name busboy read as latin1 from UTF-8 bytes is re-read as UTF-8; one already holding characters
  // beyond latin1 was decoded correctly (re-reading it would keep only each character's low byte:
  // 会场照片 would become "\x1a:gG")
  const utf8Name = [...part.filename].some((c) => c.codePointAt(0)! > 0xff) ? part.filename : Buffer.from(part.filename, 'latin1').toString('utf8');
  const originalName = utf8Name.includes('\uFFFD') ? part.filename : utf8Name;
  const lowerName = originalName.toLowerCase();
  const candidates = SIGNATURES.filter((s) => s.test(bytes));
  // zip and OLE signatures are shared: the extension tells docx from xlsx, doc from xls
  const type = candidates.find((s) => lowerName.endsWith('.' + s.ext)) ?? (candidates.length === 1 || candidates[0]?.kind === 'photo' ? candidates[0] : undefined);
  if (!type) throw invalidField('file', 'upload.type');
  // eslint-disable-next-line no-control-regex -- control characters are what we strip
  const fileName = path.basename(originalName).replace(/[\u0000-\u001f"\\/]/g, '_').slice(0, 120) || `file.${type.ext}`;
  return { fileName, mimeType: type.mime, kind: type.kind, ext: type.ext, bytes };
}

export async function storeUpload(dataDir: string, folder: string, upload: Upload): Promise<string> {
  const key = `${folder}/${crypto.randomUUID()}.${upload.ext}`;
  const file = path.join(dataDir, 'uploads', key);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, upload.bytes, { mode: 0o600 });
  return key;
}

export const uploadPath = (dataDir: string, key: string) => path.join(dataDir, 'uploads', key);

export async function removeUpload(dataDir: string, key: string): Promise<void> {
  await fs.rm(uploadPath(dataDir, key), { force: true });
}

/**
 * Answers with a stored upload: its recognised type, never sniffed; photos and PDFs shown in the browser,
 * other documents downloaded. `privateCopy` keeps browsers and proxies from storing it.
 */
export function sendUpload(reply: FastifyReply, dataDir: string, file: { fileName: string; mimeType: string; storageKey: string }, options: { privateCopy?: boolean } = {}) {
  reply.type(file.mimeType).header('x-content-type-options', 'nosniff');
  if (options.privateCopy) reply.header('cache-control', 'private, no-store');
  return reply.header('content-disposition', attachmentHeader(file.fileName, file.mimeType.startsWith('image/') || file.mimeType === 'application/pdf'))
    .send(createReadStream(uploadPath(dataDir, file.storageKey)));
}

/** RFC 6266 header that keeps Chinese file names intact. */
export function attachmentHeader(fileName: string, inline: boolean): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '');
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

defineMessages({
  'upload.missing': { zh: '请选择要上传的文件', en: 'Choose a file to upload' },
  'upload.type': { zh: '仅支持 JPG、PNG、WebP 图片和 PDF、Word、Excel 文档', en: 'Only JPG, PNG, WebP images and PDF, Word, Excel documents' },
});
