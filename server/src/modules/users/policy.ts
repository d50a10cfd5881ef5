import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, isAdmin, type Actor, type Role } from '../../platform/actor.js';

/** An account as the policy sees it: its roles with the paths of their orgs, and its member's org. */
export interface AccountReach {
  id: string;
  memberOrgPath: string | null;
  roles: { role: Role; orgPath: string | null }[];
}

/** The accounts page is for admins; a plain member is refused. */
export const canListUsers = (actor: Actor) => isAdmin(actor);

/**
 * Accounts the actor sees: platform admins all; an org admin those holding a role on an org of
 * their subtree or linked to a member there; everyone their own account.
 */
export function visibleUsers(actor: Actor): SQL {
  if (actor.isPlatformAdmin) return sql`true`;
  const self = sql`u.id = ${actor.userId}`;
  if (actor.adminPaths.length === 0) return self;
  // IN, not a correlated EXISTS: each subquery runs once over the subtree and is hashed (600 ms → ms at 20k accounts)
  return sql`(${self}
    or u.id in (select r.user_id from user_roles r join orgs o on o.id = r.org_id where ${inAdminScope(actor, sql`o.path`)})
    or u.member_id in (select m.id from members m where ${inAdminScope(actor, sql`m.org_path`)}))`;
}

/**
 * Editing, disabling or resetting an account takes power over everything it may do, so an org
 * admin manages only accounts whose every role lies within their subtree: never a platform
 * admin, nor the secretary of another bureau who happens to be a member of their branch.
 */
export function canManageUser(actor: Actor, account: AccountReach): boolean {
  if (actor.isPlatformAdmin) return true;
  if (actor.adminPaths.length === 0) return false;
  const reaches = account.roles.some((r) => r.orgPath && administers(actor, r.orgPath)) || (account.memberOrgPath !== null && administers(actor, account.memberOrgPath));
  const allRolesWithin = account.roles.every((r) => (r.orgPath ? administers(actor, r.orgPath) : r.role === 'member'));
  return reaches && allRolesWithin;
}

/** Only a platform admin makes platform admins or grants roles without an org (whole-platform judges). */
export function canGrantRole(actor: Actor, role: Role, orgPath: string | null, memberOrgPath: string | null): boolean {
  if (actor.isPlatformAdmin) return true;
  if (role === 'platform_admin') return false;
  if (orgPath) return administers(actor, orgPath);
  // a self-service 'member' role without an org is anchored by the member record in the admin's subtree
  return role === 'member' && memberOrgPath !== null && administers(actor, memberOrgPath);
}

/** An account is linked to a member of the actor's subtree only. */
export const canLinkMember = (actor: Actor, member: { orgPath: string }) => administers(actor, member.orgPath);
