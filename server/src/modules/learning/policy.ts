import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, isWithin, type Actor } from '../../platform/actor.js';
import type { MemberContext } from '../points/member-context.js';

/**
 * Learning content published by an org is for the members of its whole subtree: a member sees
 * what their own org and the orgs above it published; an admin sees everything of their subtree.
 */
export function visibleContent(actor: Actor, member: MemberContext | null, path: SQL): SQL {
  const own = member ? sql` or ${path} @> ${member.orgPath}::ltree` : sql``;
  return sql`(${inAdminScope(actor, path)}${own})`;
}

/** Whether content of the org at `path` is addressed to this member (progress, reads, clock-ins). */
export const isAddressedTo = (member: MemberContext, path: string) => isWithin(member.orgPath, path);

/** Publishing and progress reports: admins of the publishing org. */
export const canPublish = (actor: Actor, orgPath: string) => administers(actor, orgPath);

/** Reading shares are seen within one branch, and by the admins above it. */
export function visibleShares(actor: Actor, member: MemberContext | null): SQL {
  const own = member ? sql` or s.branch_path = ${member.branchPath}::ltree` : sql``;
  return sql`(${inAdminScope(actor, sql`s.branch_path`)}${own})`;
}
