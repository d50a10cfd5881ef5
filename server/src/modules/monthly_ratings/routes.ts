import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema, PageQuerySchema } from '../../../../contracts/common.js';
import {
  MemberStarPageSchema, MonthlyRatingCampaignInputSchema, MonthlyRatingCampaignPageSchema, MonthlyRatingCampaignSchema, MonthlyRatingCampaignUpdateSchema,
  MonthlyRatingRoundDetailSchema, MonthlyRatingRoundInputSchema, MonthlyRatingRoundPageSchema, MonthlyRatingWindowsSchema, MyMonthlyRatingsSchema,
  NominationInputSchema, NominationListQuerySchema, NominationPageSchema, NominationReviewSchema, NominationSchema, PeerPageSchema, PublishedListPageSchema,
  PublishedListSchema, RecommendationSchema, TieOrderInputSchema, VoteInputSchema, VoteResultSchema,
} from '../../../../contracts/monthly_ratings.js';
import { actorOf } from '../../platform/actor.js';
import type { JobDefinition } from '../../platform/scheduler.js';
import { receiveUpload, sendUpload } from '../../platform/uploads.js';
import * as ratings from './service.js';
import './messages.js';

const tags = ['monthly_ratings'];
const user = { auth: 'user' } as const;
const EmptyBodySchema = z.strictObject({}).optional();

