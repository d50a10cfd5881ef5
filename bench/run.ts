/**
 * The benchmark: `npm run bench` (DATABASE_URL optional; default postgres://postgres@127.0.0.1:5432/dangjian_bench).
 *
 * 1. Seeds the bench database at city scale (seed-scale.ts) if it is empty, and adds bench users.
 * 2. Builds the server (tsc) and measures two ceilings with the same Fastify, pool size,
 *    connections and duration: a constant route, and a route doing one INSERT.
 * 3. Starts the production server (node dist/server/src/main.js, DEMO=0), then the same under
 *    node:cluster with WORKERS=2 (dist/server/src/cluster.js), and runs the hot paths against
 *    each: login, member list of a subtree with a search term (page 1 and a deep page, by page number and by cursor), subtree
 *    counts (children of the root and of a big committee), member detail, and the members' own
 *    hot paths: sign-in to an activity with the 6-digit code, the daily quiz submission (each member
 *    having opened today's quiz first, as the app does), the
 *    week's points leaderboard of a district, the 三会一课 compliance report of a district,
 *    the dashboard (驾驶舱) of the root and of a district; then, with one process, the streamed .xlsx
 *    exports (the city's roster alone, three at once, one dropped after its first bytes).
 *    Server RSS is sampled from /proc during the load.
 * 4. Prints one table and writes bench/results/latest.json. Any non-2xx answer or connection error
 *    fails the run (exit 1).
 *
 * Options (env): BENCH_DURATION seconds per path (10), BENCH_CONNECTIONS (50), BENCH_SKIP_BUILD=1,
 * BENCH_PROCESSES ("1,2"), BENCH_ONLY (a regular expression: only the hot paths whose name matches;
 * the ceilings always run), BENCH_NODE_FLAGS (more flags for the servers, e.g. `--cpu-prof`),
 * BENCH_EXAM_MEMBERS (5000: the members of the synchronized exam, exam-burst.ts).
 * BENCH_ONLY='embedded' (a pattern starting with "embedded"): only the embedded default's rows (PGlite with the
 * demo, no DATABASE_URL, bench/embedded.ts), without the PostgreSQL server, its bench database or the ceilings.
 * BENCH_REPLICA_URL (a streaming replica of the bench database, e.g. postgres://postgres@127.0.0.1:5433/dangjian_bench):
 * the read rows of REPLICA_ROWS once more, one process, with DATABASE_REPLICA_URL, named "… (replica)"; BENCH_REPLICA=1
 * starts that replica with scripts/replica.sh (port 5433; the server's pg_hba.conf must allow replication) and removes it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { hashPassword, PASSWORD_HASH_PARAMS } from '../server/src/platform/passwords.js';
import { questionIdsFor } from '../server/src/modules/daily_quiz/service.js';
import { weekStartOf } from '../server/src/modules/points/member-context.js';
import { ensureDatabase, ideasSeedSql } from './seed-scale.js';
import { openDatabase } from '../server/src/platform/db.js';
import { migrate } from '../server/src/platform/migrate.js';
import { todayInChina } from '../contracts/china-time.js';
import { sql } from 'drizzle-orm';
import { computePeriodResults } from '../server/src/modules/rankings/service.js';
import { measureExamBurst } from './exam-burst.js';
import { EMBEDDED_CHECK_IN_CODE, prepareEmbeddedDataDir } from './embedded.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL?.replace(/\/[^/?]*(\?.*)?$/, '/dangjian_bench$1') ?? 'postgres://postgres@127.0.0.1:5432/dangjian_bench';
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const PROCESSES = (process.env.BENCH_PROCESSES ?? '1,2').split(',').map(Number);
const SCALE = { orgs: 15_000, members: 250_000 };
const BENCH_USERS = 200;
/** Member accounts (bench-m-00001…): each signs in once and answers the quiz once per measurement. */
const BENCH_MEMBERS = 40_000;
const CHECK_IN_CODE = '246810';
const CHECK_IN_TITLE = '全市机关党员集中轮训（签到压测）';
const BENCH_PASSWORD = 'Bench-password-2025';
// a fixed key for the bench database only: its people are generated, never real
const DATA_KEY = crypto.createHash('sha256').update('dangjian-bench').digest('base64');
const PG_POOL_MAX = process.env.PG_POOL_MAX ?? '10';
/** The read-only rows measured once more through a streaming replica (BENCH_REPLICA_URL / BENCH_REPLICA=1). */
const REPLICA_ROWS = new Set([
  'members: subtree + search, page 1', 'orgs: children of a big committee (subtree counts)', 'points: leaderboard of a district, this week',
  'activities: 三会一课 compliance of a district', 'dashboard: district', 'search: two characters over 100,000 texts (district admin)',
]);
const BENCH_REPLICA_DIR = '/var/tmp/dj-bench-replica';
/** The servers' /metrics token (one process: its own port; several: the cluster primary's METRICS_PORT). */
const METRICS_TOKEN = crypto.randomBytes(16).toString('hex');

/** Targets from issue 3: p99 in ms and logins per second. */
const TARGETS: Record<string, { p99?: number; rps?: number; shareOfInsert?: number; maxMs?: number; rssMb?: number }> = {
  'daily quiz: submit (with ledger entry; group commit)': { shareOfInsert: 0.5 },
  'members: subtree + search, page 1': { p99: 50 },
  'members: subtree + search, deep page': { p99: 50 },
  'members: subtree + search, deep page (cursor)': { p99: 50 },
  // issue 20: a district's week leaderboard, and a member's own board with the own rank
  'points: leaderboard of a district, this week': { p99: 50 },
  'points: leaderboard of the own branch with own rank (member), this week': { p99: 50 },
  'orgs: children of the root (subtree counts)': { p99: 50 },
  'orgs: children of a big committee (subtree counts)': { p99: 50 },
  'login (argon2id)': { rps: 100 },
  // issue 17: a city's month of bills "in seconds"; the org-month account of a district
  'dues: bills for the whole city, one month (one request)': { p99: 30_000 },
  'dues: month account of a district (org + children)': { p99: 50 },
  // issue 14: the leaders' dashboard (every figure of the year) of the whole city and of a district
  'dashboard: root': { p99: 200 },
  'dashboard: district': { p99: 100 },
  // issue 14: search across notices, news, articles and courses
  'search: two characters over 100,000 texts (district admin)': { p99: 100 },
  // issue 15: a published 赛马 board of 2,000 orgs, a page of 50 and the viewer's own row, from the maintained results
  'rankings: a peer group\'s board, 2,000 orgs': { p99: 100 },
  // issue 20: the synchronized exam, each request timed from the moment it was due (open loop)
  'exam: 5,000 members start the same exam within 1 s': { p99: 1000 },
  'exam: 5,000 autosaves over 30 s': { p99: 1000 },
  'exam: 5,000 submit in the last 10 s': { p99: 1000 },
  // 金点子: a district's list (page 1) and the similar titles a member sees while typing, in turn
  'ideas: list and similarity search, 100,000 ideas': { p99: 100 },
  // issue 20 item 6: the embedded default (PGlite, the demo) — no request over 2 s, p99 under 1 s, RSS under 400 MB
  'embedded: members search (page 1)': { p99: 1000, maxMs: 2000, rssMb: 400 },
  'embedded: activity sign-in with the 6-digit code': { p99: 1000, maxMs: 2000, rssMb: 400 },
  'embedded: members search + activity sign-in, mixed': { p99: 1000, maxMs: 2000, rssMb: 400 },
};

interface Measured {
  name: string;
  processes: number | null;
  rps: number;
  p50: number;
  p99: number;
  /** The slowest request of the measured run (ms). */
  maxMs?: number;
  errors: number;
  non2xx: number;
  requests: number;
  ceiling: 'constant' | 'insert';
  maxRssMb: number | null;
  /** CPU time per request (µs) during the measured run: the server (with its workers), PostgreSQL, and this load generator. */
  cpuUsPerRequest: { server: number; postgres: number; client: number } | null;
  /** Acquires of a pooled connection that waited for a release during the measured run (the server's /metrics), per 1,000 requests. */
  poolWaitsPerThousand: number | null;
  /** Streamed exports: rows and bytes, first bytes and total (ms), the server's RSS before and its growth; a dropped download: how soon the server was idle. */
  export?: { rows: number; bytes: number; firstByteMs: number; totalMs: number; rssBaseMb?: number; rssGrowthMb?: number; idleAfterDropMs?: number; busyAfterIdle?: number };
}

const log = (message: string) => process.stderr.write(`${message}\n`);

// ---------- processes ----------

/**
 * The servers run as `npm start` runs them: with the old generation capped at 256 MB. Without a cap V8
 * collects lazily on a machine with 24 GB and the process grows to ~470 MB under the compliance
 * report's load; with it, ~220 MB at the same throughput (measured with 50 connections).
 */
const NODE_FLAGS = ['--max-old-space-size=256', ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean)];

function startProcess(script: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [...NODE_FLAGS, script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  forwardOutput(child);
  return child;
}

/** A server's output is read (a full pipe would stop it) and, with BENCH_VERBOSE=1, shown: its warnings, and `--trace-gc`'s lines. */
function forwardOutput(child: ChildProcess): void {
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (d: Buffer) => { if (process.env.BENCH_VERBOSE) process.stderr.write(d); });
}

