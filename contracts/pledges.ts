import { z } from 'zod';
import { DateSchema, IdSchema, PageQuerySchema, optionalText, pageOf, requiredText } from './common.js';

/**
 * 承诺践诺: in a period opened by an org for its subtree, members and orgs publish pledges (亮诺), report
 * progress with evidence (践诺) and are rated at the period's end (评诺) by themselves, their branch and the public.
 */
export const PLEDGE_PHASES = ['before', 'pledge', 'fulfil', 'review', 'ended'] as const;
export type PledgePhase = (typeof PLEDGE_PHASES)[number];

/** The phase of a period on a China day (dates compare as YYYY-MM-DD strings). */
export function phaseOn(period: { pledgeFrom: string; fulfilFrom: string; reviewFrom: string; reviewUntil: string }, today: string): PledgePhase {
  if (today < period.pledgeFrom) return 'before';
  if (today < period.fulfilFrom) return 'pledge';
  if (today < period.reviewFrom) return 'fulfil';
  if (today <= period.reviewUntil) return 'review';
  return 'ended';
}

export const PLEDGE_CATEGORIES = ['study', 'work', 'service', 'integrity', 'other'] as const;
export const PLEDGE_STATUSES = ['draft', 'submitted', 'returned', 'published'] as const;
export const PledgeStatusSchema = z.enum(PLEDGE_STATUSES);
export type PledgeStatus = z.infer<typeof PledgeStatusSchema>;
/** 完成 / 基本完成 / 未完成 */
export const FULFILMENT_RATINGS = ['completed', 'mostly_completed', 'not_completed'] as const;
export const FulfilmentRatingSchema = z.enum(FULFILMENT_RATINGS);
export type FulfilmentRating = z.infer<typeof FulfilmentRatingSchema>;
/** 满意 / 基本满意 / 不满意 */
export const PUBLIC_RATINGS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export const PublicRatingValueSchema = z.enum(PUBLIC_RATINGS);

// ---------- periods ----------

const periodDates = {
  pledgeFrom: DateSchema,
  fulfilFrom: DateSchema,
  reviewFrom: DateSchema,
  reviewUntil: DateSchema,
};
type Dates = { pledgeFrom: string; fulfilFrom: string; reviewFrom: string; reviewUntil: string };
const inOrder = <T extends z.ZodType<Dates>>(schema: T) => schema
  .refine((p) => p.fulfilFrom >= p.pledgeFrom, { message: 'pledge.dates_order', path: ['fulfilFrom'] })
  .refine((p) => p.reviewFrom >= p.fulfilFrom, { message: 'pledge.dates_order', path: ['reviewFrom'] })
  .refine((p) => p.reviewUntil >= p.reviewFrom, { message: 'pledge.dates_order', path: ['reviewUntil'] });

export const CreatePeriodSchema = inOrder(z.strictObject({ orgId: IdSchema, name: requiredText(40), ...periodDates }));
export type CreatePeriod = z.infer<typeof CreatePeriodSchema>;
export const UpdatePeriodSchema = inOrder(z.strictObject({ name: requiredText(40), ...periodDates }));
export type UpdatePeriod = z.infer<typeof UpdatePeriodSchema>;

export const PeriodSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  name: z.string(),
  ...periodDates,
  phase: z.enum(PLEDGE_PHASES),
  canManage: z.boolean(),
  createdAt: z.string(),
});
export type Period = z.infer<typeof PeriodSchema>;
export const PeriodListQuerySchema = PageQuerySchema.extend({ orgId: IdSchema.optional() });
export type PeriodListQuery = z.infer<typeof PeriodListQuerySchema>;
export const PeriodPageSchema = pageOf(PeriodSchema);
export type PeriodPage = z.infer<typeof PeriodPageSchema>;

// ---------- pledges ----------

export const PledgeItemInputSchema = z.strictObject({
  content: requiredText(300),
  category: z.enum(PLEDGE_CATEGORIES),
  /** measurable: what will show it was kept (e.g. 全年走访群众不少于 12 户) */
  target: requiredText(200),
});
export const PledgeItemsSchema = z.array(PledgeItemInputSchema).min(1, { message: 'pledge.items_required' }).max(10, { message: 'pledge.items_too_many' });

