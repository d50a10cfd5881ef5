import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema, OkSchema } from '../../../../contracts/common.js';
import {
  AddProgressSchema, CreatePeriodSchema, CreatePledgeSchema, ModerateRatingSchema, MyPledgeQuerySchema, PeriodListQuerySchema, PeriodPageSchema, PeriodSchema,
  PledgeFileParamsSchema, PledgeListQuerySchema, PledgePageSchema, PledgeSchema, PledgeStatsQuerySchema, PledgeStatsSchema, PostPublicRatingSchema,
  ProgressFileParamsSchema, PublicPledgeDetailSchema, PublicPledgePageSchema, PublicPledgeQuerySchema, PublicRatingReceiptSchema,
  PublicRatingRecordPageSchema, PublicTreeParamsSchema, RatePledgeSchema, RatingListQuerySchema, ReturnPledgeSchema, UpdatePeriodSchema, UpdatePledgeItemsSchema,
} from '../../../../contracts/pledges.js';
import { actorOf } from '../../platform/actor.js';
import { receiveUpload, sendUpload } from '../../platform/uploads.js';
import * as pledges from './service.js';
import * as board from './public.js';
import './messages.js';

const tags = ['pledges'];
const user = { auth: 'user' } as const;
const anyone = { auth: 'public' } as const;
const EmptyBodySchema = z.strictObject({}).optional();