async function waitFor(url: string, child: ChildProcess, seconds = 60): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${seconds} s`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/**
 * CPU ticks used so far by the server (the process and its children), by PostgreSQL (every
 * process named postgres, and the backends that have ended) and by this process (the load generator), read from /proc: on two
 * cores the three share the machine, and this shows which one a path spends it in.
 */
function cpuTicks(serverPid: number): { server: number; postgres: number; client: number } {
  const stat = (pid: number) => {
    try {
      const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = text.lastIndexOf(')');
      const fields = text.slice(close + 2).split(' ');
      // its own time, and that of its children that have ended (PostgreSQL's backends whose
      // connections closed during the run are counted in the postmaster's)
      const own = Number(fields[11]) + Number(fields[12]);
      return { comm: text.slice(text.indexOf('(') + 1, close), ppid: Number(fields[1]), own, ticks: own + Number(fields[13]) + Number(fields[14]) };
    } catch {
      return null;
    }
  };
  const all = new Map<number, { comm: string; ppid: number; own: number; ticks: number }>();
  for (const name of fs.readdirSync('/proc')) if (/^\d+$/.test(name)) { const s = stat(Number(name)); if (s) all.set(Number(name), s); }
  const inServer = (pid: number): boolean => pid === serverPid || (pid > 1 && all.has(pid) && inServer(all.get(pid)!.ppid));
  let server = 0, postgres = 0;
  for (const [pid, s] of all) {
    if (s.comm === 'postgres') postgres += s.ticks;
    else if (inServer(pid)) server += s.ticks;
  }
  return { server, postgres, client: all.get(process.pid)?.own ?? 0 };
}
const TICK_US = 1_000_000 / 100; // USER_HZ

/** VmRSS of a process and its children (cluster workers), in MB. */
function rssMb(pid: number): number {
  const read = (p: number): number => {
    try {
      const status = fs.readFileSync(`/proc/${p}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const children = fs.readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      return kb + children.reduce((n, c) => n + read(c), 0);
    } catch {
      return 0;
    }
  };
  return read(pid) / 1024;
}

function sampleRss(pid: number): () => number {
  let max = rssMb(pid);
  const timer = setInterval(() => { max = Math.max(max, rssMb(pid)); }, 250);
  return () => { clearInterval(timer); return Math.round(Math.max(max, rssMb(pid))); };
}

// ---------- load ----------

interface Load {
  method?: 'GET' | 'POST';
  /** Before the warm-up and before the measured run: puts one-time actions (sign-in, quiz) back. */
  reset?(): Promise<void>;
  /** Called per request: path, headers and body rotate over accounts and ids. */
  next(): { method?: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string };
}

async function cannon(baseUrl: string, load: Load, duration = DURATION, connections = CONNECTIONS): Promise<autocannon.Result> {
  const trace = TRACE ? new Trace() : null;
  const result = await autocannon({
    url: baseUrl,
    connections,
    duration,
    // slow paths queue behind 50 connections: count a request lost only after 30 s, p99 shows the rest
    timeout: 30,
    requests: [{
      method: load.method ?? 'GET',
      setupRequest: (request, context) => {
        const n = load.next();
        trace?.sent(context as TraceContext, n.path);
        return { ...request, ...(n.method ? { method: n.method } : {}), path: n.path, headers: { ...(request.headers ?? {}), ...(n.headers ?? {}) }, ...(n.body ? { body: n.body } : {}) };
      },
      ...(trace ? { onResponse: (_status: number, _body: string, context: object) => trace.answered(context as TraceContext) } : {}),
    }],
  });
  trace?.print();
  return result;
}

/**
 * BENCH_TRACE=1: each row's latencies by route (the path without its query) and, second by second,
 * the slowest answer, to tell a route that is slow from a moment when everything is. A request's time
 * runs from building it (autocannon builds the next one when the last is answered) to its answer.
 */
