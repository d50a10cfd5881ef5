import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateIndicatorSchema, CreateSchemeSchema, IndicatorPageSchema, IndicatorQuerySchema, IndicatorRecordPageSchema, IndicatorRecordsQuerySchema, IndicatorSchema,
  IndicatorSourceListSchema, ManualScoreInputSchema, ManualScorePageSchema, ManualScoreQuerySchema, ManualScoreSchema, ResultPageSchema, ReviewManualScoreSchema,
  SchemePageSchema, SchemeQuerySchema, SchemeSchema, UpdateSchemeSchema,
} from '../../../../contracts/assessment.js';
import { IdParamsSchema, OkSchema, PageQuerySchema } from '../../../../contracts/common.js';
import { actorOf } from '../../platform/actor.js';
import { exportResults } from './export.js';
import { listIndicatorSources } from './indicators-service.js';
import * as assessment from './service.js';
import './messages.js';

const tags = ['assessment'];
const user = { auth: 'user' } as const;
const EmptyBodySchema = z.strictObject({}).optional();
const CodeParamsSchema = z.object({ code: z.string().max(100) });
const attachment = (filename: string) => `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`;

export const assessmentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get('/assessment/sources', { config: user, schema: { tags, summary: '可用的计算指标（平台数据自动计算）', response: { 200: IndicatorSourceListSchema } } },
    async () => ({ items: listIndicatorSources() }));

  app.get('/assessment/indicators', { config: user, schema: { tags, summary: '指标库（本级、上级和下级党组织的指标）', querystring: IndicatorQuerySchema, response: { 200: IndicatorPageSchema } } },
    async (request) => assessment.listIndicators(db, actorOf(request), request.query));

  app.post('/assessment/indicators', { config: user, schema: { tags, summary: '新增指标（计算指标或人工评分指标）', body: CreateIndicatorSchema, response: { 201: IndicatorSchema } } },
    async (request, reply) => reply.status(201).send(await assessment.createIndicator(db, actorOf(request), request.body)));

  app.get('/assessment/indicators/:code/records', { config: user, schema: { tags, summary: '计算指标的数据明细（得分来源的记录，与分子分母同一查询）', params: CodeParamsSchema, querystring: IndicatorRecordsQuerySchema, response: { 200: IndicatorRecordPageSchema } } },
    async (request) => assessment.indicatorRecords(db, actorOf(request), request.params.code, request.query));

  app.get('/assessment/schemes', { config: user, schema: { tags, summary: '考核方案（管理的及参评的）', querystring: SchemeQuerySchema, response: { 200: SchemePageSchema } } },
    async (request) => assessment.listSchemes(db, actorOf(request), request.query));

  app.post('/assessment/schemes', { config: user, schema: { tags, summary: '新建考核方案（指标、权重、参评党组织）', body: CreateSchemeSchema, response: { 201: SchemeSchema } } },
    async (request, reply) => reply.status(201).send(await assessment.createScheme(db, actorOf(request), request.body)));

  app.get('/assessment/schemes/:id', { config: user, schema: { tags, summary: '考核方案详情', params: IdParamsSchema, response: { 200: SchemeSchema } } },
    async (request) => assessment.getScheme(db, actorOf(request), request.params.id));

  app.patch('/assessment/schemes/:id', { config: user, schema: { tags, summary: '修改考核方案（冻结前；已计算的结果清除，回到草稿）', params: IdParamsSchema, body: UpdateSchemeSchema, response: { 200: SchemeSchema } } },
    async (request) => assessment.updateScheme(db, actorOf(request), request.params.id, request.body));

  app.delete('/assessment/schemes/:id', { config: user, schema: { tags, summary: '删除考核方案（冻结前）', params: IdParamsSchema, response: { 200: OkSchema } } },
    async (request) => {
      await assessment.deleteScheme(db, actorOf(request), request.params.id);
      return { ok: true as const };
    });

  app.post('/assessment/schemes/:id/compute', { config: user, schema: { tags, summary: '计算得分与排名（冻结后不能再计算）', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: SchemeSchema } } },
    async (request) => assessment.computeScheme(db, actorOf(request), request.params.id));

  app.post('/assessment/schemes/:id/freeze', { config: user, schema: { tags, summary: '冻结结果', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: SchemeSchema } } },
    async (request) => assessment.freezeScheme(db, actorOf(request), request.params.id));

  app.post('/assessment/schemes/:id/publish', { config: user, schema: { tags, summary: '发布结果（参评党组织管理员可见）', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: SchemeSchema } } },
    async (request) => assessment.publishScheme(db, actorOf(request), request.params.id));

  app.get('/assessment/schemes/:id/results', { config: user, schema: { tags, summary: '考核结果（名次、总分、各指标得分）', params: IdParamsSchema, querystring: PageQuerySchema, response: { 200: ResultPageSchema } } },
    async (request) => assessment.getResults(db, actorOf(request), request.params.id, request.query));

  app.get('/assessment/schemes/:id/export', { config: user, schema: { tags, summary: '导出考核结果（.xlsx；记入审计日志）', params: IdParamsSchema } },
    async (request, reply) => {
      const { stream, fileName } = await exportResults(db, actorOf(request), request.params.id, request.log);
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', attachment(fileName)).send(stream);
    });

  app.get('/assessment/schemes/:id/manual-scores', { config: user, schema: { tags, summary: '人工评分填报记录', params: IdParamsSchema, querystring: ManualScoreQuerySchema, response: { 200: ManualScorePageSchema } } },
    async (request) => assessment.listManualScores(db, actorOf(request), request.params.id, request.query));

  app.post('/assessment/schemes/:id/manual-scores', { config: user, schema: { tags, summary: '填报人工评分（附佐证，待审核）', params: IdParamsSchema, body: ManualScoreInputSchema, response: { 200: ManualScoreSchema } } },
    async (request) => assessment.enterManualScore(db, actorOf(request), request.params.id, request.body));

  app.post('/assessment/manual-scores/:id/review', { config: user, schema: { tags, summary: '审核人工评分（不能审核本人填报）', params: IdParamsSchema, body: ReviewManualScoreSchema, response: { 200: ManualScoreSchema } } },
    async (request) => assessment.reviewManualScore(db, actorOf(request), request.params.id, request.body));
};
