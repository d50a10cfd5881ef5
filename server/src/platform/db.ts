import { is, sql } from 'drizzle-orm';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { ltree } from '@electric-sql/pglite/contrib/ltree';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle as drizzlePglite, PgliteSession } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import crypto from 'node:crypto';
import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import { openReplica, type Replica } from './replica.js';
import { CHINA_TIME_ZONE } from '../../../contracts/china-time.js';
import { IDEA_SIMILARITY_THRESHOLD } from '../../../contracts/ideas.js';

/**
 * One handle type for both drivers: services are written once against PostgreSQL and run
 * on the embedded PGlite or on a server unchanged.
 */
export type Db = PgDatabase<RowsResultHKT, Record<string, never>>;
export type Tx = PgTransaction<RowsResultHKT, Record<string, never>, ExtractTablesWithRelations<Record<string, never>>>;

/** Both drivers answer `execute` with `{ rows }`; this makes `db.execute<Row>(sql…)` typed. */
export interface RowsResultHKT extends PgQueryResultHKT {
  type: RowsOf<this['row']>;
}
interface RowsOf<T> { rows: T[] }
/** A handle that may be the database or an open transaction. */
export type Queryable = Db | Tx;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** For bulk loading and admin tasks that need the raw driver. */
  raw: { pglite?: PGlite; pool?: pg.Pool };
  /** The server's connection string (PostgreSQL only), for connections outside the pool (LISTEN). */
  url?: string;
  /** A streaming replica for read-only lists, reports and dashboards (DATABASE_REPLICA_URL; replica.ts's readDb). */
  replica?: Replica;
  close(): Promise<void>;
}

/**
 * The site's time zone: every connection runs in it, so `current_date`, `now()::date` and
 * `date_trunc` on a timestamptz count calendar days in China, as the web pages and members do.
 * (In UTC the day would turn at 08:00 Beijing time: an agreement signed "today" just after
 * midnight was "not yet in force" until morning.) China has one zone and no daylight saving.
 */
export const SITE_TIME_ZONE = CHINA_TIME_ZONE;

