import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, isWithin, type Actor } from '../../platform/actor.js';

/** Templates are written and issued by the admins of the issuing org and above (`t` is the alias). */
export const managedTemplates = (actor: Actor): SQL => inAdminScope(actor, sql`t.org_path`);
export const canIssueTemplate = (actor: Actor, template: { orgPath: string }) => administers(actor, template.orgPath);

/** Lists (and their items) are seen by the admins of the owning org and above (`l` is the alias). */
export const visibleLists = (actor: Actor): SQL => inAdminScope(actor, sql`l.org_path`);
/** An org path (the org that inspects an item, for the 工作台's `waiting` filter) within the viewer's admin scope. */
export const pathInScope = (actor: Actor, path: SQL): SQL => inAdminScope(actor, path);

/** A member's own lists (党员 level): read and reported on through /me. */
export const ownLists = (actor: Actor): SQL => (actor.memberId ? sql`l.member_id = ${actor.memberId}` : sql`false`);

/** Strictly above the org at `path`: the level that issued the duty inspects it, never the owner itself. */
export const administersAbove = (actor: Actor, path: string) =>
  actor.isPlatformAdmin || actor.adminPaths.some((root) => root !== path && isWithin(path, root));

/**
 * The owner reports progress: the owning org's admins for an org's list (an admin above may act for
 * them); a member's own list only through the member's self-service route.
 */
export const canReportOnList = (actor: Actor, list: { orgPath: string; memberId: string | null }) =>
  list.memberId === null && administers(actor, list.orgPath);
export const canReportOnOwnList = (actor: Actor, list: { memberId: string | null }) => list.memberId !== null && list.memberId === actor.memberId;

/** Inspections and closing belong to the level above: above the org for an org's list, the member's org for a member's. */
export const canInspectList = (actor: Actor, list: { orgPath: string; memberId: string | null }) =>
  list.memberId === null ? administersAbove(actor, list.orgPath) : administers(actor, list.orgPath);

/** 述职评议 rounds: run by the admins of the reviewing body (`r`). */
export const managedRounds = (actor: Actor): SQL => inAdminScope(actor, sql`r.org_path`);
export const canManageRound = (actor: Actor, round: { orgPath: string }) => administers(actor, round.orgPath);

/** A duty report: seen by the reporting org's admins and by the round's (`d` report, `r` round). */
export const visibleDutyReports = (actor: Actor): SQL => sql`(${inAdminScope(actor, sql`d.org_path`)} or ${inAdminScope(actor, sql`r.org_path`)})`;
/** Written by the reporting org's admins (the secretary) while the round collects. */
export const canSubmitDutyReport = (actor: Actor, report: { orgPath: string }) => administers(actor, report.orgPath);
