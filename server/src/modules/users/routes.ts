import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema } from '../../../../contracts/common.js';
import { CreateUserSchema, ResetPasswordSchema, UpdateUserSchema, UserAccountSchema, UserListQuerySchema, UserPageSchema } from '../../../../contracts/users.js';
import { actorOf } from '../../platform/actor.js';
import * as users from './service.js';
import './messages.js';
import '../orgs/messages.js';

const tags = ['users'];
const user = { auth: 'user' } as const;

export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get('/users', { config: user, schema: { tags, summary: '账号列表（本人管理范围内）', querystring: UserListQuerySchema, response: { 200: UserPageSchema } } },
    async (request) => users.listUsers(db, actorOf(request), request.query));

  app.get('/users/:id', { config: user, schema: { tags, summary: '账号详情', params: IdParamsSchema, response: { 200: UserAccountSchema } } },
    async (request) => users.getUser(db, actorOf(request), request.params.id));

  app.post('/users', { config: user, schema: { tags, summary: '新建账号', body: CreateUserSchema, response: { 201: UserAccountSchema } } },
    async (request, reply) => reply.status(201).send(await users.createUser(db, actorOf(request), request.body)));

  app.patch('/users/:id', { config: user, schema: { tags, summary: '修改账号（停用即结束其全部会话）', params: IdParamsSchema, body: UpdateUserSchema, response: { 200: UserAccountSchema } } },
    async (request) => users.updateUser(db, actorOf(request), request.params.id, request.body));

  app.post('/users/:id/reset-password', { config: user, schema: { tags, summary: '重置密码（结束其全部会话）', params: IdParamsSchema, body: ResetPasswordSchema, response: { 200: z.object({ endedSessions: z.number().int() }) } } },
    async (request) => ({ endedSessions: await users.resetPassword(db, actorOf(request), request.params.id, request.body) }));
};
