import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { SearchQuerySchema, SearchResultSchema } from '../../../../contracts/search.js';
import { actorOf } from '../../platform/actor.js';
import { readDb } from '../../platform/replica.js';
import * as search from './service.js';
import './messages.js';

const tags = ['search'];
const user = { auth: 'user' } as const;

export const searchRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/search', { config: user, schema: { tags, summary: '全文搜索通知、资讯、文章与课程（简繁通用，本人可见范围内）', querystring: SearchQuerySchema, response: { 200: SearchResultSchema } } },
    async (request) => search.searchForReader(await readDb(request), actorOf(request), request.query));
};
