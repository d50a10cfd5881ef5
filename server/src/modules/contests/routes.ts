import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParamsSchema } from '../../../../contracts/common.js';
import {
  CancelContestSchema, ContestLeaderboardSchema, ContestListQuerySchema, ContestPageSchema, ContestResultsSchema, ContestSchema, CreateContestSchema, EntrySchema, LeaderboardQuerySchema, SubmitEntrySchema, UpdateContestSchema,
} from '../../../../contracts/contests.js';
import { actorOf } from '../../platform/actor.js';
import * as contests from './service.js';
import { endAllStreams, streamLeaderboard } from './live.js';
import '../exams/messages.js';
import '../daily_quiz/messages.js';

const tags = ['contests'];
const user = { auth: 'user' } as const;

export const contestRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  app.addHook('preClose', async () => endAllStreams());

  app.get('/contests', { config: user, schema: { tags, summary: '知识竞赛列表', querystring: ContestListQuerySchema, response: { 200: ContestPageSchema } } },
    async (request) => contests.listContests(db, actorOf(request), request.query));

  app.get('/contests/:id', { config: user, schema: { tags, summary: '竞赛详情', params: IdParamsSchema, response: { 200: ContestSchema } } },
    async (request) => contests.getContest(db, actorOf(request), request.params.id));

  app.post('/contests', { config: user, schema: { tags, summary: '发起知识竞赛', body: CreateContestSchema, response: { 201: ContestSchema } } },
    async (request, reply) => reply.status(201).send(await contests.createContest(db, actorOf(request), request.body)));

  app.patch('/contests/:id', { config: user, schema: { tags, summary: '修改竞赛（开始前）', params: IdParamsSchema, body: UpdateContestSchema, response: { 200: ContestSchema } } },
    async (request) => contests.updateContest(db, actorOf(request), request.params.id, request.body));

  app.post('/contests/:id/cancel', { config: user, schema: { tags, summary: '取消竞赛（须说明原因；结束前；积分冲正）', params: IdParamsSchema, body: CancelContestSchema, response: { 200: ContestSchema } } },
    async (request) => contests.cancelContest(db, actorOf(request), request.params.id, request.body));

  app.post('/contests/:id/entries', { config: user, schema: { tags, summary: '开始答题（计时开始）', params: IdParamsSchema, response: { 200: EntrySchema, 201: EntrySchema } } },
    async (request, reply) => {
      const { entry, isResumed } = await contests.enterContest(db, actorOf(request), request.params.id);
      return reply.status(isResumed ? 200 : 201).send(entry);
    });

  app.get('/contest-entries/:id', { config: user, schema: { tags, summary: '我的竞赛答题', params: IdParamsSchema, response: { 200: EntrySchema } } },
    async (request) => contests.getEntry(db, actorOf(request), request.params.id));

  app.post('/contest-entries/:id/submit', { config: user, schema: { tags, summary: '交卷（服务器评分、计时）', params: IdParamsSchema, body: SubmitEntrySchema, response: { 200: EntrySchema } } },
    async (request) => contests.submitEntry(db, actorOf(request), request.params.id, request.body));

  app.get('/contests/:id/leaderboard', { config: user, schema: { tags, summary: '竞赛排行榜（同分按用时）', params: IdParamsSchema, querystring: LeaderboardQuerySchema, response: { 200: ContestLeaderboardSchema } } },
    async (request) => contests.getLeaderboard(db, actorOf(request), request.params.id, request.query.limit));

  app.get('/contests/:id/results', { config: user, schema: { tags, summary: '竞赛成绩（按人、按组织；主办方）', params: IdParamsSchema, response: { 200: ContestResultsSchema } } },
    async (request) => contests.getContestResults(db, actorOf(request), request.params.id));

  app.get('/contests/:id/leaderboard/stream', { config: user, schema: { tags, summary: '实时排行榜（server-sent events）', params: IdParamsSchema, querystring: LeaderboardQuerySchema } },
    async (request, reply) => {
      const actor = actorOf(request);
      // refuse (404) before the stream opens, while errors still become JSON
      await contests.getLeaderboard(db, actor, request.params.id, 1);
      reply.hijack();
      streamLeaderboard(db, actor, request.params.id, reply.raw, (close) => request.raw.on('close', close), request.query.limit);
    });
};
