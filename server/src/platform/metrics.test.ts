import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeMember, makeOrg, makeUser, startTestApp, testKey, type TestContext } from '../../test/harness.js';
import { modules } from '../modules/index.js';
import { buildApp, type App } from './app.js';
import { readConfig } from './config.js';
import { serveClusterMetrics, transferKind } from './metrics.js';
import { createCipher } from './personal-data.js';

const TOKEN = 'test-metrics-token-0123456789';
let ctx: TestContext;
let app: App;

beforeAll(async () => {
  ctx = await startTestApp();
  // a second server on the same database, configured with a token: the tests' own has none
  const config = { ...readConfig({ METRICS_TOKEN: TOKEN }), dataDir: path.join(os.tmpdir(), 'dj-test'), webDir: path.join(os.tmpdir(), 'dj-no-web') };
  app = await buildApp({ modules, database: ctx.database, config, cipher: createCipher(testKey), logger: false });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

const scrape = async () => {
  const res = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  return res.body;
};
/** The value of one series, 0 when absent. */
const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
};

describe('GET /metrics', () => {
  it('does not exist without METRICS_TOKEN, and answers 404 to a wrong or missing token', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}x` } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: TOKEN } })).statusCode).toBe(404);
  });

  it('times requests per route template, not per URL', async () => {
    const org = await makeOrg(ctx.database.db, null);
    const admin = await login(app, await makeUser(ctx.database.db, [{ role: 'platform_admin' }]));
    const before = await scrape();
    const series = 'http_request_duration_seconds_count{method="GET",route="/api/orgs/:id",status="200"}';
    for (let i = 0; i < 3; i++) expect((await admin.get(`/api/orgs/${org.id}`)).statusCode).toBe(200);
    expect((await admin.get('/api/orgs/999999999')).statusCode).toBe(404);
    const after = await scrape();
    expect(value(after, series) - value(before, series)).toBe(3);
    expect(value(after, 'http_request_duration_seconds_count{method="GET",route="/api/orgs/:id",status="404"}')).toBe(1);
    expect(after).not.toContain(`/api/orgs/${org.id}"`);
    // process figures come with it
    expect(after).toContain('process_cpu_seconds_total');
    expect(after).toContain('nodejs_eventloop_lag_seconds');
  });

  it('counts exports by route and shows the job queue by status', async () => {
    const org = await makeOrg(ctx.database.db, null);
    await makeMember(ctx.database.db, org);
    const admin = await login(app, await makeUser(ctx.database.db, [{ role: 'org_admin', org }]));
    const series = 'app_record_transfers_total{kind="export",route="/api/members/export"}';
    const before = value(await scrape(), series);
    const res = await admin.get(`/api/members/export?orgId=${org.id}`);
    expect(res.statusCode).toBe(200);
    // a refused export is not an export
    expect((await admin.get('/api/members/export?orgId=abc')).statusCode).toBeGreaterThanOrEqual(400);
    const text = await scrape();
    expect(value(text, series) - before).toBe(1);

    await ctx.database.db.execute(sql`insert into jobs (kind, status) values ('test', 'queued'), ('test', 'queued'), ('test', 'running'), ('test', 'done')`);
    const jobs = await scrape();
    expect(value(jobs, 'app_jobs{status="queued"}')).toBeGreaterThanOrEqual(2);
    expect(value(jobs, 'app_jobs{status="running"}')).toBeGreaterThanOrEqual(1);
    await ctx.database.db.execute(sql`delete from jobs where kind = 'test'`);
    const cleared = await scrape();
    expect(value(cleared, 'app_jobs{status="queued"}')).toBe(value(jobs, 'app_jobs{status="queued"}') - 2);
  });

  it('shows the pool and counts the acquires that had to wait (PostgreSQL)', async () => {
    const pool = ctx.database.raw.pool;
    if (!pool) {
      // the embedded database has one connection and no pool: no pool series at all
      expect(await scrape()).not.toContain('db_pool_connections');
      return;
    }
    const max = (pool as unknown as { options: { max: number } }).options.max;
    const before = await scrape();
    expect(value(before, 'db_pool_connections{state="max"}')).toBe(max);
    // twice the pool's size of queries that each hold a connection for 200 ms: half of them queue
    await Promise.all(Array.from({ length: max * 2 }, () => ctx.database.db.execute(sql`select pg_sleep(0.2)`)));
    const after = await scrape();
    expect(value(after, 'db_pool_waits_total') - value(before, 'db_pool_waits_total')).toBeGreaterThanOrEqual(max);
    expect(value(after, 'db_pool_acquire_seconds_count') - value(before, 'db_pool_acquire_seconds_count')).toBeGreaterThanOrEqual(max * 2);
    expect(value(after, 'db_pool_connections{state="total"}')).toBeGreaterThan(0);
  });
});

describe('what counts as an export or an import', () => {
  it.each([
    ['GET', '/api/members/export', 'export'],
    ['GET', '/api/dues/bills.xlsx', 'export'],
    ['GET', '/api/dues/payments/:id/receipt.pdf', 'export'],
    ['GET', '/api/dues/bases/template.xlsx', null],
    ['GET', '/api/members/import/template', null],
    ['POST', '/api/members/import', 'import'],
    ['POST', '/api/dues/reconciliations', 'import'],
    ['GET', '/api/members/import/:jobId', null],
    ['GET', '/api/members', null],
  ] as const)('%s %s → %s', (method, route, kind) => {
    expect(transferKind(method, route)).toBe(kind);
  });
});

describe('the cluster primary\'s /metrics (METRICS_PORT)', () => {
  it('answers only GET /metrics with the token', async () => {
    const server = serveClusterMetrics(0, '127.0.0.1', TOKEN);
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    const get = (url: string, authorization?: string) => fetch(`http://127.0.0.1:${port}${url}`, { headers: authorization ? { authorization } : {} });
    try {
      expect((await get('/metrics')).status).toBe(404);
      expect((await get('/metrics', `Bearer ${TOKEN}x`)).status).toBe(404);
      expect((await get('/other', `Bearer ${TOKEN}`)).status).toBe(404);
      const res = await get('/metrics', `Bearer ${TOKEN}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
