import { z } from 'zod';
import { DateSchema, IdSchema, PageQuerySchema, optionalText, pageOf, requiredText } from './common.js';
import { OrgTypeSchema, type OrgType } from './orgs.js';

/**
 * 党建工作责任清单: each level's duties, issued from a template by the level above — 机关工委, 党组(党委),
 * 机关党委, 党支部书记, 党员 — then reported, inspected (检查记录) and closed item by item. And the annual
 * 述职评议考核 of the secretaries, scored through the judging engine and graded by declared thresholds.
 */
export const RESPONSIBILITY_LEVELS = ['work_committee', 'leading_group', 'organ_committee', 'branch_secretary', 'member'] as const;
export const ResponsibilityLevelSchema = z.enum(RESPONSIBILITY_LEVELS);
export type ResponsibilityLevel = z.infer<typeof ResponsibilityLevelSchema>;

/** The orgs a level's lists go to when the issuer names no types (level `member`: the members of these orgs' subtrees). */
export const LEVEL_ORG_TYPES: Record<Exclude<ResponsibilityLevel, 'member'>, OrgType[]> = {
  work_committee: ['work_committee'],
  leading_group: ['party_committee'],
  organ_committee: ['organ_committee', 'general_branch'],
  branch_secretary: ['branch', 'temporary_branch'],
};

export const ITEM_STATUSES = ['open', 'reported', 'rectifying', 'closed'] as const;
export const ItemStatusSchema = z.enum(ITEM_STATUSES);
export type ItemStatus = z.infer<typeof ItemStatusSchema>;

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

// ---------- templates ----------

export const TemplateItemInputSchema = z.strictObject({
  task: requiredText(300),
  deadline: DateSchema,
  evidenceRequired: requiredText(300),
});

export const CreateTemplateSchema = z.strictObject({
  orgId: IdSchema,
  level: ResponsibilityLevelSchema,
  year: z.number().int().min(2000).max(2100),
  title: requiredText(100),
  items: z.array(TemplateItemInputSchema).min(1).max(100),
});
export type CreateTemplate = z.infer<typeof CreateTemplateSchema>;

/** Corrections to a template that has not been issued yet (its org stays). */
export const UpdateTemplateSchema = z.strictObject({
  level: ResponsibilityLevelSchema.optional(),
  year: CreateTemplateSchema.shape.year.optional(),
  title: requiredText(100).optional(),
  items: CreateTemplateSchema.shape.items.optional(),
});
export type UpdateTemplate = z.infer<typeof UpdateTemplateSchema>;

export const TemplateSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  level: ResponsibilityLevelSchema,
  year: z.number().int(),
  title: z.string(),
  items: z.array(z.object({ task: z.string(), deadline: z.string(), evidenceRequired: z.string() })),
  /** Lists issued from it so far. */
  listCount: z.number().int(),
  createdAt: z.string(),
  canIssue: z.boolean(),
});
export type Template = z.infer<typeof TemplateSchema>;
export const TemplatePageSchema = pageOf(TemplateSchema);
export type TemplatePage = z.infer<typeof TemplatePageSchema>;

export const TemplateQuerySchema = PageQuerySchema.extend({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  level: ResponsibilityLevelSchema.optional(),
});
export type TemplateQuery = z.infer<typeof TemplateQuerySchema>;

/** Issue to every org of these types strictly below the template's org, within `subtreeOrgId`'s subtree (level member: to their members). */
export const IssueTemplateSchema = z.strictObject({
  subtreeOrgId: IdSchema,
  orgTypes: z.array(OrgTypeSchema).min(1).max(7).optional(),
});
export type IssueTemplate = z.infer<typeof IssueTemplateSchema>;
export const IssueResultSchema = z.object({ issued: z.number().int(), alreadyIssued: z.number().int() });
export type IssueResult = z.infer<typeof IssueResultSchema>;

// ---------- lists and items ----------

export const ListQuerySchema = PageQuerySchema.extend({
  templateId: IdSchema.optional(),
  /** lists of this org's subtree */
  orgId: IdSchema.optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  level: ResponsibilityLevelSchema.optional(),
  status: z.enum(['open', 'closed']).optional(),
  /** only lists with overdue items */
  overdue: booleanQuery.optional(),
});
export type ListQuery = z.infer<typeof ListQuerySchema>;

export const ListSummarySchema = z.object({
  id: IdSchema,
  templateId: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  memberName: z.string().nullable(),
  level: ResponsibilityLevelSchema,
  year: z.number().int(),
  title: z.string(),
  status: z.enum(['open', 'closed']),
  itemCount: z.number().int(),
  reportedCount: z.number().int(),
  closedCount: z.number().int(),
  /** = the total of the items list it opens (`/items?listId=…&overdue=true`) */
  overdueCount: z.number().int(),
  issuedAt: z.string(),
});
export type ListSummary = z.infer<typeof ListSummarySchema>;
export const ListPageSchema = pageOf(ListSummarySchema);
export type ListPage = z.infer<typeof ListPageSchema>;