const TRACE = process.env.BENCH_TRACE === '1';
interface TraceContext { traceRoute?: string; traceAt?: number }
class Trace {
  private readonly started = performance.now();
  private readonly byRoute = new Map<string, number[]>();
  private readonly slowestBySecond: number[] = [];
  sent(context: TraceContext, path: string): void {
    context.traceRoute = path.split('?')[0]!.replace(/\/\d+(?=\/|$)/g, '/:id');
    context.traceAt = performance.now();
  }
  answered(context: TraceContext): void {
    if (typeof context.traceAt !== 'number') return;
    const now = performance.now();
    const ms = now - context.traceAt;
    const route = context.traceRoute ?? '?';
    (this.byRoute.get(route) ?? this.byRoute.set(route, []).get(route)!).push(ms);
    const second = Math.floor((now - this.started) / 1000);
    this.slowestBySecond[second] = Math.max(this.slowestBySecond[second] ?? 0, ms);
  }
  print(): void {
    const at = (sorted: number[], q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
    for (const [route, ms] of this.byRoute) {
      ms.sort((a, b) => a - b);
      log(`    trace ${route.padEnd(40)} n ${String(ms.length).padStart(6)}  p50 ${at(ms, 0.5)} ms  p90 ${at(ms, 0.9)} ms  p99 ${at(ms, 0.99)} ms  max ${Math.round(ms.at(-1)!)} ms`);
    }
    log(`    trace slowest answer, second by second: ${this.slowestBySecond.map((ms) => Math.round(ms)).join(' ')} ms`);
  }
}

const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null;

/** The server's pool waits so far (db_pool_waits_total of /metrics), or null when it has no /metrics. */
async function poolWaits(metricsUrl: string | undefined): Promise<number | null> {
  if (!metricsUrl) return null;
  const res = await fetch(metricsUrl, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).catch(() => null);
  if (!res?.ok) return null;
  const line = (await res.text()).split('\n').find((l) => l.startsWith('db_pool_waits_total '));
  return line ? Number(line.slice('db_pool_waits_total '.length)) : null;
}

async function measure(name: string, baseUrl: string, load: Load, ceiling: Measured['ceiling'], options: { processes: number | null; pid?: number; warmup?: boolean; health: string; metricsUrl?: string; replica?: boolean }): Promise<Measured[]> {
  if (options.replica) {
    if (!REPLICA_ROWS.has(name)) return [];
    name = `${name} (replica)`;
  }
  if (ONLY && !name.startsWith('ceiling') && !ONLY.test(name)) return [];
  if (options.warmup) {
    await load.reset?.();
    await cannon(baseUrl, load, 2, 10);
    await drain(baseUrl, options.health);
  }
  await load.reset?.();
  const stopSampling = options.pid ? sampleRss(options.pid) : null;
  const waitsBefore = await poolWaits(options.metricsUrl);
  const cpuBefore = options.pid ? cpuTicks(options.pid) : null;
  const r = await cannon(baseUrl, load);
  const cpuAfter = options.pid ? cpuTicks(options.pid) : null;
  const waitsAfter = await poolWaits(options.metricsUrl);
  const maxRssMb = stopSampling ? stopSampling() : null;
  const perRequest = (k: 'server' | 'postgres' | 'client') => Math.round(((cpuAfter![k] - cpuBefore![k]) * TICK_US) / Math.max(1, r.requests.total));
  const cpuUsPerRequest = cpuBefore && cpuAfter ? { server: perRequest('server'), postgres: perRequest('postgres'), client: perRequest('client') } : null;
  await drain(baseUrl, options.health);
  const m: Measured = {
    name, processes: options.processes, ceiling, maxRssMb,
    rps: Math.round(r.requests.average * 10) / 10, p50: r.latency.p50, p99: r.latency.p99, maxMs: r.latency.max,
    errors: r.errors + r.timeouts + r.non2xx, non2xx: r.non2xx, requests: r.requests.total, cpuUsPerRequest,
    poolWaitsPerThousand: waitsBefore !== null && waitsAfter !== null ? Math.round(((waitsAfter - waitsBefore) * 10_000) / Math.max(1, r.requests.total)) / 10 : null,
  };
  const cpu = cpuUsPerRequest ? `  CPU µs/req server ${cpuUsPerRequest.server} PostgreSQL ${cpuUsPerRequest.postgres} load ${cpuUsPerRequest.client}` : '';
  const waits = m.poolWaitsPerThousand !== null ? `  pool waits ${m.poolWaitsPerThousand}/1000 req` : '';
  log(`  ${name.padEnd(52)} ${String(m.rps).padStart(8)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms  max ${m.maxMs} ms  errors ${m.errors}${maxRssMb ? `  rss ${maxRssMb} MB` : ''}${cpu}${waits}`);
  return [m];
}

/** Waits until the server has worked off the requests still queued from the last run. */
async function drain(baseUrl: string, healthPath: string): Promise<void> {
  const url = baseUrl + healthPath;
  for (let quick = 0, tries = 0; quick < 2 && tries < 300; tries++) {
    const t = performance.now();
    await fetch(url).catch(() => undefined);
    quick = performance.now() - t < 50 ? quick + 1 : 0;
    if (quick < 2) await new Promise((r) => setTimeout(r, 100));
  }
}

const roundRobin = <T>(items: T[]) => {
  let i = 0;
  return () => items[i++ % items.length]!;
};

// ---------- data ----------

interface BenchData {
  rootId: string;
  checkInActivityId: string;
  ranking: { periodId: string; groupId: string };
  districts: { id: string; members: number; deepPage: number; memberIds: string[] }[];
  counts: { orgs: number; members: number; events: number };
}

async function prepareDatabase(): Promise<BenchData> {
  await ensureDatabase(DATABASE_URL);
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  try {
    // two statements: `exists (select 1 from orgs)` fails to plan while the table does not exist
    const hasTable = (await pool.query("select to_regclass('orgs') is not null as found")).rows[0]?.found === true;
    const seeded = hasTable && (await pool.query('select exists (select 1 from orgs) as seeded')).rows[0]?.seeded === true;
    if (!seeded) {
      log(`seeding ${DATABASE_URL.replace(/\/\/[^@]*@/, '//')} at scale (${SCALE.orgs} orgs, ${SCALE.members} members)…`);
      const seeded = spawnSync(process.execPath, ['--import', 'tsx', 'bench/seed-scale.ts', '--orgs', String(SCALE.orgs), '--members', String(SCALE.members)],
        { cwd: ROOT, env: { ...process.env, DATABASE_URL, DATA_KEY }, stdio: 'inherit' });
      if (seeded.status !== 0) throw new Error('seed:scale failed');
    }
    // a bench database seeded by an earlier version gets the newer migrations before anything reads them
    const database = await openDatabase({ url: DATABASE_URL });
    try { await migrate(database); } finally { await database.close(); }
    const root = (await pool.query<{ id: string }>("select id::text from orgs where parent_id is null and type = 'work_committee' order by id limit 1")).rows[0]!;
    // the big committees: the district work committees, ~15k members each
    const districts = (await pool.query<{ id: string; path: string; members: number; zh: number }>(`
      select o.id::text, o.path::text,
             (select count(*) from members m where m.org_path <@ o.path and m.left_at is null)::int as members,
             (select count(*) from members m where m.org_path <@ o.path and m.left_at is null and m.search_text like '% zh%')::int as zh
        from orgs o where o.parent_id = $1 and o.type = 'party_committee' order by o.id`, [root.id])).rows;
    const result: BenchData['districts'] = [];
    for (const d of districts) {
      const ids = (await pool.query<{ id: string }>('select id::text from members where org_path <@ $1::ltree and left_at is null order by md5(id::text) limit 500', [d.path])).rows.map((r) => r.id);
      // a page near the end of the matches, under the list's offset cap of 10,000
      result.push({ id: d.id, members: d.members, deepPage: Math.max(2, Math.min(Math.floor((0.9 * d.zh) / 20), 499)), memberIds: ids });
    }
    await ensureBenchUsers(pool, root.id, result.map((d) => d.id));
    await ensureBenchMembers(pool);
    await ensureDuesBases(pool);
    const checkInActivityId = await ensureCheckInActivity(pool, root.id);
    await ensureSearchTexts(pool);
    await ensureIdeas(pool);
    const ranking = await ensureRankingCampaign(pool, root.id);
    const counts = (await pool.query<{ orgs: number; members: number; events: number }>(
      'select (select count(*) from orgs)::int as orgs, (select count(*) from members)::int as members, (select count(*) from member_stage_events)::int as events')).rows[0]!;
    return { rootId: root.id, districts: result, counts, checkInActivityId, ranking };
  } finally {
    await pool.end();
  }
}

/**
 * 100,000 searchable texts (issue #14) over the whole tree, in one statement: each a title and ~200
 * characters drawn from a pool of sentences of party-building news, so a common two-character word
 * (改革) is in about half of them and in one title in eight; the other words spread the bigrams like real text.
 */
const SEARCH_TEXTS = 100_000;
export const SEARCH_SENTENCES = [
  '深入学习贯彻党的二十届四中全会精神', '扎实推进机关党建高质量发展', '持续深化全面从严治党', '推动党建与业务深度融合', '扎实开展主题教育',
  '认真落实三会一课制度', '组织党员开展主题党日活动', '重温入党誓词，坚定理想信念', '聚焦群众急难愁盼问题', '我为群众办实事取得实效',
  '深化财政体制改革', '推进预算绩效管理改革', '优化营商环境', '加强干部队伍建设', '发挥基层党组织战斗堡垒作用', '发挥党员先锋模范作用',
  '开展志愿服务进社区活动', '党员干部到社区报到', '认领群众微心愿', '召开专题组织生活会', '开展批评与自我批评', '加强作风建设',
  '落实意识形态工作责任制', '举办青年理论学习小组研讨', '推进数字政府建设', '提升政务服务效能', '开展廉政警示教育', '筑牢拒腐防变思想防线',
  '坚持以人民为中心的发展思想', '推动高质量发展', '统筹发展和安全', '做好防汛抗旱工作', '抓好安全生产', '深化放管服改革', '开展调查研究',
  '总结经验，查找不足', '部署下一阶段重点任务', '各支部交流学习体会', '邀请专家作专题辅导', '组织参观党性锤炼中心',
];
export const SEARCH_TITLES = ['召开党建工作推进会', '开展主题党日活动', '举办专题学习会', '推进改革攻坚', '开展志愿服务', '召开组织生活会', '学习贯彻全会精神', '开展廉政教育'];

async function ensureSearchTexts(pool: pg.Pool): Promise<void> {
  const existing = Number((await pool.query<{ n: number }>("select count(*)::int as n from search_texts where source_id like 'bench-%'")).rows[0]!.n);
  if (existing >= SEARCH_TEXTS) return;
  log(`seeding ${SEARCH_TEXTS - existing} search texts…`);
  const started = Date.now();
  await pool.query(`
    with orgs_numbered as (select path, row_number() over (order by id) - 1 as k, count(*) over () as n from orgs where dissolved_at is null),
         texts as (
           select i, ((i * 7919) % (select max(n) from orgs_numbered)) as org_k,
                  $2::text[] as sentences, $3::text[] as titles
             from generate_series($1::int + 1, $4::int) i)
    insert into search_texts (source_type, source_id, org_path, title, excerpt, title_search, search_text, visibility, published_at)
    select (array['notice', 'news', 'article', 'course'])[1 + i % 4], 'bench-' || i, o.path, t.title, left(t.body, 120), t.title, t.title || E'\n' || t.body,
           case when i % 10 = 0 then 'public' else 'tree' end, now() - (i % 730) * interval '1 day' - (i % 1440) * interval '1 minute'
      from texts x
      join orgs_numbered o on o.k = x.org_k
      cross join lateral (select x.titles[1 + (i * 31) % array_length(x.titles, 1)] || '（第' || i || '期）' as title,
                                 (select string_agg(x.sentences[1 + ((i * 13 + j * j * 7 + j * 3) % array_length(x.sentences, 1))], '，' order by j) || '。'
                                    from generate_series(1, 10) j) as body) t`,
  [existing, SEARCH_SENTENCES, SEARCH_TITLES, SEARCH_TEXTS]);
  // the statement's triggers wrote the texts' postings (migration 20261206100100); vacuum: search reads
  // them index-only (which needs the visibility map), and picks the rarest bigram from their statistics
  await pool.query('vacuum analyze search_texts, search_postings');
  log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** 100,000 ideas over the tree (a bench database seeded before the ideas module gets them here). */
const IDEAS = 100_000;
async function ensureIdeas(pool: pg.Pool): Promise<void> {
  const existing = Number((await pool.query<{ n: number }>('select count(*)::int as n from ideas')).rows[0]!.n);
  if (existing >= IDEAS) return;
  log(`seeding ${IDEAS - existing} ideas…`);
  const started = Date.now();
  await pool.query(ideasSeedSql(IDEAS - existing, existing));
  await pool.query('vacuum analyze ideas');
  log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const RANKING_CAMPAIGN = '全市机关党建赛马（压测）';
const RANKING_ORGS = 2_000;

/**
 * A 赛马 campaign of the root over 2,000 orgs (issue #15): the district committees in one peer group,
 * branches in the other (2,000 in all), seven manual dimensions, two quarters scored, computed through
 * the service (the maintained ranking_results) and published. Idempotent: found by its name.
 */
async function ensureRankingCampaign(pool: pg.Pool, rootId: string): Promise<{ periodId: string; groupId: string }> {
  const found = async () => (await pool.query<{ period_id: string; group_id: string }>(`
    select p.id::text as period_id, g.id::text as group_id from ranking_campaigns c
      join ranking_periods p on p.campaign_id = c.id and p.seq = 2 and p.status = 'published'
      join ranking_peer_groups g on g.campaign_id = c.id and g.position = 2
     where c.name = $1`, [RANKING_CAMPAIGN])).rows[0];
  const existing = await found();
  if (existing) return { periodId: existing.period_id, groupId: existing.group_id };
  log('seeding the 2,000-org ranking campaign…');
  const started = Date.now();
  await pool.query('delete from ranking_campaigns where name = $1', [RANKING_CAMPAIGN]);
  const database = await openDatabase({ url: DATABASE_URL });
  try {
    await database.db.transaction(async (tx) => {
      const campaign = (await tx.execute<{ id: string }>(sql`insert into ranking_campaigns (org_id, org_path, name, period_kind, year)
        select id, path, ${RANKING_CAMPAIGN}, 'quarterly', 2026 from orgs where id = ${rootId} returning id::text`)).rows[0]!.id;
      await tx.execute(sql`insert into ranking_dimensions (campaign_id, position, name, weight, source)
        select ${campaign}, i, (array['讲政治·比忠诚', '讲学习·比素质', '讲担当·比作为', '讲服务·比奉献', '讲规矩·比执行', '讲创新·比实效', '讲廉洁·比作风'])[i],
               case when i = 1 then 2 else 1 end, 'manual' from generate_series(1, 7) i`);
      const groups = (await tx.execute<{ id: string }>(sql`insert into ranking_peer_groups (campaign_id, position, name, rule_kind, rule_depth, rule_type)
        values (${campaign}, 1, '区级党委', 'level', 1, null), (${campaign}, 2, '党支部', 'orgs', null, null) returning id::text`)).rows.map((r) => r.id).sort((a, b) => Number(a) - Number(b));
      await tx.execute(sql`insert into ranking_group_members (campaign_id, group_id, org_id)
        select ${campaign}, ${groups[0]!}, id from orgs where parent_id = ${rootId} and dissolved_at is null`);
      await tx.execute(sql`insert into ranking_group_members (campaign_id, group_id, org_id)
        select ${campaign}, ${groups[1]!}, id from orgs where type = 'branch' and dissolved_at is null
         order by md5(id::text) limit ${RANKING_ORGS} - (select count(*) from ranking_group_members where campaign_id = ${campaign})`);
      await tx.execute(sql`insert into ranking_periods (campaign_id, seq, label, from_date, to_date)
        select ${campaign}, q, '2026-Q' || q, make_date(2026, 3 * q - 2, 1), (make_date(2026, 3 * q - 2, 1) + interval '3 months' - interval '1 day')::date from generate_series(1, 4) q`);
      const periods = (await tx.execute<{ id: string }>(sql`select id::text from ranking_periods where campaign_id = ${campaign} and seq <= 2 order by seq`)).rows;
      for (const [i, period] of periods.entries()) {
        await tx.execute(sql`insert into ranking_manual_scores (period_id, dimension_id, org_id, score)
          select ${period.id}, d.id, m.org_id, 50 + (abs(hashtext(m.org_id::text || ':' || d.id || ':' || ${i})) % 5000) / 100.0
            from ranking_group_members m cross join ranking_dimensions d where m.campaign_id = ${campaign} and d.campaign_id = ${campaign}`);
        await computePeriodResults(tx, period.id);
      }
      await tx.execute(sql`update ranking_periods set status = 'published', published_at = now() where campaign_id = ${campaign} and seq <= 2`);
    });
  } finally {
    await database.close();
  }
  // the board's group sizes are counted index-only (which needs the visibility map)
  await pool.query('vacuum analyze ranking_results, ranking_group_members');
  log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const seeded = await found();
  if (!seeded) throw new Error('rankings: the bench campaign was not seeded');
  return { periodId: seeded.period_id, groupId: seeded.group_id };
}

/** bench-001…200: admins of the district committees in turn; bench-admin: platform admin. One hash for all. */
async function ensureBenchUsers(pool: pg.Pool, rootId: string, districtIds: string[]): Promise<void> {
  const existing = Number((await pool.query<{ n: number }>("select count(*)::int as n from users where username like 'bench-%'")).rows[0]!.n);
  if (existing >= BENCH_USERS + 1) return;
  const hash = await hashPassword(BENCH_PASSWORD);
  const names = Array.from({ length: BENCH_USERS }, (_, i) => `bench-${String(i + 1).padStart(3, '0')}`);
  await pool.query(`insert into users (username, display_name, password_hash)
    select u, u, $2 from unnest($1::text[]) as u on conflict do nothing`, [[...names, 'bench-admin'], hash]);
  await pool.query(`insert into user_roles (user_id, role, org_id)
    select u.id, 'org_admin', (($2::bigint[])[1 + (substr(u.username, 7)::int - 1) % cardinality($2::bigint[])])
      from users u where u.username = any($1::text[]) on conflict do nothing`, [names, districtIds]);
  await pool.query(`insert into user_roles (user_id, role, org_id) select id, 'platform_admin', null from users where username = 'bench-admin'
    and not exists (select 1 from user_roles r where r.user_id = users.id)`);
  void rootId;
}

/** bench-m-00001…: accounts of party members (users.member_id is unique: one member each). */
async function ensureBenchMembers(pool: pg.Pool): Promise<void> {
  const existing = Number((await pool.query<{ n: number }>("select count(*)::int as n from users where username like 'bench-m-%'")).rows[0]!.n);
  if (existing >= BENCH_MEMBERS) return;
  const hash = await hashPassword(BENCH_PASSWORD);
  await pool.query(`insert into users (username, display_name, password_hash, member_id)
    select 'bench-m-' || lpad((${existing} + row_number() over (order by m.id))::text, 5, '0'), m.name, $1, m.id
      from members m where m.left_at is null and m.stage in ('probationary', 'full') and not exists (select 1 from users u where u.member_id = m.id)
     order by m.id limit $2`, [hash, BENCH_MEMBERS - existing]);
  await pool.query(`insert into user_roles (user_id, role, org_id) select u.id, 'member', null from users u
    where u.username like 'bench-m-%' and not exists (select 1 from user_roles r where r.user_id = u.id)`);
}

/**
 * This year's dues bases for every paying member, in one statement: mostly employed (monthly wage
 * 2,000–15,000 元), some retired (pension 3,000–8,000 元), some students and rural members.
 */
async function ensureDuesBases(pool: pg.Pool): Promise<void> {
  const year = Number(todayInChina().slice(0, 4));
  await pool.query(`insert into dues_bases (member_id, year, effective_month, category, base_fen, chosen_fen)
    select m.id, $1, make_date($1, 1, 1),
           case when h < 70 then 'employed' when h < 90 then 'retired' when h < 95 then 'student' else 'rural' end,
           case when h < 70 then 200000 + (m.id * 7919) % 1300000 when h < 90 then 300000 + (m.id * 104729) % 500000 end,
           case when h >= 95 then 50 end
      from (select id, (id * 31) % 100 as h from members where left_at is null and stage in ('probationary', 'full')) m
    on conflict do nothing`, [year]);
}

/** The month's bills made afresh: the bench database only (bills are never deleted by the platform, so their totals go too). */
async function resetDuesMonth(pool: pg.Pool, month: string): Promise<void> {
  await pool.query('delete from dues_bills b where month = $1::date and not exists (select 1 from dues_payment_lines l where l.bill_id = b.id)', [`${month}-01`]);
  await pool.query('delete from dues_month_totals where month = $1::date', [`${month}-01`]);
}

/** One timed request (a batch job run from the console): its time is its p50 and p99. */
async function timeOnce(name: string, processes: number, run: () => Promise<{ status: number; count: number }>): Promise<Measured[]> {
  if (ONLY && !ONLY.test(name)) return [];
  const started = performance.now();
  const { status, count } = await run();
  const ms = Math.round(performance.now() - started);
  log(`  ${name}: ${ms} ms (${count} rows, HTTP ${status})`);
  const failed = status < 200 || status >= 300 ? 1 : 0;
  return [{ name, processes, ceiling: 'insert', maxRssMb: null, rps: Math.round((count / Math.max(ms, 1)) * 1000), p50: ms, p99: ms, errors: failed, non2xx: failed, requests: 1, cpuUsPerRequest: null, poolWaitsPerThousand: null }];
}

interface MemberSession { memberId: string; cookie: string; csrf: string }

/**
 * Sessions for the member accounts, written straight into the sessions table: 40,000 argon2id
 * logins would take minutes and are measured on their own. Same id as session.ts: sha-256 of the
 * cookie's token.
 */
async function memberSessions(pool: pg.Pool): Promise<MemberSession[]> {
  const users = (await pool.query<{ id: string; member_id: string }>("select id::text, member_id::text from users where username like 'bench-m-%' order by username")).rows;
  const sessions = users.map((u) => ({ ...u, token: crypto.randomBytes(32).toString('base64url'), csrf: crypto.randomBytes(24).toString('base64url') }));
  await pool.query("delete from sessions where user_id in (select id from users where username like 'bench-m-%')");
  for (let i = 0; i < sessions.length; i += 10_000) {
    const part = sessions.slice(i, i + 10_000);
    await pool.query(`insert into sessions (id, user_id, csrf_token, ip, user_agent, expires_at)
      select s, u, c, '127.0.0.1', 'bench', now() + interval '1 day' from unnest($1::text[], $2::bigint[], $3::text[]) as t (s, u, c)`,
    [part.map((x) => crypto.createHash('sha256').update(x.token).digest('base64url')), part.map((x) => x.id), part.map((x) => x.csrf)]);
  }
  return sessions.map((x) => ({ memberId: x.member_id, cookie: `dj_sid=${x.token}`, csrf: x.csrf }));
}

/** One published activity of the root org with every bench member invited, its sign-in open now. */
async function ensureCheckInActivity(pool: pg.Pool, rootId: string): Promise<string> {
  let id = (await pool.query<{ id: string }>('select id::text from activities where title = $1', [CHECK_IN_TITLE])).rows[0]?.id;
  if (!id) {
    id = (await pool.query<{ id: string }>(`insert into activities (org_id, org_path, type, title, starts_at, ends_at, place, status, check_in_opens_at, check_in_closes_at,
        check_in_code, published_at, search_text)
      select o.id, o.path, 'party_lesson', $2, now(), now() + interval '2 hours', '市委党校大礼堂', 'published', now(), now() + interval '1 hour', $3, now(), $2
        from orgs o where o.id = $1 returning id::text`, [rootId, CHECK_IN_TITLE, CHECK_IN_CODE])).rows[0]!.id;
    await pool.query(`insert into activity_participants (activity_id, member_id) select $1, u.member_id from users u where u.username like 'bench-m-%'
      on conflict do nothing`, [id]);
  }
  return id;
}

/** The sign-in window reopened (the bench may run any day) and nobody signed in yet. */
async function resetCheckIn(pool: pg.Pool, activityId: string): Promise<void> {
  await pool.query(`update activities set starts_at = now() + interval '1 hour', ends_at = now() + interval '3 hours',
    check_in_opens_at = now() - interval '10 minutes', check_in_closes_at = now() + interval '3 hours' where id = $1`, [activityId]);
  await pool.query(`update activity_participants set state = 'invited', checked_in_at = null, check_in_method = null, code_failures = 0
    where activity_id = $1 and checked_in_at is not null`, [activityId]);
}

/** Today's answers of each member (70% right), computed as the server computes the day's set. */
async function quizBodies(pool: pg.Pool, baseUrl: string, sessions: MemberSession[]): Promise<string[]> {
  // the week's bank is frozen by the first member who opens the quiz
  const first = sessions[0]!;
  const opened = await fetch(`${baseUrl}/api/daily-quiz/today`, { headers: { cookie: first.cookie } });
  if (!opened.ok) throw new Error(`daily quiz: ${opened.status} ${await opened.text()}`);
  const date = todayInChina();
  const week = (await pool.query<{ question_ids: string[]; questions_per_day: number }>(
    'select question_ids::text[] as question_ids, questions_per_day from daily_quiz_weeks where week_start = $1::date', [weekStartOf(date)])).rows[0];
  if (!week) throw new Error('daily quiz: no question bank this week (seed:scale adds one)');
  const bank = { questionIds: week.question_ids, questionsPerDay: Number(week.questions_per_day) };
  const questions = new Map((await pool.query<{ id: string; type: string; answer: unknown }>(
    'select id::text, type, answer from questions where id = any($1::bigint[])', [bank.questionIds])).rows.map((q) => [q.id, q]));
  const wrong: Record<string, unknown> = { single: 'B', multiple: ['B'], true_false: false, fill_blank: ['不知道'] };
  let n = 0;
  return sessions.map((s) => JSON.stringify({
    answers: questionIdsFor(s.memberId, date, bank).map((questionId) => {
      const q = questions.get(questionId)!;
      const right = q.type === 'fill_blank' ? (q.answer as string[][]).map((alternatives) => alternatives[0]!) : q.answer;
      return { questionId, response: n++ % 10 < 7 ? right : wrong[q.type] };
    }),
  }));
}

/** Every member opens today's quiz once (GET), as the app does before the answers are sent. */
async function primeQuiz(baseUrl: string, sessions: MemberSession[]): Promise<void> {
  let i = 0;
  const r = await autocannon({
    url: baseUrl, connections: CONNECTIONS, amount: sessions.length, timeout: 30,
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: '/api/daily-quiz/today', headers: { ...(request.headers ?? {}), cookie: sessions[i++ % sessions.length]!.cookie } }) }],
  });
  if (r.non2xx || r.errors) throw new Error(`daily quiz: opening today's quiz failed (${r.non2xx} non-2xx, ${r.errors} errors)`);
}

