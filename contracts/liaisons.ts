import { z } from 'zod';
import { DateSchema, IdSchema, PageQuerySchema, optionalText, pageOf, requiredText } from './common.js';

/**
 * 委员联系支部 (issue #15): the administrators above a branch assign a committee member to liaise with it.
 * While the assignment stands the liaison reads the branch read-only (like an inspector, 督查) and
 * records 旁听 — sitting in on the branch's activities, with observations and suggestions.
 */
export const LIAISON_STATUSES = ['active', 'ended', 'all'] as const;

export const LiaisonSchema = z.object({
  id: IdSchema,
  userId: IdSchema,
  username: z.string(),
  userName: z.string(),
  orgId: IdSchema,
  orgName: z.string(),
  /** What the liaison is on the committee above (组织委员, 纪检委员…). */
  duty: z.string().nullable(),
  fromDate: z.string(),
  untilDate: z.string().nullable(),
  endedAt: z.string().nullable(),
  /** Standing today: from its first day, before its last, not ended. */
  active: z.boolean(),
  assignedByName: z.string().nullable(),
  sitIns: z.number().int(),
  createdAt: z.string(),
  /** The viewer administers an org above the branch (assigns and ends). */
  canManage: z.boolean(),
});
export type Liaison = z.infer<typeof LiaisonSchema>;

export const LiaisonPageSchema = pageOf(LiaisonSchema);
export type LiaisonPage = z.infer<typeof LiaisonPageSchema>;

export const LiaisonListQuerySchema = PageQuerySchema.extend({
  /** The branch, or an org above it (its subtree). */
  orgId: IdSchema.optional(),
  status: z.enum(LIAISON_STATUSES).default('active'),
});
export type LiaisonListQuery = z.infer<typeof LiaisonListQuerySchema>;

export const CreateLiaisonSchema = z
  .strictObject({
    userId: IdSchema,
    orgId: IdSchema,
    duty: optionalText(30),
    /** By default today (China). */
    fromDate: DateSchema.optional(),
    untilDate: DateSchema.nullable().optional(),
  })
  .refine((l) => !l.fromDate || !l.untilDate || l.untilDate >= l.fromDate, { message: 'liaison.until_before_from', path: ['untilDate'] });
export type CreateLiaison = z.infer<typeof CreateLiaisonSchema>;

export const SitInSchema = z.object({
  id: IdSchema,
  liaisonId: IdSchema,
  userName: z.string(),
  orgId: IdSchema,
  orgName: z.string(),
  activityId: IdSchema,
  activityTitle: z.string(),
  activityStartsAt: z.string(),
  satInOn: z.string(),
  observations: z.string(),
  suggestions: z.string().nullable(),
  createdAt: z.string(),
});
export type SitIn = z.infer<typeof SitInSchema>;

export const SitInPageSchema = pageOf(SitInSchema);
export type SitInPage = z.infer<typeof SitInPageSchema>;

export const SitInListQuerySchema = PageQuerySchema.extend({ orgId: IdSchema.optional() });
export type SitInListQuery = z.infer<typeof SitInListQuerySchema>;

export const CreateSitInSchema = z.strictObject({
  activityId: IdSchema,
  /** By default the activity's day (China). */
  satInOn: DateSchema.optional(),
  observations: requiredText(2000),
  suggestions: optionalText(2000),
});
export type CreateSitIn = z.infer<typeof CreateSitInSchema>;

/** An activity of a branch the viewer liaises with (recent and coming), and their 旁听 of it if any. */
export const LiaisonActivitySchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  title: z.string(),
  type: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  place: z.string().nullable(),
  status: z.string(),
  sitInId: IdSchema.nullable(),
});
export type LiaisonActivity = z.infer<typeof LiaisonActivitySchema>;

export const MyLiaisonsSchema = z.object({
  branches: z.array(z.object({
    id: IdSchema, orgId: IdSchema, orgName: z.string(), duty: z.string().nullable(), fromDate: z.string(), untilDate: z.string().nullable(), sitIns: z.number().int(),
  })),
  /** Activities of those branches from 60 days ago on, the latest first (at most 50). */
  activities: z.array(LiaisonActivitySchema),
});
export type MyLiaisons = z.infer<typeof MyLiaisonsSchema>;
