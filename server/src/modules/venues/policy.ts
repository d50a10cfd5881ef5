import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, type Actor } from '../../platform/actor.js';

/** Venues are open to every signed-in user for booking; closed ones only to their managers. */
export function visibleVenues(actor: Actor, alias = 'v'): SQL {
  return sql`(${sql.raw(alias)}.is_active or ${inAdminScope(actor, sql.raw(`${alias}.org_path`))})`;
}

/** Bookings: the venue's managers see all of its bookings; a requester sees their own. */
export function visibleBookings(actor: Actor): SQL {
  return sql`(${inAdminScope(actor, sql.raw('v.org_path'))} or b.requested_by = ${actor.userId})`;
}

/** A venue (its halls, its bookings' decisions, its statistics) is run by the admins of its org. */
export const canManageVenue = (actor: Actor, venue: { orgPath: string }) => administers(actor, venue.orgPath);

/** Service stations: every signed-in member browses the active ones; the org's admins see all of theirs. */
export function visibleStations(actor: Actor): SQL {
  return sql`(s.is_active or ${inAdminScope(actor, sql.raw('s.org_path'))})`;
}

/** Statistics cover the venues (alias `v`) the actor runs. */
export const managedVenues = (actor: Actor): SQL => inAdminScope(actor, sql.raw('v.org_path'));
