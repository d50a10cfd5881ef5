import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, type Actor } from '../../platform/actor.js';

/** The actor's own place as a member (null when they are none, or have left). */
export const actorMemberPath = (actor: Actor): SQL => sql`(select org_path from members where id = ${actor.memberId ?? null} and left_at is null)`;

/** Organisers (admins of the posting org and above) see their projects; members see every project of the own tree. */
export function visibleProjects(actor: Actor): SQL {
  const member = actor.memberId ? sql` or coalesce(${actorMemberPath(actor)} <@ subpath(v.org_path, 0, 1), false)` : sql``;
  return sql`(${inAdminScope(actor, sql`v.org_path`)}${member})`;
}

/** A project is edited, and its attendance confirmed, by the admins of the posting org and above. */
export const canManageProject = (actor: Actor, project: { orgPath: string }) => administers(actor, project.orgPath);

/** A certificate of hours: one's own, or a member of the admin's subtree. */
export const canSeeHoursOf = (actor: Actor, member: { id: string; orgPath: string }) =>
  member.id === actor.memberId || administers(actor, member.orgPath);