// bigint (int8) columns come back as strings from node-postgres; ids stay strings on the wire.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export async function openDatabase(options: { url?: string; replicaUrl?: string; dataDir?: string; memory?: boolean; loadDataDir?: Blob | File }): Promise<Database> {
  if (options.replicaUrl && !options.url) throw new Error(REPLICA_WITHOUT_PRIMARY);
  if (options.url) {
    const pool = newPool(options.url);
    // An idle connection can be ended by the server (restart, failover, pg_terminate_backend): the pool
    // drops it and opens another when needed. Without a listener that error would stop the process.
    let closing = false;
    pool.on('error', (error) => {
      if (!closing) console.warn(`PostgreSQL closed an idle connection: ${error.message}`);
    });
    const db = drizzlePg(pool) as unknown as Db;
    const replica = options.replicaUrl ? openReplica(options.replicaUrl, pool, newPool) : undefined;
    return {
      db, kind: 'postgres', raw: { pool }, url: options.url, replica,
      close: async () => { closing = true; await Promise.all([pool.end(), replica?.close()]); },
    };
  }
  let dir: string | undefined;
  let unlock = () => {};
  if (!options.memory && options.dataDir) {
    // the database files hold the site's records (personal data encrypted, the rest not): only the
    // server's own user may read the directory
    fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    fs.chmodSync(options.dataDir, 0o700);
    unlock = lockDataDir(options.dataDir);
    dir = path.join(options.dataDir, 'pgdata');
    fs.mkdirSync(dir, { recursive: true });
  }
  let client: PGlite;
  try {
    client = await PGlite.create(dir, {
      extensions: { ltree, pg_trgm },
      loadDataDir: options.loadDataDir,
      parsers: { 1082: (v: string) => v },
      // PGlite's default of 128 MB of shared buffers lives in its WASM memory, which never shrinks: under load the
      // server's RSS reached ~510 MB with the demo's data (bench rows `embedded:`). 32 MB holds an organ's hot pages;
      // the rest are read through the operating system's page cache.
      startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${EMBEDDED_SHARED_BUFFERS}`],
    });
  } catch (error) {
    unlock();
    throw error;
  }
  // The embedded database has one connection: setting its zone once holds for the process. (No pg_trgm threshold:
  // there 金点子 ranks alike titles in the server, ideas/service.ts.)
  await client.exec(`set time zone '${SITE_TIME_ZONE}'`);
  const db = drizzlePglite(client) as unknown as Db;
  return { db, kind: 'pglite', raw: { pglite: client }, close: () => client.close().finally(unlock) };
}

/** The embedded database's shared buffers (PGLITE_SHARED_BUFFERS, e.g. 64MB, for a larger embedded site). */
const EMBEDDED_SHARED_BUFFERS = /^\d+(kB|MB|GB)$/.test(process.env.PGLITE_SHARED_BUFFERS ?? '') ? process.env.PGLITE_SHARED_BUFFERS! : '32MB';

/**
 * Whether `db` is the embedded PGlite, or a transaction on it: for the rare statement that must be written otherwise
 * there (金点子's alike titles). Told by the handle's drizzle session, of PGlite's kind for a transaction on it too:
 * the demo seed calls the services with its one transaction as their handle, and when only the database handle was
 * known it went the PostgreSQL way there (pg_trgm on PGlite: an insert into ideas then answered no row, and the
 * backend failed with ERRORDATA_STACK_SIZE exceeded).
 */
export const isEmbedded = (db: Queryable): boolean => is(db._.session, PgliteSession);

export const REPLICA_WITHOUT_PRIMARY = 'DATABASE_REPLICA_URL 需要同时设置 DATABASE_URL：只读副本复制的是 PostgreSQL 主库，内置 PGlite 没有副本（DATABASE_REPLICA_URL needs DATABASE_URL: the embedded database has no replica）';

/**
 * pg_trgm's `%` (alike titles of 金点子) holds above this similarity, for every statement of a PostgreSQL
 * connection: set when the connection opens rather than per transaction, so that the search is one plain statement.
 */
const TRGM_THRESHOLD = `pg_trgm.similarity_threshold=${IDEA_SIMILARITY_THRESHOLD}`;

/** A pool on a PostgreSQL server with the site's settings; the primary's and the replica's are alike. */
function newPool(url: string): pg.Pool {
  // JIT off: its compilation (seconds, on a 2-core machine) is paid per query and our statements are short
  // OLTP ones whose row estimates over ltree subtrees can look expensive; measured with EXPLAIN ANALYZE on
  // the 三会一课 compliance report of a district at city scale: 2.9 s with JIT, 0.17 s without.
  return new pg.Pool({ connectionString: url, max: Number(process.env.PG_POOL_MAX ?? 10), options: `-c jit=off -c TimeZone=${SITE_TIME_ZONE} -c ${TRGM_THRESHOLD}` });
}

const dialect = new PgDialect();

/** A statement's text and values as one string: the key of a statement answered from memory (platform/epochs.ts). */
export function statementKey(query: SQL): string {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return `${text}\u0000${JSON.stringify(params, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`;
}

/**
 * Runs a hot statement as a named prepared statement on PostgreSQL, planned once per pooled
 * connection: for short statements on every request (the session lookup, the daily-quiz
 * submission) planning costs more than executing (measured 0.55 → 0.10–0.20 ms). The name
 * follows the text, so the statement's text must not vary between calls (values are parameters).
 * `db` may be the database or an open transaction: only on the pool (a node-postgres handle
 * carries it as `$client`) is the statement prepared; in a transaction or on PGlite (a single
 * embedded connection) it runs as usual.
 */
/** Statement names by text: the texts are a program's constants, hashed once (bounded all the same). */
const statementNames = new Map<string, string>();

export async function executePrepared<T extends Record<string, unknown>>(db: Queryable, query: SQL): Promise<T[]> {
  const pool = (db as { $client?: unknown }).$client;
  if (!(pool instanceof pg.Pool)) return (await db.execute<T>(query)).rows;
  const { sql: text, params } = dialect.sqlToQuery(query);
  let name = statementNames.get(text);
  if (!name) {
    if (statementNames.size >= 1_000) statementNames.clear();
    statementNames.set(text, name = `dj_${crypto.createHash('sha1').update(text).digest('hex').slice(0, 20)}`);
  }
  return (await pool.query<T>({ name, text, values: params as unknown[], types: DRIZZLE_TYPES })).rows;
}

// the same values as drizzle's execute: times, dates, intervals and their arrays as PostgreSQL's text
const RAW_TYPES = new Set([pg.types.builtins.TIMESTAMPTZ, pg.types.builtins.TIMESTAMP, pg.types.builtins.DATE, pg.types.builtins.INTERVAL, 1231, 1115, 1185, 1187, 1182]);
const DRIZZLE_TYPES = {
  getTypeParser: ((id: number, format?: 'text' | 'binary') => (RAW_TYPES.has(id) ? (v: string) => v : pg.types.getTypeParser(id, format))) as typeof pg.types.getTypeParser,
};

/**
 * Waits for PostgreSQL at start: a server started before its database (a machine's boot, a
 * container's compose) retries with backoff for `timeoutMs`, one line per attempt, instead of ending
 * with a driver's stack. Answers when the database answers; throws DatabaseUnavailableError at the end.
 */
export async function waitForDatabase(database: Database, timeoutMs: number, log: (line: string) => void = console.error): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 1000; ; wait = Math.min(wait * 2, 15_000)) {
    try {
      await database.db.execute(sql`select 1`);
      return;
    } catch (error) {
      const reason = describeConnectionError(error);
      const where = database.url ? redactUrl(database.url) : 'PostgreSQL';
      if (Date.now() + wait > deadline) throw new DatabaseUnavailableError(`无法连接数据库 ${where}：${reason}。请检查 DATABASE_URL 与数据库服务（cannot reach the database: ${reason}）`);
      log(`无法连接数据库 ${where}：${reason}；${Math.round(wait / 1000)} 秒后重试（retrying）`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

export class DatabaseUnavailableError extends Error {}

function describeConnectionError(error: unknown): string {
  const e = (error as { cause?: unknown }).cause ?? error;
  const { code, message } = e as { code?: string; message?: string };
  return [code, message?.split('\n')[0]].filter(Boolean).join(' ') || String(e);
}

/** The connection string without its password, for a log line. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}
