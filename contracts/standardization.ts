import { z } from 'zod';
import { DateSchema, IdSchema, optionalText, PageQuerySchema, pageOf, requiredText } from './common.js';

/**
 * 达标定级: an org's scheme for a year (grades best first, the checklist's criteria), one grading round per
 * branch — the branch assesses itself, the level above reviews and grades, the branch may appeal once, the
 * grade is final and then published — and rectification tasks for a branch graded low, re-graded after.
 */
export const SchemeStatusSchema = z.enum(['draft', 'active', 'archived']);
export type SchemeStatus = z.infer<typeof SchemeStatusSchema>;
export const RoundStatusSchema = z.enum(['self_assessing', 'submitted', 'graded', 'appealed', 'final', 'published']);
export type RoundStatus = z.infer<typeof RoundStatusSchema>;
export const CriterionKindSchema = z.enum(['computed', 'evidenced']);
export type CriterionKind = z.infer<typeof CriterionKindSchema>;

export const GradeSchema = z.object({
  /** 1 is the best grade */
  level: z.number().int(),
  name: z.string(),
  /** a round graded here gets rectification tasks and a re-grade */
  isLow: z.boolean(),
  /** the criteria's points needed for this grade (besides its required criteria) */
  minPoints: z.number().int().nullable(),
});
export type Grade = z.infer<typeof GradeSchema>;

export const GradeInputSchema = z.strictObject({
  name: requiredText(20),
  isLow: z.boolean().default(false),
  minPoints: z.number().int().min(0).max(10_000).nullable().optional(),
});

export const CriterionSchema = z.object({
  id: IdSchema,
  position: z.number().int(),
  text: z.string(),
  kind: CriterionKindSchema,
  indicatorCode: z.string().nullable(),
  indicatorName: z.string().nullable(),
  indicatorUnit: z.enum(['rate', 'per_member', 'count']).nullable(),
  threshold: z.number().nullable(),
  requiredForLevel: z.number().int().nullable(),
  points: z.number().int(),
});
export type Criterion = z.infer<typeof CriterionSchema>;

export const CriterionInputSchema = z.strictObject({
  text: requiredText(300),
  kind: CriterionKindSchema,
  indicatorCode: z.string().trim().max(100).nullable().optional(),
  threshold: z.number().min(0).max(1_000_000).nullable().optional(),
  requiredForLevel: z.number().int().min(1).max(10).nullable().optional(),
  points: z.number().int().min(0).max(1000).default(0),
});
export type CriterionInput = z.infer<typeof CriterionInputSchema>;

export const SchemeSummarySchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  year: z.number().int(),
  name: z.string(),
  status: SchemeStatusSchema,
  grades: z.array(GradeSchema),
  criteriaCount: z.number().int(),
  roundCount: z.number().int(),
  /** the viewer edits it, activates it and launches its rounds (admins of its org or above) */
  canManage: z.boolean(),
});
export type SchemeSummary = z.infer<typeof SchemeSummarySchema>;

export const SchemeSchema = SchemeSummarySchema.extend({ criteria: z.array(CriterionSchema) });
export type Scheme = z.infer<typeof SchemeSchema>;

export const SchemePageSchema = pageOf(SchemeSummarySchema);
export type SchemePage = z.infer<typeof SchemePageSchema>;

export const SchemeQuerySchema = PageQuerySchema.extend({
  year: z.coerce.number().int().min(1900).max(2199).optional(),
  status: SchemeStatusSchema.optional(),
});
export type SchemeQuery = z.infer<typeof SchemeQuerySchema>;

const schemeFields = {
  name: requiredText(80),
  year: z.number().int().min(1900).max(2199),
  grades: z.array(GradeInputSchema).min(2).max(10),
  criteria: z.array(CriterionInputSchema).max(100),
};

export const CreateSchemeSchema = z.strictObject({ orgId: IdSchema, ...schemeFields });
export type CreateScheme = z.infer<typeof CreateSchemeSchema>;

/** A draft's name, grades and criteria, replaced as a whole (criteria are locked once it is active). */
export const UpdateSchemeSchema = z.strictObject(schemeFields);
export type UpdateScheme = z.infer<typeof UpdateSchemeSchema>;

