import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestContext } from '../../test/harness.js';

/**
 * Every column that holds an org's path (ltree) or refers to an org must be declared in
 * org_owned_columns: carried (it follows moves and merges through the orgs triggers), historical
 * (it keeps what it recorded) or derived (kept by its own triggers). A new module's table that
 * nobody declared fails here, before its records are stranded by the first restructuring.
 */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

type Row = { table_name: string; column_name: string } & Record<string, unknown>;
const key = (r: Row) => `${r.table_name}.${r.column_name}`;

describe('org_owned_columns', () => {
  it('declares every ltree column and every column referring to orgs', async () => {
    const { db } = ctx.database;
    const columns = (await db.execute<Row>(sql`
      select c.table_name::text, c.column_name::text
        from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
       where c.table_schema = current_schema() and c.udt_name = 'ltree'
      union
      select cl.relname::text, a.attname::text
        from pg_constraint k
        join pg_class cl on cl.oid = k.conrelid
        join pg_attribute a on a.attrelid = k.conrelid and a.attnum = any (k.conkey)
       where k.contype = 'f' and k.confrelid = 'orgs'::regclass
      union
      select c.table_name::text, c.column_name::text
        from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
       where c.table_schema = current_schema() and c.column_name ~ '(^|_)org_(id|path)$'`)).rows.map(key);
    const declared = new Set((await db.execute<Row>(sql`select table_name, column_name from org_owned_columns`)).rows.map(key));
    const undeclared = columns.filter((c) => !declared.has(c)).sort();
    expect(undeclared, 'columns holding an org that org_owned_columns does not declare (carried, historical or derived)').toEqual([]);
    // the registry names no column that does not exist (a typo would carry nothing)
    const stale = [...declared].filter((c) => !columns.includes(c)).sort();
    expect(stale, 'org_owned_columns entries without such a column').toEqual([]);
  });

  it('lists the carried path columns a move scans without an index (a new one must be chosen knowingly)', async () => {
    // carried path columns are rewritten by `col <@ moved subtree`: without a GiST index each move scans the table
    const { db } = ctx.database;
    const unindexed = (await db.execute<Row>(sql`
      select o.table_name, o.column_name from org_owned_columns o
       where o.kind = 'carried' and o.refers_to = 'path'
         and not exists (select 1 from pg_index x join pg_attribute a on a.attrelid = x.indrelid and a.attnum = x.indkey[0]
                          where x.indrelid = o.table_name::regclass and a.attname = o.column_name)`)).rows.map(key).sort();
    // measured acceptable: these are read through their parent record; a move scans them once
    expect(unindexed).toEqual(['contest_entries.org_path', 'contest_orgs.org_path', 'daily_quiz_submissions.org_path', 'donations.credited_org_path', 'exam_participants.org_path']);
  });
});