/** Without orgId: the signed-in member's own pledge; with it: the org's pledge, written by its admin. */
export const CreatePledgeSchema = z.strictObject({ periodId: IdSchema, orgId: IdSchema.optional(), items: PledgeItemsSchema });
export type CreatePledge = z.infer<typeof CreatePledgeSchema>;
export const UpdatePledgeItemsSchema = z.strictObject({ items: PledgeItemsSchema });
export type UpdatePledgeItems = z.infer<typeof UpdatePledgeItemsSchema>;
export const ReturnPledgeSchema = z.strictObject({ reason: requiredText(200) });
export const AddProgressSchema = z.strictObject({ doneOn: DateSchema, note: requiredText(1000) });
export type AddProgress = z.infer<typeof AddProgressSchema>;
export const RatePledgeSchema = z.strictObject({ rating: FulfilmentRatingSchema, comment: requiredText(500) });
export type RatePledge = z.infer<typeof RatePledgeSchema>;

export const PledgeItemSchema = PledgeItemInputSchema.extend({ id: IdSchema });
export const PledgeFileSchema = z.object({ id: IdSchema, kind: z.enum(['photo', 'document']), fileName: z.string(), mimeType: z.string(), sizeBytes: z.number().int(), url: z.string() });
export const ProgressSchema = z.object({ id: IdSchema, doneOn: z.string(), note: z.string(), files: z.array(PledgeFileSchema), createdAt: z.string() });
export type Progress = z.infer<typeof ProgressSchema>;
export const FulfilmentReviewSchema = z.object({ rating: FulfilmentRatingSchema, comment: z.string(), ratedAt: z.string() });
/** Ratings that count (not hidden); the rate is (满意 + 基本满意) / all, in percent with one decimal. */
export const SatisfactionSchema = z.object({
  satisfied: z.number().int(), basicallySatisfied: z.number().int(), dissatisfied: z.number().int(), total: z.number().int(), rate: z.number().nullable(),
});
export type Satisfaction = z.infer<typeof SatisfactionSchema>;

export const PledgeSummarySchema = z.object({
  id: IdSchema,
  periodId: IdSchema,
  periodName: z.string(),
  kind: z.enum(['member', 'org']),
  orgId: IdSchema,
  orgName: z.string(),
  memberId: IdSchema.nullable(),
  /** The member's name, or the org's for an org's pledge. */
  pledgerName: z.string(),
  status: PledgeStatusSchema,
  returnReason: z.string().nullable(),
  items: z.array(PledgeItemSchema),
  progressCount: z.number().int(),
  selfReview: FulfilmentReviewSchema.nullable(),
  branchReview: FulfilmentReviewSchema.nullable(),
  satisfaction: SatisfactionSchema,
  phase: z.enum(PLEDGE_PHASES),
  submittedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  createdAt: z.string(),
});
export const PledgeSchema = PledgeSummarySchema.extend({
  progress: z.array(ProgressSchema),
  canEdit: z.boolean(),
  canApprove: z.boolean(),
  canAddProgress: z.boolean(),
  canSelfReview: z.boolean(),
  canBranchReview: z.boolean(),
});
export type Pledge = z.infer<typeof PledgeSchema>;
export type PledgeSummary = z.infer<typeof PledgeSummarySchema>;
export const PledgePageSchema = pageOf(PledgeSummarySchema);
export type PledgePage = z.infer<typeof PledgePageSchema>;

/** The figures of the statistics; a list filtered by one holds exactly that figure's pledges. */
export const PLEDGE_FIGURES = ['published', 'with_progress', 'self_reviewed', 'branch_reviewed'] as const;
export const PledgeListQuerySchema = PageQuerySchema.extend({
  periodId: IdSchema.optional(),
  orgId: IdSchema.optional(),
  status: PledgeStatusSchema.optional(),
  figure: z.enum(PLEDGE_FIGURES).optional(),
});
export type PledgeListQuery = z.infer<typeof PledgeListQuerySchema>;
export const MyPledgeQuerySchema = PageQuerySchema;

// ---------- statistics ----------

