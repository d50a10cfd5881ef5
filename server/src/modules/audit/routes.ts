import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditPageSchema, AuditQuerySchema } from '../../../../contracts/audit.js';
import { actorOf } from '../../platform/actor.js';
import * as auditLog from './service.js';

const tags = ['audit'];

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get('/audit', { config: { auth: 'user' }, schema: { tags, summary: '操作日志（本人管理范围内及本人操作）', querystring: AuditQuerySchema, response: { 200: AuditPageSchema } } },
    async (request) => auditLog.listAudit(db, actorOf(request), request.query, request.lang));
};
