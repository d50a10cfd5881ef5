import { z } from 'zod';
import { DateSchema, IdSchema, PageQuerySchema, pageOf, requiredText } from './common.js';

/**
 * 赛马 / 对表晒绩: a campaign of an org ranks the orgs below it in peer groups, period by period, on
 * weighted dimensions (讲政治·比忠诚 …), each scored by a computed indicator, a manual entry or judges
 * (擂台赛). Computing a period keeps its results; publishing shows the board to the orgs in the tree.
 */
export const RANKING_PERIOD_KINDS = ['monthly', 'quarterly'] as const;
export const RankingPeriodKindSchema = z.enum(RANKING_PERIOD_KINDS);
export type RankingPeriodKind = z.infer<typeof RankingPeriodKindSchema>;

export const RANKING_SOURCES = ['indicator', 'manual', 'judges'] as const;
export const RankingSourceSchema = z.enum(RANKING_SOURCES);
export type RankingSource = z.infer<typeof RankingSourceSchema>;

export const PEER_RULE_KINDS = ['level', 'type', 'orgs'] as const;
export const PeerRuleKindSchema = z.enum(PEER_RULE_KINDS);
export type PeerRuleKind = z.infer<typeof PeerRuleKindSchema>;

export const RANKING_PERIOD_STATUSES = ['open', 'computed', 'published'] as const;
export const RankingPeriodStatusSchema = z.enum(RANKING_PERIOD_STATUSES);
export type RankingPeriodStatus = z.infer<typeof RankingPeriodStatusSchema>;

/** The highest manual or judged score: dimensions are normalized within the peer group anyway. */
export const RANKING_SCORE_MAX = 10_000;

export const RankingDimensionInputSchema = z
  .strictObject({
    name: requiredText(60),
    weight: z.number().gt(0, { message: 'ranking.weight_positive' }).max(1000),
    source: RankingSourceSchema,
    indicatorCode: z.string().trim().max(100).nullable().optional(),
    higherIsBetter: z.boolean().default(true),
  })
  .refine((d) => d.source !== 'indicator' || !!d.indicatorCode, { message: 'ranking.indicator_required', path: ['indicatorCode'] });
export type RankingDimensionInput = z.infer<typeof RankingDimensionInputSchema>;

export const PeerGroupInputSchema = z
  .strictObject({
    name: requiredText(60),
    ruleKind: PeerRuleKindSchema,
    /** 'level': how many levels below the campaign's org (1: its direct sub-orgs) */
    depth: z.number().int().min(1).max(10).nullable().optional(),
    /** 'type': the org type (党支部 'branch', 党总支 'general_branch' …) within the campaign's subtree */
    orgType: z.string().trim().max(40).nullable().optional(),
    /** 'orgs': the orgs themselves (within the campaign's subtree) */
    orgIds: z.array(IdSchema).max(5000).default([]),
  })
  .refine((g) => g.ruleKind !== 'level' || !!g.depth, { message: 'ranking.depth_required', path: ['depth'] })
  .refine((g) => g.ruleKind !== 'type' || !!g.orgType, { message: 'ranking.type_required', path: ['orgType'] })
  .refine((g) => g.ruleKind !== 'orgs' || g.orgIds.length > 0, { message: 'ranking.orgs_required', path: ['orgIds'] });
export type PeerGroupInput = z.infer<typeof PeerGroupInputSchema>;

export const RankingCampaignInputSchema = z.strictObject({
  orgId: IdSchema,
  name: requiredText(100),
  periodKind: RankingPeriodKindSchema,
  year: z.number().int().min(2000).max(2199),
  dimensions: z.array(RankingDimensionInputSchema).min(1, { message: 'ranking.dimensions_required' }).max(20),
  peerGroups: z.array(PeerGroupInputSchema).min(1, { message: 'ranking.groups_required' }).max(20),
});
export type RankingCampaignInput = z.infer<typeof RankingCampaignInputSchema>;

/** Corrections to a campaign before its first period is computed (its org stays). */
export const RankingCampaignUpdateSchema = RankingCampaignInputSchema.omit({ orgId: true }).partial();
export type RankingCampaignUpdate = z.infer<typeof RankingCampaignUpdateSchema>;

