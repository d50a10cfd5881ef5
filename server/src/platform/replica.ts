import { performance } from 'node:perf_hooks';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import pg from 'pg';
import type { Database, Db } from './db.js';

/**
 * Reads on a PostgreSQL streaming replica (DATABASE_REPLICA_URL).
 *
 * A route whose answer is a list, a report or a dashboard asks `readDb(request)` for its handle; every other
 * statement (writes, transactions, the session lookup, anything read back to decide a write) stays on the
 * primary. A browser reads its own writes: after a write request succeeds, its answer carries the primary's WAL
 * position in a cookie (dj_lsn), and that browser's reads go to the replica only once the replica has replayed
 * that far — else they wait up to REPLAY_WAIT_MS and then read the primary. The cookie carries the position, so
 * any process of the site can honour it without shared state. Other browsers may see the replica's lag (on a
 * streaming replica, milliseconds to a second), which lists and charts accept.
 *
 * A replica that does not answer costs nothing but its reads: they go to the primary, with one log line when it
 * stops and one when it answers again; a server that is not a standby (pg_is_in_recovery() false) cannot say
 * what it has replayed, so a browser that has just written reads the primary.
 */
export const WRITE_LSN_COOKIE = 'dj_lsn';
/** How long a read waits for the replica to replay the browser's last write before it reads the primary. */
export const REPLAY_WAIT_MS = 150;
// the cookie outlives any lag a working replica has; after it the browser reads the replica as everyone does
const WRITE_LSN_COOKIE_SECONDS = 60;
const POLL_MS = 5;
// how old the known replay position may be before it is read again (in the background: requests do not wait)
const REFRESH_MS = 1_000;
const RETRY_DOWN_MS = 2_000;

/** Reads answered by each handle since the start (/metrics). */
export interface ReplicaReads {
  replica: number;
  /** The browser's last write was not replayed within REPLAY_WAIT_MS (or the replica is not a standby). */
  primaryAfterWrite: number;
  /** The replica did not answer. */
  primaryReplicaDown: number;
}

export interface Replica {
  db: Db;
  pool: pg.Pool;
  reads: ReplicaReads;
  /** Which handle answers a read that must see the WAL up to `required` (null: no write of this browser to see). */
  handleFor(required: bigint | null): Promise<'replica' | 'primary'>;
  /** The primary's WAL position now: a write committed before the call is at or before it. */
  primaryLsn(): Promise<string>;
  close(): Promise<void>;
}

interface ReplayState { up: boolean; isStandby: boolean; lsn: bigint; at: number }

