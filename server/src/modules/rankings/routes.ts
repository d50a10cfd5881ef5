import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema, OkSchema, PageQuerySchema } from '../../../../contracts/common.js';
import {
  BoardOrgParamsSchema, BoardQuerySchema, BoardSchema, ManualScorePageSchema, ManualScoresInputSchema, ManualScoresQuerySchema, ManualScoresResultSchema,
  OrgBreakdownSchema, PublishedBoardPageSchema, RankedOrgPageSchema, RankedOrgQuerySchema, RankingCampaignInputSchema, RankingCampaignListQuerySchema, RankingCampaignPageSchema, RankingCampaignSchema, RankingCampaignUpdateSchema,
  RankingEventInputSchema, RankingEventSchema, RankingIndicatorListSchema, RankingPeriodDetailSchema,
} from '../../../../contracts/rankings.js';
import { actorOf } from '../../platform/actor.js';
import * as rankings from './service.js';
import './messages.js';

const tags = ['rankings'];
const user = { auth: 'user' } as const;
const EmptyBodySchema = z.strictObject({}).optional();

export const rankingRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  // ---------- who runs a campaign ----------

  app.get('/rankings/campaigns', { config: user, schema: { tags, summary: '赛马活动列表（管理范围内）', querystring: RankingCampaignListQuerySchema, response: { 200: RankingCampaignPageSchema } } },
    async (request) => rankings.listCampaigns(db, actorOf(request), request.query));

  app.post('/rankings/campaigns', { config: user, schema: { tags, summary: '新建赛马活动（维度、赛道、周期）', body: RankingCampaignInputSchema, response: { 201: RankingCampaignSchema } } },
    async (request, reply) => reply.status(201).send(await rankings.createCampaign(db, actorOf(request), request.body)));

  app.get('/rankings/campaigns/:id', { config: user, schema: { tags, summary: '赛马活动详情', params: IdParamsSchema, response: { 200: RankingCampaignSchema } } },
    async (request) => rankings.getCampaign(db, actorOf(request), request.params.id));

  app.patch('/rankings/campaigns/:id', { config: user, schema: { tags, summary: '修改赛马活动（首个周期计算前）', params: IdParamsSchema, body: RankingCampaignUpdateSchema, response: { 200: RankingCampaignSchema } } },
    async (request) => rankings.updateCampaign(db, actorOf(request), request.params.id, request.body));

  app.delete('/rankings/campaigns/:id', { config: user, schema: { tags, summary: '删除赛马活动（未发布排行榜、无擂台赛）', params: IdParamsSchema, response: { 200: OkSchema } } },
    async (request) => {
      await rankings.deleteCampaign(db, actorOf(request), request.params.id);
      return { ok: true as const };
    });

  app.get('/rankings/campaigns/:id/orgs', { config: user, schema: { tags, summary: '参加排名的组织（按赛道）', params: IdParamsSchema, querystring: RankedOrgQuerySchema, response: { 200: RankedOrgPageSchema } } },
    async (request) => rankings.listRankedOrgs(db, actorOf(request), request.params.id, request.query));

  app.get('/rankings/indicators', { config: user, schema: { tags, summary: '可用于赛马维度的计算指标', response: { 200: RankingIndicatorListSchema } } },
    async () => rankings.listIndicators());

  app.get('/rankings/periods/:id', { config: user, schema: { tags, summary: '排名周期（评分、擂台赛、计算、发布）', params: IdParamsSchema, response: { 200: RankingPeriodDetailSchema } } },
    async (request) => rankings.getPeriod(db, actorOf(request), request.params.id));

  app.get('/rankings/periods/:id/manual-scores', { config: user, schema: { tags, summary: '手工评分维度的各组织得分', params: IdParamsSchema, querystring: ManualScoresQuerySchema, response: { 200: ManualScorePageSchema } } },
    async (request) => rankings.listManualScores(db, actorOf(request), request.params.id, request.query));

  app.put('/rankings/periods/:id/manual-scores', { config: user, schema: { tags, summary: '录入手工评分', params: IdParamsSchema, body: ManualScoresInputSchema, response: { 200: ManualScoresResultSchema } } },
    async (request) => rankings.saveManualScores(db, actorOf(request), request.params.id, request.body));

  app.post('/rankings/periods/:id/events', { config: user, schema: { tags, summary: '新建擂台赛（报名组织与评委）', params: IdParamsSchema, body: RankingEventInputSchema, response: { 201: RankingEventSchema } } },
    async (request, reply) => reply.status(201).send(await rankings.createEvent(db, actorOf(request), request.params.id, request.body)));

  app.post('/rankings/periods/:id/compute', { config: user, schema: { tags, summary: '计算本周期排名', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: RankingPeriodDetailSchema } } },
    async (request) => rankings.computePeriod(db, actorOf(request), request.params.id));

  app.post('/rankings/periods/:id/publish', { config: user, schema: { tags, summary: '发布本周期排行榜', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: RankingPeriodDetailSchema } } },
    async (request) => rankings.publishPeriod(db, actorOf(request), request.params.id));

  // ---------- the board: the campaign's admins, and once published the orgs in its tree ----------

  app.get('/rankings/boards', { config: user, schema: { tags, summary: '已发布的排行榜', querystring: PageQuerySchema, response: { 200: PublishedBoardPageSchema } } },
    async (request) => rankings.listPublishedBoards(db, actorOf(request), request.query));

  app.get('/rankings/periods/:id/board', { config: user, schema: { tags, summary: '排行榜：一个赛道的一页与本组织所在行', params: IdParamsSchema, querystring: BoardQuerySchema, response: { 200: BoardSchema } } },
    async (request) => rankings.getBoard(db, actorOf(request), request.params.id, request.query));

  app.get('/rankings/periods/:id/orgs/:orgId', { config: user, schema: { tags, summary: '一个组织的各维度得分', params: BoardOrgParamsSchema, response: { 200: OrgBreakdownSchema } } },
    async (request) => rankings.getOrgBreakdown(db, actorOf(request), request.params.id, request.params.orgId));
};