export const PledgeStatsQuerySchema = z.object({ periodId: IdSchema, orgId: IdSchema });
export type PledgeStatsQuery = z.infer<typeof PledgeStatsQuerySchema>;
export const PledgeStatsRowSchema = z.object({
  orgId: IdSchema,
  orgName: z.string(),
  published: z.number().int(),
  withProgress: z.number().int(),
  selfReviewed: z.number().int(),
  branchReviewed: z.number().int(),
  satisfaction: SatisfactionSchema,
});
export type PledgeStatsRow = z.infer<typeof PledgeStatsRowSchema>;
/** `total` is the org's whole subtree; `rows` its direct sub-orgs (each with its subtree). */
export const PledgeStatsSchema = z.object({ periodId: IdSchema, total: PledgeStatsRowSchema, rows: z.array(PledgeStatsRowSchema) });
export type PledgeStats = z.infer<typeof PledgeStatsSchema>;

// ---------- moderation of the public's comments ----------

export const RatingListQuerySchema = PageQuerySchema.extend({
  periodId: IdSchema.optional(),
  status: z.enum(['pending', 'approved', 'hidden']).optional(),
});
export type RatingListQuery = z.infer<typeof RatingListQuerySchema>;
export const PublicRatingRecordSchema = z.object({
  id: IdSchema,
  pledgeId: IdSchema,
  pledgerName: z.string(),
  orgName: z.string(),
  rating: PublicRatingValueSchema,
  comment: z.string().nullable(),
  status: z.enum(['pending', 'approved', 'hidden']),
  createdAt: z.string(),
});
export const PublicRatingRecordPageSchema = pageOf(PublicRatingRecordSchema);
export type PublicRatingRecordPage = z.infer<typeof PublicRatingRecordPageSchema>;
export const ModerateRatingSchema = z.strictObject({ decision: z.enum(['approve', 'hide']) });
export type ModerateRating = z.infer<typeof ModerateRatingSchema>;
export const RatingParamsSchema = z.object({ id: IdSchema });
export const PledgeFileParamsSchema = z.object({ id: IdSchema, fileId: IdSchema });
export const ProgressFileParamsSchema = z.object({ id: IdSchema, progressId: IdSchema });

// ---------- public board (no login): names and org names only ----------

export const PublicPledgeQuerySchema = PageQuerySchema.extend({ orgId: IdSchema.optional(), periodId: IdSchema.optional() });
export type PublicPledgeQuery = z.infer<typeof PublicPledgeQuerySchema>;
export const PublicPledgeSchema = z.object({
  id: IdSchema,
  periodName: z.string(),
  kind: z.enum(['member', 'org']),
  pledgerName: z.string(),
  orgName: z.string(),
  items: z.array(PledgeItemInputSchema),
  progressCount: z.number().int(),
  selfRating: FulfilmentRatingSchema.nullable(),
  branchRating: FulfilmentRatingSchema.nullable(),
  satisfaction: SatisfactionSchema,
  /** The public may rate now (评诺 phase). */
  isRatingOpen: z.boolean(),
  publishedAt: z.string(),
});
export type PublicPledge = z.infer<typeof PublicPledgeSchema>;
export const PublicPledgePageSchema = pageOf(PublicPledgeSchema);
export type PublicPledgePage = z.infer<typeof PublicPledgePageSchema>;
export const PublicPledgeDetailSchema = PublicPledgeSchema.extend({
  progress: z.array(z.object({ doneOn: z.string(), note: z.string(), photos: z.array(z.object({ id: IdSchema, url: z.string() })) })),
  comments: z.array(z.object({ rating: PublicRatingValueSchema, comment: z.string(), createdAt: z.string() })),
});
export type PublicPledgeDetail = z.infer<typeof PublicPledgeDetailSchema>;
export const PostPublicRatingSchema = z.strictObject({ rating: PublicRatingValueSchema, comment: optionalText(300) });
export type PostPublicRating = z.infer<typeof PostPublicRatingSchema>;
export const PublicRatingReceiptSchema = z.object({ commentPending: z.boolean(), satisfaction: SatisfactionSchema });
export type PublicRatingReceipt = z.infer<typeof PublicRatingReceiptSchema>;
export const PublicTreeParamsSchema = z.object({ rootId: IdSchema });
