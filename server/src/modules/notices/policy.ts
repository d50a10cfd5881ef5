import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, type Actor } from '../../platform/actor.js';

/** A notice is written, published, withdrawn and its receipts read by the admins of its org and above. */
export const canManageNotice = (actor: Actor, notice: { orgPath: string }) => administers(actor, notice.orgPath);

/** The notices an admin manages: those of the orgs in their subtree (`n` is the notices alias). */
export const managedNotices = (actor: Actor): SQL => inAdminScope(actor, sql`n.org_path`);

/**
 * A notice is read by the users it was published to, while it stands: being asked is a row of
 * notice_recipients, fixed at publication, so a member who joins a target org later is not asked.
 */
export const readableByRecipient = (actor: Actor): SQL =>
  sql`n.status = 'published' and exists (select 1 from notice_recipients rr where rr.notice_id = n.id and rr.user_id = ${actor.userId})`;
