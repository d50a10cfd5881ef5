import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema } from '../../../../contracts/common.js';
import {
  LeaderboardQuerySchema, LedgerEntrySchema, LedgerPageSchema, LedgerQuerySchema, MemberLeaderboardSchema, MyPointsSchema, OrgLeaderboardSchema,
  PointRuleSchema, ReverseEntrySchema, RuleParamsSchema, UpdatePointRuleSchema,
} from '../../../../contracts/points.js';
import { actorOf } from '../../platform/actor.js';
import { readDb } from '../../platform/replica.js';
import * as points from './service.js';

const tags = ['points'];
const user = { auth: 'user' } as const;

export const pointsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get('/points/rules', { config: user, schema: { tags, summary: '积分规则', response: { 200: z.object({ items: z.array(PointRuleSchema) }) } } },
    async () => ({ items: await points.listRules(db) }));

  app.patch('/points/rules/:code', { config: user, schema: { tags, summary: '修改积分规则（平台管理员）', params: RuleParamsSchema, body: UpdatePointRuleSchema, response: { 200: PointRuleSchema } } },
    async (request) => points.updateRule(db, actorOf(request), request.params.code, request.body));

  app.get('/points/me', { config: user, schema: { tags, summary: '我的积分', response: { 200: MyPointsSchema } } },
    async (request) => points.getMyPoints(db, actorOf(request)));

  app.get('/points/ledger', { config: user, schema: { tags, summary: '积分明细（本人或管理范围内）', querystring: LedgerQuerySchema, response: { 200: LedgerPageSchema } } },
    async (request) => points.listLedger(db, actorOf(request), request.query));

  app.post('/points/ledger/:id/reverse', { config: user, schema: { tags, summary: '冲正一条积分记录（须填写原因）', params: IdParamsSchema, body: ReverseEntrySchema, response: { 201: LedgerEntrySchema } } },
    async (request, reply) => reply.status(201).send(await points.reverseEntry(db, actorOf(request), request.params.id, request.body)));

  app.get('/points/leaderboard/members', { config: user, schema: { tags, summary: '党员积分排行榜', querystring: LeaderboardQuerySchema, response: { 200: MemberLeaderboardSchema } } },
    async (request) => points.memberLeaderboard(await readDb(request), actorOf(request), request.query));

  app.get('/points/leaderboard/orgs', { config: user, schema: { tags, summary: '组织积分排行榜（人均）', querystring: LeaderboardQuerySchema, response: { 200: OrgLeaderboardSchema } } },
    async (request) => points.orgLeaderboard(await readDb(request), actorOf(request), request.query));
};
