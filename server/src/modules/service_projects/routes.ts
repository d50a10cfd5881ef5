import fs from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema, IdSchema } from '../../../../contracts/common.js';
import {
  CategoriesQuerySchema, CategoriesSchema, CreateServiceProjectSchema, FeedbackPageSchema, FeedbackQuerySchema, ModerateSchema, PublicFeedbackReceiptSchema,
  PublicFeedbackSchema, PublicProjectDetailSchema, PublicProjectPageSchema, PublicProjectQuerySchema, ResubmitServiceProjectSchema, ReviewServiceProjectSchema,
  ServiceProjectDetailSchema, ServiceProjectEventListSchema, ServiceProjectListQuerySchema, ServiceProjectPageSchema, SetCategoriesSchema, StatisticsQuerySchema,
  StatisticsSchema, TreeParamsSchema, TreeProjectParamsSchema, UpdateServiceProjectSchema,
} from '../../../../contracts/service_projects.js';
import { actorOf } from '../../platform/actor.js';
import * as projects from './service.js';
import * as publicPage from './public.js';
import { computeStatistics, exportStatistics } from './statistics.js';
import { attachmentHeader, receiveUpload, uploadPath } from '../../platform/uploads.js';
import './messages.js';

const tags = ['service_projects'];
const user = { auth: 'user' } as const;
const anyone = { auth: 'public' } as const;
const EvidenceParamsSchema = z.object({ id: IdSchema, evidenceId: IdSchema });

