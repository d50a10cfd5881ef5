import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db.js';
import { textArray } from '../../platform/sql.js';

/** The current members (not left) among `ids` in the subtree `path`, with their names: for modules that name members (elected committees). */
export async function currentMembersIn(q: Queryable, ids: readonly string[], path: string): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await q.execute<{ id: string; name: string } & Record<string, unknown>>(sql`
    select id::text, name from members where id = any(${textArray(ids)}::bigint[]) and left_at is null and org_path <@ ${path}::ltree`);
  return new Map(rows.rows.map((r) => [r.id, r.name]));
}