export const pledgeRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const dataDir = app.config.dataDir;

  app.get('/pledges/periods', { config: user, schema: { tags, summary: '承诺期（本级、上级与下级开设的）', querystring: PeriodListQuerySchema, response: { 200: PeriodPageSchema } } },
    async (request) => pledges.listPeriods(db, actorOf(request), request.query));

  app.post('/pledges/periods', { config: user, schema: { tags, summary: '开设承诺期（亮诺、践诺、评诺阶段日期）', body: CreatePeriodSchema, response: { 201: PeriodSchema } } },
    async (request, reply) => reply.status(201).send(await pledges.createPeriod(db, actorOf(request), request.body)));

  app.get('/pledges/periods/:id', { config: user, schema: { tags, summary: '承诺期详情', params: IdParamsSchema, response: { 200: PeriodSchema } } },
    async (request) => pledges.getPeriod(db, actorOf(request), request.params.id));

  app.put('/pledges/periods/:id', { config: user, schema: { tags, summary: '修改承诺期名称与阶段日期', params: IdParamsSchema, body: UpdatePeriodSchema, response: { 200: PeriodSchema } } },
    async (request) => pledges.updatePeriod(db, actorOf(request), request.params.id, request.body));

  app.get('/pledges/stats', { config: user, schema: { tags, summary: '承诺践诺统计（各数字即对应承诺列表的总数）', querystring: PledgeStatsQuerySchema, response: { 200: PledgeStatsSchema } } },
    async (request) => pledges.pledgeStats(db, actorOf(request), request.query));

  app.get('/pledges/ratings', { config: user, schema: { tags, summary: '群众评价（待审核的留言在前）', querystring: RatingListQuerySchema, response: { 200: PublicRatingRecordPageSchema } } },
    async (request) => pledges.listRatings(db, actorOf(request), request.query));

  app.post('/pledges/ratings/:id/moderate', { config: user, schema: { tags, summary: '审核群众留言（通过后公开；屏蔽后不计入满意度）', params: IdParamsSchema, body: ModerateRatingSchema, response: { 200: OkSchema } } },
    async (request) => pledges.moderateRating(db, actorOf(request), request.params.id, request.body));

  app.get('/pledges', { config: user, schema: { tags, summary: '承诺列表（管理范围内与本人的）', querystring: PledgeListQuerySchema, response: { 200: PledgePageSchema } } },
    async (request) => pledges.listPledges(db, actorOf(request), request.query));

  app.get('/me/pledges', { config: user, schema: { tags, summary: '我的承诺', querystring: MyPledgeQuerySchema, response: { 200: PledgePageSchema } } },
    async (request) => pledges.listMyPledges(db, actorOf(request), request.query));

  app.post('/pledges', { config: user, schema: { tags, summary: '亮诺：填写承诺（党员本人，或组织管理员为本组织；草稿）', body: CreatePledgeSchema, response: { 201: PledgeSchema } } },
    async (request, reply) => reply.status(201).send(await pledges.createPledge(db, actorOf(request), request.body)));

  app.get('/pledges/:id', { config: user, schema: { tags, summary: '承诺详情（含践诺记录）', params: IdParamsSchema, response: { 200: PledgeSchema } } },
    async (request) => pledges.getPledge(db, actorOf(request), request.params.id));

  app.put('/pledges/:id/items', { config: user, schema: { tags, summary: '修改承诺事项（草稿或退回后）', params: IdParamsSchema, body: UpdatePledgeItemsSchema, response: { 200: PledgeSchema } } },
    async (request) => pledges.updatePledgeItems(db, actorOf(request), request.params.id, request.body));

  app.post('/pledges/:id/submit', { config: user, schema: { tags, summary: '提交支部审核', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: PledgeSchema } } },
    async (request) => pledges.submitPledge(db, actorOf(request), request.params.id));

  app.post('/pledges/:id/approve', { config: user, schema: { tags, summary: '审核通过并公开', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: PledgeSchema } } },
    async (request) => pledges.approvePledge(db, actorOf(request), request.params.id));

  app.post('/pledges/:id/return', { config: user, schema: { tags, summary: '退回修改（说明原因）', params: IdParamsSchema, body: ReturnPledgeSchema, response: { 200: PledgeSchema } } },
    async (request) => pledges.returnPledge(db, actorOf(request), request.params.id, request.body.reason));

  app.post('/pledges/:id/progress', { config: user, schema: { tags, summary: '践诺：记录进展（公开后）', params: IdParamsSchema, body: AddProgressSchema, response: { 201: PledgeSchema } } },
    async (request, reply) => reply.status(201).send(await pledges.addProgress(db, actorOf(request), request.params.id, request.body)));

  app.post('/pledges/:id/progress/:progressId/files', { config: user, schema: { tags, summary: '上传践诺佐证（照片或文档；multipart，字段 file）', params: ProgressFileParamsSchema, consumes: ['multipart/form-data'], response: { 201: PledgeSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const upload = await receiveUpload(request);
      return reply.status(201).send(await pledges.addProgressFile(db, actor, dataDir, request.params.id, request.params.progressId, upload));
    });

  app.get('/pledges/:id/files/:fileId', { config: user, schema: { tags, summary: '下载践诺佐证', params: PledgeFileParamsSchema } },
    async (request, reply) => sendUpload(reply, dataDir, await pledges.findPledgeFile(db, actorOf(request), request.params.id, request.params.fileId), { privateCopy: true }));

  app.post('/pledges/:id/self-review', { config: user, schema: { tags, summary: '评诺：本人自评（评诺阶段）', params: IdParamsSchema, body: RatePledgeSchema, response: { 200: PledgeSchema } } },
    async (request) => pledges.selfReview(db, actorOf(request), request.params.id, request.body));

  app.post('/pledges/:id/branch-review', { config: user, schema: { tags, summary: '评诺：支部评价（评诺阶段）', params: IdParamsSchema, body: RatePledgeSchema, response: { 200: PledgeSchema } } },
    async (request) => pledges.branchReview(db, actorOf(request), request.params.id, request.body));

  // ---------- public board: names and org names only ----------

  const publicTags = ['public'];
  app.get('/public/pledges/trees/:rootId', { config: anyone, schema: { tags: publicTags, summary: '公开：已公开的承诺', params: PublicTreeParamsSchema, querystring: PublicPledgeQuerySchema, response: { 200: PublicPledgePageSchema } } },
    async (request) => board.listPublicPledges(db, request.params.rootId, request.query));

  app.get('/public/pledges/:id', { config: anyone, schema: { tags: publicTags, summary: '公开：承诺详情（践诺进展与已审核的留言）', params: IdParamsSchema, response: { 200: PublicPledgeDetailSchema } } },
    async (request) => board.getPublicPledge(db, request.params.id));

  app.post('/public/pledges/:id/ratings', { config: anyone, schema: { tags: publicTags, summary: '公开：群众评价（评诺阶段，按地址限频，留言审核后公开）', params: IdParamsSchema, body: PostPublicRatingSchema, response: { 201: PublicRatingReceiptSchema } } },
    async (request, reply) => reply.status(201).send(await board.ratePublicly(db, request.params.id, request.body, request.ip)));

  app.get('/public/pledges/:id/photos/:fileId', { config: anyone, schema: { tags: publicTags, summary: '公开：践诺照片', params: PledgeFileParamsSchema } },
    async (request, reply) => sendUpload(reply, dataDir, await board.findPublicPhoto(db, request.params.id, request.params.fileId)));
};
