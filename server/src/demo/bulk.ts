import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../platform/db.js';

/**
 * Bulk loading without COPY (node-postgres has no COPY FROM STDIN of its own): one
 * `insert … select from unnest(array, array, …)` per batch, one array literal per column. A
 * statement carries as many columns as parameters, whatever the number of rows, so batches of
 * tens of thousands of rows stay far under PostgreSQL's 65,535-parameter limit, and the same
 * statement runs on PGlite and on a server.
 */
export type ColumnType = 'text' | 'bigint' | 'int' | 'date' | 'timestamptz' | 'ltree' | 'jsonb' | 'boolean';
export type Cell = string | number | null;

export function pgArrayLiteral(values: readonly Cell[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i) out += ',';
    const v = values[i];
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v === 'number') out += String(v);
    else out += '"' + v.replace(/[\\"]/g, (c) => '\\' + c) + '"';
  }
  return out + '}';
}

export interface BulkColumn { name: string; type: ColumnType }

/** The insert statement for `rows` (one array per column, all of the same length). */
export function bulkInsertSql(table: string, columns: readonly BulkColumn[], data: readonly (readonly Cell[])[], options: { overridingIds?: boolean } = {}): SQL {
  const names = sql.join(columns.map((c) => sql.identifier(c.name)), sql`, `);
  const arrays = sql.join(columns.map((c, i) => sql`${pgArrayLiteral(data[i]!)}::${sql.raw(c.type)}[]`), sql`, `);
  const overriding = options.overridingIds ? sql` overriding system value` : sql``;
  return sql`insert into ${sql.identifier(table)} (${names})${overriding} select * from unnest(${arrays})`;
}

/** Rows given as objects, turned into column arrays and inserted in batches. */
export async function bulkInsert<T>(q: Queryable, table: string, columns: readonly (BulkColumn & { value: (row: T) => Cell })[], rows: readonly T[], options: { overridingIds?: boolean; batchSize?: number } = {}): Promise<void> {
  const batchSize = options.batchSize ?? 5_000;
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    await q.execute(bulkInsertSql(table, columns, columns.map((c) => batch.map(c.value)), options));
  }
}

/**
 * Takes `count` ids from a table's identity sequence, so that parents, paths and foreign keys
 * are known before the rows are written (then inserted with `overriding system value`).
 */
export async function reserveIds(q: Queryable, table: string, count: number): Promise<string[]> {
  if (count === 0) return [];
  const r = await q.execute<{ id: string } & Record<string, unknown>>(
    sql`select nextval(pg_get_serial_sequence(${table}, 'id'))::text as id from generate_series(1, ${count}::int)`);
  return r.rows.map((row) => row.id);
}
