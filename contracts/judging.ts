import { z } from 'zod';
import { IdSchema, PageQuerySchema, pageOf } from './common.js';

/**
 * 评审 (judging): panels of judges (评委) score entries against a rubric of weighted criteria. The
 * owning module (擂台赛, 述职评议, 星级评审…) creates the panel through the service; judges score
 * here ("我的评审"); the panel org's administrators read the results.
 */

/** One criterion of a rubric: scored 0..maxScore; weights are normalised by their sum (1 or 100 alike). */
export const RubricCriterionSchema = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, { message: 'judging.criterion_key' }),
  name: z.string().trim().min(1).max(60),
  weight: z.number().positive().max(1000),
  maxScore: z.number().positive().max(1000),
});
export type RubricCriterion = z.infer<typeof RubricCriterionSchema>;

/**
 * The declared order in which equal scores (rounded to hundredths) are told apart: the higher mean on
 * the highest-weighted criterion (the first declared among equal weights), more judges, the earlier entry.
 */
export const TIE_BREAK_RULES = ['top_criterion', 'more_judges', 'earlier_entry'] as const;
export const TieBreakRuleSchema = z.enum(TIE_BREAK_RULES);
export type TieBreakRule = z.infer<typeof TieBreakRuleSchema>;
export const DEFAULT_TIE_BREAK: readonly TieBreakRule[] = TIE_BREAK_RULES;

/** With this many judges' totals or more on an entry, the highest and the lowest are dropped. */
export const TRIM_FROM_JUDGES = 5;

/** A criterion's score: 0..maxScore (checked against the rubric), in steps of 0.01 at most. */
export const CriterionScoreSchema = z.number().min(0).max(1000).refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, { message: 'judging.score_precision' });

export const DraftScoreSchema = z.strictObject({
  /** Criterion key → score; a draft may leave criteria empty (null or absent). */
  scores: z.record(z.string().max(40), CriterionScoreSchema.nullable()),
  comment: z.string().trim().max(500).nullable().optional(),
});
export type DraftScore = z.infer<typeof DraftScoreSchema>;

/** Submitting scores every criterion and locks the judge's scores on the entry for good. */
export const SubmitScoreSchema = DraftScoreSchema;
export type SubmitScore = z.infer<typeof SubmitScoreSchema>;

export const PanelStateSchema = z.enum(['upcoming', 'open', 'closed']);
export type PanelState = z.infer<typeof PanelStateSchema>;

export const JudgingTaskSchema = z.object({
  panelId: IdSchema,
  title: z.string(),
  ownerModule: z.string(),
  ownerRef: z.string(),
  blind: z.boolean(),
  state: PanelStateSchema,
  opensAt: z.string().nullable(),
  closesAt: z.string().nullable(),
  /** Entries this judge scores (those of their own subtree excluded), submitted ones, and those left. */
  entries: z.number().int(),
  submitted: z.number().int(),
  toScore: z.number().int(),
});
export type JudgingTask = z.infer<typeof JudgingTaskSchema>;
export const JudgingTaskPageSchema = pageOf(JudgingTaskSchema).extend({
  /** Entries left to score over every open panel of the judge. */
  toScore: z.number().int(),
});
export type JudgingTaskPage = z.infer<typeof JudgingTaskPageSchema>;

export const JudgeScoreStateSchema = z.object({
  scores: z.record(z.string(), z.number().nullable()),
  comment: z.string().nullable(),
  total: z.number().nullable(),
  submittedAt: z.string().nullable(),
  locked: z.boolean(),
});
export type JudgeScoreState = z.infer<typeof JudgeScoreStateSchema>;

/** An entry as a judge sees it: on a blind panel only its label (作品 N) and summary. */
export const JudgeEntrySchema = z.object({
  id: IdSchema,
  /** 作品 N on a blind panel (shown by the page in the reader's language) */
  blindLabel: z.number().int(),
  /** null on a blind panel */
  title: z.string().nullable(),
  orgName: z.string().nullable(),
  summary: z.string().nullable(),
  mine: JudgeScoreStateSchema.nullable(),
});
export type JudgeEntry = z.infer<typeof JudgeEntrySchema>;