export const ItemQuerySchema = PageQuerySchema.extend({
  listId: IdSchema.optional(),
  templateId: IdSchema.optional(),
  orgId: IdSchema.optional(),
  status: ItemStatusSchema.optional(),
  overdue: booleanQuery.optional(),
  /** inspection: reported items waiting for an inspection by an org of the subtree (the 工作台's to-do) */
  waiting: z.enum(['inspection']).optional(),
});
export type ItemQuery = z.infer<typeof ItemQuerySchema>;

export const ItemSchema = z.object({
  id: IdSchema,
  listId: IdSchema,
  listTitle: z.string(),
  orgId: IdSchema,
  orgName: z.string(),
  memberName: z.string().nullable(),
  task: z.string(),
  deadline: z.string(),
  evidenceRequired: z.string(),
  status: ItemStatusSchema,
  rectifyDeadline: z.string().nullable(),
  isOverdue: z.boolean(),
  closedAt: z.string().nullable(),
});
export type Item = z.infer<typeof ItemSchema>;
export const ItemPageSchema = pageOf(ItemSchema);
export type ItemPage = z.infer<typeof ItemPageSchema>;

export const ListDetailSchema = ListSummarySchema.extend({ items: z.array(ItemSchema) });
export type ListDetail = z.infer<typeof ListDetailSchema>;

export const EvidenceFileSchema = z.object({ id: IdSchema, fileName: z.string(), mimeType: z.string(), sizeBytes: z.number().int(), url: z.string() });
export const ProgressReportSchema = z.object({
  id: IdSchema,
  body: z.string(),
  reporterName: z.string(),
  createdAt: z.string(),
  files: z.array(EvidenceFileSchema),
});
export type ProgressReport = z.infer<typeof ProgressReportSchema>;

export const InspectionSchema = z.object({
  id: IdSchema,
  inspectedOn: z.string(),
  inspectors: z.string(),
  findings: z.string(),
  rectificationRequired: z.boolean(),
  rectifyDeadline: z.string().nullable(),
  recorderName: z.string(),
  createdAt: z.string(),
});
export type Inspection = z.infer<typeof InspectionSchema>;

export const ItemDetailSchema = ItemSchema.extend({
  closeNote: z.string().nullable(),
  reports: z.array(ProgressReportSchema),
  inspections: z.array(InspectionSchema),
  /** the owner: the owning org's admins (a member's own list: the member, through /me) */
  canReport: z.boolean(),
  /** the level above: inspect and close */
  canInspect: z.boolean(),
});
export type ItemDetail = z.infer<typeof ItemDetailSchema>;

export const ReportProgressSchema = z.strictObject({ body: requiredText(2000) });
export type ReportProgress = z.infer<typeof ReportProgressSchema>;
export const ReportCreatedSchema = z.object({ id: IdSchema, item: ItemDetailSchema });

export const RecordInspectionSchema = z
  .strictObject({
    inspectedOn: DateSchema,
    inspectors: requiredText(200),
    findings: requiredText(2000),
    rectificationRequired: z.boolean(),
    rectifyDeadline: DateSchema.nullable().optional(),
  })
  .refine((i) => !i.rectificationRequired || !!i.rectifyDeadline, { message: 'responsibility.rectify_deadline_required', path: ['rectifyDeadline'] })
  .refine((i) => i.rectificationRequired || !i.rectifyDeadline, { message: 'responsibility.rectify_deadline_without_rectification', path: ['rectifyDeadline'] })
  .refine((i) => !i.rectifyDeadline || i.rectifyDeadline >= i.inspectedOn, { message: 'responsibility.rectify_before_inspection', path: ['rectifyDeadline'] });
export type RecordInspection = z.infer<typeof RecordInspectionSchema>;

export const CloseItemSchema = z.strictObject({ note: optionalText(500) });
export type CloseItem = z.infer<typeof CloseItemSchema>;

/** A member's own lists (党员 level), each with its items. */
export const MyListsSchema = z.object({ items: z.array(ListDetailSchema) });
export type MyLists = z.infer<typeof MyListsSchema>;

// ---------- 述职评议考核 ----------

export const DUTY_GRADES = ['good', 'fairly_good', 'average', 'poor'] as const;
export const DutyGradeSchema = z.enum(DUTY_GRADES);
export type DutyGrade = z.infer<typeof DutyGradeSchema>;

export const GradeThresholdsSchema = z
  .strictObject({
    good: z.number().min(0).max(100),
    fairlyGood: z.number().min(0).max(100),
    average: z.number().min(0).max(100),
  })
  .refine((t) => t.good > t.fairlyGood && t.fairlyGood > t.average, { message: 'duty_review.thresholds_order', path: ['fairlyGood'] });