export const LaunchRoundsSchema = z.strictObject({
  /** branches under the scheme's org; absent: every branch under it without a round of this scheme */
  orgIds: z.array(IdSchema).max(1000).optional(),
});
export type LaunchRounds = z.infer<typeof LaunchRoundsSchema>;
export const LaunchResultSchema = z.object({ created: z.number().int() });

export const IndicatorOptionSchema = z.object({ code: z.string(), name: z.string(), unit: z.enum(['rate', 'per_member', 'count']), formula: z.string() });
export const IndicatorOptionListSchema = z.object({ items: z.array(IndicatorOptionSchema) });
export type IndicatorOption = z.infer<typeof IndicatorOptionSchema>;

// ---------- rounds ----------

export const RoundSummarySchema = z.object({
  id: IdSchema,
  schemeId: IdSchema,
  schemeName: z.string(),
  year: z.number().int(),
  orgId: IdSchema,
  orgName: z.string(),
  status: RoundStatusSchema,
  proposedLevel: z.number().int().nullable(),
  gradeLevel: z.number().int().nullable(),
  gradeName: z.string().nullable(),
  gradeIsLow: z.boolean().nullable(),
  appealed: z.boolean(),
  previousRoundId: IdSchema.nullable(),
  superseded: z.boolean(),
  submittedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  openRectifications: z.number().int(),
});
export type RoundSummary = z.infer<typeof RoundSummarySchema>;

export const RoundPageSchema = pageOf(RoundSummarySchema);
export type RoundPage = z.infer<typeof RoundPageSchema>;

export const RoundQuerySchema = PageQuerySchema.extend({
  schemeId: IdSchema.optional(),
  /** the org's subtree */
  orgId: IdSchema.optional(),
  status: RoundStatusSchema.optional(),
  /** published rounds graded at this level */
  gradeLevel: z.coerce.number().int().min(1).max(10).optional(),
  /** rounds waiting for the viewer: 'review' (submitted or appealed, to grade), 'branch' (to assess, appeal or accept) */
  view: z.enum(['all', 'review', 'branch']).default('all'),
  /** the 工作台's to-dos: rounds waiting for an org of the subtree — 'review' (submitted or appealed, strictly below), 'submit' (self-assessment) */
  waiting: z.enum(['review', 'submit']).optional(),
  /** also rounds replaced by a re-grade */
  includeSuperseded: z.enum(['0', '1']).default('0'),
});
export type RoundQuery = z.infer<typeof RoundQuerySchema>;

/** The distribution of a scheme's current rounds in a subtree; each figure is the total of the round list with the same filter. */
export const RoundSummaryQuerySchema = z.object({ schemeId: IdSchema, orgId: IdSchema.optional() });
export type RoundSummaryQuery = z.infer<typeof RoundSummaryQuerySchema>;
export const RoundDistributionSchema = z.object({
  total: z.number().int(),
  byStatus: z.array(z.object({ status: RoundStatusSchema, count: z.number().int() })),
  /** published rounds per grade */
  byGrade: z.array(z.object({ level: z.number().int(), name: z.string(), isLow: z.boolean(), count: z.number().int() })),
});
export type RoundDistribution = z.infer<typeof RoundDistributionSchema>;