export const JudgePanelSchema = z.object({
  id: IdSchema,
  title: z.string(),
  blind: z.boolean(),
  state: PanelStateSchema,
  opensAt: z.string().nullable(),
  closesAt: z.string().nullable(),
  criteria: z.array(RubricCriterionSchema),
});
export type JudgePanel = z.infer<typeof JudgePanelSchema>;

export const JudgeEntriesQuerySchema = PageQuerySchema.extend({ pageSize: z.coerce.number().int().min(1).max(200).default(200) });
export type JudgeEntriesQuery = z.infer<typeof JudgeEntriesQuerySchema>;
export const JudgeEntryPageSchema = pageOf(JudgeEntrySchema).extend({ panel: JudgePanelSchema });
export type JudgeEntryPage = z.infer<typeof JudgeEntryPageSchema>;

export const JudgeEntryDetailSchema = JudgeEntrySchema.extend({ panel: JudgePanelSchema });
export type JudgeEntryDetail = z.infer<typeof JudgeEntryDetailSchema>;

// ---------- results (the panel org's administrators; the owner module once closed) ----------

export const CriterionResultSchema = z.object({
  key: z.string(),
  name: z.string(),
  /** normalised: the weights of a panel sum to 1 */
  weight: z.number(),
  maxScore: z.number(),
  /** mean score on the criterion over the judges counted (after trimming), 2 dp; null without scores */
  mean: z.number().nullable(),
  trimmed: z.boolean(),
});
export type CriterionResult = z.infer<typeof CriterionResultSchema>;

export const PanelResultSchema = z.object({
  entryId: IdSchema,
  ref: z.string(),
  orgId: IdSchema,
  orgName: z.string(),
  title: z.string(),
  blindLabel: z.number().int(),
  /** 0..100, 2 dp: the mean of the judges' totals, the highest and lowest dropped with ≥ 5 judges */
  score: z.number().nullable(),
  rank: z.number().int().nullable(),
  judgeCount: z.number().int(),
  trimmed: z.boolean(),
  /** the rule that placed this entry below one with the same score, or null */
  tieBreak: TieBreakRuleSchema.nullable(),
  perCriterion: z.array(CriterionResultSchema),
});
export type PanelResult = z.infer<typeof PanelResultSchema>;

export const JudgeTotalSchema = z.object({
  entryId: IdSchema,
  judgeId: IdSchema,
  judgeName: z.string(),
  total: z.number(),
  scores: z.record(z.string(), z.number()),
  comment: z.string().nullable(),
  submittedAt: z.string(),
  /** dropped from the mean as the entry's highest or lowest total */
  dropped: z.enum(['high', 'low']).nullable(),
});
export type JudgeTotal = z.infer<typeof JudgeTotalSchema>;

export const PanelJudgeSchema = z.object({
  userId: IdSchema,
  name: z.string(),
  /** entries this judge scores (none of their own subtree) and those submitted */
  entries: z.number().int(),
  submitted: z.number().int(),
});
export type PanelJudge = z.infer<typeof PanelJudgeSchema>;

export const PanelResultsSchema = z.object({
  panel: z.object({
    id: IdSchema,
    title: z.string(),
    orgId: IdSchema,
    orgName: z.string(),
    ownerModule: z.string(),
    ownerRef: z.string(),
    blind: z.boolean(),
    state: PanelStateSchema,
    criteria: z.array(RubricCriterionSchema),
    tieBreak: z.array(TieBreakRuleSchema),
    opensAt: z.string().nullable(),
    closesAt: z.string().nullable(),
    closedAt: z.string().nullable(),
  }),
  results: z.array(PanelResultSchema),
  judges: z.array(PanelJudgeSchema),
  totals: z.array(JudgeTotalSchema),
});
export type PanelResults = z.infer<typeof PanelResultsSchema>;
