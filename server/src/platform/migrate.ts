import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './db.js';

/** migrations/ at the repository root, found from the source tree or the compiled one (dist/). */
export const MIGRATIONS_DIR = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'migrations')) || !fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('migrations/ not found');
    dir = parent;
  }
  return path.join(dir, 'migrations');
})();
// Several server processes may start together against one PostgreSQL: only one migrates.
const MIGRATION_LOCK = 7_402_113;

/**
 * Applies migrations/*.sql in name order, each in its own transaction, recording it in
 * schema_migrations. Files are never edited after landing; a new change is a new file.
 */
export async function migrate(database: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const applied: string[] = [];
  const run = async (exec: (sql: string) => Promise<void>, query: (sql: string) => Promise<string[]>) => {
    await exec('create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())');
    const done = new Set(await query('select name from schema_migrations'));
    for (const file of files) {
      const name = file.replace(/\.sql$/, '');
      if (done.has(name)) continue;
      const body = fs.readFileSync(path.join(dir, file), 'utf8');
      await exec(`begin;\n${body}\n;insert into schema_migrations (name) values ('${name.replace(/'/g, "''")}');\ncommit;`);
      applied.push(name);
    }
  };
  if (database.raw.pglite) {
    const client = database.raw.pglite;
    await run(
      async (s) => {
        try { await client.exec(s); } catch (e) { await client.exec('rollback').catch(() => undefined); throw e; }
      },
      async (s) => (await client.query<{ name: string }>(s)).rows.map((r) => r.name),
    );
  } else if (database.raw.pool) {
    const client = await database.raw.pool.connect();
    try {
      await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await run(
        async (s) => {
          try { await client.query(s); } catch (e) { await client.query('rollback'); throw e; }
        },
        async (s) => (await client.query<{ name: string }>(s)).rows.map((r) => r.name),
      );
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      client.release();
    }
  }
  return applied;
}
