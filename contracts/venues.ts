import { z } from 'zod';
import { DateSchema, IdSchema, PageQuerySchema, optionalText, pageOf, requiredText } from './common.js';
import { ActivityTypeSchema } from './activities.js';

export const VenueKindSchema = z.enum(['tempering_centre', 'service_centre', 'exhibition_hall', 'other']);
export const BOOKING_PURPOSES = ['visit', 'lecture', 'oath_ceremony', 'party_birthday', 'org_life', 'seminar', 'salon'] as const;
export const BookingPurposeSchema = z.enum(BOOKING_PURPOSES);
export type BookingPurpose = z.infer<typeof BookingPurposeSchema>;
export const BookingStatusSchema = z.enum(['pending', 'confirmed', 'declined', 'cancelled', 'visited']);
export type BookingStatus = z.infer<typeof BookingStatusSchema>;

/** HH:MM, 00:00–23:59 (times of day are China Standard Time). */
export const TimeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'field.time' });
const phone = z.string().trim().regex(/^[\d\-+() ]{5,30}$/, { message: 'field.format' });

const hoursInOrder = (v: { opensAt?: string; closesAt?: string }) => !v.opensAt || !v.closesAt || v.closesAt > v.opensAt;

export const HallSchema = z.object({
  id: IdSchema,
  venueId: IdSchema,
  name: z.string(),
  kind: z.enum(['hall', 'area']),
  capacity: z.number().int(),
  opensAt: z.string(),
  closesAt: z.string(),
  isActive: z.boolean(),
});
export type Hall = z.infer<typeof HallSchema>;

export const VenueSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  name: z.string(),
  kind: VenueKindSchema,
  address: z.string().nullable(),
  description: z.string().nullable(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  opensAt: z.string(),
  closesAt: z.string(),
  isActive: z.boolean(),
  halls: z.array(HallSchema),
  canManage: z.boolean(),
});
export type Venue = z.infer<typeof VenueSchema>;

export const CreateVenueSchema = z
  .strictObject({
    orgId: IdSchema,
    name: requiredText(100),
    kind: VenueKindSchema,
    address: optionalText(200),
    description: optionalText(5000),
    contactName: optionalText(50),
    contactPhone: phone.nullable().optional(),
    opensAt: TimeOfDaySchema.default('09:00'),
    closesAt: TimeOfDaySchema.default('17:00'),
  })
  .refine(hoursInOrder, { message: 'venue.closes_before_opens', path: ['closesAt'] });
export type CreateVenue = z.infer<typeof CreateVenueSchema>;

export const UpdateVenueSchema = z
  .strictObject({
    name: requiredText(100).optional(),
    kind: VenueKindSchema.optional(),
    address: optionalText(200),
    description: optionalText(5000),
    contactName: optionalText(50),
    contactPhone: phone.nullable().optional(),
    opensAt: TimeOfDaySchema.optional(),
    closesAt: TimeOfDaySchema.optional(),
    isActive: z.boolean().optional(),
  })
  .refine(hoursInOrder, { message: 'venue.closes_before_opens', path: ['closesAt'] });
export type UpdateVenue = z.infer<typeof UpdateVenueSchema>;

export const CreateHallSchema = z
  .strictObject({
    name: requiredText(100),
    kind: z.enum(['hall', 'area']).default('hall'),
    capacity: z.number().int().min(1).max(100_000),
    /** Within the venue's hours; the venue's hours when omitted. */
    opensAt: TimeOfDaySchema.optional(),
    closesAt: TimeOfDaySchema.optional(),
  })
  .refine(hoursInOrder, { message: 'venue.closes_before_opens', path: ['closesAt'] });
export type CreateHall = z.infer<typeof CreateHallSchema>;

export const UpdateHallSchema = z
  .strictObject({
    name: requiredText(100).optional(),
    kind: z.enum(['hall', 'area']).optional(),
    capacity: z.number().int().min(1).max(100_000).optional(),
    opensAt: TimeOfDaySchema.optional(),
    closesAt: TimeOfDaySchema.optional(),
    isActive: z.boolean().optional(),
  })
  .refine(hoursInOrder, { message: 'venue.closes_before_opens', path: ['closesAt'] });
export type UpdateHall = z.infer<typeof UpdateHallSchema>;

export const HallParamsSchema = z.object({ id: IdSchema, hallId: IdSchema });

export const CreateBookingSchema = z
  .strictObject({
    venueId: IdSchema,
    hallIds: z.array(IdSchema).min(1).max(20),
    date: DateSchema,
    startTime: TimeOfDaySchema,
    endTime: TimeOfDaySchema,
    expectedHeadcount: z.number().int().min(1).max(100_000),
    purpose: BookingPurposeSchema,
    /** The visiting unit: an org the requester administers, or a name (a unit outside the platform). */
    unitOrgId: IdSchema.optional(),
    unitName: requiredText(100).optional(),
    contactName: requiredText(50),
    contactPhone: phone,
    note: optionalText(1000),
  })
  .refine((b) => b.endTime > b.startTime, { message: 'booking.end_before_start', path: ['endTime'] })
  .refine((b) => b.unitOrgId !== undefined || b.unitName !== undefined, { message: 'booking.unit_required', path: ['unitName'] });
export type CreateBooking = z.infer<typeof CreateBookingSchema>;