export type GradeThresholds = z.infer<typeof GradeThresholdsSchema>;
/** 好 ≥ 90, 较好 ≥ 80, 一般 ≥ 60, 差 below: the default a round may change. */
export const DEFAULT_GRADE_THRESHOLDS: GradeThresholds = { good: 90, fairlyGood: 80, average: 60 };

/** The grade of a score (0–100) by a round's thresholds; no score, no grade. */
export function gradeOf(score: number | null, t: GradeThresholds): DutyGrade | null {
  if (score === null) return null;
  if (score >= t.good) return 'good';
  if (score >= t.fairlyGood) return 'fairly_good';
  if (score >= t.average) return 'average';
  return 'poor';
}

export const CreateDutyRoundSchema = z.strictObject({
  /** the reviewing body */
  orgId: IdSchema,
  year: z.number().int().min(2000).max(2100),
  title: requiredText(100),
  /** the orgs below that report (default: branches) */
  orgTypes: z.array(OrgTypeSchema).min(1).max(7).optional(),
  thresholds: GradeThresholdsSchema.optional(),
});
export type CreateDutyRound = z.infer<typeof CreateDutyRoundSchema>;

export const DUTY_ROUND_STATUSES = ['collecting', 'reviewing', 'closed'] as const;
export const DutyRoundSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  year: z.number().int(),
  title: z.string(),
  thresholds: z.object({ good: z.number(), fairlyGood: z.number(), average: z.number() }),
  status: z.enum(DUTY_ROUND_STATUSES),
  panelId: z.string().nullable(),
  reportCount: z.number().int(),
  submittedCount: z.number().int(),
  canManage: z.boolean(),
});
export type DutyRound = z.infer<typeof DutyRoundSchema>;
export const DutyRoundPageSchema = pageOf(DutyRoundSchema);
export type DutyRoundPage = z.infer<typeof DutyRoundPageSchema>;
export const DutyRoundQuerySchema = PageQuerySchema.extend({ year: z.coerce.number().int().min(2000).max(2100).optional() });
export type DutyRoundQuery = z.infer<typeof DutyRoundQuerySchema>;

export const DutyReportSchema = z.object({
  id: IdSchema,
  roundId: IdSchema,
  roundTitle: z.string(),
  roundStatus: z.enum(DUTY_ROUND_STATUSES),
  year: z.number().int(),
  orgId: IdSchema,
  orgName: z.string(),
  secretaryName: z.string().nullable(),
  body: z.string().nullable(),
  submittedAt: z.string().nullable(),
  file: z.object({ fileName: z.string(), url: z.string() }).nullable(),
  score: z.number().nullable(),
  rank: z.number().int().nullable(),
  grade: DutyGradeSchema.nullable(),
  canSubmit: z.boolean(),
});
export type DutyReport = z.infer<typeof DutyReportSchema>;
export const DutyReportPageSchema = pageOf(DutyReportSchema);
export type DutyReportPage = z.infer<typeof DutyReportPageSchema>;
export const DutyReportQuerySchema = PageQuerySchema.extend({
  roundId: IdSchema.optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  submitted: booleanQuery.optional(),
});
export type DutyReportQuery = z.infer<typeof DutyReportQuerySchema>;

export const SubmitDutyReportSchema = z.strictObject({
  secretaryName: requiredText(50),
  body: requiredText(20_000),
});
export type SubmitDutyReport = z.infer<typeof SubmitDutyReportSchema>;

export const DutyCriterionSchema = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,29}$/, { message: 'field.format' }),
  name: requiredText(50),
  weight: z.number().positive().max(100),
  maxScore: z.number().positive().max(100),
});
/** 述职评议's usual rubric: duties performed, problems found and fixed, the branch's standing. */
export const DEFAULT_DUTY_CRITERIA: z.infer<typeof DutyCriterionSchema>[] = [
  { key: 'duties', name: '履行主体责任', weight: 40, maxScore: 100 },
  { key: 'problems', name: '问题整改', weight: 30, maxScore: 100 },
  { key: 'effect', name: '工作成效', weight: 30, maxScore: 100 },
];

export const StartDutyReviewSchema = z.strictObject({
  judgeUserIds: z.array(IdSchema).min(1).max(50),
  criteria: z.array(DutyCriterionSchema).min(1).max(10).optional(),
  blind: z.boolean().optional(),
});
export type StartDutyReview = z.infer<typeof StartDutyReviewSchema>;

export const DutyResultSchema = z.object({
  reportId: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  secretaryName: z.string().nullable(),
  score: z.number().nullable(),
  rank: z.number().int().nullable(),
  judgeCount: z.number().int(),
  grade: DutyGradeSchema.nullable(),
});
export const DutyResultsSchema = z.object({
  roundId: IdSchema,
  status: z.enum(DUTY_ROUND_STATUSES),
  /** final once the round is closed; live from the panel while it is reviewing */
  isFinal: z.boolean(),
  items: z.array(DutyResultSchema),
});
export type DutyResults = z.infer<typeof DutyResultsSchema>;
