import { isAdmin, type Actor } from '../../platform/actor.js';

/** The 工作台 is an administrator's page: the to-dos of an org they administer (managedOrg checks which). */
export const canSeeWorkbench = (actor: Actor) => isAdmin(actor);

/** The member's home is a party member's own page. */
export const hasMemberHome = (actor: Actor) => actor.memberId !== null;
