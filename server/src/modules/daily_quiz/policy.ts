import { administers, type Actor } from '../../platform/actor.js';

/** The number of questions a day applies to everyone: platform admins set it. */
export const canConfigureQuiz = (actor: Actor) => actor.isPlatformAdmin;

/** Participation figures of an org: its admins (and those above). */
export const canViewParticipation = (actor: Actor, org: { path: string }) => administers(actor, org.path);
