import { z } from 'zod';
import { SafeLinkSchema } from './activities.js';
import { DateSchema, IdSchema, PageQuerySchema, optionalText, pageOf, requiredText } from './common.js';

/**
 * 考评: an indicator library (computed from the platform's data, or entered by hand with evidence and a
 * reviewer), schemes that weigh indicators for a set of orgs over a period (e.g. the annual 综合考核),
 * and their results — computed, frozen, published within the tree, exported.
 */
export const INDICATOR_KINDS = ['computed', 'manual'] as const;
export const IndicatorKindSchema = z.enum(INDICATOR_KINDS);
export const INDICATOR_UNITS = ['rate', 'per_member', 'count', 'score'] as const;
export const IndicatorUnitSchema = z.enum(INDICATOR_UNITS);
export type IndicatorUnit = z.infer<typeof IndicatorUnitSchema>;
export const PERIOD_KINDS = ['annual', 'quarterly', 'monthly'] as const;
export const PeriodKindSchema = z.enum(PERIOD_KINDS);
export const SCHEME_STATUSES = ['draft', 'computed', 'frozen', 'published'] as const;
export const SchemeStatusSchema = z.enum(SCHEME_STATUSES);
export type SchemeStatus = z.infer<typeof SchemeStatusSchema>;
export const REVIEW_STATUSES = ['pending', 'approved', 'rejected'] as const;
export const ReviewStatusSchema = z.enum(REVIEW_STATUSES);

const CodeSchema = z.string().trim().regex(/^[a-z][a-z0-9_.]{1,63}$/, { message: 'assessment.code_invalid' });
const WeightSchema = z.number().positive().max(10_000);

export const IndicatorSourceSchema = z.object({ code: z.string(), name: z.string(), unit: z.enum(['rate', 'per_member', 'count']), formula: z.string(), module: z.string() });
export const IndicatorSourceListSchema = z.object({ items: z.array(IndicatorSourceSchema) });

export const CreateIndicatorSchema = z.strictObject({
  orgId: IdSchema,
  code: CodeSchema,
  kind: IndicatorKindSchema,
  /** computed: the source's code (its unit and formula come from the source) */
  sourceCode: z.string().trim().max(100).nullable().optional(),
  name: requiredText(100),
  /** the rubric (manual) or a note added to the source's formula (computed) */
  formula: optionalText(2000),
  /** manual only; a computed indicator takes its source's unit */
  unit: IndicatorUnitSchema.optional(),
  periodKind: PeriodKindSchema,
  defaultWeight: WeightSchema,
  higherIsBetter: z.boolean().default(true),
}).refine((i) => i.kind !== 'computed' || !!i.sourceCode, { message: 'assessment.source_required', path: ['sourceCode'] });
export type CreateIndicator = z.infer<typeof CreateIndicatorSchema>;

export const IndicatorSchema = z.object({
  id: IdSchema, orgId: IdSchema, orgName: z.string(), code: z.string(), kind: IndicatorKindSchema, sourceCode: z.string().nullable(),
  name: z.string(), formula: z.string(), unit: IndicatorUnitSchema, periodKind: PeriodKindSchema, defaultWeight: z.number(),
  higherIsBetter: z.boolean(), createdAt: z.string(),
});
export type Indicator = z.infer<typeof IndicatorSchema>;
export const IndicatorQuerySchema = PageQuerySchema.extend({ kind: IndicatorKindSchema.optional(), q: z.string().trim().max(50).optional() });
export const IndicatorPageSchema = pageOf(IndicatorSchema);

export const SchemeIndicatorInputSchema = z.strictObject({
  indicatorId: IdSchema,
  weight: WeightSchema,
  /** the value that earns the full score; rates default to 100 %, manual scores to 100 */
  target: z.number().positive().max(1e9).nullable().optional(),
});

export const CreateSchemeSchema = z.strictObject({
  orgId: IdSchema,
  name: requiredText(100),
  periodStart: DateSchema,
  periodEnd: DateSchema,
  indicators: z.array(SchemeIndicatorInputSchema).min(1).max(50),
  /** the assessed orgs, each within the scheme's org */
  orgIds: z.array(IdSchema).min(1).max(2000),
}).refine((s) => s.periodEnd >= s.periodStart, { message: 'assessment.period_order', path: ['periodEnd'] })
  .refine((s) => new Set(s.indicators.map((i) => i.indicatorId)).size === s.indicators.length, { message: 'assessment.indicator_twice', path: ['indicators'] });
export type CreateScheme = z.infer<typeof CreateSchemeSchema>;