export const RankingDimensionSchema = z.object({
  id: IdSchema, position: z.number().int(), name: z.string(), weight: z.number(), source: RankingSourceSchema,
  indicatorCode: z.string().nullable(), higherIsBetter: z.boolean(),
});
export type RankingDimension = z.infer<typeof RankingDimensionSchema>;

export const PeerGroupSchema = z.object({
  id: IdSchema, position: z.number().int(), name: z.string(), ruleKind: PeerRuleKindSchema, depth: z.number().int().nullable(),
  orgType: z.string().nullable(), orgCount: z.number().int(),
});
export type PeerGroup = z.infer<typeof PeerGroupSchema>;

export const RankingPeriodSchema = z.object({
  id: IdSchema, seq: z.number().int(), label: z.string(), from: z.string(), to: z.string(), status: RankingPeriodStatusSchema,
  computedAt: z.string().nullable(), publishedAt: z.string().nullable(),
});
export type RankingPeriod = z.infer<typeof RankingPeriodSchema>;

export const RankingCampaignSummarySchema = z.object({
  id: IdSchema, orgId: IdSchema, orgName: z.string(), name: z.string(), periodKind: RankingPeriodKindSchema, year: z.number().int(),
  status: z.enum(['active', 'closed']), publishedPeriods: z.number().int(), createdAt: z.string(),
});
export type RankingCampaignSummary = z.infer<typeof RankingCampaignSummarySchema>;

export const RankingCampaignSchema = RankingCampaignSummarySchema.extend({
  dimensions: z.array(RankingDimensionSchema),
  peerGroups: z.array(PeerGroupSchema),
  periods: z.array(RankingPeriodSchema),
});
export type RankingCampaign = z.infer<typeof RankingCampaignSchema>;

export const RankingCampaignListQuerySchema = PageQuerySchema.extend({ year: z.coerce.number().int().min(2000).max(2199).optional() });
export type RankingCampaignListQuery = z.infer<typeof RankingCampaignListQuerySchema>;
export const RankingCampaignPageSchema = pageOf(RankingCampaignSummarySchema);
export type RankingCampaignPage = z.infer<typeof RankingCampaignPageSchema>;

export const RankingIndicatorSchema = z.object({ code: z.string(), name: z.string(), unit: z.string(), formula: z.string() });
export const RankingIndicatorListSchema = z.object({ items: z.array(RankingIndicatorSchema) });
export type RankingIndicatorList = z.infer<typeof RankingIndicatorListSchema>;

// ---------- a period ----------

export const RankingEventOrgSchema = z.object({ id: IdSchema, name: z.string() });
export const RankingEventSchema = z.object({
  id: IdSchema, dimensionId: IdSchema, title: z.string(), date: z.string(), panelId: z.string().nullable(), orgs: z.array(RankingEventOrgSchema),
});
export type RankingEvent = z.infer<typeof RankingEventSchema>;

export const RankingPeriodDetailSchema = RankingPeriodSchema.extend({
  campaign: RankingCampaignSchema,
  events: z.array(RankingEventSchema),
  /** per manual dimension: how many orgs have a score (the list the manual entry page opens) */
  manualCounts: z.array(z.object({ dimensionId: IdSchema, scored: z.number().int() })),
  /** the orgs ranked in this campaign */
  rankedOrgs: z.number().int(),
});
export type RankingPeriodDetail = z.infer<typeof RankingPeriodDetailSchema>;

export const ManualScoresQuerySchema = PageQuerySchema.extend({ dimensionId: IdSchema, groupId: IdSchema.optional() });
export type ManualScoresQuery = z.infer<typeof ManualScoresQuerySchema>;
export const ManualScoreRowSchema = z.object({ orgId: IdSchema, orgName: z.string(), groupId: IdSchema, groupName: z.string(), score: z.number().nullable() });
export type ManualScoreRow = z.infer<typeof ManualScoreRowSchema>;
export const ManualScorePageSchema = pageOf(ManualScoreRowSchema);
export type ManualScorePage = z.infer<typeof ManualScorePageSchema>;