/** Today's submissions of the bench members and their awards removed, totals and week boards included (the ledger is append-only by trigger: bench database only). */
async function resetQuiz(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('set local session_replication_role = replica');
    // the day's rows were all written since the last analyze: estimated at one, the ledger's sums were joined in a
    // nested loop and re-summed for each of the week's ~100,000 board entries (hours, in the 2026-12-06 full run)
    await client.query('set local enable_nestloop = off');
    // the per-period totals are kept by a trigger on insert only: take the removed awards out of them too
    await client.query(`update points_totals t set points = t.points - d.points
      from (select l.member_id, sum(l.points)::int as points from points_ledger l
             where l.source_type = 'daily_quiz_submission' and l.occurred_on = $1::date
               and l.member_id in (select member_id from users where username like 'bench-m-%') group by l.member_id) d,
           points_periods($1::date) as p
     where t.member_id = d.member_id and t.period = p.period and t.period_start = p.period_start`, [todayInChina()]);
    // and out of the week's board (points_week_ranks), which replica mode keeps from following the totals
    await client.query(`update points_week_ranks r set points = r.points - d.points
      from (select l.member_id, sum(l.points)::int as points from points_ledger l
             where l.source_type = 'daily_quiz_submission' and l.occurred_on = $1::date
               and l.member_id in (select member_id from users where username like 'bench-m-%') group by l.member_id) d
     where r.week_start = $2::date and r.member_id = d.member_id`, [todayInChina(), weekStartOf(todayInChina())]);
    await client.query(`delete from points_ledger where source_type = 'daily_quiz_submission' and occurred_on = $1::date
      and member_id in (select member_id from users where username like 'bench-m-%')`, [todayInChina()]);
    await client.query(`delete from daily_quiz_submissions where quiz_date = $1::date
      and member_id in (select member_id from users where username like 'bench-m-%')`, [todayInChina()]);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

// ---------- streamed exports (issue 20) ----------

/** Issue 20's targets for the streamed .xlsx exports: the first bytes within a second, the server's RSS growing by less than 100 MB. */
const EXPORT_TARGETS: Record<string, { firstByteMs?: number; rssGrowthMb?: number; idleWithinMs?: number }> = {
  'exports: city roster, 250,000 rows (xlsx, alone)': { firstByteMs: 1000, rssGrowthMb: 100 },
  'exports: three at once (city roster + district quiz + district year attendance)': { firstByteMs: 1000, rssGrowthMb: 100 },
  'exports: city roster dropped after its first bytes (server idle again)': { idleWithinMs: 2000 },
};

interface Download { firstByteMs: number; totalMs: number; bytes: number; status: number }

/** One download read to its end, or dropped at its first chunk; timed from the request. */
function download(url: string, cookie: string, dropAfterFirstBytes = false): Promise<Download> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstByteMs = -1, bytes = 0;
    const request = http.get(url, { headers: { cookie } }, (response) => {
      const status = response.statusCode ?? 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (firstByteMs >= 0) return;
        firstByteMs = Math.round(performance.now() - started);
        if (dropAfterFirstBytes) {
          request.destroy();
          resolve({ firstByteMs, totalMs: firstByteMs, bytes, status });
        }
      });
      response.on('end', () => resolve({ firstByteMs, totalMs: Math.round(performance.now() - started), bytes, status }));
    });
    request.on('error', (error) => { if (!dropAfterFirstBytes || firstByteMs < 0) reject(error); });
  });
}

