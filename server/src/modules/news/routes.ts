import fs from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema } from '../../../../contracts/common.js';
import {
  CreateNewsColumnSchema, CreateNewsItemSchema, NewsColumnListSchema, NewsColumnSchema, NewsItemPageSchema, NewsItemQuerySchema, NewsItemSchema,
  ReturnNewsItemSchema, UpdateNewsColumnSchema, UpdateNewsItemSchema,
} from '../../../../contracts/news.js';
import { actorOf } from '../../platform/actor.js';
import { receiveUpload, uploadPath } from '../../platform/uploads.js';
import * as news from './service.js';
import './messages.js';

const tags = ['news'];
const user = { auth: 'user' } as const;
const EmptyBodySchema = z.strictObject({}).optional();

export const newsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const dataDir = app.config.dataDir;

  app.get('/news/columns', { config: user, schema: { tags, summary: '资讯专栏（本人所在及上级党组织、管理范围内）', response: { 200: NewsColumnListSchema } } },
    async (request) => news.listColumns(db, actorOf(request)));

  app.post('/news/columns', { config: user, schema: { tags, summary: '新建专栏（该党组织的管理员）', body: CreateNewsColumnSchema, response: { 201: NewsColumnSchema } } },
    async (request, reply) => reply.status(201).send(await news.createColumn(db, actorOf(request), request.body)));

  app.patch('/news/columns/:id', { config: user, schema: { tags, summary: '修改或停用专栏', params: IdParamsSchema, body: UpdateNewsColumnSchema, response: { 200: NewsColumnSchema } } },
    async (request) => news.updateColumn(db, actorOf(request), request.params.id, request.body));

  app.get('/news/items', { config: user, schema: { tags, summary: '资讯列表（已发布 / 待我审核 / 我的稿件 / 管理范围内全部）', querystring: NewsItemQuerySchema, response: { 200: NewsItemPageSchema } } },
    async (request) => news.listItems(db, actorOf(request), request.query));

  app.post('/news/items', { config: user, schema: { tags, summary: '撰写资讯（草稿）', body: CreateNewsItemSchema, response: { 201: NewsItemSchema } } },
    async (request, reply) => reply.status(201).send(await news.createItem(db, actorOf(request), request.body)));

  app.get('/news/items/:id', { config: user, schema: { tags, summary: '资讯详情', params: IdParamsSchema, response: { 200: NewsItemSchema } } },
    async (request) => news.getItem(db, actorOf(request), request.params.id));

  app.patch('/news/items/:id', { config: user, schema: { tags, summary: '修改稿件（草稿、退回或已撤回）', params: IdParamsSchema, body: UpdateNewsItemSchema, response: { 200: NewsItemSchema } } },
    async (request) => news.updateItem(db, actorOf(request), request.params.id, request.body));

  app.post('/news/items/:id/submit', { config: user, schema: { tags, summary: '提交审核', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: NewsItemSchema } } },
    async (request) => news.submitItem(db, actorOf(request), request.params.id));

  app.post('/news/items/:id/approve', { config: user, schema: { tags, summary: '审核通过并发布（不能审核本人稿件）', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: NewsItemSchema } } },
    async (request) => news.approveItem(db, actorOf(request), request.params.id));

  app.post('/news/items/:id/return', { config: user, schema: { tags, summary: '退回修改（须说明原因）', params: IdParamsSchema, body: ReturnNewsItemSchema, response: { 200: NewsItemSchema } } },
    async (request) => news.returnItem(db, actorOf(request), request.params.id, request.body));

  app.post('/news/items/:id/withdraw', { config: user, schema: { tags, summary: '撤回已发布的资讯', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: NewsItemSchema } } },
    async (request) => news.withdrawItem(db, actorOf(request), request.params.id));

  app.post('/news/items/:id/cover', { config: user, schema: { tags, summary: '上传封面图（multipart，字段 file）', params: IdParamsSchema, consumes: ['multipart/form-data'], response: { 200: NewsItemSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const upload = await receiveUpload(request);
      return news.setCover(db, actor, dataDir, request.params.id, upload);
    });

  app.get('/news/items/:id/cover', { config: user, schema: { tags, summary: '封面图', params: IdParamsSchema } },
    async (request, reply) => {
      const cover = await news.findCover(db, actorOf(request), request.params.id);
      return reply.type(cover.mime).header('x-content-type-options', 'nosniff').header('cache-control', 'private, max-age=300')
        .send(fs.createReadStream(uploadPath(dataDir, cover.key)));
    });
};
