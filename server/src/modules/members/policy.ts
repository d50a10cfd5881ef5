import { sql, type SQL } from 'drizzle-orm';
import { MEMBER_ORG_TYPES } from '../../../../contracts/members.js';
import type { OrgType } from '../../../../contracts/orgs.js';
import { administers, inAdminScope, isAdmin, type Actor } from '../../platform/actor.js';

/**
 * Members a user may see: those on the rolls of the orgs they administer (the whole subtree),
 * and their own record (self-service). Everything else answers 404.
 */
export function visibleMembers(actor: Actor, alias = 'm'): SQL {
  const self = actor.memberId ? sql` or ${sql.raw(alias)}.id = ${actor.memberId}` : sql``;
  return sql`(${inAdminScope(actor, sql.raw(`${alias}.org_path`))}${self})`;
}

/** Create, edit, advance the pipeline, take off the roll: an admin of the member's org. */
export const canManageMember = (actor: Actor, member: { orgPath: string }) => administers(actor, member.orgPath);

/** The full ID and phone numbers: the member's org admins and the member themself (each look audited). */
export const canRevealMember = (actor: Actor, member: { id: string; orgPath: string }) =>
  canManageMember(actor, member) || actor.memberId === member.id;

/**
 * 导出完整身份证号 of an org's roll (`orgPath`, or the actor's whole scope when null): the admins
 * of that org or above, the same people who may reveal one member's numbers; a platform admin
 * anywhere. Within it only the rows the actor administers are written in full (`canManageMember`).
 */
export const canExportFullIds = (actor: Actor, orgPath: string | null) => isAdmin(actor) && (orgPath === null || administers(actor, orgPath));

/** The rows of `members m` an export writes in full for the actor (the SQL twin of canManageMember). */
export const fullIdRows = (actor: Actor): SQL => inAdminScope(actor, sql`m.org_path`);

/** Orgs whose roll a member may be put on (see MEMBER_ORG_TYPES). */
export const keepsMemberRoll = (type: OrgType) => MEMBER_ORG_TYPES.includes(type);

/** Orgs (`path` is their column) whose whole roll the actor keeps: a search or an import may treat their subtree as one. */
export const orgsInScope = (actor: Actor, path: SQL): SQL => inAdminScope(actor, path);
