import { z } from 'zod';
import { IdSchema, PageQuerySchema, optionalText, pageOf, requiredText, DateTimeSchema } from './common.js';

/** 志愿服务: projects posted by an org (optionally for a community), sign-ups, confirmed hours. */

const endsAfterStart = (p: { startsAt?: string; endsAt?: string }) => !p.startsAt || !p.endsAt || new Date(p.endsAt) > new Date(p.startsAt);

export const CreateVolunteerProjectSchema = z
  .strictObject({
    orgId: IdSchema,
    communityId: IdSchema.optional(),
    title: requiredText(100),
    description: optionalText(2000),
    place: requiredText(200),
    startsAt: DateTimeSchema,
    endsAt: DateTimeSchema,
    /** Places available. */
    capacity: z.number().int().min(1).max(10_000),
  })
  .refine(endsAfterStart, { message: 'volunteering.ends_before_start', path: ['endsAt'] });
export type CreateVolunteerProject = z.infer<typeof CreateVolunteerProjectSchema>;

export const UpdateVolunteerProjectSchema = z
  .strictObject({
    title: requiredText(100).optional(),
    description: optionalText(2000),
    place: requiredText(200).optional(),
    startsAt: DateTimeSchema.optional(),
    endsAt: DateTimeSchema.optional(),
    capacity: z.number().int().min(1).max(10_000).optional(),
    cancelled: z.boolean().optional(),
  })
  .refine(endsAfterStart, { message: 'volunteering.ends_before_start', path: ['endsAt'] });
export type UpdateVolunteerProject = z.infer<typeof UpdateVolunteerProjectSchema>;

export const VolunteerProjectSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  communityId: IdSchema.nullable(),
  communityName: z.string().nullable(),
  title: z.string(),
  description: z.string().nullable(),
  place: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  capacity: z.number().int(),
  signedUp: z.number().int(),
  placesLeft: z.number().int(),
  isCancelled: z.boolean(),
  /** The signed-in member's sign-up, if any. */
  mySignup: z.object({ attended: z.boolean().nullable(), hours: z.number().nullable() }).nullable(),
  canManage: z.boolean(),
});
export type VolunteerProject = z.infer<typeof VolunteerProjectSchema>;

export const VolunteerProjectListQuerySchema = PageQuerySchema.extend({
  orgId: IdSchema.optional(),
  /** Only projects that have not ended and are not cancelled. */
  upcoming: z.enum(['1', 'true']).optional(),
});
export type VolunteerProjectListQuery = z.infer<typeof VolunteerProjectListQuerySchema>;
export const VolunteerProjectPageSchema = pageOf(VolunteerProjectSchema);
export type VolunteerProjectPage = z.infer<typeof VolunteerProjectPageSchema>;

export const SignupSchema = z.object({
  memberId: IdSchema,
  memberName: z.string(),
  orgName: z.string(),
  signedUpAt: z.string(),
  attended: z.boolean().nullable(),
  hours: z.number().nullable(),
});
export type Signup = z.infer<typeof SignupSchema>;
export const SignupListSchema = z.object({ items: z.array(SignupSchema) });

/** Hours in steps of 0.1 (stored in tenths). */
const HoursSchema = z.number().min(0).max(24).refine((h) => Math.abs(Math.round(h * 10) - h * 10) < 1e-6, { message: 'volunteering.hours_step' });
export const ConfirmAttendanceSchema = z.strictObject({
  entries: z.array(z.strictObject({ memberId: IdSchema, attended: z.boolean(), hours: HoursSchema.optional() })).min(1).max(500),
});
export type ConfirmAttendance = z.infer<typeof ConfirmAttendanceSchema>;

export const HoursQuerySchema = PageQuerySchema.extend({ orgId: IdSchema });
export type HoursQuery = z.infer<typeof HoursQuerySchema>;
export const MemberHoursSchema = z.object({ memberId: IdSchema, memberName: z.string(), orgName: z.string(), projects: z.number().int(), hours: z.number() });
export const MemberHoursPageSchema = pageOf(MemberHoursSchema);
export type MemberHoursPage = z.infer<typeof MemberHoursPageSchema>;
export const MyHoursSchema = z.object({
  hours: z.number(),
  records: z.array(z.object({ projectId: IdSchema, title: z.string(), orgName: z.string(), startsAt: z.string(), hours: z.number() })),
});
export type MyHours = z.infer<typeof MyHoursSchema>;
