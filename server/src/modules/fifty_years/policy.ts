import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, type Actor } from '../../platform/actor.js';

/** The members (alias `m`) listed to the actor: the rolls of the orgs they administer. */
export const membersInScope = (actor: Actor): SQL => inAdminScope(actor, sql.raw('m.org_path'));

/** Medal records (alias `f`) are the business of the issuing org's administrators (and those above). */
export const medalsInScope = (actor: Actor): SQL => inAdminScope(actor, sql.raw('f.org_path'));

/** The 纪念章 is issued by an administrator of the issuing org, which is the member's org or one above it. */
export const canIssueMedal = (actor: Actor, org: { path: string }) => administers(actor, org.path);
