import { sql, type SQL } from 'drizzle-orm';
import type {
  Booking, BookingListQuery, BookingStatus, CreateBooking, CreateHall, CreateVenue, Hall, UpdateHall, UpdateVenue, Venue,
} from '../../../../contracts/venues.js';
import type { Actor } from '../../platform/actor.js';
import { managedOrg } from '../../platform/org-scope.js';
import type { Db, Queryable } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { conflict, invalidField, notFound } from '../../platform/errors.js';
import { simplify } from '../../platform/i18n.js';
import { canManageVenue, visibleBookings, visibleVenues } from './policy.js';
import { chinaInstant, chinaTimeOfDay, todayInChina } from '../../../../contracts/china-time.js';
import { pageLimit, partialUpdate, textArray } from '../../platform/sql.js';

const iso = (v: Date | string | null | undefined): string | null => (v == null ? null : new Date(v).toISOString());

// ---------- venues and halls ----------

type VenueRow = {
  id: string; org_id: string; org_name: string; org_path: string; name: string; kind: Venue['kind']; address: string | null;
  description: string | null; contact_name: string | null; contact_phone: string | null; opens_at: string; closes_at: string;
  is_active: boolean; halls: Hall[] | string;
} & Record<string, unknown>;

const venueSelect = sql`select v.id::text, v.org_id::text, o.name as org_name, v.org_path::text, v.name, v.kind, v.address, v.description,
    v.contact_name, v.contact_phone, to_char(v.opens_at, 'HH24:MI') as opens_at, to_char(v.closes_at, 'HH24:MI') as closes_at, v.is_active,
    coalesce((select json_agg(json_build_object('id', h.id::text, 'venueId', h.venue_id::text, 'name', h.name, 'kind', h.kind,
        'capacity', h.capacity, 'opensAt', to_char(h.opens_at, 'HH24:MI'), 'closesAt', to_char(h.closes_at, 'HH24:MI'), 'isActive', h.is_active)
        order by h.sort_order, h.id) from venue_halls h where h.venue_id = v.id), '[]') as halls
  from venues v join orgs o on o.id = v.org_id`;

function toVenue(row: VenueRow, actor: Actor): Venue {
  return {
    id: row.id, orgId: row.org_id, orgName: row.org_name, name: row.name, kind: row.kind, address: row.address, description: row.description,
    contactName: row.contact_name, contactPhone: row.contact_phone, opensAt: row.opens_at, closesAt: row.closes_at, isActive: row.is_active,
    halls: typeof row.halls === 'string' ? (JSON.parse(row.halls) as Hall[]) : row.halls,
    canManage: canManageVenue(actor, { orgPath: row.org_path }),
  };
}

export async function listVenues(db: Db, actor: Actor): Promise<Venue[]> {
  const rows = await db.execute<VenueRow>(sql`${venueSelect} where ${visibleVenues(actor)} order by v.org_path, v.id limit 500`);
  return rows.rows.map((r) => toVenue(r, actor));
}

export async function getVenue(db: Queryable, actor: Actor, id: string): Promise<Venue> {
  const row = (await db.execute<VenueRow>(sql`${venueSelect} where v.id = ${id} and ${visibleVenues(actor)}`)).rows[0];
  if (!row) throw notFound('venue.not_found');
  return toVenue(row, actor);
}

async function findManagedVenue(q: Queryable, actor: Actor, id: string) {
  const row = (await q.execute<{ id: string; org_path: string; opens_at: string; closes_at: string } & Record<string, unknown>>(sql`
    select id::text, org_path::text, to_char(opens_at, 'HH24:MI') as opens_at, to_char(closes_at, 'HH24:MI') as closes_at from venues where id = ${id} for update`)).rows[0];
  if (!row || !canManageVenue(actor, { orgPath: row.org_path })) throw notFound('venue.not_found');
  return { id: row.id, orgPath: row.org_path, opensAt: row.opens_at, closesAt: row.closes_at };
}