export const CheckSchema = z.object({
  criterionId: IdSchema,
  text: z.string(),
  kind: CriterionKindSchema,
  requiredForLevel: z.number().int().nullable(),
  points: z.number().int(),
  indicatorCode: z.string().nullable(),
  indicatorName: z.string().nullable(),
  indicatorUnit: z.enum(['rate', 'per_member', 'count']).nullable(),
  threshold: z.number().nullable(),
  /** the computed value (live until submitted, then as submitted); null: no data */
  value: z.number().nullable(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  /** the console page listing the records behind the value */
  recordsLink: z.string().nullable(),
  selfMet: z.boolean().nullable(),
  evidence: z.string().nullable(),
  /** files attached as evidence (download at `url`) */
  files: z.array(z.object({ id: IdSchema, fileName: z.string(), mimeType: z.string(), sizeBytes: z.number().int(), url: z.string() })),
  reviewMet: z.boolean().nullable(),
  reviewComment: z.string().nullable(),
});
export type Check = z.infer<typeof CheckSchema>;

export const RectificationSchema = z.object({
  id: IdSchema,
  roundId: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  schemeName: z.string(),
  task: z.string(),
  deadline: z.string(),
  ownerName: z.string(),
  status: z.enum(['open', 'closed']),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  closingComment: z.string().nullable(),
  progress: z.array(z.object({ id: IdSchema, note: z.string(), evidence: z.string().nullable(), authorName: z.string(), createdAt: z.string() })),
  /** the branch side records progress */
  canReport: z.boolean(),
  /** the level above closes it */
  canClose: z.boolean(),
});
export type Rectification = z.infer<typeof RectificationSchema>;
export const RectificationPageSchema = pageOf(RectificationSchema);
export type RectificationPage = z.infer<typeof RectificationPageSchema>;
export const RectificationQuerySchema = PageQuerySchema.extend({
  orgId: IdSchema.optional(),
  roundId: IdSchema.optional(),
  status: z.enum(['open', 'closed']).optional(),
  /** 1: open tasks past their deadline (the 工作台's to-do) */
  overdue: z.literal('1').optional(),
});
export type RectificationQuery = z.infer<typeof RectificationQuerySchema>;

export const RoundSchema = RoundSummarySchema.extend({
  grades: z.array(GradeSchema),
  checks: z.array(CheckSchema),
  selfSummary: z.string().nullable(),
  returnReason: z.string().nullable(),
  reviewComment: z.string().nullable(),
  reviewerName: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  appealReason: z.string().nullable(),
  appealedAt: z.string().nullable(),
  appealResponse: z.string().nullable(),
  originalGradeLevel: z.number().int().nullable(),
  finalAt: z.string().nullable(),
  /** the grade the criteria support: from the self-assessment, and from the review's verdicts */
  suggestedSelfLevel: z.number().int().nullable(),
  suggestedReviewLevel: z.number().int().nullable(),
  nextRoundId: IdSchema.nullable(),
  rectifications: z.array(RectificationSchema),
  period: z.object({ from: z.string(), to: z.string() }),
  abilities: z.object({
    selfAssess: z.boolean(),
    review: z.boolean(),
    appeal: z.boolean(),
    accept: z.boolean(),
    rereview: z.boolean(),
    publish: z.boolean(),
    rectify: z.boolean(),
    regrade: z.boolean(),
  }),
});
export type Round = z.infer<typeof RoundSchema>;

export const MAX_EVIDENCE_FILES = 10;
export const EvidenceParamsSchema = z.object({ id: IdSchema, criterionId: IdSchema });
export const EvidenceFileParamsSchema = z.object({ id: IdSchema, fileId: IdSchema });

export const SelfAssessmentSchema = z.strictObject({
  checks: z.array(z.strictObject({ criterionId: IdSchema, met: z.boolean().nullable().optional(), evidence: optionalText(2000) })).max(100),
  proposedLevel: z.number().int().min(1).max(10).nullable().optional(),
  summary: optionalText(2000),
});
export type SelfAssessment = z.infer<typeof SelfAssessmentSchema>;

export const ReviewSchema = z.strictObject({
  checks: z.array(z.strictObject({ criterionId: IdSchema, met: z.boolean(), comment: optionalText(1000) })).max(100),
  gradeLevel: z.number().int().min(1).max(10),
  comment: optionalText(2000),
});
export type Review = z.infer<typeof ReviewSchema>;

export const ReasonSchema = z.strictObject({ reason: requiredText(1000) });
export type Reason = z.infer<typeof ReasonSchema>;

export const RereviewSchema = z.strictObject({ gradeLevel: z.number().int().min(1).max(10), response: requiredText(2000) });
export type Rereview = z.infer<typeof RereviewSchema>;

export const CreateRectificationSchema = z.strictObject({ task: requiredText(500), deadline: DateSchema, ownerName: requiredText(40) });
export type CreateRectification = z.infer<typeof CreateRectificationSchema>;

export const RectificationProgressSchema = z.strictObject({ note: requiredText(1000), evidence: optionalText(2000) });
export type RectificationProgress = z.infer<typeof RectificationProgressSchema>;

export const CloseRectificationSchema = z.strictObject({ comment: optionalText(1000) });
export type CloseRectification = z.infer<typeof CloseRectificationSchema>;
