import { sql, type SQL, type AnyColumn } from 'drizzle-orm';
import { unauthorized } from './errors.js';

export type Role = 'platform_admin' | 'org_admin' | 'member' | 'judge';

/** The signed-in user as every policy and service sees them. */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  /** The member record of this user, when they are a party member (self-service). */
  memberId: string | null;
  isPlatformAdmin: boolean;
  isJudge: boolean;
  /** ltree paths of the orgs this user administers; each covers its whole subtree. */
  adminPaths: string[];
  /** The address the request came from, for the audit log. */
  ip: string;
}

/**
 * The acting user of a route declared `auth: 'user'` (app.ts's hook has already refused anonymous
 * calls). Takes the request's `session` alone, so that this file needs nothing of the server.
 */
export function actorOf(request: { session: { actor: Actor } | null }): Actor {
  if (!request.session) throw unauthorized();
  return request.session.actor;
}

/** True when `path` lies in the subtree of `root` (ltree semantics on dotted id paths). */
export function isWithin(path: string, root: string): boolean {
  return path === root || path.startsWith(root + '.');
}

/** Whether the actor administers the org at `path` (directly or through an ancestor). */
export function administers(actor: Actor, path: string): boolean {
  return actor.isPlatformAdmin || actor.adminPaths.some((root) => isWithin(path, root));
}

export function isAdmin(actor: Actor): boolean {
  return actor.isPlatformAdmin || actor.adminPaths.length > 0;
}

/**
 * The one SQL condition that scopes a list to the orgs the actor administers: `path <@ root`
 * for each administered root (GiST-indexed). Platform admins see everything; everyone else
 * sees nothing through this condition (self-service goes through its own condition).
 */
export function inAdminScope(actor: Actor, path: AnyColumn | SQL): SQL {
  if (actor.isPlatformAdmin) return sql`true`;
  if (actor.adminPaths.length === 0) return sql`false`;
  return sql`(${sql.join(actor.adminPaths.map((root) => sql`${path} <@ ${root}::ltree`), sql` or `)})`;
}
