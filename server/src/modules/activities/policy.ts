import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, type Actor } from '../../platform/actor.js';

/**
 * Activities a user may see: those of orgs they administer; those they are invited to once
 * published; and published open classes of an org whose subtree holds the viewer's own org.
 */
export function visibleActivities(actor: Actor, alias = 'a'): SQL {
  const a = sql.raw(alias);
  const admin = inAdminScope(actor, sql.raw(`${alias}.org_path`));
  if (!actor.memberId) return admin;
  // written as index conditions (the primary key against the member's own activity ids, and the
  // org_path GiST for the open classes above the member's org) so that the planner can OR two
  // bitmap scans instead of probing every activity
  return sql`(${admin} or (${a}.status <> 'draft' and (
      ${a}.id = any(array(select vp.activity_id from activity_participants vp where vp.member_id = ${actor.memberId}))
      or (${a}.type = 'open_lesson' and ${a}.org_path @> (select vm.org_path from members vm where vm.id = ${actor.memberId} and vm.left_at is null)))))`;
}

/** Plan, notify, record, close and mark attendance: an admin of the activity's org. */
export const canManageActivity = (actor: Actor, activity: { orgPath: string }) => administers(actor, activity.orgPath);

/** Whom an organizer may invite: the orgs and members of the subtree they administer (`path` is theirs). */
export const invitableIn = (actor: Actor, path: SQL): SQL => inAdminScope(actor, path);

/** 补学 tasks of an org's subtree are followed up by its admins. */
export const makeUpTasksInScope = (actor: Actor): SQL => inAdminScope(actor, sql.raw('t.org_path'));

/** The 三会一课 report lists the units (alias `u`) the actor administers. */
export const reportableUnits = (actor: Actor): SQL => inAdminScope(actor, sql.raw('u.path'));

/** Open lessons (alias `a`) a visitor of the tree's portal sees, from today (China) on: published, public, not cancelled. */
export const publicLessonsOf = (rootPath: string): SQL => sql`(a.type = 'open_lesson' and a.is_public and a.status in ('published', 'closed')
  and a.org_path <@ ${rootPath}::ltree and a.ends_at >= (date_trunc('day', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai'))`;
