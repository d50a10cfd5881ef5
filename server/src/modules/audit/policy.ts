import { sql, type SQL } from 'drizzle-orm';
import { inAdminScope, isAdmin, type Actor } from '../../platform/actor.js';

/** The audit browser is an admin page: a plain member is refused outright, not shown an empty list. */
export const canBrowseAudit = (actor: Actor) => isAdmin(actor);

/** Platform admins see everything; an org admin sees entries of their subtree and their own actions. */
export function visibleAuditEntries(actor: Actor): SQL {
  if (actor.isPlatformAdmin) return sql`true`;
  return sql`(${inAdminScope(actor, sql`a.org_path`)} or a.user_id = ${actor.userId})`;
}
