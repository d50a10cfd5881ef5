import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParamsSchema } from '../../../../contracts/common.js';
import {
  CreateIdeaSchema, IdeaDetailSchema, IdeaListQuerySchema, IdeaPageSchema, IdeaStatsQuerySchema, IdeaStatsSchema, IdeaTargetsSchema,
  MyIdeaListQuerySchema, RecordIdeaProgressSchema, ReviewIdeaSchema, SimilarIdeasQuerySchema, SimilarIdeasSchema,
} from '../../../../contracts/ideas.js';
import { actorOf } from '../../platform/actor.js';
import * as ideas from './service.js';
import './messages.js';

const tags = ['ideas'];
const user = { auth: 'user' } as const;

export const ideaRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  // ---------- the member ----------

  app.get('/me/ideas/targets', { config: user, schema: { tags, summary: '金点子可提交的党组织（本组织及上级）', response: { 200: IdeaTargetsSchema } } },
    async (request) => ideas.ideaTargets(db, actorOf(request)));

  app.get('/me/ideas/similar', { config: user, schema: { tags, summary: '相似金点子（同一组织树，标题相似度）', querystring: SimilarIdeasQuerySchema, response: { 200: SimilarIdeasSchema } } },
    async (request) => ideas.similarIdeas(db, actorOf(request), request.query));

  app.get('/me/ideas', { config: user, schema: { tags, summary: '我的金点子', querystring: MyIdeaListQuerySchema, response: { 200: IdeaPageSchema } } },
    async (request) => ideas.listMyIdeas(db, actorOf(request), request.query));

  app.post('/me/ideas', { config: user, schema: { tags, summary: '提交金点子', body: CreateIdeaSchema, response: { 201: IdeaDetailSchema } } },
    async (request, reply) => reply.status(201).send(await ideas.createIdea(db, actorOf(request), request.body)));

  app.get('/me/ideas/:id', { config: user, schema: { tags, summary: '我的金点子详情（答复与实施进展）', params: IdParamsSchema, response: { 200: IdeaDetailSchema } } },
    async (request) => ideas.getMyIdea(db, actorOf(request), request.params.id));

  // ---------- the reviewers ----------

  app.get('/ideas', { config: user, schema: { tags, summary: '金点子（管理范围内）', querystring: IdeaListQuerySchema, response: { 200: IdeaPageSchema } } },
    async (request) => ideas.listIdeas(db, actorOf(request), request.query));

  app.get('/ideas/stats', { config: user, schema: { tags, summary: '金点子统计（本级及下一级，按提交日期）', querystring: IdeaStatsQuerySchema, response: { 200: IdeaStatsSchema } } },
    async (request) => ideas.ideaStats(db, actorOf(request), request.query));

  app.get('/ideas/:id', { config: user, schema: { tags, summary: '金点子详情', params: IdParamsSchema, response: { 200: IdeaDetailSchema } } },
    async (request) => ideas.getIdea(db, actorOf(request), request.params.id));

  app.post('/ideas/:id/review', { config: user, schema: { tags, summary: '采纳或不采纳金点子（答复一次）', params: IdParamsSchema, body: ReviewIdeaSchema, response: { 200: IdeaDetailSchema } } },
    async (request) => ideas.reviewIdea(db, actorOf(request), request.params.id, request.body));

  app.post('/ideas/:id/progress', { config: user, schema: { tags, summary: '记录金点子实施进展（实施中、已实施、搁置）', params: IdParamsSchema, body: RecordIdeaProgressSchema, response: { 200: IdeaDetailSchema } } },
    async (request) => ideas.recordIdeaProgress(db, actorOf(request), request.params.id, request.body));
};
