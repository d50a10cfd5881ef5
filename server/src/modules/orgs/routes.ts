import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema } from '../../../../contracts/common.js';
import { CreateOrgSchema, DissolveOrgSchema, MergeOrgSchema, MoveOrgSchema, OrgListQuerySchema, OrgPageSchema, OrgSchema, UpdateOrgSchema } from '../../../../contracts/orgs.js';
import { actorOf } from '../../platform/actor.js';
import { readDb } from '../../platform/replica.js';
import * as orgs from './service.js';
import './messages.js';

const tags = ['orgs'];
const user = { auth: 'user' } as const;

export const orgRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get('/orgs', { config: user, schema: { tags, summary: '党组织列表（本人管理范围内）', querystring: OrgListQuerySchema, response: { 200: OrgPageSchema } } },
    async (request) => orgs.listOrgs(await readDb(request), actorOf(request), request.query));

  app.get('/orgs/:id', { config: user, schema: { tags, summary: '党组织详情', params: IdParamsSchema, response: { 200: OrgSchema } } },
    async (request) => orgs.getOrg(db, actorOf(request), request.params.id));

  app.get('/orgs/:id/children', { config: user, schema: { tags, summary: '下级组织（含各子树党员数）', params: IdParamsSchema, response: { 200: z.object({ items: z.array(OrgSchema) }) } } },
    async (request) => ({ items: await orgs.listChildren(await readDb(request), actorOf(request), request.params.id) }));

  app.post('/orgs', { config: user, schema: { tags, summary: '新建党组织', body: CreateOrgSchema, response: { 201: OrgSchema } } },
    async (request, reply) => reply.status(201).send(await orgs.createOrg(db, actorOf(request), request.body)));

  app.patch('/orgs/:id', { config: user, schema: { tags, summary: '修改党组织', params: IdParamsSchema, body: UpdateOrgSchema, response: { 200: OrgSchema } } },
    async (request) => orgs.updateOrg(db, actorOf(request), request.params.id, request.body));

  app.post('/orgs/:id/move', { config: user, schema: { tags, summary: '移动党组织（连同下级）', params: IdParamsSchema, body: MoveOrgSchema, response: { 200: OrgSchema } } },
    async (request) => orgs.moveOrg(db, actorOf(request), request.params.id, request.body));

  app.post('/orgs/:id/merge', { config: user, schema: { tags, summary: '合并党组织（机构改革：并入另一组织，党员、下级组织和各项记录随之转入）', params: IdParamsSchema, body: MergeOrgSchema, response: { 200: OrgSchema } } },
    async (request) => orgs.mergeOrg(db, actorOf(request), request.params.id, request.body));

  app.post('/orgs/:id/dissolve', { config: user, schema: { tags, summary: '撤销党组织（保留历史）', params: IdParamsSchema, body: DissolveOrgSchema, response: { 200: OrgSchema } } },
    async (request) => orgs.dissolveOrg(db, actorOf(request), request.params.id, request.body));
};
