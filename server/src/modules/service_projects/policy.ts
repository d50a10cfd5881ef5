import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, isWithin, type Actor } from '../../platform/actor.js';

/** Projects a user may see: those of the orgs they administer, and a member's own org's. */
export function visibleProjects(actor: Actor, alias = 'p'): SQL {
  const a = sql.raw(alias);
  const own = actor.memberId ? sql` or ${a}.org_id = (select org_id from members where id = ${actor.memberId})` : sql``;
  return sql`(${inAdminScope(actor, sql`${a}.org_path`)}${own})`;
}

/** The org that runs a project, and every org above it, edits it; a sibling org never does. */
export const canEditProject = (actor: Actor, project: { orgPath: string }) => administers(actor, project.orgPath);

/** Staged reviews (阶段性梳理) come from an upper org: an admin of a strict ancestor. */
export const canReviewProject = (actor: Actor, project: { orgPath: string }) =>
  actor.isPlatformAdmin || actor.adminPaths.some((root) => root !== project.orgPath && isWithin(project.orgPath, root));
