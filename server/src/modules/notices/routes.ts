import fs from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema, OkSchema, PageQuerySchema } from '../../../../contracts/common.js';
import {
  MyNoticeDetailSchema, MyNoticePageSchema, NoticeFileParamsSchema, NoticeFileSchema, NoticeInputSchema, NoticeListQuerySchema, NoticePageSchema,
  NoticeReceiptPeopleQuerySchema, NoticeReceiptPeopleSchema, NoticeReceiptsSchema, NoticeSchema, PublishNoticeSchema, RemindResultSchema,
} from '../../../../contracts/notices.js';
import { actorOf } from '../../platform/actor.js';
import type { JobDefinition } from '../../platform/scheduler.js';
import { attachmentHeader, receiveUpload, uploadPath } from '../../platform/uploads.js';
import * as notices from './service.js';
import './messages.js';

const tags = ['notices'];
const user = { auth: 'user' } as const;
const EmptyBodySchema = z.strictObject({}).optional();

export const noticeRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const dataDir = app.config.dataDir;

  // ---------- the org's admins ----------

  app.get('/notices', { config: user, schema: { tags, summary: '通知公告列表（管理范围内各组织发布的）', querystring: NoticeListQuerySchema, response: { 200: NoticePageSchema } } },
    async (request) => notices.listNotices(db, actorOf(request), request.query));

  app.post('/notices', { config: user, schema: { tags, summary: '新建通知（草稿）', body: NoticeInputSchema, response: { 201: NoticeSchema } } },
    async (request, reply) => reply.status(201).send(await notices.createNotice(db, actorOf(request), request.body)));

  app.get('/notices/:id', { config: user, schema: { tags, summary: '通知详情（管理）', params: IdParamsSchema, response: { 200: NoticeSchema } } },
    async (request) => notices.getNotice(db, actorOf(request), request.params.id));

  app.put('/notices/:id', { config: user, schema: { tags, summary: '修改草稿或待发布的通知（待发布的回到草稿）', params: IdParamsSchema, body: NoticeInputSchema, response: { 200: NoticeSchema } } },
    async (request) => notices.updateNotice(db, actorOf(request), request.params.id, request.body));

  app.delete('/notices/:id', { config: user, schema: { tags, summary: '删除草稿', params: IdParamsSchema, response: { 200: OkSchema } } },
    async (request) => {
      await notices.deleteNotice(db, actorOf(request), dataDir, request.params.id);
      return { ok: true as const };
    });

  app.post('/notices/:id/publish', { config: user, schema: { tags, summary: '立即发布或定时发布', params: IdParamsSchema, body: PublishNoticeSchema, response: { 200: NoticeSchema } } },
    async (request) => notices.publishNotice(db, actorOf(request), request.params.id, request.body));

  app.post('/notices/:id/withdraw', { config: user, schema: { tags, summary: '撤回通知', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: NoticeSchema } } },
    async (request) => notices.withdrawNotice(db, actorOf(request), request.params.id));

  app.get('/notices/:id/receipts', { config: user, schema: { tags, summary: '阅读回执：各组织应读与已读人数', params: IdParamsSchema, response: { 200: NoticeReceiptsSchema } } },
    async (request) => notices.noticeReceipts(db, actorOf(request), request.params.id));

  app.get('/notices/:id/receipts/people', { config: user, schema: { tags, summary: '阅读回执名单（已读/未读，按组织）', params: IdParamsSchema, querystring: NoticeReceiptPeopleQuerySchema, response: { 200: NoticeReceiptPeopleSchema } } },
    async (request) => notices.noticeReceiptPeople(db, actorOf(request), request.params.id, request.query));

  app.post('/notices/:id/remind', { config: user, schema: { tags, summary: '一键提醒未读人员', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: RemindResultSchema } } },
    async (request) => notices.remindUnread(db, actorOf(request), request.params.id));

  app.post('/notices/:id/files', { config: user, schema: { tags, summary: '上传附件或正文图片（multipart，字段 file）', params: IdParamsSchema, consumes: ['multipart/form-data'], response: { 201: NoticeFileSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const upload = await receiveUpload(request);
      return reply.status(201).send(await notices.addNoticeFile(db, actor, dataDir, request.params.id, upload));
    });

  app.delete('/notices/:id/files/:fileId', { config: user, schema: { tags, summary: '删除附件（发布前）', params: NoticeFileParamsSchema, response: { 200: OkSchema } } },
    async (request) => {
      await notices.removeNoticeFile(db, actorOf(request), dataDir, request.params.id, request.params.fileId);
      return { ok: true as const };
    });

  app.get('/notices/:id/files/:fileId', { config: user, schema: { tags, summary: '下载附件或正文图片（管理者与接收人）', params: NoticeFileParamsSchema } },
    async (request, reply) => {
      const file = await notices.findNoticeFile(db, actorOf(request), request.params.id, request.params.fileId);
      return reply.type(file.mimeType).header('x-content-type-options', 'nosniff')
        .header('content-disposition', attachmentHeader(file.fileName, file.mimeType.startsWith('image/')))
        .send(fs.createReadStream(uploadPath(dataDir, file.storageKey)));
    });

  // ---------- the reader ----------

  app.get('/me/notices', { config: user, schema: { tags, summary: '我的通知（未读在前）', querystring: PageQuerySchema, response: { 200: MyNoticePageSchema } } },
    async (request) => notices.listMyNotices(db, actorOf(request), request.query));

  app.post('/me/notices/:id/open', { config: user, schema: { tags, summary: '阅读通知（首次打开即为已读）', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: MyNoticeDetailSchema } } },
    async (request) => notices.openMyNotice(db, actorOf(request), request.params.id));
};

/** Scheduled publication (one run per notice, keyed by it) and the hourly reminder of must-read notices. */
export const noticeJobs: JobDefinition[] = [
  {
    kind: notices.PUBLISH_JOB,
    async run({ db, payload, now, log }) {
      const { noticeId } = z.object({ noticeId: z.string() }).parse(payload);
      if (await notices.publishScheduledNotice(db, noticeId, now)) log.info({ noticeId }, 'scheduled notice published');
    },
  },
  {
    kind: notices.REMIND_JOB,
    everySeconds: 3600,
    async run({ db, now, log }) {
      const delivered = await notices.remindMustReadNotices(db, now);
      if (delivered) log.info({ delivered }, 'must-read notice reminders delivered');
    },
  },
];
