import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParamsSchema, PageQuerySchema } from '../../../../contracts/common.js';
import {
  DraftScoreSchema, JudgeEntriesQuerySchema, JudgeEntryDetailSchema, JudgeEntryPageSchema, JudgingTaskPageSchema, PanelResultsSchema, SubmitScoreSchema,
} from '../../../../contracts/judging.js';
import { actorOf } from '../../platform/actor.js';
import * as judging from './service.js';
import './messages.js';

const tags = ['judging'];
const user = { auth: 'user' } as const;

/**
 * 评审: judges score here (panels are created by the owning modules through the service); the
 * panel org's administrators read the results.
 */
export const judgingRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  // ---------- the judge ----------

  app.get('/judging/tasks', { config: user, schema: { tags, summary: '我的评审：我所在的评审及待评数量', querystring: PageQuerySchema, response: { 200: JudgingTaskPageSchema } } },
    async (request) => judging.listMyTasks(db, actorOf(request), request.query));

  app.get('/judging/panels/:id/entries', { config: user, schema: { tags, summary: '评委：本评审中由我评分的对象（回避本单位；匿名评审不显示名称）', params: IdParamsSchema, querystring: JudgeEntriesQuerySchema, response: { 200: JudgeEntryPageSchema } } },
    async (request) => judging.listJudgeEntries(db, actorOf(request), request.params.id, request.query));

  app.get('/judging/entries/:id', { config: user, schema: { tags, summary: '评委：一个参评对象与评分细则、我的评分', params: IdParamsSchema, response: { 200: JudgeEntryDetailSchema } } },
    async (request) => judging.getJudgeEntry(db, actorOf(request), request.params.id));

  app.put('/judging/entries/:id/draft', { config: user, schema: { tags, summary: '评委：暂存评分（提交前可修改）', params: IdParamsSchema, body: DraftScoreSchema, response: { 200: JudgeEntryDetailSchema } } },
    async (request) => judging.scoreEntry(db, actorOf(request), request.params.id, request.body, false));

  app.post('/judging/entries/:id/submit', { config: user, schema: { tags, summary: '评委：提交评分（提交后锁定，不能修改）', params: IdParamsSchema, body: SubmitScoreSchema, response: { 200: JudgeEntryDetailSchema } } },
    async (request) => judging.scoreEntry(db, actorOf(request), request.params.id, request.body, true));

  // ---------- the panel org's administrators ----------

  app.get('/judging/panels/:id/results', { config: user, schema: { tags, summary: '评审结果：得分、名次、各项均分与各评委评分（去掉最高最低分）', params: IdParamsSchema, response: { 200: PanelResultsSchema } } },
    async (request) => judging.getPanelResults(db, actorOf(request), request.params.id));
};
