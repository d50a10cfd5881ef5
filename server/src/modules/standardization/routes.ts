import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema, OkSchema } from '../../../../contracts/common.js';
import {
  CloseRectificationSchema, CreateRectificationSchema, CreateSchemeSchema, EvidenceFileParamsSchema, EvidenceParamsSchema, IndicatorOptionListSchema, LaunchResultSchema, LaunchRoundsSchema, ReasonSchema,
  RectificationPageSchema, RectificationProgressSchema, RectificationQuerySchema, RectificationSchema, RereviewSchema, ReviewSchema, RoundDistributionSchema,
  RoundPageSchema, RoundQuerySchema, RoundSchema, RoundSummaryQuerySchema, SchemePageSchema, SchemeQuerySchema, SchemeSchema, SelfAssessmentSchema, UpdateSchemeSchema,
} from '../../../../contracts/standardization.js';
import { actorOf } from '../../platform/actor.js';
import { receiveUpload, sendUpload } from '../../platform/uploads.js';
import * as evidence from './evidence.js';
import * as rectifications from './rectifications.js';
import * as schemes from './schemes.js';
import * as rounds from './service.js';
import './messages.js';

const tags = ['standardization'];
const user = { auth: 'user' } as const;
const EmptyBodySchema = z.strictObject({}).optional();