/** The server's RSS every 100 ms from now on: its value now, and the peak until stopped. */
function sampleRssGrowth(pid: number): () => { baseMb: number; peakMb: number; growthMb: number } {
  const base = rssMb(pid);
  let peak = base;
  const timer = setInterval(() => { peak = Math.max(peak, rssMb(pid)); }, 100);
  return () => {
    clearInterval(timer);
    peak = Math.max(peak, rssMb(pid));
    return { baseMb: Math.round(base), peakMb: Math.round(peak), growthMb: Math.round(peak - base) };
  };
}

/** The rows of the last export of that kind, as its audit entry recorded them before the first row left. */
async function auditedRows(pool: pg.Pool, action: string): Promise<number> {
  const r = await pool.query<{ n: string }>("select detail->>'rowCount' as n from audit_log where action = $1 order by id desc limit 1", [action]);
  return Number(r.rows[0]?.n ?? 0);
}

/** Backends of the bench database other than this one that are not idle: the server's queries at work. */
async function busyBackends(pool: pg.Pool): Promise<number> {
  const r = await pool.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend' and state <> 'idle'`);
  return Number(r.rows[0]!.n);
}

/** Exports the server is still writing (app_exports_streaming of its /metrics). */
async function exportsStreaming(metricsUrl: string): Promise<number | null> {
  const res = await fetch(metricsUrl, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).catch(() => null);
  if (!res?.ok) return null;
  const line = (await res.text()).split('\n').find((l) => l.startsWith('app_exports_streaming '));
  return line ? Number(line.slice('app_exports_streaming '.length)) : null;
}

function exportRow(name: string, rows: number, run: { firstByteMs: number; totalMs: number; bytes: number; failed: boolean }, rss: { baseMb: number; peakMb: number; growthMb: number }): Measured {
  const rowsPerSecond = Math.round((rows / Math.max(run.totalMs, 1)) * 1000);
  log(`  ${name}: ${rows} rows, ${(run.bytes / 2 ** 20).toFixed(1)} MB, first bytes ${run.firstByteMs} ms, all ${run.totalMs} ms (${rowsPerSecond} rows/s), RSS ${rss.baseMb} → ${rss.peakMb} MB (+${rss.growthMb})`);
  return {
    name, processes: 1, ceiling: 'insert', maxRssMb: rss.peakMb, rps: rowsPerSecond, p50: run.firstByteMs, p99: run.totalMs,
    errors: run.failed ? 1 : 0, non2xx: run.failed ? 1 : 0, requests: 1, cpuUsPerRequest: null, poolWaitsPerThousand: null,
    export: { rows, bytes: run.bytes, firstByteMs: run.firstByteMs, totalMs: run.totalMs, rssBaseMb: rss.baseMb, rssGrowthMb: rss.growthMb },
  };
}

/**
 * The streamed exports against the one-process server: the whole city's roster alone; the roster,
 * a district's daily-quiz results (the year so far) and its attendance of the year at once; then
 * the roster dropped at its first bytes, timing how soon the server has stopped writing it and
 * PostgreSQL has no query of it left. A row's p50 is the time to the first bytes, p99 the time to
 * the last, req/s the rows per second; the RSS is the server's, sampled every 100 ms.
 */
