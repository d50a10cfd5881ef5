import { z } from 'zod';
import { DateSchema, DateTimeSchema, IdSchema, PageQuerySchema, optionalText, pageOf, requiredText } from './common.js';
import { RubricCriterionSchema } from './judging.js';

/**
 * 授课晒课评课 (issue #16): an org runs a selection of party lessons (精品党课评选, 十佳党课…). The orgs of
 * its subtree enter lessons (晒课) in the entry window; the organizer checks them and has the accepted
 * ones scored by a judging panel (评课, the judging module: conflict of interest, blind mode, trimmed
 * mean); the top N go to 公示 and, once it has ended without a pending objection, are published.
 */
export const LESSON_SELECTION_STATUSES = ['entering', 'judging', 'proposed', 'notice', 'published'] as const;
export const LessonSelectionStatusSchema = z.enum(LESSON_SELECTION_STATUSES);
export type LessonSelectionStatus = z.infer<typeof LessonSelectionStatusSchema>;

export const LESSON_ENTRY_STATUSES = ['submitted', 'accepted', 'rejected', 'withdrawn'] as const;
export const LessonEntryStatusSchema = z.enum(LESSON_ENTRY_STATUSES);
export type LessonEntryStatus = z.infer<typeof LessonEntryStatusSchema>;

export const CreateLessonSelectionSchema = z
  .strictObject({
    orgId: IdSchema,
    title: requiredText(200),
    year: z.number().int().min(2000).max(2199),
    entryOpensOn: DateSchema,
    entryClosesOn: DateSchema,
    /** how many lessons are honoured: 十佳 = 10 */
    honours: z.number().int().min(1).max(100),
    criteria: z.array(RubricCriterionSchema).min(1, { message: 'judging.criteria_required' }).max(20),
    /** accounts that will score (they score at /me/judging once the panel is set up) */
    judgeUserIds: z.array(IdSchema).max(50).default([]),
    blind: z.boolean().default(false),
  })
  .refine((s) => s.entryClosesOn >= s.entryOpensOn, { message: 'lesson.closes_before_opens', path: ['entryClosesOn'] });
export type CreateLessonSelection = z.infer<typeof CreateLessonSelectionSchema>;

export const LessonSelectionSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  title: z.string(),
  year: z.number().int(),
  entryOpensOn: z.string(),
  entryClosesOn: z.string(),
  honours: z.number().int(),
  criteria: z.array(RubricCriterionSchema),
  judgeUserIds: z.array(IdSchema),
  blind: z.boolean(),
  status: LessonSelectionStatusSchema,
  /** today (China) within the entry window and still entering */
  isEntryOpen: z.boolean(),
  panelId: IdSchema.nullable(),
  publicNoticeId: IdSchema.nullable(),
  publishedAt: z.string().nullable(),
  /** entries the viewer sees (all for the organizer; their subtree's for an entrant) */
  entries: z.number().int(),
  createdAt: z.string(),
  /** the viewer administers the organizing org: checks, judging, 公示, publishing */
  canManage: z.boolean(),
});
export type LessonSelection = z.infer<typeof LessonSelectionSchema>;
export const LessonSelectionPageSchema = pageOf(LessonSelectionSchema);
export type LessonSelectionPage = z.infer<typeof LessonSelectionPageSchema>;

export const LessonSelectionListQuerySchema = PageQuerySchema.extend({
  year: z.coerce.number().int().min(2000).max(2199).optional(),
  status: LessonSelectionStatusSchema.optional(),
});
export type LessonSelectionListQuery = z.infer<typeof LessonSelectionListQuerySchema>;

// ---------- 晒课: entries ----------

