import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, type Actor } from '../../platform/actor.js';

/** A round's quotas, review, 公示 and award: the administrators of the round's org. */
export const canManageRound = (actor: Actor, round: { orgPath: string }) => administers(actor, round.orgPath);

/** Rounds (alias `r`) are seen by the admins of the round's org and by the admins of an org holding a quota in it. */
export const roundsInScope = (actor: Actor): SQL => sql`(${inAdminScope(actor, sql.raw('r.org_path'))}
  or exists (select 1 from commendation_quotas rq where rq.round_id = r.id and ${inAdminScope(actor, sql.raw('rq.org_path'))}))`;

/** Nominations (alias `n`) under the viewer's administration (the nominating org's subtree). */
export const nominationsInScope = (actor: Actor): SQL => inAdminScope(actor, sql.raw('n.org_path'));

/**
 * Honours (alias `h`): the admins of the org they were earned in, the member honoured, and the admins of
 * the member's current org (the honour is on their record wherever they went since).
 */
export const honoursInScope = (actor: Actor): SQL => sql`(${inAdminScope(actor, sql.raw('h.org_path'))}
  ${actor.memberId ? sql`or h.member_id = ${actor.memberId}` : sql``}
  or (h.member_id is not null and exists (select 1 from members hm where hm.id = h.member_id and ${inAdminScope(actor, sql.raw('hm.org_path'))})))`;

/** 党纪处分 (alias `d`, the member `m`) are personal: the admins of the member's org subtree only. */
export const disciplineInScope = (actor: Actor): SQL => inAdminScope(actor, sql.raw('m.org_path'));

/** An org's honours and a member's 党纪处分 are shown to the admins of the org (or the member's org) and above. */
export const runsOrgAt = (actor: Actor, path: string): boolean => administers(actor, path);

/** Members (alias `m`) an admin may nominate, award a 微星光 to or record a 处分 for: those of their subtree. */
export const membersInScope = (actor: Actor): SQL => inAdminScope(actor, sql.raw('m.org_path'));

/** Orgs (alias `o`) of the actor's administration. */
export const orgsInScope = (actor: Actor): SQL => inAdminScope(actor, sql.raw('o.path'));

/** Quotas (alias `q`) of orgs under the viewer's administration. */
export const quotasInScope = (actor: Actor): SQL => inAdminScope(actor, sql.raw('q.org_path'));
