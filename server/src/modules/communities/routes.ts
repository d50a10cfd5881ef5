import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema, IdSchema, OkSchema, PageQuerySchema } from '../../../../contracts/common.js';
import {
  AgreementDetailSchema, AgreementListQuerySchema, AgreementPageSchema, CommunityListQuerySchema, CommunityMembersSchema, CommunityPageSchema,
  CommunityReportSchema, CommunitySchema, CreateAgreementSchema, CreateCommunitySchema, JointProjectInputSchema, JointProjectSchema, MyReportSchema,
  ReportStatsQuerySchema, ReportStatsSchema, ReportToCommunitySchema, UpdateAgreementSchema, UpdateCommunitySchema, UpdateJointProjectSchema,
} from '../../../../contracts/communities.js';
import { actorOf } from '../../platform/actor.js';
import * as communities from './service.js';
import * as coBuilding from './co-building.js';
import './messages.js';

const tags = ['communities'];
const user = { auth: 'user' } as const;

export const communityRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get('/communities', { config: user, schema: { tags, summary: '社区名册（本系统）', querystring: CommunityListQuerySchema, response: { 200: CommunityPageSchema } } },
    async (request) => communities.listCommunities(db, actorOf(request), request.query));

  app.post('/communities', { config: user, schema: { tags, summary: '登记社区', body: CreateCommunitySchema, response: { 201: CommunitySchema } } },
    async (request, reply) => reply.status(201).send(await communities.createCommunity(db, actorOf(request), request.body)));

  app.get('/communities/my-report', { config: user, schema: { tags, summary: '本人的双报到社区', response: { 200: MyReportSchema } } },
    async (request) => communities.myReport(db, actorOf(request)));

  app.get('/communities/report-stats', { config: user, schema: { tags, summary: '双报到统计（按下级组织、按社区）', querystring: ReportStatsQuerySchema, response: { 200: ReportStatsSchema } } },
    async (request) => communities.reportStats(db, actorOf(request), request.query.orgId));

  app.delete('/communities/reports/:memberId', { config: user, schema: { tags, summary: '撤销双报到', params: z.object({ memberId: IdSchema }), response: { 200: OkSchema } } },
    async (request) => {
      await communities.withdrawReport(db, actorOf(request), request.params.memberId);
      return { ok: true as const };
    });

  app.get('/communities/:id', { config: user, schema: { tags, summary: '社区详情', params: IdParamsSchema, response: { 200: CommunitySchema } } },
    async (request) => communities.getCommunity(db, actorOf(request), request.params.id));

  app.patch('/communities/:id', { config: user, schema: { tags, summary: '修改或停用社区', params: IdParamsSchema, body: UpdateCommunitySchema, response: { 200: CommunitySchema } } },
    async (request) => communities.updateCommunity(db, actorOf(request), request.params.id, request.body));

  app.post('/communities/:id/reports', { config: user, schema: { tags, summary: '到社区报到（本人，或管理员代录）', params: IdParamsSchema, body: ReportToCommunitySchema, response: { 201: CommunityReportSchema } } },
    async (request, reply) => reply.status(201).send(await communities.reportToCommunity(db, actorOf(request), request.params.id, request.body)));

  app.get('/communities/:id/members', { config: user, schema: { tags, summary: '到该社区报到的党员', params: IdParamsSchema, querystring: PageQuerySchema, response: { 200: CommunityMembersSchema } } },
    async (request) => communities.listCommunityMembers(db, actorOf(request), request.params.id, request.query));

  // ---------- 共驻共建 ----------
  const coTags = ['co_building'];

  app.get('/co-building/agreements', { config: user, schema: { tags: coTags, summary: '共建协议列表', querystring: AgreementListQuerySchema, response: { 200: AgreementPageSchema } } },
    async (request) => coBuilding.listAgreements(db, actorOf(request), request.query));

  app.post('/co-building/agreements', { config: user, schema: { tags: coTags, summary: '签订共建协议', body: CreateAgreementSchema, response: { 201: AgreementDetailSchema } } },
    async (request, reply) => reply.status(201).send(await coBuilding.createAgreement(db, actorOf(request), request.body)));

  app.get('/co-building/agreements/:id', { config: user, schema: { tags: coTags, summary: '共建协议详情与共建项目', params: IdParamsSchema, response: { 200: AgreementDetailSchema } } },
    async (request) => coBuilding.getAgreement(db, actorOf(request), request.params.id));

  app.patch('/co-building/agreements/:id', { config: user, schema: { tags: coTags, summary: '修改共建协议', params: IdParamsSchema, body: UpdateAgreementSchema, response: { 200: AgreementDetailSchema } } },
    async (request) => coBuilding.updateAgreement(db, actorOf(request), request.params.id, request.body));

  app.post('/co-building/agreements/:id/projects', { config: user, schema: { tags: coTags, summary: '新增共建项目', params: IdParamsSchema, body: JointProjectInputSchema, response: { 201: JointProjectSchema } } },
    async (request, reply) => reply.status(201).send(await coBuilding.addJointProject(db, actorOf(request), request.params.id, request.body)));

  app.patch('/co-building/projects/:id', { config: user, schema: { tags: coTags, summary: '修改共建项目', params: IdParamsSchema, body: UpdateJointProjectSchema, response: { 200: JointProjectSchema } } },
    async (request) => coBuilding.updateJointProject(db, actorOf(request), request.params.id, request.body));
};
