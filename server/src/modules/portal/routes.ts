import fs from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { PageQuerySchema } from '../../../../contracts/common.js';
import {
  PortalItemParamsSchema, PortalParamsSchema, PortalSchema, PublicLessonRegistrationReceiptSchema, PublicLessonRegistrationSchema, PublicNewsPageSchema,
  PublicNewsSchema,
} from '../../../../contracts/news.js';
import { SearchQuerySchema, SearchResultSchema } from '../../../../contracts/search.js';
import { uploadPath } from '../../platform/uploads.js';
import * as portal from './service.js';
import '../news/messages.js';
import '../search/messages.js';
import '../service_projects/messages.js';

const tags = ['public'];
const anyone = { auth: 'public' } as const;

export const portalRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const dataDir = app.config.dataDir;

  app.get('/public/portal/:rootId', { config: anyone, schema: { tags, summary: '公开：门户首页（公开资讯、开放式党课）', params: PortalParamsSchema, response: { 200: PortalSchema } } },
    async (request) => portal.getPortal(db, request.params.rootId));

  app.get('/public/portal/:rootId/news', { config: anyone, schema: { tags, summary: '公开：已发布的公开资讯', params: PortalParamsSchema, querystring: PageQuerySchema, response: { 200: PublicNewsPageSchema } } },
    async (request) => portal.listPublicNews(db, request.params.rootId, request.query));

  app.get('/public/portal/:rootId/news/:id', { config: anyone, schema: { tags, summary: '公开：资讯正文', params: PortalItemParamsSchema, response: { 200: PublicNewsSchema } } },
    async (request) => portal.getPublicNews(db, request.params.rootId, request.params.id));

  app.get('/public/portal/:rootId/news/:id/cover', { config: anyone, schema: { tags, summary: '公开：资讯封面图', params: PortalItemParamsSchema } },
    async (request, reply) => {
      const cover = await portal.publicCover(db, request.params.rootId, request.params.id);
      return reply.type(cover.mime).header('x-content-type-options', 'nosniff').header('cache-control', 'public, max-age=300')
        .send(fs.createReadStream(uploadPath(dataDir, cover.key)));
    });

  app.get('/public/portal/:rootId/search', { config: anyone, schema: { tags, summary: '公开：搜索本系统公开内容（简繁通用）', params: PortalParamsSchema, querystring: SearchQuerySchema, response: { 200: SearchResultSchema } } },
    async (request) => portal.searchPortal(db, request.params.rootId, request.query));

  app.post('/public/portal/:rootId/open-lessons/:id/register', { config: anyone, schema: { tags, summary: '公开：报名开放式党课（姓名、单位；按地址限频）', params: PortalItemParamsSchema, body: PublicLessonRegistrationSchema, response: { 201: PublicLessonRegistrationReceiptSchema } } },
    async (request, reply) => reply.status(201).send(await portal.registerForLesson(db, request.params.rootId, request.params.id, request.body, request.ip)));
};