export const standardizationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const dataDir = app.config.dataDir;

  app.get('/standardization/indicators', { config: user, schema: { tags, summary: '可用于计算类标准的指标', response: { 200: IndicatorOptionListSchema } } },
    async (request) => { actorOf(request); return schemes.listIndicatorOptions(); });

  // ---------- schemes ----------
  app.get('/standardization/schemes', { config: user, schema: { tags, summary: '达标定级方案（本级及上级党组织的）', querystring: SchemeQuerySchema, response: { 200: SchemePageSchema } } },
    async (request) => schemes.listSchemes(db, actorOf(request), request.query));

  app.post('/standardization/schemes', { config: user, schema: { tags, summary: '新建方案（草稿：等次与评定标准）', body: CreateSchemeSchema, response: { 201: SchemeSchema } } },
    async (request, reply) => reply.status(201).send(await schemes.createScheme(db, actorOf(request), request.body)));

  app.get('/standardization/schemes/:id', { config: user, schema: { tags, summary: '方案详情（各等次的评定标准）', params: IdParamsSchema, response: { 200: SchemeSchema } } },
    async (request) => schemes.getScheme(db, actorOf(request), request.params.id));

  app.put('/standardization/schemes/:id', { config: user, schema: { tags, summary: '修改草稿方案（整体替换）', params: IdParamsSchema, body: UpdateSchemeSchema, response: { 200: SchemeSchema } } },
    async (request) => schemes.updateScheme(db, actorOf(request), request.params.id, request.body));

  app.delete('/standardization/schemes/:id', { config: user, schema: { tags, summary: '删除未用于评定的方案', params: IdParamsSchema, response: { 200: OkSchema } } },
    async (request) => {
      await schemes.deleteScheme(db, actorOf(request), request.params.id);
      return { ok: true as const };
    });

  app.post('/standardization/schemes/:id/activate', { config: user, schema: { tags, summary: '启用方案（标准锁定）', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: SchemeSchema } } },
    async (request) => schemes.activateScheme(db, actorOf(request), request.params.id));

  app.post('/standardization/schemes/:id/archive', { config: user, schema: { tags, summary: '归档方案', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: SchemeSchema } } },
    async (request) => schemes.archiveScheme(db, actorOf(request), request.params.id));

  app.post('/standardization/schemes/:id/rounds', { config: user, schema: { tags, summary: '为下级支部开展评定', params: IdParamsSchema, body: LaunchRoundsSchema, response: { 201: LaunchResultSchema } } },
    async (request, reply) => reply.status(201).send(await schemes.launchRounds(db, actorOf(request), request.params.id, request.body)));

  // ---------- rounds ----------
  app.get('/standardization/rounds', { config: user, schema: { tags, summary: '评定列表（管理范围内）', querystring: RoundQuerySchema, response: { 200: RoundPageSchema } } },
    async (request) => rounds.listRounds(db, actorOf(request), request.query));

  app.get('/standardization/rounds/distribution', { config: user, schema: { tags, summary: '等次分布（各数字即所打开列表的总数）', querystring: RoundSummaryQuerySchema, response: { 200: RoundDistributionSchema } } },
    async (request) => rounds.roundDistribution(db, actorOf(request), request.query));

  app.get('/standardization/rounds/:id', { config: user, schema: { tags, summary: '评定详情（逐项自评、评定意见、整改）', params: IdParamsSchema, response: { 200: RoundSchema } } },
    async (request) => rounds.getRound(db, actorOf(request), request.params.id));

  app.put('/standardization/rounds/:id/self-assessment', { config: user, schema: { tags, summary: '保存自评（本支部）', params: IdParamsSchema, body: SelfAssessmentSchema, response: { 200: RoundSchema } } },
    async (request) => rounds.saveSelfAssessment(db, actorOf(request), request.params.id, request.body));

  app.post('/standardization/rounds/:id/criteria/:criterionId/files', { config: user, schema: { tags, summary: '上传佐证材料（multipart，字段 file，10 MB 内；图片、PDF、Word、Excel）', params: EvidenceParamsSchema, consumes: ['multipart/form-data'], response: { 201: RoundSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      await evidence.assertMayAttach(db, actor, request.params.id);
      const upload = await receiveUpload(request);
      return reply.status(201).send(await evidence.addEvidenceFile(db, actor, dataDir, request.params.id, request.params.criterionId, upload));
    });

  app.get('/standardization/rounds/:id/files/:fileId', { config: user, schema: { tags, summary: '下载佐证材料', params: EvidenceFileParamsSchema } },
    async (request, reply) => {
      const file = await evidence.findEvidenceFile(db, actorOf(request), request.params.id, request.params.fileId);
      return sendUpload(reply, dataDir, file, { privateCopy: true });
    });

  app.delete('/standardization/rounds/:id/files/:fileId', { config: user, schema: { tags, summary: '删除佐证材料（自评提交前）', params: EvidenceFileParamsSchema, response: { 200: RoundSchema } } },
    async (request) => evidence.removeEvidenceFile(db, actorOf(request), dataDir, request.params.id, request.params.fileId));

  app.post('/standardization/rounds/:id/submit', { config: user, schema: { tags, summary: '提交自评', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: RoundSchema } } },
    async (request) => rounds.submitRound(db, actorOf(request), request.params.id));

  app.post('/standardization/rounds/:id/return', { config: user, schema: { tags, summary: '退回自评（上级）', params: IdParamsSchema, body: ReasonSchema, response: { 200: RoundSchema } } },
    async (request) => rounds.returnRound(db, actorOf(request), request.params.id, request.body));

  app.post('/standardization/rounds/:id/review', { config: user, schema: { tags, summary: '评定等次（上级，不能评定本支部）', params: IdParamsSchema, body: ReviewSchema, response: { 200: RoundSchema } } },
    async (request) => rounds.reviewRound(db, actorOf(request), request.params.id, request.body));

  app.post('/standardization/rounds/:id/appeal', { config: user, schema: { tags, summary: '申诉（每轮一次）', params: IdParamsSchema, body: ReasonSchema, response: { 200: RoundSchema } } },
    async (request) => rounds.appealRound(db, actorOf(request), request.params.id, request.body));

  app.post('/standardization/rounds/:id/accept', { config: user, schema: { tags, summary: '确认评定结果', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: RoundSchema } } },
    async (request) => rounds.acceptRound(db, actorOf(request), request.params.id));

  app.post('/standardization/rounds/:id/rereview', { config: user, schema: { tags, summary: '复核申诉（结果为最终等次）', params: IdParamsSchema, body: RereviewSchema, response: { 200: RoundSchema } } },
    async (request) => rounds.rereviewRound(db, actorOf(request), request.params.id, request.body));

  app.post('/standardization/rounds/:id/publish', { config: user, schema: { tags, summary: '公布等次', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: RoundSchema } } },
    async (request) => rounds.publishRound(db, actorOf(request), request.params.id));

  app.post('/standardization/rounds/:id/regrade', { config: user, schema: { tags, summary: '整改完成后重新定级（新一轮）', params: IdParamsSchema, body: EmptyBodySchema, response: { 201: RoundSchema } } },
    async (request, reply) => reply.status(201).send(await rounds.regradeRound(db, actorOf(request), request.params.id)));

  app.post('/standardization/rounds/:id/rectifications', { config: user, schema: { tags, summary: '下达整改任务（后进等次）', params: IdParamsSchema, body: CreateRectificationSchema, response: { 201: RectificationSchema } } },
    async (request, reply) => reply.status(201).send(await rectifications.createRectification(db, actorOf(request), request.params.id, request.body)));

  // ---------- rectification tasks ----------
  app.get('/standardization/rectifications', { config: user, schema: { tags, summary: '整改任务（管理范围内）', querystring: RectificationQuerySchema, response: { 200: RectificationPageSchema } } },
    async (request) => rectifications.listRectifications(db, actorOf(request), request.query));

  app.get('/standardization/rectifications/:id', { config: user, schema: { tags, summary: '整改任务详情', params: IdParamsSchema, response: { 200: RectificationSchema } } },
    async (request) => rectifications.getRectification(db, actorOf(request), request.params.id));

  app.post('/standardization/rectifications/:id/progress', { config: user, schema: { tags, summary: '报告整改进展（本支部）', params: IdParamsSchema, body: RectificationProgressSchema, response: { 200: RectificationSchema } } },
    async (request) => rectifications.reportProgress(db, actorOf(request), request.params.id, request.body));

  app.post('/standardization/rectifications/:id/close', { config: user, schema: { tags, summary: '整改销号（上级）', params: IdParamsSchema, body: CloseRectificationSchema, response: { 200: RectificationSchema } } },
    async (request) => rectifications.closeRectification(db, actorOf(request), request.params.id, request.body));
};