export const BookingSchema = z.object({
  id: IdSchema,
  venueId: IdSchema,
  venueName: z.string(),
  unitOrgId: IdSchema.nullable(),
  unitName: z.string(),
  contactName: z.string(),
  contactPhone: z.string(),
  date: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  halls: z.array(z.object({ id: IdSchema, name: z.string() })),
  expectedHeadcount: z.number().int(),
  actualHeadcount: z.number().int().nullable(),
  purpose: BookingPurposeSchema,
  status: BookingStatusSchema,
  note: z.string().nullable(),
  decisionNote: z.string().nullable(),
  decidedAt: z.string().nullable(),
  visitedAt: z.string().nullable(),
  createdAt: z.string(),
  /** The venue's staff may confirm, decline and record the visit. */
  canDecide: z.boolean(),
});
export type Booking = z.infer<typeof BookingSchema>;
export const BookingPageSchema = pageOf(BookingSchema);

export const BookingListQuerySchema = PageQuerySchema.extend({
  venueId: IdSchema.optional(),
  status: BookingStatusSchema.optional(),
  from: DateSchema.optional(),
  to: DateSchema.optional(),
  /** Only the viewer's own requests. */
  mine: z.enum(['1', 'true']).optional(),
  /** Only bookings of the venues of this org and the orgs under it. */
  orgId: IdSchema.optional(),
});
export type BookingListQuery = z.infer<typeof BookingListQuerySchema>;

export const DecideBookingSchema = z.strictObject({ note: optionalText(500) });
export const DeclineBookingSchema = z.strictObject({ note: requiredText(500) });
export const RecordVisitSchema = z.strictObject({ actualHeadcount: z.number().int().min(0).max(100_000) });

export const StatisticsQuerySchema = z
  .object({ venueId: IdSchema.optional(), from: DateSchema, to: DateSchema })
  .refine((q) => q.to >= q.from, { message: 'venue.range', path: ['to'] });
export type StatisticsQuery = z.infer<typeof StatisticsQuerySchema>;

export const VenueStatisticsSchema = z.object({
  from: z.string(),
  to: z.string(),
  venueId: IdSchema.nullable(),
  /** Distinct visiting units (an org of the platform, or the same unit name in simplified form). */
  units: z.number().int(),
  /** Visits that took place (actual headcount recorded). */
  batches: z.number().int(),
  /** Member-visits: the sum of actual headcounts. */
  personTimes: z.number().int(),
  byPurpose: z.array(z.object({ purpose: BookingPurposeSchema, batches: z.number().int(), personTimes: z.number().int() })),
  byHall: z.array(z.object({ hallId: IdSchema, hallName: z.string(), venueName: z.string(), batches: z.number().int(), personTimes: z.number().int() })),
  byMonth: z.array(z.object({ month: z.string(), batches: z.number().int(), personTimes: z.number().int() })),
  /** Activities held at the venues in the period (published or closed, started), by type: with or without a booking. */
  activities: z.number().int(),
  byActivityType: z.array(z.object({ type: ActivityTypeSchema, activities: z.number().int() })),
});
export type VenueStatistics = z.infer<typeof VenueStatisticsSchema>;

/** The activities one figure of the statistics counts: the same period and venue, optionally one type. */
export const VenueActivitiesQuerySchema = z
  .object({ venueId: IdSchema.optional(), from: DateSchema, to: DateSchema, type: ActivityTypeSchema.optional() })
  .extend(PageQuerySchema.shape)
  .refine((q) => q.to >= q.from, { message: 'venue.range', path: ['to'] });
export type VenueActivitiesQuery = z.infer<typeof VenueActivitiesQuerySchema>;

export const VenueActivitySchema = z.object({
  id: IdSchema,
  type: ActivityTypeSchema,
  title: z.string(),
  startsAt: z.string(),
  orgName: z.string(),
  venueName: z.string(),
  /** The booking it was held under, if any (one booking may host several activities). */
  venueBookingId: IdSchema.nullable(),
});
export const VenueActivityPageSchema = pageOf(VenueActivitySchema);
export type VenueActivityPage = z.infer<typeof VenueActivityPageSchema>;

export const StationSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  name: z.string(),
  address: z.string(),
  longitude: z.number().nullable(),
  latitude: z.number().nullable(),
  hours: z.string().nullable(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  description: z.string().nullable(),
  isActive: z.boolean(),
  canManage: z.boolean(),
});
export type Station = z.infer<typeof StationSchema>;
export const StationPageSchema = pageOf(StationSchema);

const bothOrNeither = (s: { longitude?: number | null; latitude?: number | null }) =>
  (s.longitude === undefined) === (s.latitude === undefined) && (s.longitude === null) === (s.latitude === null);

export const CreateStationSchema = z
  .strictObject({
    orgId: IdSchema,
    name: requiredText(100),
    address: requiredText(200),
    longitude: z.number().min(-180).max(180).nullable().optional(),
    latitude: z.number().min(-90).max(90).nullable().optional(),
    hours: optionalText(200),
    contactName: optionalText(50),
    contactPhone: phone.nullable().optional(),
    description: optionalText(2000),
  })
  .refine(bothOrNeither, { message: 'station.coordinates_pair', path: ['latitude'] });
export type CreateStation = z.infer<typeof CreateStationSchema>;

export const UpdateStationSchema = z
  .strictObject({
    name: requiredText(100).optional(),
    address: requiredText(200).optional(),
    longitude: z.number().min(-180).max(180).nullable().optional(),
    latitude: z.number().min(-90).max(90).nullable().optional(),
    hours: optionalText(200),
    contactName: optionalText(50),
    contactPhone: phone.nullable().optional(),
    description: optionalText(2000),
    isActive: z.boolean().optional(),
  })
  .refine(bothOrNeither, { message: 'station.coordinates_pair', path: ['latitude'] });
export type UpdateStation = z.infer<typeof UpdateStationSchema>;

export const StationListQuerySchema = PageQuerySchema.extend({
  q: z.string().trim().max(50).optional(),
  orgId: IdSchema.optional(),
});
