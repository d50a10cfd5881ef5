import { sql } from 'drizzle-orm';
import {
  MEASURES, periodRange, trendMonths, type DashboardRecord, type Figure, type Figures, type Measure, type RecordPage, type RecordsQuery,
} from '../../../../contracts/dashboard.js';
import { chinaDate, todayInChina } from '../../../../contracts/china-time.js';
import { isAdmin, type Actor } from '../../platform/actor.js';
import { type Db, type Queryable } from '../../platform/db.js';
import { epochOf, readEpochs, type Epochs } from '../../platform/epochs.js';
import { notFound } from '../../platform/errors.js';
import { pageLimit, textArray } from '../../platform/sql.js';
import { computeCompliance } from '../activities/compliance.js';
import { MEASURE_DEFINITIONS, sourcesOf, type MeasureScope } from './measures.js';
import { dashboardOrg, mayOpenDashboard } from './policy.js';

type Row = Record<string, unknown>;
type N = number | string;

/*
 * Figures are cached in each process per (measure, org, period, report day), under the sum of the epochs of
 * the measure's sources (migration 20261206000300). The sum is read from the database before computing, so
 * an entry has seen every write counted in its number; any committed write to a source makes the number
 * larger, so no request is answered from an entry older than the last write it could see. Concurrent misses
 * share one computation, and while one runs at most one more is queued for requests that saw a newer number:
 * a stream of writes (daily-quiz submissions) costs one computation at a time, never one per request.
 */
interface Entry { epoch: bigint; figure: Promise<Figure>; settled: boolean }
interface Slot { current?: Entry; next?: Entry }
const caches = new WeakMap<Db, Map<string, Slot>>();
// a figure is a few buckets (members_by_child: one per child org); oldest slots go first beyond this
const CACHE_SLOTS = 5_000;

/** The key's slot in this handle's cache, made (and the oldest dropped beyond CACHE_SLOTS) if absent. */
function slotOf(db: Db, key: string): Slot {
  let cache = caches.get(db);
  if (!cache) caches.set(db, cache = new Map());
  let slot = cache.get(key);
  if (!slot) {
    if (cache.size >= CACHE_SLOTS) cache.delete(cache.keys().next().value!);
    cache.set(key, slot = {});
  }
  return slot;
}

/*
 * Why an entry of number E' >= E answers a request that read E: every number was read before the computation
 * that an entry holds started (a queued entry starts only after the requests that raised its number read
 * it). A write counted in E committed before E was read; had it committed after the computation started,
 * the sum would have grown past E' after E' was read, so E > E'. Hence E <= E' means the computation saw it.
 */
function cached(db: Db, key: string, epoch: bigint, compute: () => Promise<Figure>): Promise<Figure> {
  const s = slotOf(db, key);
  if (s.current && s.current.epoch >= epoch) return s.current.figure;
  if (s.next) {
    if (epoch > s.next.epoch) s.next.epoch = epoch;
    return s.next.figure;
  }
  const settle = (entry: Entry) => entry.figure.then(() => { entry.settled = true; }, () => {
    // failures are not kept
    if (s.current === entry) s.current = undefined;
  });
  const running = s.current && !s.current.settled ? s.current.figure : null;
  if (!running) {
    const entry: Entry = { epoch, figure: compute(), settled: false };
    s.current = entry;
    void settle(entry);
    return entry.figure;
  }
  // a computation of an older number is running: one more, after it, for this request and those that come meanwhile
  const next: Entry = { epoch, figure: Promise.resolve({ count: 0, sum: 0, buckets: [] }), settled: false };
  next.figure = running.catch(() => undefined).then(() => {
    if (s.next === next) s.next = undefined;
    s.current = next;
    return compute();
  });
  s.next = next;
  void settle(next);
  return next.figure;
}

const measureEpoch = (epochs: Epochs, measure: Measure) => epochOf(epochs, sourcesOf(measure));

/** Whether this process holds (or is computing) the key's figure for the epoch: no need to ask the others. */
function heldHere(db: Db, key: string, epoch: bigint): boolean {
  const s = caches.get(db)?.get(key);
  return Boolean((s?.current && s.current.epoch >= epoch) || s?.next);
}

/** Puts a figure another process computed under `epoch` into this process's cache, unless it holds a newer one. */
function adopt(db: Db, key: string, epoch: bigint, figure: Figure): void {
  const slot = slotOf(db, key);
  if (slot.next || (slot.current && slot.current.epoch >= epoch)) return;
  slot.current = { epoch, figure: Promise.resolve(figure), settled: true };
}

/*
 * The figures the site's processes share (migration 20261213000100, dashboard_figures): what one process
 * computed under epoch E' answers another's request that read E <= E' by the same argument as above (the
 * epochs are the database's, one sequence for every process). They are read and written on the primary (`store`)
 * even when the request reads a replica. A process asks for the keys it does not hold, in one statement, before
 * computing; a figure it computed is written back unless a newer one is there. Two processes that miss the
 * same key at the same moment both compute it (there is no lock across processes): the cost of a cold start,
 * paid once per process at most.
 */