export const monthlyRatingRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const dataDir = app.config.dataDir;

  // ---------- those who run a campaign, and the admins below who nominate into it ----------

  app.get('/monthly-ratings/campaigns', { config: user, schema: { tags, summary: '美丽党员评星活动列表', querystring: PageQuerySchema, response: { 200: MonthlyRatingCampaignPageSchema } } },
    async (request) => ratings.listCampaigns(db, actorOf(request), request.query));

  app.post('/monthly-ratings/campaigns', { config: user, schema: { tags, summary: '新建评星活动（名额、票数、推荐与投票时间）', body: MonthlyRatingCampaignInputSchema, response: { 201: MonthlyRatingCampaignSchema } } },
    async (request, reply) => reply.status(201).send(await ratings.createCampaign(db, actorOf(request), request.body)));

  app.get('/monthly-ratings/campaigns/:id', { config: user, schema: { tags, summary: '评星活动详情', params: IdParamsSchema, response: { 200: MonthlyRatingCampaignSchema } } },
    async (request) => ratings.getCampaign(db, actorOf(request), request.params.id));

  app.patch('/monthly-ratings/campaigns/:id', { config: user, schema: { tags, summary: '修改评星活动设置', params: IdParamsSchema, body: MonthlyRatingCampaignUpdateSchema, response: { 200: MonthlyRatingCampaignSchema } } },
    async (request) => ratings.updateCampaign(db, actorOf(request), request.params.id, request.body));

  app.get('/monthly-ratings/campaigns/:id/rounds', { config: user, schema: { tags, summary: '各月评星', params: IdParamsSchema, querystring: PageQuerySchema, response: { 200: MonthlyRatingRoundPageSchema } } },
    async (request) => ratings.listRounds(db, actorOf(request), request.params.id, request.query));

  app.post('/monthly-ratings/campaigns/:id/rounds', { config: user, schema: { tags, summary: '创建某月评星（时间默认按活动设置）', params: IdParamsSchema, body: MonthlyRatingRoundInputSchema, response: { 201: MonthlyRatingRoundDetailSchema } } },
    async (request, reply) => reply.status(201).send(await ratings.createRound(db, actorOf(request), request.params.id, request.body)));

  app.get('/monthly-ratings/rounds/:id', { config: user, schema: { tags, summary: '某月评星（阶段、候选数、已投票数）', params: IdParamsSchema, response: { 200: MonthlyRatingRoundDetailSchema } } },
    async (request) => ratings.getRound(db, actorOf(request), request.params.id));

  app.put('/monthly-ratings/rounds/:id/windows', { config: user, schema: { tags, summary: '调整推荐与投票时间（通报前）', params: IdParamsSchema, body: MonthlyRatingWindowsSchema, response: { 200: MonthlyRatingRoundDetailSchema } } },
    async (request) => ratings.updateWindows(db, actorOf(request), request.params.id, request.body));

  app.get('/monthly-ratings/rounds/:id/nominations', { config: user, schema: { tags, summary: '候选人选（活动管理者可见实时票数）', params: IdParamsSchema, querystring: NominationListQuerySchema, response: { 200: NominationPageSchema } } },
    async (request) => ratings.listNominations(db, actorOf(request), request.params.id, request.query));

  app.post('/monthly-ratings/rounds/:id/nominations', { config: user, schema: { tags, summary: '推荐本组织党员（事迹）', params: IdParamsSchema, body: NominationInputSchema, response: { 201: NominationSchema } } },
    async (request, reply) => reply.status(201).send(await ratings.nominate(db, actorOf(request), request.params.id, request.body)));

  app.put('/monthly-ratings/rounds/:id/tie-order', { config: user, schema: { tags, summary: '确定并列人选的先后（按管理员决定的活动）', params: IdParamsSchema, body: TieOrderInputSchema, response: { 200: MonthlyRatingRoundDetailSchema } } },
    async (request) => ratings.setTieOrder(db, actorOf(request), request.params.id, request.body));

  app.post('/monthly-ratings/rounds/:id/publish', { config: user, schema: { tags, summary: '通报本月美丽党员名单', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: MonthlyRatingRoundDetailSchema } } },
    async (request) => ratings.publishRound(db, actorOf(request), request.params.id));

  app.get('/monthly-ratings/rounds/:id/list', { config: user, schema: { tags, summary: '已通报的本月名单（姓名、组织、事迹）', params: IdParamsSchema, response: { 200: PublishedListSchema } } },
    async (request) => ratings.getPublishedList(db, actorOf(request), request.params.id));

  app.get('/monthly-ratings/nominations/:id', { config: user, schema: { tags, summary: '推荐人选详情', params: IdParamsSchema, response: { 200: NominationSchema } } },
    async (request) => ratings.getNomination(db, actorOf(request), request.params.id));

  app.post('/monthly-ratings/nominations/:id/review', { config: user, schema: { tags, summary: '审核党员自荐或推荐', params: IdParamsSchema, body: NominationReviewSchema, response: { 200: NominationSchema } } },
    async (request) => ratings.reviewNomination(db, actorOf(request), request.params.id, request.body));

  app.post('/monthly-ratings/nominations/:id/photo', { config: user, schema: { tags, summary: '上传候选人照片（multipart，字段 file）', params: IdParamsSchema, consumes: ['multipart/form-data'], response: { 200: NominationSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const upload = await receiveUpload(request);
      return ratings.setNominationPhoto(db, actor, dataDir, request.params.id, upload);
    });

  app.get('/monthly-ratings/nominations/:id/photo', { config: user, schema: { tags, summary: '候选人照片', params: IdParamsSchema } },
    async (request, reply) => sendUpload(reply, dataDir, await ratings.findNominationPhoto(db, actorOf(request), request.params.id), { privateCopy: true }));

  app.get('/monthly-ratings/members/:id/stars', { config: user, schema: { tags, summary: '党员获评美丽党员的月份', params: IdParamsSchema, querystring: PageQuerySchema, response: { 200: MemberStarPageSchema } } },
    async (request) => ratings.listMemberStars(db, actorOf(request), request.params.id, request.query));

  // ---------- a member's phone ----------

  app.get('/me/monthly-ratings', { config: user, schema: { tags, summary: '我的月度评星：本月候选与剩余票数', response: { 200: MyMonthlyRatingsSchema } } },
    async (request) => ratings.myRounds(db, actorOf(request)));

  app.post('/me/monthly-ratings/rounds/:id/votes', { config: user, schema: { tags, summary: '为候选人投票', params: IdParamsSchema, body: VoteInputSchema, response: { 201: VoteResultSchema } } },
    async (request, reply) => reply.status(201).send(await ratings.castVote(db, actorOf(request), request.params.id, request.body.nominationId)));

  app.post('/me/monthly-ratings/rounds/:id/recommendations', { config: user, schema: { tags, summary: '自荐或推荐身边党员（待审核）', params: IdParamsSchema, body: NominationInputSchema, response: { 201: RecommendationSchema } } },
    async (request, reply) => reply.status(201).send(await ratings.recommend(db, actorOf(request), request.params.id, request.body)));

  app.get('/me/monthly-ratings/rounds/:id/peers', { config: user, schema: { tags, summary: '本支部党员（推荐用，仅姓名）', params: IdParamsSchema, querystring: PageQuerySchema, response: { 200: PeerPageSchema } } },
    async (request) => ratings.listPeers(db, actorOf(request), request.params.id, request.query));

  app.get('/me/monthly-ratings/lists', { config: user, schema: { tags, summary: '已通报的美丽党员名单（按月）', querystring: PageQuerySchema, response: { 200: PublishedListPageSchema } } },
    async (request) => ratings.listMyPublishedLists(db, actorOf(request), request.query));
};

/** This month's round of every campaign that makes them from its settings. */
export const monthlyRatingJobs: JobDefinition[] = [{
  kind: 'monthly_ratings.open_rounds',
  everySeconds: 3600,
  async run({ db, now }) {
    await ratings.openMonthRounds(db, now);
  },
}];
