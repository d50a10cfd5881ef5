import { z } from 'zod';
import { DateSchema, IdSchema, PageQuerySchema, optionalText, pageOf, requiredText } from './common.js';

/** 我为群众办实事: the categories a tree uses until its work committee configures its own. */
export const DEFAULT_SERVICE_CATEGORIES = ['党员教育成长', '党建惠企利民', '关爱减负', '帮扶解困', '文明创建'] as const;

export const SERVICE_SOURCES = ['mass_feedback', 'survey_visit', 'assigned'] as const;
/** 群众反映 · 调研走访 · 上级交办 */
export const ServiceSourceSchema = z.enum(SERVICE_SOURCES);
export const SERVICE_STATUSES = ['planned', 'in_progress', 'done', 'stalled'] as const;
export const ServiceStatusSchema = z.enum(SERVICE_STATUSES);
export type ServiceStatus = z.infer<typeof ServiceStatusSchema>;

export const MilestoneInputSchema = z.strictObject({
  title: requiredText(100),
  dueOn: DateSchema,
  doneOn: DateSchema.nullable().optional(),
});

const projectFields = {
  title: requiredText(100),
  category: requiredText(30),
  source: ServiceSourceSchema,
  need: requiredText(1000),
  ownerName: requiredText(50),
  startedOn: DateSchema.optional(),
  plannedCompletion: DateSchema,
  completedOn: DateSchema.nullable().optional(),
  milestones: z.array(MilestoneInputSchema).max(50).optional(),
  progress: z.number().int().min(0).max(100).optional(),
  status: ServiceStatusSchema.optional(),
  isMajorProblem: z.boolean().optional(),
  result: optionalText(2000),
  isPublic: z.boolean().optional(),
};

type Consistency = { startedOn?: string; plannedCompletion?: string; status?: ServiceStatus; progress?: number };
const completionAfterStart = (p: Consistency) => !p.startedOn || !p.plannedCompletion || p.plannedCompletion >= p.startedOn;
// a project reported done is complete: the upper org reads 100 %, not 80 % and "done"
const doneIsComplete = (p: Consistency) => p.status !== 'done' || p.progress === undefined || p.progress === 100;

export const CreateServiceProjectSchema = z
  .strictObject({ orgId: IdSchema, ...projectFields })
  .refine(completionAfterStart, { message: 'service_project.completion_before_start', path: ['plannedCompletion'] })
  .refine(doneIsComplete, { message: 'service_project.done_needs_full_progress', path: ['progress'] });
export type CreateServiceProject = z.infer<typeof CreateServiceProjectSchema>;

export const UpdateServiceProjectSchema = z
  .strictObject({
    title: projectFields.title.optional(),
    category: projectFields.category.optional(),
    source: projectFields.source.optional(),
    need: projectFields.need.optional(),
    ownerName: projectFields.ownerName.optional(),
    startedOn: projectFields.startedOn,
    plannedCompletion: projectFields.plannedCompletion.optional(),
    completedOn: projectFields.completedOn,
    milestones: projectFields.milestones,
    progress: projectFields.progress,
    status: projectFields.status,
    isMajorProblem: projectFields.isMajorProblem,
    result: projectFields.result,
    isPublic: projectFields.isPublic,
  })
  .refine(completionAfterStart, { message: 'service_project.completion_before_start', path: ['plannedCompletion'] })
  .refine(doneIsComplete, { message: 'service_project.done_needs_full_progress', path: ['progress'] });
export type UpdateServiceProject = z.infer<typeof UpdateServiceProjectSchema>;