export const CreateLessonEntrySchema = z.strictObject({
  /** the entering org: administered by the viewer, within the selection org's subtree */
  orgId: IdSchema,
  lecturerName: requiredText(50),
  /** when the lecturer is a member of the entering org's subtree */
  lecturerMemberId: IdSchema.nullable().optional(),
  title: requiredText(200),
  summary: requiredText(2000),
  materialUrl: z.url({ protocol: /^https?$/, message: 'lesson.material_url' }).max(500).nullable().optional(),
  /** a party_lesson activity of the entering org's subtree */
  activityId: IdSchema.nullable().optional(),
});
export type CreateLessonEntry = z.infer<typeof CreateLessonEntrySchema>;

export const ReviewLessonEntrySchema = z.strictObject({
  accepted: z.boolean(),
  note: optionalText(500),
});
export type ReviewLessonEntry = z.infer<typeof ReviewLessonEntrySchema>;

export const LessonEntryFileSchema = z.object({ id: IdSchema, fileName: z.string(), mimeType: z.string(), kind: z.string(), sizeBytes: z.number().int() });
export type LessonEntryFile = z.infer<typeof LessonEntryFileSchema>;

export const LessonEntrySchema = z.object({
  id: IdSchema,
  selectionId: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  lecturerName: z.string(),
  lecturerMemberId: IdSchema.nullable(),
  title: z.string(),
  summary: z.string(),
  materialUrl: z.string().nullable(),
  activityId: IdSchema.nullable(),
  activityTitle: z.string().nullable(),
  status: LessonEntryStatusSchema,
  reviewNote: z.string().nullable(),
  score: z.number().nullable(),
  rank: z.number().int().nullable(),
  proposed: z.boolean(),
  withdrawnReason: z.string().nullable(),
  files: z.array(LessonEntryFileSchema),
  createdAt: z.string(),
});
export type LessonEntry = z.infer<typeof LessonEntrySchema>;
export const LessonEntryPageSchema = pageOf(LessonEntrySchema);
export type LessonEntryPage = z.infer<typeof LessonEntryPageSchema>;

export const LessonEntryListQuerySchema = PageQuerySchema.extend({
  status: LessonEntryStatusSchema.optional(),
});
export type LessonEntryListQuery = z.infer<typeof LessonEntryListQuerySchema>;

// ---------- 评课, 公示, publishing ----------

export const OpenLessonPanelSchema = z.strictObject({
  /** replaces the judges chosen at creation when given */
  judgeUserIds: z.array(IdSchema).min(1).max(50).optional(),
  closesAt: DateTimeSchema.nullable().optional(),
});
export type OpenLessonPanel = z.infer<typeof OpenLessonPanelSchema>;

export const OpenLessonNoticeSchema = z
  .strictObject({ startsOn: DateSchema, endsOn: DateSchema })
  .refine((n) => n.endsOn >= n.startsOn, { message: 'lesson.notice_ends_before_starts', path: ['endsOn'] });
export type OpenLessonNotice = z.infer<typeof OpenLessonNoticeSchema>;

/** The winning lessons of published selections, for members (名称、主讲人、单位、简介, no personal data). */
export const LessonWinnerSchema = z.object({
  entryId: IdSchema,
  selectionId: IdSchema,
  selectionTitle: z.string(),
  year: z.number().int(),
  rank: z.number().int(),
  title: z.string(),
  lecturerName: z.string(),
  orgName: z.string(),
  summary: z.string(),
  materialUrl: z.string().nullable(),
  score: z.number().nullable(),
});
export type LessonWinner = z.infer<typeof LessonWinnerSchema>;
export const LessonWinnerPageSchema = pageOf(LessonWinnerSchema);
export type LessonWinnerPage = z.infer<typeof LessonWinnerPageSchema>;
export const LessonWinnerQuerySchema = PageQuerySchema.extend({ year: z.coerce.number().int().min(2000).max(2199).optional() });
export type LessonWinnerQuery = z.infer<typeof LessonWinnerQuerySchema>;

export const LessonEntryParamsSchema = z.object({ id: IdSchema, entryId: IdSchema });
export const LessonEntryFileParamsSchema = z.object({ id: IdSchema, entryId: IdSchema, fileId: IdSchema });