async function measureExports(base: string, pid: number, pool: pg.Pool, metricsUrl: string, platform: { cookie: string }, districtAdmin: { cookie: string }, districtId: string, rootId: string): Promise<Measured[]> {
  const names = Object.keys(EXPORT_TARGETS);
  if (ONLY && !names.some((n) => ONLY.test(n))) return [];
  const results: Measured[] = [];
  const today = todayInChina();
  const yearAgo = new Date(Date.parse(today) - 364 * 86_400_000).toISOString().slice(0, 10);
  const roster = `${base}/api/members/export?orgId=${rootId}`;
  const quiz = `${base}/api/daily-quiz/results/export?orgId=${districtId}&from=${yearAgo}&to=${today}`;
  const attendance = `${base}/api/activities/attendance/export?orgId=${districtId}&year=${today.slice(0, 4)}`;
  const failed = (d: Download) => d.status !== 200 || d.firstByteMs < 0;

  if (!ONLY || ONLY.test(names[0]!)) {
    const rss = sampleRssGrowth(pid);
    const d = await download(roster, platform.cookie);
    results.push(exportRow(names[0]!, await auditedRows(pool, 'member.export'), { ...d, failed: failed(d) }, rss()));
  }
  if (!ONLY || ONLY.test(names[1]!)) {
    const rss = sampleRssGrowth(pid);
    const started = performance.now();
    const all = await Promise.all([download(roster, platform.cookie), download(quiz, districtAdmin.cookie), download(attendance, districtAdmin.cookie)]);
    const totalMs = Math.round(performance.now() - started);
    const rows = (await auditedRows(pool, 'member.export')) + (await auditedRows(pool, 'daily_quiz.results_export')) + (await auditedRows(pool, 'activity.attendance_export'));
    log(`    each: ${all.map((d, i) => `${['roster', 'quiz', 'attendance'][i]} first ${d.firstByteMs} ms, all ${d.totalMs} ms, ${(d.bytes / 2 ** 20).toFixed(1)} MB`).join('; ')}`);
    results.push(exportRow(names[1]!, rows, { firstByteMs: Math.max(...all.map((d) => d.firstByteMs)), totalMs, bytes: all.reduce((n, d) => n + d.bytes, 0), failed: all.some(failed) }, rss()));
  }
  if (!ONLY || ONLY.test(names[2]!)) {
    const d = await download(roster, platform.cookie, true);
    const dropped = performance.now();
    // idle: the server writes no export and PostgreSQL runs none of its queries, seen twice 25 ms apart
    let idleMs = -1, quiet = 0;
    while (performance.now() - dropped < 5_000) {
      const [writing, busy] = [await exportsStreaming(metricsUrl), await busyBackends(pool)];
      quiet = writing === 0 && busy === 0 ? quiet + 1 : 0;
      if (quiet === 2) { idleMs = Math.round(performance.now() - dropped); break; }
      await new Promise((r) => setTimeout(r, 25));
    }
    // and stays so: no batch of the dropped export is fetched afterwards
    let busyAfter = 0;
    for (let i = 0; i < 20; i++) { busyAfter += await busyBackends(pool); await new Promise((r) => setTimeout(r, 50)); }
    log(`  ${names[2]}: first bytes ${d.firstByteMs} ms, server idle ${idleMs} ms after the drop; busy backends in the next second: ${busyAfter}`);
    const bad = failed(d) || idleMs < 0;
    results.push({
      name: names[2]!, processes: 1, ceiling: 'insert', maxRssMb: null, rps: 0, p50: d.firstByteMs, p99: idleMs, errors: bad ? 1 : 0, non2xx: failed(d) ? 1 : 0,
      requests: 1, cpuUsPerRequest: null, poolWaitsPerThousand: null, export: { rows: 0, bytes: d.bytes, firstByteMs: d.firstByteMs, totalMs: d.totalMs, idleAfterDropMs: idleMs, busyAfterIdle: busyAfter },
    });
  }
  return results;
}

// ---------- the embedded default (issue #20 item 6) ----------

/** BENCH_ONLY starting with "embedded": the ceilings and the embedded rows only, not the PostgreSQL server's. */
const EMBEDDED_ONLY = ONLY !== null && /^\^?embedded/.test(ONLY.source);

/**
 * `npm start` without DATABASE_URL: PGlite in a fresh data directory with the demo (a 市直机关工委 of ~90
 * orgs and 2,000 members), the server as `npm start` runs it. The data directory is prepared here first
 * (embedded.ts: the migrations, the demo, member accounts with sessions, open sign-in activities).
 * Rows: member search alone, sign-in alone, and the two mixed (one request in two each), 50 connections.
 */
async function measureEmbedded(): Promise<{ results: Measured[]; counts: { orgs: number; members: number } }> {
  const names = ['embedded: members search (page 1)', 'embedded: activity sign-in with the 6-digit code', 'embedded: members search + activity sign-in, mixed'];
  if (ONLY && !names.some((n) => ONLY.test(n))) return { results: [], counts: { orgs: 0, members: 0 } };
  const dataDir = path.join(os.tmpdir(), `dangjian-bench-embedded-${process.pid}`);
  log(`embedded default: preparing ${dataDir} (migrations, the demo, sessions)…`);
  const started = performance.now();
  const data = await prepareEmbeddedDataDir(dataDir, DATA_KEY);
  log(`  ${data.counts.orgs} orgs, ${data.counts.members} members, ${data.activityIds.length} sign-in activities, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const port = '3930';
  const base = `http://127.0.0.1:${port}`;
  // as `npm start` runs it: no DATABASE_URL, the demo's DEMO default (the database is not empty: nothing is seeded again)
  const { DATABASE_URL: _url, ...withoutUrl } = process.env;
  void _url;
  const server = spawn(process.execPath, [...NODE_FLAGS, path.join(ROOT, 'dist/server/src/main.js')], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...withoutUrl, DATA_DIR: dataDir, DATA_KEY, PORT: port, LOG_LEVEL: 'warn', NODE_ENV: 'production', METRICS_TOKEN },
  });
  forwardOutput(server);
  const results: Measured[] = [];
  try {
    await waitFor(`${base}/api/health`, server, 120);
    const opts = { processes: 1, pid: server.pid, warmup: true, health: '/api/health', metricsUrl: `${base}/metrics` };
    const q = encodeURIComponent('王');
    let turn = 0;
    const search = () => (turn++ % 2 === 0
      ? { path: `/api/members?orgId=${data.rootId}&q=${q}&page=1&pageSize=20`, headers: { cookie: data.admin.cookie } }
      : { path: `/api/members?orgId=${data.bureauOrgId}&q=${q}&page=1&pageSize=20`, headers: { cookie: data.bureau.cookie } });
    // each (activity, member) pair signs in once: members in turn, the next activity after a round
    let pair = 0;
    const body = JSON.stringify({ code: EMBEDDED_CHECK_IN_CODE });
    const signIn = () => {
      const k = pair++;
      const m = data.members[k % data.members.length]!;
      const activity = data.activityIds[Math.floor(k / data.members.length)];
      if (!activity) throw new Error('embedded: the sign-in activities are used up (raise CHECK_IN_ACTIVITIES)');
      return { method: 'POST' as const, path: `/api/activities/${activity}/check-in`, headers: { cookie: m.cookie, 'x-csrf-token': m.csrf, 'content-type': 'application/json' }, body };
    };
    results.push(...await measure(names[0]!, base, { next: search }, 'insert', opts));
    results.push(...await measure(names[1]!, base, { method: 'POST', next: signIn }, 'insert', opts));
    let mix = 0;
    results.push(...await measure(names[2]!, base, { next: () => (mix++ % 2 === 0 ? search() : signIn()) }, 'insert', opts));
  } finally {
    await stopProcess(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return { results, counts: data.counts };
}

// ---------- sessions ----------

interface Session { cookie: string; username: string; districtIndex: number }

async function loginAll(baseUrl: string, usernames: string[]): Promise<Session[]> {
  const sessions: Session[] = [];
  const queue = [...usernames];
  const worker = async () => {
    for (let username = queue.shift(); username; username = queue.shift()) {
      const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: BENCH_PASSWORD }) });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
      const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('dj_sid='))!;
      sessions.push({ cookie, username, districtIndex: username === 'bench-admin' ? -1 : (Number(username.slice(6)) - 1) });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return sessions;
}

// ---------- main ----------