/** Corrections to a scheme until its results are frozen (its org stays; computed results are cleared). */
export const UpdateSchemeSchema = z.strictObject({
  name: requiredText(100).optional(),
  periodStart: DateSchema.optional(),
  periodEnd: DateSchema.optional(),
  indicators: z.array(SchemeIndicatorInputSchema).min(1).max(50).optional(),
  orgIds: z.array(IdSchema).min(1).max(2000).optional(),
}).refine((s) => !s.periodStart || !s.periodEnd || s.periodEnd >= s.periodStart, { message: 'assessment.period_order', path: ['periodEnd'] })
  .refine((s) => !s.indicators || new Set(s.indicators.map((i) => i.indicatorId)).size === s.indicators.length, { message: 'assessment.indicator_twice', path: ['indicators'] });
export type UpdateScheme = z.infer<typeof UpdateSchemeSchema>;

export const SchemeIndicatorSchema = z.object({
  indicatorId: IdSchema, code: z.string(), name: z.string(), kind: IndicatorKindSchema, sourceCode: z.string().nullable(), unit: IndicatorUnitSchema,
  higherIsBetter: z.boolean(), weight: z.number(), target: z.number(),
});
export const SchemeSchema = z.object({
  id: IdSchema, orgId: IdSchema, orgName: z.string(), name: z.string(), periodStart: z.string(), periodEnd: z.string(), status: SchemeStatusSchema,
  computedAt: z.string().nullable(), frozenAt: z.string().nullable(), publishedAt: z.string().nullable(), orgCount: z.number().int(),
  indicators: z.array(SchemeIndicatorSchema),
  /** the viewer administers the scheme's org: computes, freezes, publishes, reviews */
  canManage: z.boolean(),
});
export type Scheme = z.infer<typeof SchemeSchema>;
export const SchemeQuerySchema = PageQuerySchema.extend({ status: SchemeStatusSchema.optional() });
export const SchemePageSchema = pageOf(SchemeSchema.omit({ indicators: true }));

export const OrgScoreSchema = z.object({
  indicatorId: IdSchema, value: z.number().nullable(), numerator: z.number().nullable(), denominator: z.number().nullable(),
  score: z.number().nullable(), contribution: z.number(),
});
export const ResultRowSchema = z.object({ orgId: IdSchema, orgName: z.string(), total: z.number(), rank: z.number().int(), scores: z.array(OrgScoreSchema) });
export type ResultRow = z.infer<typeof ResultRowSchema>;
export const ResultPageSchema = pageOf(ResultRowSchema).extend({ scheme: SchemeSchema });
export type ResultPage = z.infer<typeof ResultPageSchema>;

export const ManualScoreInputSchema = z.strictObject({
  indicatorId: IdSchema,
  orgId: IdSchema,
  value: z.number().min(0).max(1e9),
  evidenceText: requiredText(4000),
  evidenceLinks: z.array(SafeLinkSchema).max(20).default([]),
});
export type ManualScoreInput = z.infer<typeof ManualScoreInputSchema>;
export const ReviewManualScoreSchema = z.strictObject({
  decision: z.enum(['approved', 'rejected']),
  note: optionalText(500),
}).refine((r) => r.decision === 'approved' || !!r.note, { message: 'assessment.note_required', path: ['note'] });
export const ManualScoreSchema = z.object({
  id: IdSchema, schemeId: IdSchema, indicatorId: IdSchema, indicatorName: z.string(), orgId: IdSchema, orgName: z.string(), value: z.number(),
  evidenceText: z.string(), evidenceLinks: z.array(z.string()), enteredBy: z.string(), enteredAt: z.string(), reviewStatus: ReviewStatusSchema,
  reviewedBy: z.string().nullable(), reviewedAt: z.string().nullable(), reviewNote: z.string().nullable(),
  canReview: z.boolean(),
});
export type ManualScore = z.infer<typeof ManualScoreSchema>;
export const ManualScoreQuerySchema = PageQuerySchema.extend({
  reviewStatus: ReviewStatusSchema.optional(),
  /** the scores of the orgs of this org's subtree (the 工作台's to-do opens the pending ones) */
  orgId: IdSchema.optional(),
});
export const ManualScorePageSchema = pageOf(ManualScoreSchema);

export const IndicatorRecordsQuerySchema = PageQuerySchema.extend({
  orgId: IdSchema,
  from: DateSchema,
  to: DateSchema,
  /** only the records counted in the numerator */
  counted: z.enum(['1', 'true']).optional(),
}).refine((s) => s.to >= s.from, { message: 'assessment.period_order', path: ['to'] });
export const IndicatorRecordSchema = z.object({
  kind: z.string(), id: z.string(), title: z.string(), orgId: z.string(), orgName: z.string(), date: z.string().nullable(),
  counts: z.boolean(), amount: z.number(), link: z.string(),
});
export const IndicatorRecordPageSchema = pageOf(IndicatorRecordSchema);
export type IndicatorRecordPage = z.infer<typeof IndicatorRecordPageSchema>;
