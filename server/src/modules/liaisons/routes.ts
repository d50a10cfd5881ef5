import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema } from '../../../../contracts/common.js';
import {
  CreateLiaisonSchema, CreateSitInSchema, LiaisonListQuerySchema, LiaisonPageSchema, LiaisonSchema, MyLiaisonsSchema, SitInListQuerySchema, SitInPageSchema, SitInSchema,
} from '../../../../contracts/liaisons.js';
import { actorOf } from '../../platform/actor.js';
import * as liaisons from './service.js';
import './messages.js';

const tags = ['liaisons'];
const user = { auth: 'user' } as const;
const EmptyBodySchema = z.strictObject({}).optional();

export const liaisonRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  // ---------- the committee above the branch ----------

  app.get('/liaisons', { config: user, schema: { tags, summary: '委员联系支部安排（管理范围内的支部）', querystring: LiaisonListQuerySchema, response: { 200: LiaisonPageSchema } } },
    async (request) => liaisons.listLiaisons(db, actorOf(request), request.query));

  app.post('/liaisons', { config: user, schema: { tags, summary: '安排委员联系支部（上级党组织管理员）', body: CreateLiaisonSchema, response: { 201: LiaisonSchema } } },
    async (request, reply) => reply.status(201).send(await liaisons.createLiaison(db, actorOf(request), request.body)));

  app.post('/liaisons/:id/end', { config: user, schema: { tags, summary: '结束联系安排（只读权限随即收回）', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: LiaisonSchema } } },
    async (request) => liaisons.endLiaison(db, actorOf(request), request.params.id));

  app.get('/liaisons/sit-ins', { config: user, schema: { tags, summary: '旁听记录（管理范围内的支部）', querystring: SitInListQuerySchema, response: { 200: SitInPageSchema } } },
    async (request) => liaisons.listSitIns(db, actorOf(request), request.query));

  // ---------- the liaison ----------

  app.get('/me/liaisons', { config: user, schema: { tags, summary: '我联系的支部及其近期活动', response: { 200: MyLiaisonsSchema } } },
    async (request) => liaisons.myLiaisons(db, actorOf(request)));

  app.get('/me/sit-ins', { config: user, schema: { tags, summary: '我的旁听记录', querystring: SitInListQuerySchema, response: { 200: SitInPageSchema } } },
    async (request) => liaisons.listMySitIns(db, actorOf(request), request.query));

  app.post('/me/sit-ins', { config: user, schema: { tags, summary: '记录旁听（所联系支部的活动）', body: CreateSitInSchema, response: { 201: SitInSchema } } },
    async (request, reply) => reply.status(201).send(await liaisons.createSitIn(db, actorOf(request), request.body)));
};
