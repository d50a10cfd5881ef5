import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/health', { config: { auth: 'public' }, schema: { tags: ['health'], summary: '健康检查', response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => {
      await app.database.db.execute(sql`select 1`);
      return { status: 'ok' as const };
    });
};