export const MilestoneSchema = z.object({ id: IdSchema, title: z.string(), dueOn: z.string(), doneOn: z.string().nullable(), isOverdue: z.boolean() });
export const EvidenceSchema = z.object({
  id: IdSchema,
  kind: z.enum(['photo', 'document']),
  fileName: z.string(),
  mimeType: z.string(),
  sizeBytes: z.number().int(),
  createdAt: z.string(),
  /** GET it with the session cookie; scoped like the project. */
  url: z.string(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const ReviewSchema = z.object({
  id: IdSchema,
  stage: z.string().nullable(),
  comment: z.string(),
  rating: z.number().int().nullable(),
  isReturned: z.boolean(),
  reviewerName: z.string(),
  createdAt: z.string(),
});

export const ServiceProjectSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  title: z.string(),
  category: z.string(),
  source: ServiceSourceSchema,
  need: z.string(),
  ownerName: z.string(),
  startedOn: z.string(),
  plannedCompletion: z.string(),
  completedOn: z.string().nullable(),
  progress: z.number().int(),
  status: ServiceStatusSchema,
  isMajorProblem: z.boolean(),
  result: z.string().nullable(),
  isPublic: z.boolean(),
  /** Returned by the upper org for rework and not yet resubmitted. */
  isReturned: z.boolean(),
  isOverdue: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  canEdit: z.boolean(),
  canReview: z.boolean(),
});
export type ServiceProject = z.infer<typeof ServiceProjectSchema>;

export const ServiceProjectDetailSchema = ServiceProjectSchema.extend({
  milestones: z.array(MilestoneSchema),
  evidence: z.array(EvidenceSchema),
  reviews: z.array(ReviewSchema),
  satisfaction: z.object({ average: z.number().nullable(), count: z.number().int() }),
});
export type ServiceProjectDetail = z.infer<typeof ServiceProjectDetailSchema>;

export const ServiceProjectListQuerySchema = PageQuerySchema.extend({
  /** The subtree of this org; without it, everything the viewer sees. */
  orgId: IdSchema.optional(),
  status: ServiceStatusSchema.optional(),
  category: z.string().trim().max(30).optional(),
  q: z.string().trim().max(50).optional(),
  overdue: z.enum(['1', 'true']).optional(),
  returned: z.enum(['1', 'true']).optional(),
});
export type ServiceProjectListQuery = z.infer<typeof ServiceProjectListQuerySchema>;
export const ServiceProjectPageSchema = pageOf(ServiceProjectSchema);
export type ServiceProjectPage = z.infer<typeof ServiceProjectPageSchema>;

export const ReviewServiceProjectSchema = z.strictObject({
  /** e.g. 第一阶段梳理 */
  stage: optionalText(50),
  comment: requiredText(1000),
  rating: z.number().int().min(1).max(5).optional(),
  returnForRework: z.boolean().optional(),
});
export type ReviewServiceProject = z.infer<typeof ReviewServiceProjectSchema>;

export const ResubmitServiceProjectSchema = z.strictObject({ note: requiredText(500) });
export type ResubmitServiceProject = z.infer<typeof ResubmitServiceProjectSchema>;

export const ServiceProjectEventSchema = z.object({
  id: IdSchema,
  at: z.string(),
  username: z.string().nullable(),
  action: z.string(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
});
export const ServiceProjectEventListSchema = z.object({ items: z.array(ServiceProjectEventSchema) });

export const CategoriesQuerySchema = z.object({ orgId: IdSchema });
export const CategoriesSchema = z.object({ rootOrgId: IdSchema, names: z.array(z.string()), isDefault: z.boolean() });
export type Categories = z.infer<typeof CategoriesSchema>;
export const SetCategoriesSchema = z.strictObject({
  rootOrgId: IdSchema,
  names: z.array(requiredText(30)).min(1).max(30).refine((n) => new Set(n).size === n.length, { message: 'service_project.category_duplicate' }),
});
export type SetCategories = z.infer<typeof SetCategoriesSchema>;

export const StatisticsQuerySchema = z
  .object({ orgId: IdSchema, from: DateSchema.optional(), to: DateSchema.optional() })
  .refine((q) => !q.from || !q.to || q.to >= q.from, { message: 'service_project.period_reversed', path: ['to'] });
export type StatisticsQuery = z.infer<typeof StatisticsQuerySchema>;

export const StatisticsSchema = z.object({
  orgId: IdSchema,
  from: z.string().nullable(),
  to: z.string().nullable(),
  total: z.number().int(),
  byStatus: z.object({ planned: z.number().int(), in_progress: z.number().int(), done: z.number().int(), stalled: z.number().int() }),
  byCategory: z.array(z.object({ category: z.string(), total: z.number().int(), done: z.number().int() })),
  /** Projects done: the problems solved. */
  solved: z.number().int(),
  majorSolved: z.number().int(),
  overdue: z.number().int(),
  /** The same figures per direct child org, for the chart "by unit". */
  byChildOrg: z.array(z.object({ orgId: IdSchema, orgName: z.string(), total: z.number().int(), solved: z.number().int(), overdue: z.number().int() })),
});
export type Statistics = z.infer<typeof StatisticsSchema>;

// ---------- moderation of citizens' feedback ----------

export const FeedbackStatusSchema = z.enum(['pending', 'approved', 'rejected']);
export const FeedbackSchema = z.object({
  id: IdSchema,
  projectId: IdSchema,
  projectTitle: z.string(),
  rating: z.number().int(),
  comment: z.string().nullable(),
  nickname: z.string().nullable(),
  status: FeedbackStatusSchema,
  createdAt: z.string(),
});
export const FeedbackQuerySchema = PageQuerySchema.extend({ status: FeedbackStatusSchema.default('pending') });
export type FeedbackQuery = z.infer<typeof FeedbackQuerySchema>;
export const FeedbackPageSchema = pageOf(FeedbackSchema);
export type FeedbackPage = z.infer<typeof FeedbackPageSchema>;
export const ModerateSchema = z.strictObject({ decision: z.enum(['approve', 'reject']) });
export type Moderate = z.infer<typeof ModerateSchema>;

// ---------- public page of a tree (no login): whitelisted fields only ----------

export const TreeParamsSchema = z.object({ rootId: IdSchema });
export const TreeProjectParamsSchema = z.object({ rootId: IdSchema, id: IdSchema });

export const PublicProjectQuerySchema = PageQuerySchema.extend({
  q: z.string().trim().max(50).optional(),
  status: ServiceStatusSchema.optional(),
  category: z.string().trim().max(30).optional(),
  /** Only items past their planned completion and not done. */
  overdue: z.enum(['1', 'true']).optional(),
});
export type PublicProjectQuery = z.infer<typeof PublicProjectQuerySchema>;

export const PublicProjectSchema = z.object({
  id: IdSchema,
  orgName: z.string(),
  title: z.string(),
  category: z.string(),
  source: ServiceSourceSchema,
  need: z.string(),
  startedOn: z.string(),
  plannedCompletion: z.string(),
  completedOn: z.string().nullable(),
  progress: z.number().int(),
  status: ServiceStatusSchema,
  isMajorProblem: z.boolean(),
  result: z.string().nullable(),
  satisfaction: z.object({ average: z.number().nullable(), count: z.number().int() }),
  /** Past its planned completion and not done. */
  isOverdue: z.boolean(),
});
export type PublicProject = z.infer<typeof PublicProjectSchema>;
export const PublicProjectPageSchema = pageOf(PublicProjectSchema).extend({
  treeName: z.string(),
  /** Overdue items of the whole public page (what `overdue=1` lists, without other filters). */
  overdueTotal: z.number().int(),
});
export type PublicProjectPage = z.infer<typeof PublicProjectPageSchema>;
export const PublicProjectDetailSchema = PublicProjectSchema.extend({
  milestones: z.array(z.object({ title: z.string(), dueOn: z.string(), doneOn: z.string().nullable() })),
  comments: z.array(z.object({ rating: z.number().int(), comment: z.string().nullable(), nickname: z.string().nullable(), createdAt: z.string() })),
});
export type PublicProjectDetail = z.infer<typeof PublicProjectDetailSchema>;

export const PublicFeedbackSchema = z.strictObject({
  rating: z.number().int().min(1).max(5),
  comment: optionalText(500),
  nickname: optionalText(20),
});
export type PublicFeedback = z.infer<typeof PublicFeedbackSchema>;
export const PublicFeedbackReceiptSchema = z.object({ received: z.literal(true), status: z.literal('pending') });
