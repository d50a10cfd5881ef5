import fs from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema, IdSchema } from '../../../../contracts/common.js';
import {
  CreateWishSchema, FulfilWishSchema, ModerateWishSchema, PostWishReceiptSchema, PublicPostWishSchema, PublicWishPageSchema, PublicWishQuerySchema,
  TrackedWishSchema, TrackingParamsSchema, WishContactSchema, WishListQuerySchema, WishPageSchema, WishSchema,
} from '../../../../contracts/micro_wishes.js';
import { TreeParamsSchema } from '../../../../contracts/service_projects.js';
import { actorOf } from '../../platform/actor.js';
import { attachmentHeader, receiveUpload, uploadPath } from '../../platform/uploads.js';
import * as wishes from './service.js';
import './messages.js';
import '../service_projects/messages.js';

const tags = ['micro_wishes'];
const user = { auth: 'user' } as const;
const anyone = { auth: 'public' } as const;
const EmptyBodySchema = z.strictObject({}).optional();

export const microWishRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const { cipher } = app;
  const dataDir = app.config.dataDir;

  app.get('/micro-wishes', { config: user, schema: { tags, summary: '微心愿列表（管理范围内；党员：本系统已发布的与本人认领的）', querystring: WishListQuerySchema, response: { 200: WishPageSchema } } },
    async (request) => wishes.listWishes(db, actorOf(request), request.query));

  app.post('/micro-wishes', { config: user, schema: { tags, summary: '社区代群众发布微心愿（无需审核）', body: CreateWishSchema, response: { 201: WishSchema } } },
    async (request, reply) => reply.status(201).send(await wishes.createWish(db, actorOf(request), cipher, request.body)));

  app.get('/micro-wishes/:id', { config: user, schema: { tags, summary: '微心愿详情', params: IdParamsSchema, response: { 200: WishSchema } } },
    async (request) => wishes.getWish(db, actorOf(request), request.params.id));

  app.post('/micro-wishes/:id/moderate', { config: user, schema: { tags, summary: '审核群众提交的心愿', params: IdParamsSchema, body: ModerateWishSchema, response: { 200: WishSchema } } },
    async (request) => wishes.moderateWish(db, actorOf(request), request.params.id, request.body));

  app.post('/micro-wishes/:id/claim', { config: user, schema: { tags, summary: '认领（每个心愿仅一人）', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: WishSchema } } },
    async (request) => wishes.claimWish(db, actorOf(request), request.params.id));

  app.post('/micro-wishes/:id/release', { config: user, schema: { tags, summary: '放弃认领', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: WishSchema } } },
    async (request) => wishes.releaseWish(db, actorOf(request), request.params.id));

  app.post('/micro-wishes/:id/fulfil', { config: user, schema: { tags, summary: '完成心愿（说明，佐证另行上传）', params: IdParamsSchema, body: FulfilWishSchema, response: { 200: WishSchema } } },
    async (request) => wishes.fulfilWish(db, actorOf(request), request.params.id, request.body));

  app.post('/micro-wishes/:id/confirm', { config: user, schema: { tags, summary: '社区确认心愿已实现', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: WishSchema } } },
    async (request) => wishes.confirmWish(db, actorOf(request), request.params.id));

  app.get('/micro-wishes/:id/contact', { config: user, schema: { tags, summary: '发布人联系方式（仅认领人与管理员，留痕）', params: IdParamsSchema, response: { 200: WishContactSchema } } },
    async (request) => wishes.revealContact(db, actorOf(request), cipher, request.params.id));

  app.post('/micro-wishes/:id/evidence', { config: user, schema: { tags, summary: '上传完成佐证（multipart，字段 file）', params: IdParamsSchema, consumes: ['multipart/form-data'], response: { 201: WishSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const upload = await receiveUpload(request);
      return reply.status(201).send(await wishes.addWishEvidence(db, actor, dataDir, request.params.id, upload));
    });

  app.get('/micro-wishes/:id/evidence/:evidenceId', { config: user, schema: { tags, summary: '下载完成佐证', params: z.object({ id: IdSchema, evidenceId: IdSchema }) } },
    async (request, reply) => {
      const file = await wishes.findWishEvidence(db, actorOf(request), request.params.id, request.params.evidenceId);
      return reply.type(file.mimeType).header('x-content-type-options', 'nosniff')
        .header('content-disposition', attachmentHeader(file.fileName, file.mimeType.startsWith('image/')))
        .send(fs.createReadStream(uploadPath(dataDir, file.storageKey)));
    });

  // ---------- public: residents post and follow their wishes ----------

  const publicTags = ['public'];
  app.get('/public/micro-wishes/trees/:rootId', { config: anyone, schema: { tags: publicTags, summary: '公开：已发布的微心愿', params: TreeParamsSchema, querystring: PublicWishQuerySchema, response: { 200: PublicWishPageSchema } } },
    async (request) => wishes.listPublicWishes(db, request.params.rootId, request.query));

  app.post('/public/micro-wishes/trees/:rootId', { config: anyone, schema: { tags: publicTags, summary: '公开：群众提交微心愿（审核后发布，按地址限频）', params: TreeParamsSchema, body: PublicPostWishSchema, response: { 201: PostWishReceiptSchema } } },
    async (request, reply) => reply.status(201).send(await wishes.postPublicWish(db, cipher, request.params.rootId, request.body, request.ip)));

  app.get('/public/micro-wishes/track/:code', { config: anyone, schema: { tags: publicTags, summary: '公开：凭查询码查看心愿进度', params: TrackingParamsSchema, response: { 200: TrackedWishSchema } } },
    async (request) => wishes.trackWish(db, request.params.code));

  app.post('/public/micro-wishes/track/:code/confirm', { config: anyone, schema: { tags: publicTags, summary: '公开：群众确认心愿已实现', params: TrackingParamsSchema, body: EmptyBodySchema, response: { 200: TrackedWishSchema } } },
    async (request) => wishes.confirmByPoster(db, request.params.code, request.ip));
};