async function main() {
  const loadBefore = os.loadavg();
  const build = () => {
    if (process.env.BENCH_SKIP_BUILD) return;
    log('building the server (npm run build:server)…');
    const built = spawnSync('npm', ['run', '-s', 'build:server'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    if (built.status !== 0) log(`  tsc reported errors (files still emitted):\n${(built.stdout + built.stderr).split('\n').slice(0, 8).join('\n')}`);
  };
  if (EMBEDDED_ONLY) {
    // the embedded rows need no PostgreSQL server: neither the bench database nor the ceilings
    build();
    const embedded = await measureEmbedded();
    report(embedded.results, { counts: { ...embedded.counts, events: 0 } }, loadBefore, os.loadavg());
    return;
  }
  const data = await prepareDatabase();
  log(`data set: ${data.counts.orgs} orgs, ${data.counts.members} members, ${data.counts.events} stage events`);
  build();
  const mainJs = path.join(ROOT, 'dist/server/src/main.js');
  const clusterJs = path.join(ROOT, 'dist/server/src/cluster.js');
  const ceilingJs = path.join(ROOT, 'dist/bench/ceiling-server.js');
  for (const f of [mainJs, clusterJs, ceilingJs]) if (!fs.existsSync(f)) throw new Error(`${f} is missing: the build failed`);

  const results: Measured[] = [];
  const env = { DATABASE_URL, DATA_KEY, DEMO: '0', PG_POOL_MAX, LOG_LEVEL: 'warn', DATA_DIR: path.join(os.tmpdir(), 'dangjian-bench'), NODE_ENV: 'production', METRICS_TOKEN };

  // 1. ceilings
  log(`ceilings (${CONNECTIONS} connections, ${DURATION} s each, pool ${PG_POOL_MAX}):`);
  const ceilingPort = '3911';
  const ceilingServer = startProcess(ceilingJs, { ...env, PORT: ceilingPort });
  try {
    await waitFor(`http://127.0.0.1:${ceilingPort}/constant`, ceilingServer);
    const base = `http://127.0.0.1:${ceilingPort}`;
    results.push(...await measure('ceiling: constant (bare Fastify)', base, { next: () => ({ path: '/constant' }) }, 'constant', { processes: 1, pid: ceilingServer.pid, warmup: true, health: '/constant' }));
    results.push(...await measure('ceiling: one INSERT (bare Fastify + pg pool)', base,
      { method: 'POST', next: () => ({ path: '/insert', headers: { 'content-type': 'application/json' }, body: '{"payload":"bench"}' }) }, 'insert', { processes: 1, pid: ceilingServer.pid, warmup: true, health: '/constant' }));
  } finally {
    await stopProcess(ceilingServer);
  }

  // 2. the embedded default (issue #20 item 6): BENCH_ONLY='embedded…' runs only this section after the ceilings
  results.push(...(await measureEmbedded()).results);

  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  const members = await memberSessions(pool);
  let quiz: string[] | undefined;

  // 2. hot paths, with 1 and with 2 processes
  const usernames = Array.from({ length: BENCH_USERS }, (_, i) => `bench-${String(i + 1).padStart(3, '0')}`);
  // then the read rows once more through a streaming replica, one process
  const replicaUrl = startBenchReplica();
  const runs = [...PROCESSES.map((processes) => ({ processes, replica: false })), ...(replicaUrl ? [{ processes: 1, replica: true }] : [])];
  for (const { processes, replica } of runs) {
    const port = String(3920 + processes + (replica ? 10 : 0));
    const base = `http://127.0.0.1:${port}`;
    log(`hot paths, ${processes} process${processes > 1 ? 'es' : ''} (${processes > 1 ? `cluster.js WORKERS=${processes}` : 'main.js'}${replica ? `, DATABASE_REPLICA_URL ${replicaUrl}` : ''}):`);
    const metricsPort = String(3940 + processes + (replica ? 10 : 0));
    const server = startProcess(processes > 1 ? clusterJs : mainJs, { ...env, PORT: port, WORKERS: String(processes), METRICS_PORT: metricsPort, ...(replica ? { DATABASE_REPLICA_URL: replicaUrl! } : {}) });
    try {
      await waitFor(`${base}/api/health`, server);
      const sessions = await loginAll(base, [...usernames.slice(0, 24), 'bench-admin']);
      const admins = sessions.filter((s) => s.districtIndex >= 0);
      const platform = sessions.find((s) => s.districtIndex < 0)!;
      const district = (s: Session) => data.districts[s.districtIndex % data.districts.length]!;
      const opts = { processes, pid: server.pid, warmup: true, health: '/api/health', metricsUrl: processes > 1 ? `http://127.0.0.1:${metricsPort}/metrics` : `${base}/metrics`, replica };

      const nextUser = roundRobin(usernames);
      results.push(...await measure('login (argon2id)', base, {
        method: 'POST',
        next: () => ({ path: '/api/auth/login', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: nextUser(), password: BENCH_PASSWORD }) }),
      }, 'insert', opts));

      const nextAdmin = roundRobin(admins);
      const authed = (s: Session) => ({ cookie: s.cookie });
      results.push(...await measure('members: subtree + search, page 1', base, {
        next: () => { const s = nextAdmin(); return { path: `/api/members?orgId=${district(s).id}&q=${encodeURIComponent('王')}&page=1&pageSize=20`, headers: authed(s) }; },
      }, 'insert', opts));
      results.push(...await measure('members: subtree + search, deep page', base, {
        next: () => { const s = nextAdmin(); return { path: `/api/members?orgId=${district(s).id}&q=zh&page=${district(s).deepPage}&pageSize=20`, headers: authed(s) }; },
      }, 'insert', opts));
      // the web list pages deep by cursor (next/previous): each district's cursor to its deep page, from the page before it
      const deepCursors = new Map<string, string>();
      for (const s of admins) {
        const d = district(s);
        if (deepCursors.has(d.id)) continue;
        const res = await fetch(`${base}/api/members?orgId=${d.id}&q=zh&page=${d.deepPage - 1}&pageSize=20`, { headers: authed(s) });
        const cursor = ((await res.json()) as { nextCursor?: string | null }).nextCursor;
        if (!res.ok || !cursor) throw new Error(`members: no cursor to the deep page of ${d.id} (${res.status})`);
        deepCursors.set(d.id, cursor);
      }
      results.push(...await measure('members: subtree + search, deep page (cursor)', base, {
        next: () => { const s = nextAdmin(); const d = district(s); return { path: `/api/members?orgId=${d.id}&q=zh&page=${d.deepPage}&pageSize=20&cursor=${deepCursors.get(d.id)}`, headers: authed(s) }; },
      }, 'insert', opts));
      results.push(...await measure('orgs: children of the root (subtree counts)', base, {
        next: () => ({ path: `/api/orgs/${data.rootId}/children`, headers: authed(platform) }),
      }, 'insert', opts));
      results.push(...await measure('orgs: children of a big committee (subtree counts)', base, {
        next: () => { const s = nextAdmin(); return { path: `/api/orgs/${district(s).id}/children`, headers: authed(s) }; },
      }, 'insert', opts));
      let k = 0;
      results.push(...await measure('members: detail', base, {
        next: () => { const s = nextAdmin(); const ids = district(s).memberIds; return { path: `/api/members/${ids[k++ % ids.length]}`, headers: authed(s) }; },
      }, 'insert', opts));

      // the members' own paths: each member signs in once and answers once, so reset() puts them back
      let next = 0;
      const member = () => members[next++ % members.length]!;
      const write = (s: MemberSession) => ({ cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' });
      const checkInBody = JSON.stringify({ code: CHECK_IN_CODE });
      results.push(...await measure('activity: sign-in with the 6-digit code', base, {
        method: 'POST',
        reset: async () => { next = 0; await resetCheckIn(pool, data.checkInActivityId); },
        next: () => ({ path: `/api/activities/${data.checkInActivityId}/check-in`, headers: write(member()), body: checkInBody }),
      }, 'insert', opts));
      // 40,000 members opening today's quiz take a minute: only when the quiz row is measured
      const measuresQuiz = (!ONLY || ONLY.test('daily quiz: submit (with ledger entry; group commit)')) && !replica;
      quiz ??= measuresQuiz ? await quizBodies(pool, base, members) : [];
      const bodies = quiz;
      // as in the app, each member opens today's quiz before answering it
      if (measuresQuiz) await primeQuiz(base, members);
      results.push(...await measure('daily quiz: submit (with ledger entry; group commit)', base, {
        method: 'POST',
        reset: async () => { next = 0; await resetQuiz(pool); },
        next: () => { const i = next % members.length; const s = member(); return { path: '/api/daily-quiz/submissions', headers: write(s), body: bodies[i]! }; },
      }, 'insert', opts));
      results.push(...await measure('points: leaderboard of a district, this week', base, {
        next: () => { const s = nextAdmin(); return { path: `/api/points/leaderboard/members?orgId=${district(s).id}&period=week&page=1&pageSize=20`, headers: authed(s) }; },
      }, 'insert', opts));
      // a member's own board (the branch, as the leaderboard page and the home page open it) with the member's own rank
      results.push(...await measure('points: leaderboard of the own branch with own rank (member), this week', base, {
        next: () => ({ path: '/api/points/leaderboard/members?period=week&page=1&pageSize=20', headers: { cookie: member().cookie } }),
      }, 'insert', opts));
      // 赛马: the published board of the 2,000 orgs' campaign, a page of 50 and the district's own row, as a district's admin opens it
      results.push(...await measure('rankings: a peer group\'s board, 2,000 orgs', base, {
        next: () => { const s = nextAdmin(); return { path: `/api/rankings/periods/${data.ranking.periodId}/board?groupId=${data.ranking.groupId}&page=1&pageSize=50`, headers: authed(s) }; },
      }, 'insert', opts));
      results.push(...await measure('activities: 三会一课 compliance of a district', base, {
        next: () => { const s = nextAdmin(); return { path: `/api/activities/compliance?orgId=${district(s).id}`, headers: authed(s) }; },
      }, 'insert', opts));

      // 驾驶舱: this year's figures, answered from the per-process cache under the sources' epochs (the
      // warm-up computes them once, or reads what another process computed from dashboard_figures; nothing
      // writes during the row, as on a leader's screen between writes)
      const dashboardYear = todayInChina().slice(0, 4);
      results.push(...await measure('dashboard: root', base, {
        next: () => ({ path: `/api/dashboard/${data.rootId}/figures?period=${dashboardYear}`, headers: authed(platform) }),
      }, 'insert', opts));
      results.push(...await measure('dashboard: district', base, {
        next: () => { const s = nextAdmin(); return { path: `/api/dashboard/${district(s).id}/figures?period=${dashboardYear}`, headers: authed(s) }; },
      }, 'insert', opts));

      // 全文搜索: a two-character word over the 100,000 texts, as a district's administrator sees them
      results.push(...await measure('search: two characters over 100,000 texts (district admin)', base, {
        next: () => { const s = nextAdmin(); return { path: `/api/search?q=${encodeURIComponent('改革')}`, headers: authed(s) }; },
      }, 'insert', opts));

      // 金点子: a district admin's list, page 1, and a member's similar titles over the whole tree, in turn
      let turn = 0;
      const ideaTitles = ['优化机关食堂管理办法的建议', '完善党员志愿服务积分制度', '推动政务服务大厅流程再造'];
      results.push(...await measure('ideas: list and similarity search, 100,000 ideas', base, {
        next: () => {
          const k = turn++;
          if (k % 2 === 0) { const s = nextAdmin(); return { path: `/api/ideas?orgId=${district(s).id}&page=1&pageSize=20`, headers: authed(s) }; }
          return { path: `/api/me/ideas/similar?orgId=${data.rootId}&title=${encodeURIComponent(ideaTitles[k % ideaTitles.length]!)}`, headers: { cookie: member().cookie } };
        },
      }, 'insert', opts));

      // 党费: the month's bills for the whole city in one request, then the month's account of a district
      const duesMonth = todayInChina().slice(0, 7);
      if (processes === 1 && !replica) {
        await resetDuesMonth(pool, duesMonth);
        const csrf = await fetch(`${base}/api/auth/me`, { headers: authed(platform) }).then((r) => r.json() as Promise<{ csrfToken?: string }>).then((m) => m.csrfToken ?? '');
        results.push(...await timeOnce('dues: bills for the whole city, one month (one request)', processes, async () => {
          const res = await fetch(`${base}/api/dues/bills/generate`, {
            method: 'POST', headers: { ...authed(platform), 'x-csrf-token': csrf, 'content-type': 'application/json' }, body: JSON.stringify({ orgId: data.rootId, fromMonth: duesMonth }),
          });
          const body = await res.json() as { created?: number };
          return { status: res.status, count: body.created ?? 0 };
        }));
      }
      results.push(...await measure('dues: month account of a district (org + children)', base, {
        next: () => { const s = nextAdmin(); return { path: `/api/dues/accounts?orgId=${district(s).id}&month=${duesMonth}`, headers: authed(s) }; },
      }, 'insert', opts));
      // the synchronized exam: an open-loop burst of 5,000 starts in one second, their autosaves and submits (exam-burst.ts)
      if ((!ONLY || ONLY.test('exam: 5,000')) && !replica) {
        await drain(base, '/api/health');
        const burst = await measureExamBurst(base, pool, data.rootId, { username: 'bench-admin', password: BENCH_PASSWORD }, members, log);
        results.push(...burst.map((b): Measured => ({
          name: b.name, processes, ceiling: 'insert', maxRssMb: null, rps: b.rps, p50: b.p50, p99: b.p99, errors: b.errors, non2xx: b.non2xx,
          requests: b.requests, cpuUsPerRequest: null, poolWaitsPerThousand: null,
        })));
      }
      if (processes === 1 && !replica) {
        const biggest = [...data.districts].sort((a, b) => b.members - a.members)[0]!;
        const biggestAdmin = admins.find((s) => district(s).id === biggest.id) ?? platform;
        results.push(...await measureExports(base, server.pid!, pool, `${base}/metrics`, platform, biggestAdmin, biggest.id, data.rootId));
      }
    } finally {
      await stopProcess(server);
    }
  }
  if (replicaUrl && process.env.BENCH_REPLICA === '1' && !process.env.BENCH_REPLICA_URL) spawnSync(path.join(ROOT, 'scripts/replica.sh'), ['stop', BENCH_REPLICA_DIR], { stdio: 'inherit' });

  await pool.end();
  const loadAfter = os.loadavg();
  report(results, data, loadBefore, loadAfter);
}

/** BENCH_REPLICA_URL, or with BENCH_REPLICA=1 a standby of the bench database's server started by scripts/replica.sh on port 5433. */
function startBenchReplica(): string | null {
  if (process.env.BENCH_REPLICA_URL) return process.env.BENCH_REPLICA_URL;
  if (process.env.BENCH_REPLICA !== '1') return null;
  const primary = new URL(DATABASE_URL);
  spawnSync(path.join(ROOT, 'scripts/replica.sh'), ['stop', BENCH_REPLICA_DIR], { stdio: 'inherit' });
  const started = spawnSync(path.join(ROOT, 'scripts/replica.sh'), ['start', primary.port || '5432', '5433', BENCH_REPLICA_DIR], { stdio: 'inherit' });
  if (started.status !== 0) throw new Error('BENCH_REPLICA=1: scripts/replica.sh start failed');
  return Object.assign(primary, { port: '5433' }).toString();
}

function report(results: Measured[], data: { counts: BenchData['counts'] }, loadBefore: number[], loadAfter: number[]) {
  // absent when only the embedded rows ran (BENCH_ONLY='embedded…')
  const ceiling = (kind: Measured['ceiling']) => results.find((r) => r.processes === 1 && r.ceiling === kind && r.name.startsWith('ceiling'));
  const constant = ceiling('constant'), insert = ceiling('insert');
  const verdict = (r: Measured): string => {
    const e = EXPORT_TARGETS[r.name];
    if (e && r.export) {
      const checks = [
        ...(e.firstByteMs !== undefined ? [[r.export.firstByteMs >= 0 && r.export.firstByteMs <= e.firstByteMs, `1st byte ≤ ${e.firstByteMs} ms`] as const] : []),
        ...(e.rssGrowthMb !== undefined ? [[(r.export.rssGrowthMb ?? Infinity) < e.rssGrowthMb, `RSS +${r.export.rssGrowthMb} < ${e.rssGrowthMb} MB`] as const] : []),
        ...(e.idleWithinMs !== undefined ? [[(r.export.idleAfterDropMs ?? -1) >= 0 && r.export.idleAfterDropMs! <= e.idleWithinMs, `idle ≤ ${e.idleWithinMs} ms`] as const] : []),
      ];
      return `${checks.every(([ok]) => ok) ? 'ok' : 'MISS'} (${checks.map(([, label]) => label).join(', ')})`;
    }
    const t = TARGETS[r.name] ?? TARGETS[r.name.replace(/ \(replica\)$/, '')];
    if (!t) return '';
    // a row that answered nothing met no target (its p99 of 0 is no latency)
    if (!(r.rps > 0)) return `MISS (no answer in ${DURATION} s)`;
    if (t.maxMs !== undefined || t.rssMb !== undefined) {
      const checks = [
        ...(t.p99 !== undefined ? [[r.p99 <= t.p99, `p99 ≤ ${t.p99}`] as const] : []),
        ...(t.maxMs !== undefined ? [[(r.maxMs ?? Infinity) <= t.maxMs, `max ≤ ${t.maxMs} ms`] as const] : []),
        ...(t.rssMb !== undefined ? [[(r.maxRssMb ?? Infinity) < t.rssMb, `RSS < ${t.rssMb} MB`] as const] : []),
      ];
      return `${checks.every(([ok]) => ok) ? 'ok' : 'MISS'} (${checks.map(([, label]) => label).join(', ')})`;
    }
    if (t.p99 !== undefined) return r.p99 <= t.p99 ? `ok (p99 ≤ ${t.p99})` : `MISS (p99 ≤ ${t.p99})`;
    if (t.rps !== undefined) return r.rps >= t.rps ? `ok (≥ ${t.rps}/s)` : `MISS (≥ ${t.rps}/s)`;
    if (t.shareOfInsert !== undefined) {
      const label = `≥ ${t.shareOfInsert * 100}% of insert`;
      return insert && r.rps >= t.shareOfInsert * insert.rps ? `ok (${label})` : `MISS (${label})`;
    }
    return '';
  };
  const rows = results.map((r) => ({
    path: r.name,
    procs: r.processes ?? '',
    'req/s': r.rps,
    'p50 ms': r.p50,
    'p99 ms': r.p99,
    'max ms': r.maxMs ?? '',
    errors: r.errors,
    '% of constant': (r.name.startsWith('ceiling') && r.ceiling === 'constant') || r.export || !constant ? '' : `${((r.rps / constant.rps) * 100).toFixed(1)}%`,
    '% of insert': r.name.startsWith('ceiling') || r.export || !insert ? '' : `${((r.rps / insert.rps) * 100).toFixed(1)}%`,
    'max RSS MB': r.maxRssMb ?? '',
    'CPU µs/req server · PG': r.cpuUsPerRequest ? `${r.cpuUsPerRequest.server} · ${r.cpuUsPerRequest.postgres}` : '',
    'pool waits /1k req': r.poolWaitsPerThousand ?? '',
    target: verdict(r),
  }));
  const headers = Object.keys(rows[0]!) as (keyof (typeof rows)[number])[];
  const width = (h: string) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(String(r[h as keyof typeof r]))));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c + ' '.repeat(width(headers[i]!) - displayWidth(c))).join(' | ') + ' |';
  console.log(`\n党建云 bench — ${data.counts.orgs} orgs, ${data.counts.members} members; ${CONNECTIONS} connections, ${DURATION} s per row; ${os.cpus().length} CPUs, load ${loadBefore.map((l) => l.toFixed(1)).join('/')} → ${loadAfter.map((l) => l.toFixed(1)).join('/')}`);
  console.log(`argon2id m=${PASSWORD_HASH_PARAMS.memoryCost} KiB, t=${PASSWORD_HASH_PARAMS.timeCost}, p=${PASSWORD_HASH_PARAMS.parallelism} (one hash per login)\n`);
  console.log(line(headers.map(String)));
  console.log(line(headers.map((h) => '-'.repeat(width(h)))));
  for (const r of rows) console.log(line(headers.map((h) => String(r[h]))));
  const maxRss = Math.max(...results.filter((r) => !r.name.startsWith('ceiling') && r.processes === 1).map((r) => r.maxRssMb ?? 0));
  console.log(`\nserver RSS under load (1 process): max ${maxRss} MB (target < 400 MB)`);

  const errors = results.reduce((n, r) => n + r.errors, 0);
  fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench/results/latest.json'), JSON.stringify({
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadBefore, loadAfter },
    settings: { connections: CONNECTIONS, durationSeconds: DURATION, pgPoolMax: Number(PG_POOL_MAX), passwordHash: PASSWORD_HASH_PARAMS },
    dataSet: data.counts,
    targets: TARGETS,
    exportTargets: EXPORT_TARGETS,
    results,
    maxRssMbOneProcess: maxRss,
    errors,
  }, null, 2) + '\n');
  if (errors > 0) {
    console.error(`\nFAILED: ${errors} error(s) (non-2xx answers or connection errors)`);
    process.exitCode = 1;
  }
}

/** Columns line up with Chinese text: CJK characters take two cells. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1;
  return w;
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  process.exit(1);
});