/** `X/Y` (pg_lsn's text) as a number that compares as the position; null for anything else. */
export function parseLsn(text: string | undefined | null): bigint | null {
  const m = text ? /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i.exec(text) : null;
  return m ? (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`) : null;
}

/**
 * The replica's handle, beside the primary's pool. `newPool` opens a pool with the primary's settings (jit off,
 * the site's time zone, PG_POOL_MAX). A connection the replica refuses is taken from the primary's pool instead.
 */
export function openReplica(url: string, primary: pg.Pool, newPool: (url: string) => pg.Pool, log: (line: string) => void = console.warn): Replica {
  const pool = newPool(url);
  // the replay position is read on its own connection, so that it is not queued behind the busy pool's reads
  const probe = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 1_000 });
  probe.on('error', () => {});
  const reads: ReplicaReads = { replica: 0, primaryAfterWrite: 0, primaryReplicaDown: 0 };
  let state: ReplayState | null = null;
  let reading: Promise<ReplayState> | null = null;
  let warnedNotStandby = false;

  const setState = (next: ReplayState) => {
    if (state?.up !== false && !next.up) log('只读副本（DATABASE_REPLICA_URL）无法连接，读请求改由主库处理（replica down: reads go to the primary）');
    if (state?.up === false && next.up) log('只读副本已恢复（replica answering again）');
    if (next.up && !next.isStandby && !warnedNotStandby) {
      warnedNotStandby = true;
      log('DATABASE_REPLICA_URL 不是流复制备库（pg_is_in_recovery() 为 false）：刚写入的浏览器改读主库（not a standby: writers read the primary）');
    }
    state = next;
    return next;
  };
  const readReplay = (): Promise<ReplayState> => reading ??= probe
    .query<{ standby: boolean; lsn: string | null }>('select pg_is_in_recovery() as standby, pg_last_wal_replay_lsn()::text as lsn')
    .then(
      ({ rows: [row] }) => setState({ up: true, isStandby: Boolean(row?.standby), lsn: (row?.standby && parseLsn(row.lsn)) || 0n, at: performance.now() }),
      () => setState({ up: false, isStandby: false, lsn: 0n, at: performance.now() }),
    )
    .finally(() => { reading = null; });
  const markDown = () => { setState({ up: false, isStandby: false, lsn: 0n, at: performance.now() }); };

  // pg-pool's query() acquires through `this.connect`: a refused connection is answered from the primary's pool
  type Done = (err?: Error | boolean) => void;
  type Callback = (err: Error | undefined, client: pg.PoolClient | undefined, done: Done) => void;
  type Connect = (cb?: Callback) => Promise<pg.PoolClient> | void;
  const connect = pool.connect.bind(pool) as Connect;
  const primaryConnect = primary.connect.bind(primary) as Connect;
  (pool as unknown as { connect: Connect }).connect = (cb?: Callback) => {
    if (cb) {
      return connect((err, client, done) => {
        if (!err) return cb(err, client, done);
        markDown();
        void primaryConnect(cb);
      });
    }
    return (connect() as Promise<pg.PoolClient>).catch(() => { markDown(); return primaryConnect() as Promise<pg.PoolClient>; });
  };
  let closing = false;
  pool.on('error', (error) => { if (!closing) log(`只读副本关闭了一个空闲连接（replica closed an idle connection）: ${error.message}`); });

  // one query of the primary's position at a time; writes that finish meanwhile share the next one
  let running: Promise<string> | null = null;
  let queued: Promise<string> | null = null;
  const readPrimaryLsn = () => primary.query<{ lsn: string }>('select pg_current_wal_insert_lsn()::text as lsn').then((r) => r.rows[0]!.lsn);

  return {
    db: drizzle(pool) as unknown as Db,
    pool,
    reads,
    async handleFor(required) {
      const answer = (reason: keyof ReplicaReads): 'replica' | 'primary' => {
        reads[reason]++;
        return reason === 'replica' ? 'replica' : 'primary';
      };
      const known = state ?? await readReplay();
      if (performance.now() - known.at > (known.up ? REFRESH_MS : RETRY_DOWN_MS)) void readReplay();
      if (!known.up) return answer('primaryReplicaDown');
      if (required === null || known.lsn >= required) return answer('replica');
      if (!known.isStandby) return answer('primaryAfterWrite');
      const deadline = performance.now() + REPLAY_WAIT_MS;
      while (performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        const now = state && performance.now() - state.at < POLL_MS ? state : await readReplay();
        if (!now.up) return answer('primaryReplicaDown');
        if (now.lsn >= required) return answer('replica');
      }
      return answer('primaryAfterWrite');
    },
    primaryLsn() {
      if (!running) {
        running = readPrimaryLsn().finally(() => { running = null; });
        return running;
      }
      // a query already running may have read the position before this write committed
      return queued ??= running.catch(() => '').then(() => {
        queued = null;
        running = readPrimaryLsn().finally(() => { running = null; });
        return running;
      });
    },
    async close() {
      closing = true;
      await Promise.all([pool.end(), probe.end()]);
    },
  };
}

/**
 * The handle for a read-only list, report or dashboard: the replica when one is configured, answering, and has
 * replayed this browser's last write; the primary otherwise. Never for writes, transactions or the session.
 */
export async function readDb(request: FastifyRequest): Promise<Db> {
  const { database } = request.server;
  const replica = database.replica;
  if (!replica || (request.method !== 'GET' && request.method !== 'HEAD')) return database.db;
  const required = parseLsn(request.cookies[WRITE_LSN_COOKIE]);
  return (await replica.handleFor(required)) === 'replica' ? replica.db : database.db;
}

/** After a write request succeeds, the browser is told how far the primary's WAL reached (read-your-writes). */
export function rememberWrites(app: FastifyInstance, database: Database, secureCookies: boolean): void {
  const replica = database.replica;
  if (!replica) return;
  app.addHook('onSend', async (request, reply) => {
    const method = request.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || reply.statusCode >= 400) return;
    const lsn = await replica.primaryLsn().catch(() => null);
    if (lsn) void reply.setCookie(WRITE_LSN_COOKIE, lsn, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies, maxAge: WRITE_LSN_COOKIE_SECONDS });
  });
}
