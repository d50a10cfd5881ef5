import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, type Actor } from '../../platform/actor.js';

/** Questions and papers an admin may use: their own subtree's, and those shared from orgs above them. */
export function usableByAdmin(actor: Actor, path: SQL): SQL {
  if (actor.isPlatformAdmin) return sql`true`;
  if (actor.adminPaths.length === 0) return sql`false`;
  return sql`(${inAdminScope(actor, path)} or ${sql.join(actor.adminPaths.map((root) => sql`${path} @> ${root}::ltree`), sql` or `)})`;
}

/** Editing a question or paper, organizing an exam, listing results: admins of the owning org. */
export const canManage = (actor: Actor, record: { orgPath: string }) => administers(actor, record.orgPath);

/** Only a platform admin puts questions into everyone's daily quiz. */
export const canFlagDaily = (actor: Actor) => actor.isPlatformAdmin;

/** Exams listed for organizing: those of the orgs the actor administers (alias `e`). */
export const managedExams = (actor: Actor): SQL => inAdminScope(actor, sql`e.org_path`);
