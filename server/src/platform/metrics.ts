import cluster from 'node:cluster';
import crypto from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type pg from 'pg';
import type { Database } from './db.js';
import { exportStreams } from './xlsx-stream.js';

/**
 * The server's figures in Prometheus' text format at GET /metrics (prom-client): request duration
 * per route, the PostgreSQL pool's use and its waits, the job queue's depth, imports and exports.
 * Each process has its own registry; with several processes (cluster.ts) the primary answers for
 * all of them on METRICS_PORT. /metrics answers only with `Authorization: Bearer $METRICS_TOKEN`
 * and does not exist without the variable: a route name and a pool's size are nobody's business.
 */
export interface Metrics {
  registry: Registry;
  /** Called once per answered request: the route's template, not the URL (ids would make the series unbounded). */
  observe(method: string, route: string | undefined, status: number, ms: number): void;
  /** Whether `authorization` carries the configured token (constant time). */
  authorized(authorization: string | undefined): boolean;
  enabled: boolean;
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Downloads of records (exports): GET routes whose path ends in .xlsx, .pdf or /export, except
 * the blank templates; uploads of records (imports): POST routes ending in /import and the bank
 * statement of a reconciliation. By route name, so that a new module's export counts without a flag.
 */
export function transferKind(method: string, route: string): 'export' | 'import' | null {
  if (method === 'GET' && /(\.xlsx|\.pdf|\/export)$/.test(route) && !/template(\.xlsx)?$/.test(route)) return 'export';
  if (method === 'POST' && (/\/import$/.test(route) || route === '/api/dues/reconciliations')) return 'import';
  return null;
}

export function createMetrics(database: Database, token: string | undefined): Metrics {
  const registry = new Registry();
  const enabled = Boolean(token);
  // process figures (CPU, heap, event-loop lag) start timers: only where someone reads them
  if (enabled) collectDefaultMetrics({ register: registry });

  const requests = new Histogram({
    name: 'http_request_duration_seconds', help: 'Time from the request to the answer, per route template',
    labelNames: ['method', 'route', 'status'] as const, buckets: SECONDS, registers: [registry],
  });
  const transfers = new Counter({
    name: 'app_record_transfers_total', help: 'Exports (downloads of records) and imports (uploads) answered without error',
    labelNames: ['kind', 'route'] as const, registers: [registry],
  });

  // acquires are timed only where someone reads them: every query passes here
  const pool = database.raw.pool;
  if (pool && enabled) instrumentPool(pool, registry);

  new Gauge({
    name: 'app_jobs', help: 'Background jobs (jobs table) by status, queued and running',
    labelNames: ['status'] as const, registers: [registry],
    async collect() {
      // a database that does not answer leaves the last figures: the scrape still shows the rest
      const rows = await database.db.execute<{ status: string; n: number } & Record<string, unknown>>(sql`
        select s.status, count(j.id)::int as n from (values ('queued'), ('running')) as s(status)
          left join jobs j on j.status = s.status group by s.status`).then((r) => r.rows, () => []);
      for (const r of rows) this.set({ status: r.status }, Number(r.n));
    },
  });

  const replica = database.replica;
  if (replica && enabled) {
    new Gauge({
      name: 'db_replica_reads', help: 'Read-only requests since the start by the handle that answered them (DATABASE_REPLICA_URL): the replica, or the primary because the browser\'s last write was not replayed in time or because the replica did not answer',
      labelNames: ['handle', 'reason'] as const, registers: [registry],
      collect() {
        this.set({ handle: 'replica', reason: 'replayed' }, replica.reads.replica);
        this.set({ handle: 'primary', reason: 'own_write_not_replayed' }, replica.reads.primaryAfterWrite);
        this.set({ handle: 'primary', reason: 'replica_down' }, replica.reads.primaryReplicaDown);
      },
    });
  }

  new Gauge({
    name: 'app_exports_streaming', help: 'Streamed .xlsx exports being written now (a dropped download leaves this at once)', registers: [registry],
    collect() { this.set(exportStreams.running); },
  });
  new Gauge({
    name: 'app_exports_ended', help: 'Streamed .xlsx exports since the start, by how they ended', labelNames: ['outcome'] as const, registers: [registry],
    collect() {
      this.set({ outcome: 'completed' }, exportStreams.completed);
      this.set({ outcome: 'stopped_by_client' }, exportStreams.stoppedByClient);
      this.set({ outcome: 'failed' }, exportStreams.failed);
    },
  });

  // a worker of cluster.ts answers the primary's collection with this registry (constructing an
  // aggregator is what makes prom-client listen for the primary's requests)
  if (cluster.isWorker && enabled) {
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([registry]);
  }

  const expected = token ? crypto.createHash('sha256').update(`Bearer ${token}`).digest() : null;
  return {
    registry,
    enabled,
    observe(method, route, status, ms) {
      const template = route ?? '(unmatched)';
      requests.observe({ method, route: template, status: String(status) }, ms / 1000);
      if (status < 400) {
        const kind = transferKind(method, template);
        if (kind) transfers.inc({ kind, route: template });
      }
    },
    authorized: (authorization) => bearerMatches(expected, authorization),
  };
}

function bearerMatches(expected: Buffer | null, authorization: string | undefined): boolean {
  if (!expected || !authorization) return false;
  return crypto.timingSafeEqual(expected, crypto.createHash('sha256').update(authorization).digest());
}

/**
 * With several processes, GET /metrics on the site's port reaches one worker; the primary serves
 * the sum over all workers (prom-client's cluster aggregation) on its own port, bound to `host`
 * (loopback by default), with the same token.
 */
export function serveClusterMetrics(port: number, host: string, token: string): http.Server {
  const aggregator = new AggregatorRegistry();
  const expected = crypto.createHash('sha256').update(`Bearer ${token}`).digest();
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics' || !bearerMatches(expected, req.headers.authorization)) {
      res.writeHead(404).end();
      return;
    }
    aggregator.clusterMetrics().then(
      (text) => res.writeHead(200, { 'content-type': aggregator.contentType }).end(text),
      (error: unknown) => res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end(`metrics unavailable: ${String(error)}`),
    );
  });
  server.listen(port, host);
  return server;
}