export const serviceProjectRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const dataDir = app.config.dataDir;

  app.get('/service-projects', { config: user, schema: { tags, summary: '我为群众办实事项目列表（本人范围内）', querystring: ServiceProjectListQuerySchema, response: { 200: ServiceProjectPageSchema } } },
    async (request) => projects.listProjects(db, actorOf(request), request.query));

  app.post('/service-projects', { config: user, schema: { tags, summary: '新建项目', body: CreateServiceProjectSchema, response: { 201: ServiceProjectDetailSchema } } },
    async (request, reply) => reply.status(201).send(await projects.createProject(db, actorOf(request), request.body)));

  app.get('/service-projects/categories', { config: user, schema: { tags, summary: '本系统的项目类别', querystring: CategoriesQuerySchema, response: { 200: CategoriesSchema } } },
    async (request) => projects.getCategories(db, actorOf(request), request.query.orgId));

  app.put('/service-projects/categories', { config: user, schema: { tags, summary: '配置本系统的项目类别（顶级组织管理员）', body: SetCategoriesSchema, response: { 200: CategoriesSchema } } },
    async (request) => projects.setCategories(db, actorOf(request), request.body));

  app.get('/service-projects/statistics', { config: user, schema: { tags, summary: '统计（子树、期间）', querystring: StatisticsQuerySchema, response: { 200: StatisticsSchema } } },
    async (request) => computeStatistics(db, actorOf(request), request.query));

  app.get('/service-projects/statistics.xlsx', { config: user, schema: { tags, summary: '导出统计与项目清单（.xlsx）', querystring: StatisticsQuerySchema } },
    async (request, reply) => {
      const { fileName, body } = await exportStatistics(db, actorOf(request), request.query, request.lang);
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', attachmentHeader(fileName, false)).send(body);
    });

  app.get('/service-projects/feedback', { config: user, schema: { tags, summary: '群众评价审核队列', querystring: FeedbackQuerySchema, response: { 200: FeedbackPageSchema } } },
    async (request) => projects.listFeedback(db, actorOf(request), request.query));

  app.post('/service-projects/feedback/:id/moderate', { config: user, schema: { tags, summary: '审核群众评价', params: IdParamsSchema, body: ModerateSchema, response: { 200: z.object({ id: IdSchema, status: z.enum(['approved', 'rejected']) }) } } },
    async (request) => projects.moderateFeedback(db, actorOf(request), request.params.id, request.body));

  app.get('/service-projects/:id', { config: user, schema: { tags, summary: '项目详情（里程碑、佐证、梳理意见）', params: IdParamsSchema, response: { 200: ServiceProjectDetailSchema } } },
    async (request) => projects.getProject(db, actorOf(request), request.params.id));

  app.patch('/service-projects/:id', { config: user, schema: { tags, summary: '修改项目（进度、状态、里程碑、成效）', params: IdParamsSchema, body: UpdateServiceProjectSchema, response: { 200: ServiceProjectDetailSchema } } },
    async (request) => projects.updateProject(db, actorOf(request), request.params.id, request.body));

  app.post('/service-projects/:id/reviews', { config: user, schema: { tags, summary: '阶段性梳理（上级组织：意见、评分、退回）', params: IdParamsSchema, body: ReviewServiceProjectSchema, response: { 201: ServiceProjectDetailSchema } } },
    async (request, reply) => reply.status(201).send(await projects.reviewProject(db, actorOf(request), request.params.id, request.body)));

  app.post('/service-projects/:id/resubmit', { config: user, schema: { tags, summary: '整改后重新提交', params: IdParamsSchema, body: ResubmitServiceProjectSchema, response: { 200: ServiceProjectDetailSchema } } },
    async (request) => projects.resubmitProject(db, actorOf(request), request.params.id, request.body));

  app.get('/service-projects/:id/events', { config: user, schema: { tags, summary: '项目变更历史', params: IdParamsSchema, response: { 200: ServiceProjectEventListSchema } } },
    async (request) => projects.listEvents(db, actorOf(request), request.params.id));

  app.post('/service-projects/:id/evidence', { config: user, schema: { tags, summary: '上传佐证材料（multipart，字段 file，10 MB 内）', params: IdParamsSchema, consumes: ['multipart/form-data'], response: { 201: ServiceProjectDetailSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const upload = await receiveUpload(request);
      return reply.status(201).send(await projects.addEvidence(db, actor, dataDir, request.params.id, upload));
    });

  app.get('/service-projects/:id/evidence/:evidenceId', { config: user, schema: { tags, summary: '下载佐证材料', params: EvidenceParamsSchema } },
    async (request, reply) => {
      const file = await projects.findEvidence(db, actorOf(request), request.params.id, request.params.evidenceId);
      return reply.type(file.mimeType).header('x-content-type-options', 'nosniff')
        .header('content-disposition', attachmentHeader(file.fileName, file.mimeType.startsWith('image/') || file.mimeType === 'application/pdf'))
        .send(fs.createReadStream(uploadPath(dataDir, file.storageKey)));
    });

  app.delete('/service-projects/:id/evidence/:evidenceId', { config: user, schema: { tags, summary: '删除佐证材料', params: EvidenceParamsSchema, response: { 200: ServiceProjectDetailSchema } } },
    async (request) => projects.removeEvidence(db, actorOf(request), request.params.id, request.params.evidenceId));

  // ---------- public page of a tree: no login, whitelisted fields ----------

  const publicTags = ['public'];
  app.get('/public/service-projects/trees/:rootId/projects', { config: anyone, schema: { tags: publicTags, summary: '公开：我为群众办实事项目（进度与成效）', params: TreeParamsSchema, querystring: PublicProjectQuerySchema, response: { 200: PublicProjectPageSchema } } },
    async (request) => publicPage.listPublicProjects(db, request.params.rootId, request.query));

  app.get('/public/service-projects/trees/:rootId/projects/:id', { config: anyone, schema: { tags: publicTags, summary: '公开：项目详情与群众评价', params: TreeProjectParamsSchema, response: { 200: PublicProjectDetailSchema } } },
    async (request) => publicPage.getPublicProject(db, request.params.rootId, request.params.id));

  app.post('/public/service-projects/trees/:rootId/projects/:id/feedback', { config: anyone, schema: { tags: publicTags, summary: '公开：群众满意度评价与留言（审核后显示，按地址限频）', params: TreeProjectParamsSchema, body: PublicFeedbackSchema, response: { 202: PublicFeedbackReceiptSchema } } },
    async (request, reply) => {
      await publicPage.submitFeedback(db, request.params.rootId, request.params.id, request.body, request.ip);
      return reply.status(202).send({ received: true as const, status: 'pending' as const });
    });
};
