import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema, PageQuerySchema } from '../../../../contracts/common.js';
import {
  AnswerObjectionSchema, MemberNoticePageSchema, ObjectionReceiptSchema, ObjectionSchema, ObjectSchema, PublicNoticeCardPageSchema,
  PublicNoticeDetailSchema, PublicNoticeListQuerySchema, PublicNoticePageSchema, PublicNoticeTreeQuerySchema, PublicNoticeViewSchema, RevealedContactSchema,
} from '../../../../contracts/public_notices.js';
import { TreeParamsSchema } from '../../../../contracts/service_projects.js';
import { actorOf } from '../../platform/actor.js';
import * as notices from './service.js';
import './messages.js';
import '../service_projects/messages.js';

const tags = ['public_notices'];
const user = { auth: 'user' } as const;
const anyone = { auth: 'public' } as const;
const EmptyBodySchema = z.strictObject({}).optional();

export const publicNoticeRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const { cipher } = app;

  app.get('/public-notices', { config: user, schema: { tags, summary: '公示列表（管理范围内，含异议统计）', querystring: PublicNoticeListQuerySchema, response: { 200: PublicNoticePageSchema } } },
    async (request) => notices.listPublicNotices(db, actorOf(request), request.query));

  app.get('/public-notices/:id', { config: user, schema: { tags, summary: '公示详情：公示对象与异议（联系方式脱敏）', params: IdParamsSchema, response: { 200: PublicNoticeDetailSchema } } },
    async (request) => notices.getPublicNotice(db, actorOf(request), request.params.id));

  app.post('/public-notices/objections/:id/uphold', { config: user, schema: { tags, summary: '异议成立：撤销该项（来源模块同步撤销），须填写答复', params: IdParamsSchema, body: AnswerObjectionSchema, response: { 200: ObjectionSchema } } },
    async (request) => notices.upholdObjection(db, actorOf(request), request.params.id, request.body));

  app.post('/public-notices/objections/:id/dismiss', { config: user, schema: { tags, summary: '异议不成立，须填写答复', params: IdParamsSchema, body: AnswerObjectionSchema, response: { 200: ObjectionSchema } } },
    async (request) => notices.dismissObjection(db, actorOf(request), request.params.id, request.body));

  app.post('/public-notices/objections/:id/reveal-contact', { config: user, schema: { tags, summary: '查看异议人完整联系方式（留痕）', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: RevealedContactSchema } } },
    async (request) => notices.revealObjectionContact(db, actorOf(request), cipher, request.params.id));

  // ---------- members ----------

  app.get('/me/public-notices', { config: user, schema: { tags, summary: '我的：本人所在组织及上级正在公示的名单', querystring: PageQuerySchema, response: { 200: MemberNoticePageSchema } } },
    async (request) => notices.listMyPublicNotices(db, actorOf(request), request.query));

  app.post('/me/public-notices/:id/objections', { config: user, schema: { tags, summary: '我的：实名提出异议（公示期内）', params: IdParamsSchema, body: ObjectSchema, response: { 201: ObjectionReceiptSchema } } },
    async (request, reply) => reply.status(201).send(await notices.objectAsMember(db, actorOf(request), cipher, request.params.id, request.body)));

  // ---------- public: names, org names and honours only ----------

  const publicTags = ['public'];
  app.get('/public/public-notices/trees/:rootId', { config: anyone, schema: { tags: publicTags, summary: '公开：正在公示与近期结束的公示', params: TreeParamsSchema, querystring: PublicNoticeTreeQuerySchema, response: { 200: PublicNoticeCardPageSchema } } },
    async (request) => notices.listTreePublicNotices(db, request.params.rootId, request.query));

  app.get('/public/public-notices/:id', { config: anyone, schema: { tags: publicTags, summary: '公开：公示名单（不含个人信息）', params: IdParamsSchema, response: { 200: PublicNoticeViewSchema } } },
    async (request) => notices.getPublicView(db, request.params.id));

  app.post('/public/public-notices/:id/objections', { config: anyone, schema: { tags: publicTags, summary: '公开：提出异议（可匿名，联系方式选填，按地址限频；仅公示期内）', params: IdParamsSchema, body: ObjectSchema, response: { 201: ObjectionReceiptSchema } } },
    async (request, reply) => reply.status(201).send(await notices.objectPublicly(db, cipher, request.params.id, request.body, request.ip)));
};