/**
 * The pool's connections by state, read when scraped, and its waits: an acquire that finds the pool's
 * connections in use or promised to acquires queued before it waits for a release — counted, and
 * timed with every acquire. pg-pool's query() acquires through `this.connect`, so wrapping the instance's
 * connect sees drizzle's queries and transactions alike.
 */
function instrumentPool(pool: pg.Pool, registry: Registry): void {
  const max = (pool as unknown as { options: { max: number } }).options.max;
  new Gauge({
    name: 'db_pool_connections', help: 'PostgreSQL pool connections: total, idle, waiting (acquires queued), max',
    labelNames: ['state'] as const, registers: [registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
      this.set({ state: 'max' }, max);
    },
  });
  const waits = new Counter({ name: 'db_pool_waits_total', help: 'Acquires that found every connection the pool may hold in use or promised, and waited for a release', registers: [registry] });
  const acquire = new Histogram({ name: 'db_pool_acquire_seconds', help: 'Time to get a pooled connection', buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5], registers: [registry] });
  type Done = (err?: Error | boolean) => void;
  type Callback = (err: Error | undefined, client: pg.PoolClient | undefined, done: Done) => void;
  const connect = pool.connect.bind(pool) as (cb?: Callback) => Promise<pg.PoolClient> | void;
  (pool as unknown as { connect: (cb?: Callback) => Promise<pg.PoolClient> | void }).connect = (cb?: Callback) => {
    // connections in use plus acquires queued ahead of this one: as many as the pool may hold, and this one waits for a release
    if (pool.totalCount - pool.idleCount + pool.waitingCount >= max) waits.inc();
    const started = performance.now();
    const done = () => acquire.observe((performance.now() - started) / 1000);
    if (cb) return connect((err, client, release) => { done(); cb(err, client, release); });
    return (connect() as Promise<pg.PoolClient>).then((client) => { done(); return client; });
  };
}
