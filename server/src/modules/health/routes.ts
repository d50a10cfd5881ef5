import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';

const tags = ['health'];
const Ready = z.object({ status: z.enum(['ok', 'unavailable']), database: z.enum(['ok', 'unavailable']) });

/**
 * Liveness (`/health/live`: the process answers; a supervisor restarts it when not) is kept apart
 * from readiness (`/health/ready`, and `/health` as before: the database answers within 2 s; a load
 * balancer sends no traffic while not). A database that is down is 503, the answer a balancer
 * understands, never a 500.
 */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/health/live', { config: { auth: 'public' }, schema: { tags, summary: '存活检查（进程在运行）', response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }));

  const ready = async (_request: unknown, reply: import('fastify').FastifyReply) => {
    const database = await databaseAnswers(app.database.db);
    if (!database) void reply.status(503);
    return { status: database ? 'ok' as const : 'unavailable' as const, database: database ? 'ok' as const : 'unavailable' as const };
  };
  app.get('/health', { config: { auth: 'public' }, schema: { tags, summary: '健康检查（同 /health/ready）', response: { 200: Ready, 503: Ready } } }, ready);
  app.get('/health/ready', { config: { auth: 'public' }, schema: { tags, summary: '就绪检查（数据库可用）', response: { 200: Ready, 503: Ready } } }, ready);
};

async function databaseAnswers(db: import('../../platform/db.js').Db): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), 2000); });
  try {
    return await Promise.race([db.execute(sql`select 1`).then(() => true as const), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
