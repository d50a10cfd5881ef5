import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema } from '../../../../contracts/common.js';
import {
  AppraisalBallotSchema, AppraisalListQuerySchema, AppraisalRoundPageSchema, AppraisalRoundSchema, CommitteeGradesSchema, FinalGradesSchema,
  MemberAppraisalResultsQuerySchema, MemberAppraisalResultsSchema, MyAppraisalSchema, MyAppraisalsSchema, OpenAppraisalNoticeSchema,
  OpenAppraisalsSchema, OpenedAppraisalsSchema, SelfAssessmentSchema, UpdateAppraisalRoundSchema,
} from '../../../../contracts/appraisals.js';
import { actorOf } from '../../platform/actor.js';
import * as appraisals from './service.js';
import './messages.js';

const tags = ['appraisals'];
const user = { auth: 'user' } as const;
const EmptyBodySchema = z.strictObject({}).optional();

export const appraisalRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  // ---------- the branch's administrators (and those above) ----------

  app.get('/appraisals', { config: user, schema: { tags, summary: '民主评议党员（管理范围内各支部）', querystring: AppraisalListQuerySchema, response: { 200: AppraisalRoundPageSchema } } },
    async (request) => appraisals.listRounds(db, actorOf(request), request.query));

  app.post('/appraisals', { config: user, schema: { tags, summary: '开展年度民主评议（一个支部，或所辖全部支部）', body: OpenAppraisalsSchema, response: { 201: OpenedAppraisalsSchema } } },
    async (request, reply) => reply.status(201).send(await appraisals.openRounds(db, actorOf(request), request.body)));

  app.get('/appraisals/member-results', { config: user, schema: { tags, summary: '党员历年民主评议结果（已公布）', querystring: MemberAppraisalResultsQuerySchema, response: { 200: MemberAppraisalResultsSchema } } },
    async (request) => appraisals.memberResults(db, actorOf(request), request.query.memberId));

  app.get('/appraisals/:id', { config: user, schema: { tags, summary: '评议进度、测评票数汇总与等次（不含个人投票）', params: IdParamsSchema, response: { 200: AppraisalRoundSchema } } },
    async (request) => appraisals.getRound(db, actorOf(request), request.params.id));

  app.patch('/appraisals/:id', { config: user, schema: { tags, summary: '修改优秀比例上限', params: IdParamsSchema, body: UpdateAppraisalRoundSchema, response: { 200: AppraisalRoundSchema } } },
    async (request) => appraisals.updateRound(db, actorOf(request), request.params.id, request.body));

  app.post('/appraisals/:id/advance', { config: user, schema: { tags, summary: '进入下一阶段（自评 → 民主测评 → 支委会评议 → 确定等次）', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: AppraisalRoundSchema } } },
    async (request) => appraisals.advanceRound(db, actorOf(request), request.params.id));

  app.put('/appraisals/:id/committee-grades', { config: user, schema: { tags, summary: '录入支委会评议等次', params: IdParamsSchema, body: CommitteeGradesSchema, response: { 200: AppraisalRoundSchema } } },
    async (request) => appraisals.setCommitteeGrades(db, actorOf(request), request.params.id, request.body));

  app.put('/appraisals/:id/final-grades', { config: user, schema: { tags, summary: '确定评议等次（优秀比例受限，不合格须写明理由）', params: IdParamsSchema, body: FinalGradesSchema, response: { 200: AppraisalRoundSchema } } },
    async (request) => appraisals.setFinalGrades(db, actorOf(request), request.params.id, request.body));

  app.post('/appraisals/:id/public-notice', { config: user, schema: { tags, summary: '公示优秀等次党员', params: IdParamsSchema, body: OpenAppraisalNoticeSchema, response: { 200: AppraisalRoundSchema } } },
    async (request) => appraisals.openNotice(db, actorOf(request), request.params.id, request.body));

  app.post('/appraisals/:id/publish', { config: user, schema: { tags, summary: '公布评议结果（公示期满且无待处理异议）', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: AppraisalRoundSchema } } },
    async (request) => appraisals.publishRound(db, actorOf(request), request.params.id));

  // ---------- the member ----------

  app.get('/me/appraisals', { config: user, schema: { tags, summary: '我的民主评议（自评、测评、结果）', response: { 200: MyAppraisalsSchema } } },
    async (request) => appraisals.myRounds(db, actorOf(request)));

  app.put('/me/appraisals/:id/self-assessment', { config: user, schema: { tags, summary: '提交个人自评', params: IdParamsSchema, body: SelfAssessmentSchema, response: { 200: MyAppraisalSchema } } },
    async (request) => appraisals.saveSelfAssessment(db, actorOf(request), request.params.id, request.body));

  app.post('/me/appraisals/:id/ballot', { config: user, schema: { tags, summary: '提交民主测评票（一次提交，不可更改，匿名）', params: IdParamsSchema, body: AppraisalBallotSchema, response: { 200: MyAppraisalSchema } } },
    async (request) => appraisals.castBallot(db, actorOf(request), request.params.id, request.body));
};
