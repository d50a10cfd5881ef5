import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ImportAcceptedSchema, ImportJobParamsSchema, ImportJobSchema, ImportOptionsSchema, type ImportOptions } from '../../../../contracts/member_import.js';
import { actorOf } from '../../platform/actor.js';
import { invalidField, invalidFields } from '../../platform/errors.js';
import { fieldProblemsOf } from '../../platform/validation.js';
import { MemberExportQuerySchema, XLSX_TYPE, contentDisposition, exportMembers, exportFileName } from './export.js';
import { buildImportTemplate } from './import/template.js';
import { inspectMemberSheet } from './import/sheet-reader.js';
import { OrgDirectory } from './import/org-directory.js';
import { assertMayImport, checkDefaultOrg, createImportJob, getImportJob, runImportJob } from './import/jobs.js';

const tags = ['members'];
const user = { auth: 'user' } as const;

/**
 * 党员导入/导出. An import is a job: the upload is checked for shape (an .xlsx with the template's
 * headers and at most 50,000 rows) while the request is open, then checked row by row and inserted
 * in the background of this process; the job's row in the database answers every poll, from any
 * process of the site.
 */
export const memberImportRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  // One import at a time per process: two 50,000-row files at once would only slow both down.
  let queue: Promise<void> = Promise.resolve();
  app.addHook('onClose', async () => { await queue; });

  app.get('/members/import/template', { config: user, schema: { tags, summary: '下载党员导入模板（.xlsx）' } },
    async (request, reply) => {
      const actor = actorOf(request);
      assertMayImport(actor);
      const orgs = await OrgDirectory.load(db, actor);
      const file = await buildImportTemplate(orgs.importTargets());
      return reply.type(XLSX_TYPE).header('content-disposition', contentDisposition('党员导入模板.xlsx', 'member-import-template.xlsx')).send(file);
    });

  app.post('/members/import', {
    config: user,
    schema: { tags, summary: '导入党员（multipart：file、mode=all|valid_only|validate、orgId 默认党组织）', consumes: ['multipart/form-data'], response: { 202: ImportAcceptedSchema } },
  }, async (request, reply) => {
    const actor = actorOf(request);
    assertMayImport(actor);
    const upload = await receiveUpload(request);
    try {
      if (upload.options.orgId) await checkDefaultOrg(db, actor, upload.options.orgId);
      const { total } = await inspectMemberSheet(upload.file, upload.options.orgId !== undefined);
      const jobId = await createImportJob(db, actor, total);
      const run = { db, cipher: app.cipher, actor, jobId, file: upload.file, mode: upload.options.mode, defaultOrgId: upload.options.orgId, lang: request.lang };
      queue = queue.then(() => runImportJob(run)).catch((error: unknown) => request.log.error({ err: error }, `member import job ${jobId}`));
      upload.file = '';
      return reply.status(202).send({ jobId });
    } finally {
      // the job owns the file once queued (and deletes it); otherwise it goes now
      if (upload.file) await fs.promises.rm(upload.file, { force: true });
    }
  });

  app.get('/members/import/:jobId', { config: user, schema: { tags, summary: '导入任务进度与结果', params: ImportJobParamsSchema, response: { 200: ImportJobSchema } } },
    async (request) => getImportJob(db, actorOf(request), request.params.jobId, request.lang));

  app.get('/members/export', { config: user, schema: { tags, summary: '导出党员名册（.xlsx，筛选条件同列表；身份证号、手机号脱敏。reveal=1 且填写 reason：所在党组织及上级管理员导出完整号码，记入审计日志）', querystring: MemberExportQuerySchema } },
    async (request, reply) => {
      const stream = await exportMembers(db, app.cipher, actorOf(request), request.query, request.log);
      return reply.type(XLSX_TYPE).header('content-disposition', contentDisposition(exportFileName(), 'members.xlsx')).send(stream);
    });
};

/**
 * The multipart form: the file goes straight to a temporary file (never held in memory; over
 * 10 MB the platform answers 413), the fields are checked like any request body.
 */
async function receiveUpload(request: FastifyRequest): Promise<{ file: string; options: ImportOptions }> {
  if (!request.isMultipart()) throw invalidField('file', 'member_import.file_required');
  const fields: Record<string, string> = {};
  let file = '';
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || file) {
          part.file.resume();
          continue;
        }
        file = path.join(os.tmpdir(), `dangjian-import-${crypto.randomBytes(8).toString('hex')}.xlsx`);
        await pipeline(part.file, fs.createWriteStream(file, { mode: 0o600 }));
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
    if (!file) throw invalidField('file', 'member_import.file_required');
    const parsed = ImportOptionsSchema.safeParse(fields, { reportInput: true });
    if (!parsed.success) throw invalidFields(fieldProblemsOf(parsed.error.issues));
    return { file, options: parsed.data };
  } catch (error) {
    if (file) await fs.promises.rm(file, { force: true });
    throw error;
  }
}