export const ManualScoresInputSchema = z.strictObject({
  dimensionId: IdSchema,
  /** null clears the org's score (no data: it counts 0) */
  scores: z.array(z.strictObject({ orgId: IdSchema, score: z.number().min(0).max(RANKING_SCORE_MAX).nullable() })).min(1).max(500),
});
export type ManualScoresInput = z.infer<typeof ManualScoresInputSchema>;
export const ManualScoresResultSchema = z.object({ saved: z.number().int() });

export const RankingEventInputSchema = z.strictObject({
  dimensionId: IdSchema,
  title: requiredText(100),
  date: DateSchema,
  /** the orgs registered to present (ranked orgs of this campaign) */
  orgIds: z.array(IdSchema).min(1, { message: 'ranking.event_orgs_required' }).max(200),
  /** the judges (users); a judge never scores an org in their own subtree (the judging engine) */
  judgeUserIds: z.array(IdSchema).min(1, { message: 'ranking.judges_required' }).max(50),
  blind: z.boolean().default(false),
});
export type RankingEventInput = z.infer<typeof RankingEventInputSchema>;

// ---------- the board ----------

export const BoardQuerySchema = PageQuerySchema.extend({ groupId: IdSchema.optional() });
export type BoardQuery = z.infer<typeof BoardQuerySchema>;

export const BoardRowSchema = z.object({
  orgId: IdSchema, orgName: z.string(), groupId: IdSchema, rank: z.number().int(), previousRank: z.number().int().nullable(),
  /** previous rank − rank: positive moved up, negative down, 0 held; null: not ranked the period before */
  movement: z.number().int().nullable(),
  total: z.number(),
  /** normalized 0–100 per dimension, in the dimensions' order */
  scores: z.array(z.number()),
});
export type BoardRow = z.infer<typeof BoardRowSchema>;

export const BoardSchema = z.object({
  period: z.object({ id: IdSchema, label: z.string(), status: RankingPeriodStatusSchema, publishedAt: z.string().nullable() }),
  campaign: z.object({ id: IdSchema, name: z.string(), orgName: z.string() }),
  dimensions: z.array(z.object({ id: IdSchema, name: z.string(), weight: z.number() })),
  groups: z.array(z.object({ id: IdSchema, name: z.string(), size: z.number().int() })),
  groupId: IdSchema.nullable(),
  items: z.array(BoardRowSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** the viewer's own org's row (an org they administer), wherever it stands */
  mine: BoardRowSchema.nullable(),
});
export type Board = z.infer<typeof BoardSchema>;

export const BoardOrgParamsSchema = z.object({ id: IdSchema, orgId: IdSchema });
export const OrgBreakdownSchema = BoardRowSchema.extend({
  groupName: z.string(),
  groupSize: z.number().int(),
  dimensions: z.array(z.object({
    id: IdSchema, name: z.string(), weight: z.number(), source: RankingSourceSchema, higherIsBetter: z.boolean(),
    raw: z.number().nullable(), score: z.number(),
  })),
});
export type OrgBreakdown = z.infer<typeof OrgBreakdownSchema>;

/** The published boards the viewer may open (those of campaigns above or at the orgs they run). */
export const PublishedBoardSchema = z.object({
  periodId: IdSchema, label: z.string(), campaignId: IdSchema, campaignName: z.string(), orgName: z.string(), publishedAt: z.string().nullable(),
});
export const PublishedBoardPageSchema = pageOf(PublishedBoardSchema);
export type PublishedBoardPage = z.infer<typeof PublishedBoardPageSchema>;

/** The orgs a campaign ranks, group by group (for registering orgs to a 擂台赛). */
export const RankedOrgQuerySchema = PageQuerySchema.extend({ groupId: IdSchema.optional() });
export const RankedOrgSchema = z.object({ orgId: IdSchema, orgName: z.string(), groupId: IdSchema, groupName: z.string() });
export const RankedOrgPageSchema = pageOf(RankedOrgSchema);
export type RankedOrgPage = z.infer<typeof RankedOrgPageSchema>;
