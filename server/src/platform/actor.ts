import { sql, type SQL, type AnyColumn } from 'drizzle-orm';
import { unauthorized } from './errors.js';

export type Role = 'platform_admin' | 'org_admin' | 'member' | 'judge' | 'inspector';

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
  /**
   * ltree paths this user reads but does not administer (issue #15): the orgs of their `inspector`
   * grants (督查/领导) and the branches they liaise with (委员联系支部). A safe request (GET/HEAD) sees
   * them among `adminPaths` (actorForMethod); a write never does. Absent means none.
   */
  readPaths?: string[];
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

/**
 * Read-only access in one place: for GET and HEAD the actor administers its read paths too, so that
 * every module's scoped lists and records answer an inspector or a liaison as they answer an
 * administrator; for any other method only the actor's own administration counts.
 */
export function actorForMethod<A extends Omit<Actor, 'ip'>>(actor: A, method: string): A {
  if (!actor.readPaths?.length || (method !== 'GET' && method !== 'HEAD')) return actor;
  return { ...actor, adminPaths: [...actor.adminPaths, ...actor.readPaths] };
}

/** Whether the actor only reads the org at `path` (a write there is refused as read-only, not as unknown). */
export function onlyReads(actor: Actor, path: string): boolean {
  return !administers(actor, path) && (actor.readPaths ?? []).some((root) => isWithin(path, root));
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
