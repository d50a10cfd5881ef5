import { z } from 'zod';
import { IdSchema, PageQuerySchema, pageOf } from './common.js';

/**
 * 驾驶舱: the figures of an org's subtree for a period, each a named measure whose records are listed
 * by the same query that counts them.
 *
 * A period is a year (`2026`), a quarter (`2026-Q3`) or a month (`2026-07`), in China Standard Time.
 */
export const PERIOD_PATTERN = /^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$/;
export const PeriodSchema = z.string().regex(PERIOD_PATTERN, { message: 'field.period' })
  .refine((p) => Number(p.slice(0, 4)) >= 1900 && Number(p.slice(0, 4)) <= 2199, { message: 'field.period' });
export type Period = z.infer<typeof PeriodSchema>;

/** The first and last day (inclusive) of a period, as YYYY-MM-DD. */
export function periodRange(period: string): { from: string; to: string } {
  const m = PERIOD_PATTERN.exec(period);
  if (!m) throw new Error(`not a period: ${period}`);
  const year = Number(m[1]);
  const [firstMonth, months] = m[2] ? [(Number(m[2]) - 1) * 3 + 1, 3] : m[3] ? [Number(m[3]), 1] : [1, 12];
  const lastMonth = firstMonth + months - 1;
  const lastDay = new Date(Date.UTC(year, lastMonth, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return { from: `${year}-${pad(firstMonth)}-01`, to: `${year}-${pad(lastMonth)}-${pad(lastDay)}` };
}

/** The twelve months (YYYY-MM) of the trend charts: those ending with the period's last month. */
export function trendMonths(period: string): string[] {
  const { to } = periodRange(period);
  const year = Number(to.slice(0, 4)), month = Number(to.slice(5, 7));
  return Array.from({ length: 12 }, (_, i) => {
    const d = new Date(Date.UTC(year, month - 12 + i, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  });
}

/**
 * Every measure. "Now" measures (the roll, the tree, terms) describe the subtree as it is today; the
 * others count what happened in the period; the two trends the twelve months ending with it.
 */
export const MEASURES = [
  'orgs_by_type', 'members_by_stage', 'members_by_gender', 'members_by_age', 'members_by_education', 'members_by_ethnicity',
  'members_by_category', 'members_by_child', 'pipeline_flow', 'terms_due', 'compliance', 'quiz_participation', 'study_participation', 'exam_participation',
  'org_points', 'service_projects', 'service_satisfaction', 'volunteer_hours', 'venue_visits', 'activities_by_month', 'new_members_by_month',
] as const;
export const MeasureSchema = z.enum(MEASURES, { message: 'field.measure' });
export type Measure = z.infer<typeof MeasureSchema>;

export const DashboardParamsSchema = z.object({ orgId: IdSchema });
export const DashboardQuerySchema = z.object({ period: PeriodSchema });
export type DashboardQuery = z.infer<typeof DashboardQuerySchema>;

export const FigureBucketSchema = z.object({
  key: z.string(),
  /** A display name when the key is an id (a child org). */
  label: z.string().nullable(),
  count: z.number().int(),
  /** The sum of the records' values (hours in tenths, points, people, ratings, progress), 0 when they have none. */
  sum: z.number(),
});
export const FigureSchema = z.object({
  /** Records counted: the drill-down list's total without a bucket. */
  count: z.number().int(),
  sum: z.number(),
  buckets: z.array(FigureBucketSchema),
});
export type Figure = z.infer<typeof FigureSchema>;

export const FiguresSchema = z.object({
  orgId: IdSchema,
  orgName: z.string(),
  period: z.string(),
  from: z.string(),
  to: z.string(),
  /** The day "now" measures are computed for (China time): today, or the period's last day when it has ended. */
  asOf: z.string(),
  measures: z.record(MeasureSchema, FigureSchema),
});
export type Figures = z.infer<typeof FiguresSchema>;
/** Figures as a report froze them: a report frozen before a measure existed has none of it (not a zero). */
export const FrozenFiguresSchema = FiguresSchema.extend({ measures: z.partialRecord(MeasureSchema, FigureSchema) });
export type FrozenFigures = z.infer<typeof FrozenFiguresSchema>;

export const MeasureParamsSchema = z.object({ orgId: IdSchema, measure: MeasureSchema });
export const RecordsQuerySchema = PageQuerySchema.extend({
  period: PeriodSchema,
  /** One bucket of the figure; all its records without. */
  key: z.string().trim().min(1).max(100).optional(),
});
export type RecordsQuery = z.infer<typeof RecordsQuerySchema>;

/** A counted record, in one shape for every measure; personal data only masked. */
export const DashboardRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  orgName: z.string().nullable(),
  key: z.string(),
  date: z.string().nullable(),
  value: z.number().nullable(),
  detail: z.string().nullable(),
});
export type DashboardRecord = z.infer<typeof DashboardRecordSchema>;
export const RecordPageSchema = pageOf(DashboardRecordSchema);
export type RecordPage = z.infer<typeof RecordPageSchema>;

// ---------- frozen reports ----------

export const FreezeReportSchema = z.strictObject({
  period: PeriodSchema,
  title: z.string().trim().min(1, { message: 'field.required' }).max(100).optional(),
});
export type FreezeReport = z.infer<typeof FreezeReportSchema>;

export const ReportSummarySchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  period: z.string(),
  title: z.string(),
  frozenBy: z.string(),
  frozenAt: z.string(),
});
export const ReportSchema = ReportSummarySchema.extend({ figures: FrozenFiguresSchema });
export type Report = z.infer<typeof ReportSchema>;
export const ReportPageSchema = pageOf(ReportSummarySchema);
export const ReportListQuerySchema = PageQuerySchema;
