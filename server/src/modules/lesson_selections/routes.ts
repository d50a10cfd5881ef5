import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema } from '../../../../contracts/common.js';
import {
  CreateLessonEntrySchema, CreateLessonSelectionSchema, LessonEntryFileParamsSchema, LessonEntryListQuerySchema, LessonEntryPageSchema, LessonEntryParamsSchema,
  LessonEntrySchema, LessonSelectionListQuerySchema, LessonSelectionPageSchema, LessonSelectionSchema, LessonWinnerPageSchema, LessonWinnerQuerySchema,
  OpenLessonNoticeSchema, OpenLessonPanelSchema, ReviewLessonEntrySchema,
} from '../../../../contracts/lesson_selections.js';
import { actorOf } from '../../platform/actor.js';
import { receiveUpload, sendUpload } from '../../platform/uploads.js';
import * as lessons from './service.js';
import './messages.js';

const tags = ['lesson_selections'];
const user = { auth: 'user' } as const;
const EmptyBodySchema = z.strictObject({}).optional();

/** 授课晒课评课: selections of party lessons, their entries, judging, 公示 and the published winners. */
export const lessonSelectionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const dataDir = app.config.dataDir;

  app.get('/lesson-selections', { config: user, schema: { tags, summary: '党课评选（本组织举办的与可报送的）', querystring: LessonSelectionListQuerySchema, response: { 200: LessonSelectionPageSchema } } },
    async (request) => lessons.listSelections(db, actorOf(request), request.query));

  app.post('/lesson-selections', { config: user, schema: { tags, summary: '发起党课评选（精品党课、十佳党课…）', body: CreateLessonSelectionSchema, response: { 201: LessonSelectionSchema } } },
    async (request, reply) => reply.status(201).send(await lessons.createSelection(db, actorOf(request), request.body)));

  app.get('/lesson-selections/:id', { config: user, schema: { tags, summary: '党课评选详情', params: IdParamsSchema, response: { 200: LessonSelectionSchema } } },
    async (request) => lessons.getSelection(db, actorOf(request), request.params.id));

  app.get('/lesson-selections/:id/entries', { config: user, schema: { tags, summary: '参评党课（举办方看全部，报送单位看本单位及下级；评审后按名次）', params: IdParamsSchema, querystring: LessonEntryListQuerySchema, response: { 200: LessonEntryPageSchema } } },
    async (request) => lessons.listEntries(db, actorOf(request), request.params.id, request.query));

  app.post('/lesson-selections/:id/entries', { config: user, schema: { tags, summary: '晒课：报送一堂党课（报送期内）', params: IdParamsSchema, body: CreateLessonEntrySchema, response: { 201: LessonEntrySchema } } },
    async (request, reply) => reply.status(201).send(await lessons.createEntry(db, actorOf(request), request.params.id, request.body)));

  app.post('/lesson-selections/:id/entries/:entryId/files', { config: user, schema: { tags, summary: '上传课件（文档或视频；multipart，字段 file）', params: LessonEntryParamsSchema, consumes: ['multipart/form-data'], response: { 201: LessonEntrySchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const upload = await receiveUpload(request);
      return reply.status(201).send(await lessons.addEntryFile(db, actor, dataDir, request.params.id, request.params.entryId, upload));
    });

  app.get('/lesson-selections/:id/entries/:entryId/files/:fileId', { config: user, schema: { tags, summary: '下载课件', params: LessonEntryFileParamsSchema } },
    async (request, reply) =>
      sendUpload(reply, dataDir, await lessons.findEntryFile(db, actorOf(request), request.params.id, request.params.entryId, request.params.fileId), { privateCopy: true }));

  app.post('/lesson-selections/:id/entries/:entryId/review', { config: user, schema: { tags, summary: '审核参评党课（通过的进入评审）', params: LessonEntryParamsSchema, body: ReviewLessonEntrySchema, response: { 200: LessonEntrySchema } } },
    async (request) => lessons.reviewEntry(db, actorOf(request), request.params.id, request.params.entryId, request.body));

  app.post('/lesson-selections/:id/judging', { config: user, schema: { tags, summary: '评课：组建评审（评委在“我的评审”中打分）', params: IdParamsSchema, body: OpenLessonPanelSchema, response: { 200: LessonSelectionSchema } } },
    async (request) => lessons.openJudging(db, actorOf(request), request.params.id, request.body));

  app.post('/lesson-selections/:id/judging/close', { config: user, schema: { tags, summary: '结束评审：按得分排名，前 N 名拟入选', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: LessonSelectionSchema } } },
    async (request) => lessons.closeJudging(db, actorOf(request), request.params.id));

  app.post('/lesson-selections/:id/public-notice', { config: user, schema: { tags, summary: '拟入选名单公示', params: IdParamsSchema, body: OpenLessonNoticeSchema, response: { 200: LessonSelectionSchema } } },
    async (request) => lessons.openNotice(db, actorOf(request), request.params.id, request.body));

  app.post('/lesson-selections/:id/publish', { config: user, schema: { tags, summary: '发布评选结果（公示期满且异议处理完毕）', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: LessonSelectionSchema } } },
    async (request) => lessons.publishSelection(db, actorOf(request), request.params.id));

  app.get('/lesson-winners', { config: user, schema: { tags, summary: '精品党课：已发布的评选结果', querystring: LessonWinnerQuerySchema, response: { 200: LessonWinnerPageSchema } } },
    async (request) => lessons.listWinners(db, actorOf(request), request.query));
};
