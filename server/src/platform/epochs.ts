import { sql, type SQL } from 'drizzle-orm';
import { executePrepared, statementKey, type Db, type Queryable } from './db.js';
import { TurnBatch, batchesPer } from './turn-batch.js';

/**
 * The version numbers ("epochs") of groups of tables (migration 20261206000300, dashboard_epochs): a
 * statement-level trigger on each table of a source bumps the source's number in the writing transaction, so a
 * reader sees a larger number exactly when it can see the new rows, through whichever process (or psql) wrote
 * them. What a process computed after reading number E has seen every write counted in E.
 */
export type EpochSource =
  | 'orgs' | 'members' | 'activities' | 'quiz' | 'learning' | 'exams' | 'points' | 'service' | 'volunteering' | 'venues' | 'dues'
  | 'ideas' | 'users';

export type Epochs = ReadonlyMap<EpochSource, bigint>;

/** One read per handle and turn: every question is the same, and so is every answer. */
const epochReads = batchesPer((db: Queryable) => new TurnBatch<void, Epochs>(async (questions) => {
  const epochs = await readEpochsNow(db);
  return questions.map(() => epochs);
}));

/**
 * Every source's number, summed over its shards: one prepared statement, shared by the requests that ask in the
 * same turn of the event loop (platform/turn-batch.ts; a district's reviewers opening their lists). It is sent
 * after each of them asked, so it sees every write committed before any of them asked.
 */
export function readEpochs(db: Queryable): Promise<Epochs> {
  return epochReads(db).ask();
}

async function readEpochsNow(db: Queryable): Promise<Epochs> {
  const rows = await executePrepared<{ source: EpochSource; n: string }>(db, sql`select source, sum(n)::text as n from dashboard_epochs group by source`);
  return new Map(rows.map((r) => [r.source, BigInt(r.n)]));
}

/** The sum of the sources' numbers: it grows with every committed write to any of them. */
export const epochOf = (epochs: Epochs, sources: readonly EpochSource[]): bigint =>
  sources.reduce((sum, s) => sum + (epochs.get(s) ?? 0n), 0n);

interface Kept { epoch: bigint; rows: Promise<unknown[]> }
const keptStatements = new WeakMap<Db, Map<string, Kept>>();
/** Statements (with their values) kept per database handle; the oldest go first beyond this. */
const KEPT_STATEMENTS = 500;

/**
 * The rows of a read-only statement, kept in this process under the sum of the epochs of the sources it reads,
 * so that a list opened again and again (every reviewer of a district opens the same page 1) costs one query of
 * the epochs while nothing it reads has changed. The numbers are read before the statement runs: a kept answer
 * of number E' >= E (the number a request read) started after E' was read, so it saw every write counted in E;
 * any write committed since makes the number larger and the statement runs again. Requests that arrive while
 * it runs share it. `epoch` is epochOf the numbers read before, for every source of the tables the statement
 * reads (names included).
 */
export async function rowsKeptUnder<T extends Record<string, unknown>>(db: Db, epoch: bigint, query: SQL): Promise<T[]> {
  let kept = keptStatements.get(db);
  if (!kept) keptStatements.set(db, kept = new Map());
  const key = statementKey(query);
  const hit = kept.get(key);
  if (hit && hit.epoch >= epoch) return hit.rows as Promise<T[]>;
  const rows = executePrepared<T>(db, query);
  if (!hit && kept.size >= KEPT_STATEMENTS) kept.delete(kept.keys().next().value!);
  const entry: Kept = { epoch, rows };
  kept.set(key, entry);
  // a failure is not kept
  rows.catch(() => { if (kept.get(key) === entry) kept.delete(key); });
  return rows;
}