async function readShared(store: Queryable, keys: { key: string; epoch: bigint }[]): Promise<Map<string, { epoch: bigint; figure: Figure }>> {
  if (!keys.length) return new Map();
  const rows = (await store.execute<{ key: string; epoch: string; figure: Figure } & Row>(sql`
    select key, epoch::text as epoch, figure from dashboard_figures where key = any(${textArray(keys.map((k) => k.key))}::text[])`)).rows;
  const wanted = new Map(keys.map((k) => [k.key, k.epoch]));
  return new Map(rows.filter((r) => BigInt(r.epoch) >= (wanted.get(r.key) ?? 0n)).map((r) => [r.key, { epoch: BigInt(r.epoch), figure: r.figure }]));
}

async function writeShared(store: Queryable, key: string, epoch: bigint, figure: Figure): Promise<void> {
  await store.execute(sql`
    insert into dashboard_figures as f (key, epoch, figure) values (${key}, ${epoch.toString()}::numeric, ${JSON.stringify(figure)}::jsonb)
    on conflict (key) do update set epoch = excluded.epoch, figure = excluded.figure, computed_at = now()
      where f.epoch <= excluded.epoch`);
}

/** Rows of dashboard_figures not written again for two days (keys of past report days, orgs no one opens). */
export async function pruneSharedFigures(db: Queryable): Promise<number> {
  const r = await db.execute<{ key: string }>(sql`delete from dashboard_figures where computed_at < now() - interval '2 days' returning key`);
  return r.rows.length;
}

/**
 * Folds the epoch rows of database backends that have ended into row 0 (dashboard_epochs_fold in migration
 * 20261206000300), keeping every sum: without it the table gains a row per source for every connection
 * that ever wrote, and each figures request sums them all.
 */
export async function foldEpochs(db: Queryable): Promise<void> {
  await db.execute(sql`select dashboard_epochs_fold()`);
}

/** The period's bounds and the report day: today, or the period's last day once it has ended. */
export function measureScope(org: { id: string; path: string }, period: string, today = todayInChina()): MeasureScope {
  const { from, to } = periodRange(period);
  return { rootId: org.id, rootPath: org.path, from, to, trendFrom: `${trendMonths(period)[0]}-01`, asOf: to < today ? to : today };
}

async function computeFigure(db: Db, actor: Actor, measure: Measure, scope: MeasureScope): Promise<Figure> {
  if (measure === 'compliance') return complianceFigure(db, actor, scope);
  const def = MEASURE_DEFINITIONS[measure];
  const rows = (await db.execute<{ bucket: string | null; label: string | null; n: N; v: N } & Row>(sql`
    select r.bucket, max(r.bucket_label) as label, count(*) as n, coalesce(sum(r.value), 0) as v
      from (${def.records(scope)}) r group by r.bucket order by r.bucket`)).rows;
  const buckets = rows.map((r) => ({ key: r.bucket ?? '', label: r.label, count: Number(r.n), sum: Number(r.v) }));
  return { count: buckets.reduce((a, b) => a + b.count, 0), sum: buckets.reduce((a, b) => a + b.sum, 0), buckets };
}

/**
 * 三会一课: the activities module's compliance report of the subtree on the report day — every unit ×
 * requirement, counted by status. Its list is the same report filtered by status (computeCompliance).
 */
async function complianceFigure(db: Db, actor: Actor, scope: MeasureScope): Promise<Figure> {
  const report = await computeCompliance(db, actor, { orgId: scope.rootId, asOf: scope.asOf, page: 1, pageSize: 1 });
  const { done, pending, dueSoon, overdue } = report.summary;
  const buckets = [
    { key: 'done', count: done }, { key: 'due_soon', count: dueSoon }, { key: 'overdue', count: overdue }, { key: 'pending', count: pending },
  ].map((b) => ({ ...b, label: null, sum: 0 }));
  return { count: report.total, sum: 0, buckets };
}

/** The last answer per (org, period, report day), reused whole while no measure's number has moved. */
const answers = new WeakMap<Db, Map<string, { epochs: string; figures: Figures }>>();

/**
 * The orgs a dashboard was opened for, kept under the orgs epoch read before each was looked up (so a row is
 * never older than its number: a move, rename or dissolution makes the number larger and the row is read
 * again). Who may open it is decided per request from the actor's roles, as dashboardOrg does.
 */
const orgRows = new WeakMap<Db, Map<string, { epoch: bigint; org: Awaited<ReturnType<typeof dashboardOrg>> }>>();

async function dashboardOrgAt(db: Db, actor: Actor, orgId: string, orgsEpoch: bigint) {
  let rows = orgRows.get(db);
  if (!rows) orgRows.set(db, rows = new Map());
  const hit = rows.get(orgId);
  if (hit && hit.epoch >= orgsEpoch) {
    if (!mayOpenDashboard(actor, hit.org)) throw notFound('dashboard.org_not_found');
    return hit.org;
  }
  const org = await dashboardOrg(db, actor, orgId);
  if (rows.size >= CACHE_SLOTS) rows.delete(rows.keys().next().value!);
  rows.set(orgId, { epoch: orgsEpoch, org });
  return org;
}

