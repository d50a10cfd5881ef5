/**
 * The ceilings the hot paths are measured against (bench/run.ts): the same Fastify and the same
 * pg pool size as the server, doing nothing but returning a constant, or one INSERT.
 */
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.PG_POOL_MAX ?? 10) });
await pool.query('create table if not exists bench_ceiling (id bigint generated always as identity primary key, at timestamptz not null default now(), payload text not null)');

const app = Fastify({ logger: false });
app.get('/constant', async () => ({ ok: true }));
app.post('/insert', async (request) => {
  const body = request.body as { payload?: string } | undefined;
  const r = await pool.query<{ id: string }>('insert into bench_ceiling (payload) values ($1) returning id::text', [body?.payload ?? 'x']);
  return { id: r.rows[0]!.id };
});
await app.listen({ port: Number(process.env.PORT ?? 3900), host: '127.0.0.1' });
console.log('ceiling server ready');
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => { void app.close().then(() => pool.end()).then(() => process.exit(0)); });
