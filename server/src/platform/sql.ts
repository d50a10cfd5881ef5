import { sql, type SQL } from 'drizzle-orm';

/** Text matched literally inside a LIKE pattern: `%`, `_` and the escape character lose their meaning. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => '\\' + c);
}

/** A LIKE pattern that finds the text anywhere in a value. */
export function likeContaining(text: string): string {
  return '%' + escapeLike(text) + '%';
}

/** A page of a list as the contracts ask for it: pages count from 1. */
export interface PageRequest { page: number; pageSize: number }

/** How many rows come before the requested page. */
export function pageOffset(query: PageRequest): number {
  return (query.page - 1) * query.pageSize;
}

/** `limit … offset …` for the requested page (after an `order by` that makes the order stable). */
export function pageLimit(query: PageRequest): SQL {
  return sql`limit ${query.pageSize} offset ${pageOffset(query)}`;
}

/**
 * The assignments of an `update … set` that changes only what the request sent: a field left out
 * (undefined) keeps its value, while null clears it.
 */
export function partialUpdate() {
  const assignments: SQL[] = [];
  return {
    /** Sets the column when the value was sent (a plain function: it may be handed on). */
    set: (column: string, value: unknown): void => {
      if (value !== undefined) assignments.push(sql`${sql.identifier(column)} = ${value}`);
    },
    /** An assignment written out, for casts and computed values. */
    add: (assignment: SQL): void => {
      assignments.push(assignment);
    },
    get isEmpty(): boolean {
      return assignments.length === 0;
    },
    /** The comma-separated list to write after `set`. */
    toSql: (): SQL => sql.join(assignments, sql`, `),
  };
}

/** A PostgreSQL array literal of texts, for one `$n::text[]` parameter (drizzle spreads a JS array into a list). */
export function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

/**
 * Rows of an org's subtree by a byte-wise key (`collate "C"`) holding the row's org path and a dot:
 * '1.63.' ≤ key < '1.63/' (the dot's successor), the org itself and everything below it, as `path <@ root`
 * (labels hold neither character). One btree range instead of a GiST search.
 */
export function inSubtreeByKey(key: SQL, rootPath: string): SQL {
  return sql`(${key} >= ${rootPath + '.'} and ${key} < ${rootPath + '/'})`;
}
