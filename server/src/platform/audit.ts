import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from './db.js';
import type { Actor } from './actor.js';

export interface AuditEntry {
  /** `<module>.<verb>`, e.g. 'member.create', 'member.reveal_id_number', 'member.export'. */
  action: string;
  targetType: string;
  targetId?: string | null;
  /** Path of the org the record belongs to: admins browse the audit of their subtree. */
  orgPath?: string | null;
  detail?: Record<string, unknown>;
}

/**
 * Writes one audit row in the caller's transaction, so a write and its audit entry commit or
 * roll back together. `actor` is null for anonymous events such as a failed login.
 */
export async function audit(q: Queryable, actor: Pick<Actor, 'userId' | 'username' | 'ip'> | null, entry: AuditEntry, ip?: string): Promise<void> {
  await q.execute(auditInsert(actor, entry, ip));
}

/** The INSERT of one audit row, for a statement that writes it together with what it records (a CTE). */
export function auditInsert(actor: Pick<Actor, 'userId' | 'username' | 'ip'> | null, entry: AuditEntry, ip?: string): SQL {
  return sql`
    insert into audit_log (user_id, username, ip, action, target_type, target_id, org_path, detail)
    values (${actor?.userId ?? null}, ${actor?.username ?? null}, ${actor?.ip ?? ip ?? null}, ${entry.action},
            ${entry.targetType}, ${entry.targetId ?? null}, ${entry.orgPath ?? null}::ltree, ${JSON.stringify(entry.detail ?? {})}::jsonb)`;
}
