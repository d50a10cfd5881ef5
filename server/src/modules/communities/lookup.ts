import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db.js';

export interface CommunityRef { id: string; name: string; orgId: string; orgPath: string }

/**
 * A registered, not archived community (of the tree rooted at `rootPath`, when given): what other modules
 * (micro-wishes, volunteering, co-building) check before pointing at a community.
 */
export async function findCommunityInTree(q: Queryable, id: string, rootPath: string | null): Promise<CommunityRef | null> {
  const row = (await q.execute<{ id: string; name: string; org_id: string; org_path: string } & Record<string, unknown>>(sql`
    select id::text, name, org_id::text, org_path::text from communities
     where id = ${id} and archived_at is null ${rootPath ? sql`and org_path <@ ${rootPath}::ltree` : sql``}`)).rows[0];
  return row ? { id: row.id, name: row.name, orgId: row.org_id, orgPath: row.org_path } : null;
}