export async function createVenue(db: Db, actor: Actor, input: CreateVenue): Promise<Venue> {
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share', notFoundKey: 'venue.org_not_found', dissolvedKey: 'venue.org_not_found' });
    const r = await tx.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into venues (org_id, org_path, name, kind, address, description, contact_name, contact_phone, opens_at, closes_at)
      values (${org.id}, ${org.path}::ltree, ${input.name}, ${input.kind}, ${input.address ?? null}, ${input.description ?? null},
              ${input.contactName ?? null}, ${input.contactPhone ?? null}, ${input.opensAt}::time, ${input.closesAt}::time) returning id::text`);
    const newId = r.rows[0]!.id;
    await audit(tx, actor, { action: 'venue.create', targetType: 'venue', targetId: newId, orgPath: org.path, detail: { ...input } });
    return newId;
  });
  return getVenue(db, actor, id);
}

export async function updateVenue(db: Db, actor: Actor, id: string, input: UpdateVenue): Promise<Venue> {
  await db.transaction(async (tx) => {
    const venue = await findManagedVenue(tx, actor, id);
    const opensAt = input.opensAt ?? venue.opensAt;
    const closesAt = input.closesAt ?? venue.closesAt;
    if (closesAt <= opensAt) throw invalidField('closesAt', 'venue.closes_before_opens');
    const update = partialUpdate();
    update.set('name', input.name);
    update.set('kind', input.kind);
    update.set('address', input.address);
    update.set('description', input.description);
    update.set('contact_name', input.contactName);
    update.set('contact_phone', input.contactPhone);
    update.set('is_active', input.isActive);
    update.add(sql`opens_at = ${opensAt}::time, closes_at = ${closesAt}::time`);
    await tx.execute(sql`update venues set ${update.toSql()}, updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'venue.update', targetType: 'venue', targetId: id, orgPath: venue.orgPath, detail: { ...input } });
  });
  return getVenue(db, actor, id);
}

