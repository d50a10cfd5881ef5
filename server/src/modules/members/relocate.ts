import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db.js';

/** Where a member belongs, read under a row lock so that a transfer decides on a stable record. */
export interface MemberPlacement {
  id: string;
  name: string;
  orgId: string;
  orgPath: string;
  hasLeft: boolean;
}

export async function lockMemberPlacement(tx: Queryable, memberId: string): Promise<MemberPlacement | null> {
  const result = await tx.execute<{ id: string; name: string; org_id: string; org_path: string; has_left: boolean } & Record<string, unknown>>(sql`
    select id::text, name, org_id::text, org_path::text, left_at is not null as has_left from members where id = ${memberId} for update`);
  const row = result.rows[0];
  return row ? { id: row.id, name: row.name, orgId: row.org_id, orgPath: row.org_path, hasLeft: row.has_left } : null;
}

/**
 * Moves a member to another org: org_id and the org_path copy together. Besides the members
 * service, the only writer of these columns — called by an accepted transfer inside its
 * transaction (which also records the audit entry).
 */
export async function relocateMember(tx: Queryable, memberId: string, toOrg: { id: string; path: string }): Promise<void> {
  await tx.execute(sql`update members set org_id = ${toOrg.id}, org_path = ${toOrg.path}::ltree, updated_at = now() where id = ${memberId}`);
}