/**
 * Every figure of the subtree for the period. While nothing it counts has changed, a request costs one query
 * (the epochs): the org, the figures and their JSON (routes.ts) are the ones kept under the same numbers.
 */
export async function getFigures(db: Db, actor: Actor, orgId: string, period: string, store: Db = db): Promise<Figures> {
  // not an admin of anything: nothing to read
  if (!isAdmin(actor)) throw notFound('dashboard.org_not_found');
  // read before computing: an entry is never newer in its number than in its data
  const epochs = await readEpochs(db);
  const org = await dashboardOrgAt(db, actor, orgId, epochs.get('orgs') ?? 0n);
  const scope = measureScope(org, period);
  const numbers = MEASURES.map((measure) => measureEpoch(epochs, measure));
  const answerKey = `${org.id}|${period}|${scope.asOf}`, epochKey = numbers.join(',');
  let memo = answers.get(db);
  if (!memo) answers.set(db, memo = new Map());
  const last = memo.get(answerKey);
  if (last && last.epochs === epochKey) return last.figures;
  // compliance too: the subtree's report is the same for every viewer who administers its root (the
  // activities module scopes it to the viewer's subtree, which holds the whole of it)
  const keys = MEASURES.map((measure) => `${measure}|${org.id}|${period}|${scope.asOf}`);
  const missing = keys.map((key, i) => ({ key, epoch: numbers[i]! })).filter((k) => !heldHere(db, k.key, k.epoch));
  for (const [key, shared] of await readShared(store, missing)) adopt(db, key, shared.epoch, shared.figure);
  const figures = await Promise.all(MEASURES.map((measure, i) =>
    cached(db, keys[i]!, numbers[i]!, async () => {
      const figure = await computeFigure(db, actor, measure, scope);
      await writeShared(store, keys[i]!, numbers[i]!, figure);
      return figure;
    })));
  const answer: Figures = {
    orgId: org.id, orgName: org.name, period, from: scope.from, to: scope.to, asOf: scope.asOf,
    measures: Object.fromEntries(MEASURES.map((m, i) => [m, figures[i]!])) as Figures['measures'],
  };
  if (memo.size >= CACHE_SLOTS) memo.delete(memo.keys().next().value!);
  memo.set(answerKey, { epochs: epochKey, figures: answer });
  return answer;
}

/** The records one figure counts (one bucket of it with `key`), a page of the same source. */
export async function listRecords(db: Db, actor: Actor, orgId: string, measure: Measure, query: RecordsQuery): Promise<RecordPage> {
  const org = await dashboardOrg(db, actor, orgId);
  const scope = measureScope(org, query.period);
  if (measure === 'compliance') return complianceRecords(db, actor, scope, query);
  const def = MEASURE_DEFINITIONS[measure];
  const source = sql`(${def.records(scope)}) r ${query.key === undefined ? sql`` : sql`where r.bucket = ${query.key}`}`;
  const [page, total] = await Promise.all([
    db.execute<{ id: string; name: string; org_name: string | null; bucket: string | null; on_date: string | null; value: N | null; detail: string | null } & Row>(sql`
      select r.id, r.name, r.org_name, r.bucket, r.on_date, r.value, r.detail from ${source} order by ${def.order} ${pageLimit(query)}`),
    db.execute<{ n: N } & Row>(sql`select count(*) as n from ${source}`),
  ]);
  return {
    items: page.rows.map((r): DashboardRecord => ({
      id: r.id, name: r.name, orgName: r.org_name, key: r.bucket ?? '', date: r.on_date, value: r.value === null ? null : Number(r.value), detail: r.detail,
    })),
    total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize,
  };
}

const COMPLIANCE_STATUSES = ['done', 'pending', 'due_soon', 'overdue'] as const;

async function complianceRecords(db: Db, actor: Actor, scope: MeasureScope, query: RecordsQuery): Promise<RecordPage> {
  const status = query.key === undefined ? undefined : COMPLIANCE_STATUSES.find((s) => s === query.key);
  if (query.key !== undefined && !status) return { items: [], total: 0, page: query.page, pageSize: query.pageSize };
  const report = await computeCompliance(db, actor, { orgId: scope.rootId, asOf: scope.asOf, status, page: query.page, pageSize: query.pageSize });
  return {
    items: report.items.map((i) => ({
      id: `${i.orgId}:${i.type}`, name: i.orgName, orgName: null, key: i.status, date: i.lastHeldAt ? chinaDate(i.lastHeldAt) : null,
      value: i.heldThisPeriod, detail: i.type,
    })),
    total: report.total, page: query.page, pageSize: query.pageSize,
  };
}