export async function createHall(db: Db, actor: Actor, venueId: string, input: CreateHall): Promise<Venue> {
  await db.transaction(async (tx) => {
    const venue = await findManagedVenue(tx, actor, venueId);
    const opensAt = input.opensAt ?? venue.opensAt;
    const closesAt = input.closesAt ?? venue.closesAt;
    assertWithinVenueHours(venue, opensAt, closesAt);
    const taken = (await tx.execute(sql`select 1 from venue_halls where venue_id = ${venueId} and name = ${input.name}`)).rows.length > 0;
    if (taken) throw invalidField('name', 'venue.hall_name_taken');
    const r = await tx.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into venue_halls (venue_id, name, kind, capacity, opens_at, closes_at, sort_order)
      values (${venueId}, ${input.name}, ${input.kind}, ${input.capacity}, ${opensAt}::time, ${closesAt}::time,
              (select count(*) from venue_halls where venue_id = ${venueId})) returning id::text`);
    await audit(tx, actor, { action: 'venue.create_hall', targetType: 'venue_hall', targetId: r.rows[0]!.id, orgPath: venue.orgPath, detail: { venueId, ...input } });
  });
  return getVenue(db, actor, venueId);
}

export async function updateHall(db: Db, actor: Actor, venueId: string, hallId: string, input: UpdateHall): Promise<Venue> {
  await db.transaction(async (tx) => {
    const venue = await findManagedVenue(tx, actor, venueId);
    const hall = (await tx.execute<{ opens_at: string; closes_at: string } & Record<string, unknown>>(sql`
      select to_char(opens_at, 'HH24:MI') as opens_at, to_char(closes_at, 'HH24:MI') as closes_at from venue_halls where id = ${hallId} and venue_id = ${venueId} for update`)).rows[0];
    if (!hall) throw notFound('venue.hall_not_found');
    const opensAt = input.opensAt ?? hall.opens_at;
    const closesAt = input.closesAt ?? hall.closes_at;
    if (closesAt <= opensAt) throw invalidField('closesAt', 'venue.closes_before_opens');
    assertWithinVenueHours(venue, opensAt, closesAt);
    if (input.name !== undefined) {
      const taken = (await tx.execute(sql`select 1 from venue_halls where venue_id = ${venueId} and name = ${input.name} and id <> ${hallId}`)).rows.length > 0;
      if (taken) throw invalidField('name', 'venue.hall_name_taken');
    }
    const update = partialUpdate();
    update.add(sql`opens_at = ${opensAt}::time, closes_at = ${closesAt}::time`);
    update.set('name', input.name);
    update.set('kind', input.kind);
    update.set('capacity', input.capacity);
    update.set('is_active', input.isActive);
    await tx.execute(sql`update venue_halls set ${update.toSql()} where id = ${hallId}`);
    await audit(tx, actor, { action: 'venue.update_hall', targetType: 'venue_hall', targetId: hallId, orgPath: venue.orgPath, detail: { venueId, ...input } });
  });
  return getVenue(db, actor, venueId);
}

function assertWithinVenueHours(venue: { opensAt: string; closesAt: string }, opensAt: string, closesAt: string) {
  if (opensAt < venue.opensAt || closesAt > venue.closesAt) {
    const isOpeningWrong = opensAt < venue.opensAt || opensAt >= venue.closesAt;
    throw invalidField(isOpeningWrong ? 'opensAt' : 'closesAt', 'venue.hall_outside_venue_hours', { opensAt: venue.opensAt, closesAt: venue.closesAt });
  }
}

// ---------- bookings ----------

type BookingRow = {
  id: string; venue_id: string; venue_name: string; venue_path: string; unit_org_id: string | null; unit_name: string; contact_name: string;
  contact_phone: string; visit_date: string; starts_at: Date | string; ends_at: Date | string; halls: { id: string; name: string }[] | string;
  expected_headcount: number; actual_headcount: number | null; purpose: Booking['purpose']; status: BookingStatus; note: string | null;
  decision_note: string | null; decided_at: Date | null; visited_at: Date | null; created_at: Date | string;
} & Record<string, unknown>;

const bookingSelect = sql`select b.id::text, b.venue_id::text, v.name as venue_name, v.org_path::text as venue_path, b.unit_org_id::text, b.unit_name,
    b.contact_name, b.contact_phone, b.visit_date::text, b.starts_at, b.ends_at,
    coalesce((select json_agg(json_build_object('id', h.id::text, 'name', h.name) order by h.sort_order, h.id)
       from venue_booking_halls bh join venue_halls h on h.id = bh.hall_id where bh.booking_id = b.id), '[]') as halls,
    b.expected_headcount, b.actual_headcount, b.purpose, b.status, b.note, b.decision_note, b.decided_at, b.visited_at, b.created_at
  from venue_bookings b join venues v on v.id = b.venue_id`;

function toBooking(row: BookingRow, actor: Actor): Booking {
  return {
    id: row.id, venueId: row.venue_id, venueName: row.venue_name, unitOrgId: row.unit_org_id, unitName: row.unit_name,
    contactName: row.contact_name, contactPhone: row.contact_phone, date: row.visit_date, startsAt: iso(row.starts_at)!, endsAt: iso(row.ends_at)!,
    halls: typeof row.halls === 'string' ? (JSON.parse(row.halls) as Booking['halls']) : row.halls,
    expectedHeadcount: row.expected_headcount, actualHeadcount: row.actual_headcount, purpose: row.purpose, status: row.status, note: row.note,
    decisionNote: row.decision_note, decidedAt: iso(row.decided_at), visitedAt: iso(row.visited_at), createdAt: iso(row.created_at)!,
    canDecide: canManageVenue(actor, { orgPath: row.venue_path }),
  };
}

export async function listBookings(db: Db, actor: Actor, query: BookingListQuery) {
  const conditions: SQL[] = [visibleBookings(actor)];
  if (query.venueId) conditions.push(sql`b.venue_id = ${query.venueId}`);
  if (query.status) conditions.push(sql`b.status = ${query.status}`);
  if (query.from) conditions.push(sql`b.visit_date >= ${query.from}::date`);
  if (query.to) conditions.push(sql`b.visit_date <= ${query.to}::date`);
  if (query.mine) conditions.push(sql`b.requested_by = ${actor.userId}`);
  if (query.orgId) conditions.push(sql`v.org_path <@ ${(await managedOrg(db, actor, query.orgId, { allowDissolved: true })).path}::ltree`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<BookingRow>(sql`${bookingSelect} where ${where} order by b.starts_at desc, b.id desc
      ${pageLimit(query)}`),
    db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from venue_bookings b join venues v on v.id = b.venue_id where ${where}`),
  ]);
  return { items: rows.rows.map((r) => toBooking(r, actor)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

export async function getBooking(db: Queryable, actor: Actor, id: string): Promise<Booking> {
  const row = (await db.execute<BookingRow>(sql`${bookingSelect} where b.id = ${id} and ${visibleBookings(actor)}`)).rows[0];
  if (!row) throw notFound('booking.not_found');
  return toBooking(row, actor);
}

/**
 * A visiting unit books a batch. Every rule is checked before anything is written: the halls
 * belong to the venue and are open at that time, the expected headcount fits each hall (the batch
 * goes through the halls together), and no pending or confirmed booking holds any of the halls in
 * an overlapping slot. The halls' rows are locked first, so two concurrent requests for the same
 * hall are decided one after the other.
 */
export async function createBooking(db: Db, actor: Actor, input: CreateBooking): Promise<Booking> {
  const id = await db.transaction(async (tx) => {
    const venue = (await tx.execute<{ id: string; org_path: string; opens_at: string; closes_at: string } & Record<string, unknown>>(sql`
      select v.id::text, v.org_path::text, to_char(v.opens_at, 'HH24:MI') as opens_at, to_char(v.closes_at, 'HH24:MI') as closes_at
        from venues v where v.id = ${input.venueId} and v.is_active`)).rows[0];
    if (!venue) throw invalidField('venueId', 'booking.venue_not_found');
    let unitName = input.unitName;
    let unitKey = `name:${simplify(input.unitName ?? '').replace(/\s+/g, '').toLowerCase()}`;
    if (input.unitOrgId) {
      const org = await managedOrg(tx, actor, input.unitOrgId, { field: 'unitOrgId', notFoundKey: 'booking.unit_org_not_found', dissolvedKey: 'booking.unit_org_not_found' });
      unitName ??= org.name;
      unitKey = `org:${org.id}`;
    }
    const hallIds = [...new Set(input.hallIds)];
    const halls = (await tx.execute<{ id: string; name: string; capacity: number; opens_at: string; closes_at: string } & Record<string, unknown>>(sql`
      select id::text, name, capacity, to_char(opens_at, 'HH24:MI') as opens_at, to_char(closes_at, 'HH24:MI') as closes_at
        from venue_halls where id = any(${textArray(hallIds)}::bigint[]) and venue_id = ${venue.id} and is_active
       order by id for update`)).rows;
    if (halls.length !== hallIds.length) throw invalidField('hallIds', 'booking.hall_not_in_venue');
    const startsAt = chinaInstant(input.date, input.startTime);
    const endsAt = chinaInstant(input.date, input.endTime);
    if (startsAt.getTime() < Date.now()) throw invalidField('date', 'booking.in_past');
    for (const hall of halls) {
      const opensAt = hall.opens_at > venue.opens_at ? hall.opens_at : venue.opens_at;
      const closesAt = hall.closes_at < venue.closes_at ? hall.closes_at : venue.closes_at;
      if (input.startTime < opensAt || input.endTime > closesAt) {
        throw invalidField(input.startTime < opensAt ? 'startTime' : 'endTime', 'booking.outside_hours', { hall: hall.name, opensAt, closesAt });
      }
      if (input.expectedHeadcount > hall.capacity) throw invalidField('expectedHeadcount', 'booking.over_capacity', { hall: hall.name, capacity: hall.capacity });
    }
    const clash = (await tx.execute<{ name: string; starts_at: Date | string; ends_at: Date | string } & Record<string, unknown>>(sql`
      select h.name, bh.starts_at, bh.ends_at from venue_booking_halls bh join venue_halls h on h.id = bh.hall_id
       where bh.hall_id = any(${textArray(hallIds)}::bigint[]) and bh.is_holding
         and bh.starts_at < ${endsAt.toISOString()}::timestamptz and bh.ends_at > ${startsAt.toISOString()}::timestamptz
       order by bh.starts_at limit 1`)).rows[0];
    if (clash) throw conflict('booking.overlap', { hall: clash.name, from: chinaTimeOfDay(clash.starts_at), to: chinaTimeOfDay(clash.ends_at) });
    const inserted = await tx.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into venue_bookings (venue_id, unit_org_id, unit_name, unit_key, contact_name, contact_phone, visit_date, starts_at, ends_at,
                                  expected_headcount, purpose, note, requested_by)
      values (${venue.id}, ${input.unitOrgId ?? null}, ${unitName!}, ${unitKey}, ${input.contactName}, ${input.contactPhone}, ${input.date}::date,
              ${startsAt.toISOString()}::timestamptz, ${endsAt.toISOString()}::timestamptz, ${input.expectedHeadcount}, ${input.purpose},
              ${input.note ?? null}, ${actor.userId})
      returning id::text`);
    const newId = inserted.rows[0]!.id;
    await tx.execute(sql`insert into venue_booking_halls (booking_id, hall_id, starts_at, ends_at)
      select ${newId}, h, ${startsAt.toISOString()}::timestamptz, ${endsAt.toISOString()}::timestamptz from unnest(${textArray(hallIds)}::bigint[]) as h`);
    await audit(tx, actor, { action: 'booking.create', targetType: 'venue_booking', targetId: newId, orgPath: venue.org_path, detail: { ...input } });
    return newId;
  });
  return getBooking(db, actor, id);
}

type Transition = 'confirm' | 'decline' | 'cancel' | 'visit';

/** Confirm, decline (frees the halls), cancel by the requester (frees the halls) and record the visit. */
export async function decideBooking(db: Db, actor: Actor, id: string, transition: Transition, input: { note?: string | null; actualHeadcount?: number }): Promise<Booking> {
  await db.transaction(async (tx) => {
    const row = (await tx.execute<{ status: BookingStatus; venue_path: string; requested_by: string; visit_date: string } & Record<string, unknown>>(sql`
      select b.status, v.org_path::text as venue_path, b.requested_by::text, b.visit_date::text
        from venue_bookings b join venues v on v.id = b.venue_id where b.id = ${id} for update of b`)).rows[0];
    const isStaff = !!row && canManageVenue(actor, { orgPath: row.venue_path });
    const isRequester = !!row && row.requested_by === actor.userId;
    if (!row || (!isStaff && !isRequester)) throw notFound('booking.not_found');
    if (transition !== 'cancel' && !isStaff) throw notFound('booking.not_found');
    let status: BookingStatus;
    switch (transition) {
      case 'confirm':
        if (row.status !== 'pending') throw conflict('booking.not_pending');
        status = 'confirmed';
        break;
      case 'decline':
      case 'cancel':
        if (row.status !== 'pending' && row.status !== 'confirmed') throw conflict('booking.not_open');
        status = transition === 'decline' ? 'declined' : 'cancelled';
        break;
      case 'visit':
        if (row.status !== 'confirmed' && row.status !== 'visited') throw conflict('booking.not_confirmed');
        if (row.visit_date > todayInChina()) throw conflict('booking.visit_not_yet');
        status = 'visited';
        break;
    }
    const decided = transition === 'confirm' || transition === 'decline' ? sql`, decided_by = ${actor.userId}, decided_at = now(), decision_note = ${input.note ?? null}` : sql``;
    const visited = transition === 'visit' ? sql`, actual_headcount = ${input.actualHeadcount!}, visited_at = now()` : sql``;
    await tx.execute(sql`update venue_bookings set status = ${status}${decided}${visited} where id = ${id}`);
    if (status === 'declined' || status === 'cancelled') await tx.execute(sql`update venue_booking_halls set is_holding = false where booking_id = ${id}`);
    await audit(tx, actor, { action: `booking.${transition}`, targetType: 'venue_booking', targetId: id, orgPath: row.venue_path, detail: { from: row.status, to: status, ...input } });
  });
  return getBooking(db, actor, id);
}

/** A booking an activity may take place in: pending or confirmed, and the planner's own or their venue's. */
/** A booking an activity may name (pending or confirmed, visible to the actor): the venue it books. */
export async function findBookingForActivity(q: Queryable, actor: Actor, bookingId: string, field: string): Promise<{ venueId: string }> {
  const row = (await q.execute<{ venue_id: string } & Record<string, unknown>>(sql`select b.venue_id::text from venue_bookings b join venues v on v.id = b.venue_id
    where b.id = ${bookingId} and b.status in ('pending', 'confirmed') and ${visibleBookings(actor)}`)).rows[0];
  if (!row) throw invalidField(field, 'activity.booking_not_found');
  return { venueId: row.venue_id };
}

/** A venue an activity may be held at: one the actor can see (active, or run by them). */
export async function findVenueForActivity(q: Queryable, actor: Actor, venueId: string, field: string): Promise<void> {
  const row = (await q.execute(sql`select 1 from venues v where v.id = ${venueId} and ${visibleVenues(actor)}`)).rows[0];
  if (!row) throw invalidField(field, 'activity.venue_not_found');
}

/** Bookings in a time range for the calendar (not declined or cancelled). */
export async function listBookingsBetween(db: Db, actor: Actor, from: string, to: string, onlyMine = false) {
  const rows = await db.execute<{ id: string; title: string; starts_at: Date | string; ends_at: Date | string; place: string; status: string } & Record<string, unknown>>(sql`
    select b.id::text, b.unit_name || '·' || v.name as title, b.starts_at, b.ends_at, v.name || coalesce('（' || v.address || '）', '') as place, b.status
      from venue_bookings b join venues v on v.id = b.venue_id
     where b.starts_at < ${to}::timestamptz and b.ends_at > ${from}::timestamptz and b.status in ('pending', 'confirmed', 'visited')
       and ${onlyMine ? sql`b.requested_by = ${actor.userId}` : visibleBookings(actor)}
     order by b.starts_at, b.id limit 2000`);
  return rows.rows;
}
