import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParamsSchema } from '../../../../contracts/common.js';
import { InboxItemSchema, InboxPageSchema, InboxQuerySchema, ReadAllResultSchema, ReadAllSchema, UnreadCountSchema } from '../../../../contracts/inbox.js';
import { actorOf } from '../../platform/actor.js';
import * as inbox from './service.js';
import './messages.js';

const tags = ['inbox'];
const user = { auth: 'user' } as const;

export const inboxRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get('/inbox', { config: user, schema: { tags, summary: '我的消息（通知公告、活动通知、考试、提醒），新的在前，按 before 翻页', querystring: InboxQuerySchema, response: { 200: InboxPageSchema } } },
    async (request) => inbox.listInbox(db, actorOf(request), request.query));

  app.get('/inbox/unread-count', { config: user, schema: { tags, summary: '未读消息数', response: { 200: UnreadCountSchema } } },
    async (request) => ({ unread: await inbox.unreadCount(db, actorOf(request).userId) }));

  app.post('/inbox/:id/read', { config: user, schema: { tags, summary: '标为已读（仅本人的消息）', params: IdParamsSchema, response: { 200: InboxItemSchema } } },
    async (request) => inbox.markRead(db, actorOf(request), request.params.id));

  app.post('/inbox/read-all', { config: user, schema: { tags, summary: '全部标为已读（可限一类）', body: ReadAllSchema, response: { 200: ReadAllResultSchema } } },
    async (request) => ({ marked: await inbox.markAllRead(db, actorOf(request), request.body?.kind) }));
};
