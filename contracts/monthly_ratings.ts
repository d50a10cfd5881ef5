import { z } from 'zod';
import { DateTimeSchema, IdSchema, PageQuerySchema, optionalText, pageOf, requiredText } from './common.js';

/**
 * 美丽党员（月度评星）: an org runs a campaign for its tree; each month a round takes nominations
 * (admins of orgs in the tree, and members' own or peers' recommendations when the campaign allows
 * them), then the tree's members vote on their phones (a few votes each, one per nominee), then the
 * admin publishes the month's list (通报): the top places by votes, ties broken as the campaign declares.
 * Live counts are for the campaign's admins only until the list is published (no bandwagon).
 */
export const MONTHLY_RATING_TIE_BREAKS = ['earlier_nomination', 'admin_decision'] as const;
export const MonthlyRatingTieBreakSchema = z.enum(MONTHLY_RATING_TIE_BREAKS);
export type MonthlyRatingTieBreak = z.infer<typeof MonthlyRatingTieBreakSchema>;

export const MONTHLY_RATING_PHASES = ['upcoming', 'nominating', 'between', 'voting', 'closed', 'published'] as const;
export const MonthlyRatingPhaseSchema = z.enum(MONTHLY_RATING_PHASES);
export type MonthlyRatingPhase = z.infer<typeof MonthlyRatingPhaseSchema>;

export const NOMINATION_SOURCES = ['admin', 'self', 'peer'] as const;
export const NominationSourceSchema = z.enum(NOMINATION_SOURCES);
export const NOMINATION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export const NominationStatusSchema = z.enum(NOMINATION_STATUSES);
export type NominationStatus = z.infer<typeof NominationStatusSchema>;

/** YYYY-MM, a month in China time */
export const MonthSchema = z.string().regex(/^(19|20|21)\d{2}-(0[1-9]|1[0-2])$/, { message: 'monthly_rating.month_invalid' });
const DayOfMonthSchema = z.number().int().min(1, { message: 'monthly_rating.day_invalid' }).max(28, { message: 'monthly_rating.day_invalid' });

/** The days of each month (China time, inclusive) a round nominates and votes, when made from the settings. */
const CampaignSettingsSchema = z.strictObject({
  name: requiredText(100),
  /** stars (places) each month */
  places: z.number().int().min(1, { message: 'monthly_rating.places_invalid' }).max(50, { message: 'monthly_rating.places_invalid' }),
  votesPerMember: z.number().int().min(1, { message: 'monthly_rating.votes_invalid' }).max(20, { message: 'monthly_rating.votes_invalid' }),
  allowRecommendations: z.boolean().default(false),
  autoRounds: z.boolean().default(true),
  tieBreak: MonthlyRatingTieBreakSchema.default('earlier_nomination'),
  nominationFromDay: DayOfMonthSchema,
  nominationToDay: DayOfMonthSchema,
  votingFromDay: DayOfMonthSchema,
  votingToDay: DayOfMonthSchema,
});

const daysInOrder = (s: { nominationFromDay?: number; nominationToDay?: number; votingFromDay?: number; votingToDay?: number }) =>
  s.nominationFromDay === undefined || s.nominationToDay === undefined || s.votingFromDay === undefined || s.votingToDay === undefined
  || (s.nominationFromDay <= s.nominationToDay && s.nominationToDay < s.votingFromDay && s.votingFromDay <= s.votingToDay);

export const MonthlyRatingCampaignInputSchema = CampaignSettingsSchema.extend({ orgId: IdSchema })
  .refine(daysInOrder, { message: 'monthly_rating.days_order', path: ['votingFromDay'] });
export type MonthlyRatingCampaignInput = z.infer<typeof MonthlyRatingCampaignInputSchema>;

export const MonthlyRatingCampaignUpdateSchema = CampaignSettingsSchema.partial().extend({ isActive: z.boolean().optional() })
  .refine(daysInOrder, { message: 'monthly_rating.days_order', path: ['votingFromDay'] });
export type MonthlyRatingCampaignUpdate = z.infer<typeof MonthlyRatingCampaignUpdateSchema>;

export const MonthlyRatingCampaignSchema = z.object({
  id: IdSchema, orgId: IdSchema, orgName: z.string(), name: z.string(), places: z.number().int(), votesPerMember: z.number().int(),
  allowRecommendations: z.boolean(), autoRounds: z.boolean(), tieBreak: MonthlyRatingTieBreakSchema,
  nominationFromDay: z.number().int(), nominationToDay: z.number().int(), votingFromDay: z.number().int(), votingToDay: z.number().int(),
  isActive: z.boolean(), createdAt: z.string(),
  /** the viewer runs the campaign (an admin of an org below nominates into it but does not run it) */
  canManage: z.boolean(),
});
export type MonthlyRatingCampaign = z.infer<typeof MonthlyRatingCampaignSchema>;
export const MonthlyRatingCampaignPageSchema = pageOf(MonthlyRatingCampaignSchema);
export type MonthlyRatingCampaignPage = z.infer<typeof MonthlyRatingCampaignPageSchema>;

// ---------- rounds ----------

const WindowsShape = {
  nominationOpensAt: DateTimeSchema, nominationClosesAt: DateTimeSchema, votingOpensAt: DateTimeSchema, votingClosesAt: DateTimeSchema,
};
const windowsInOrder = (w: Partial<Record<keyof typeof WindowsShape, string>>) =>
  !w.nominationOpensAt || !w.nominationClosesAt || !w.votingOpensAt || !w.votingClosesAt
  || (Date.parse(w.nominationOpensAt) < Date.parse(w.nominationClosesAt) && Date.parse(w.nominationClosesAt) <= Date.parse(w.votingOpensAt)
    && Date.parse(w.votingOpensAt) < Date.parse(w.votingClosesAt));

/** A month's round; without windows they come from the campaign's days. */
export const MonthlyRatingRoundInputSchema = z.strictObject({ month: MonthSchema, ...z.object(WindowsShape).partial().shape })
  .refine((r) => [r.nominationOpensAt, r.nominationClosesAt, r.votingOpensAt, r.votingClosesAt].every((x) => x === undefined)
    || [r.nominationOpensAt, r.nominationClosesAt, r.votingOpensAt, r.votingClosesAt].every((x) => x !== undefined), { message: 'monthly_rating.windows_all', path: ['nominationOpensAt'] })
  .refine(windowsInOrder, { message: 'monthly_rating.windows_order', path: ['votingOpensAt'] });
export type MonthlyRatingRoundInput = z.infer<typeof MonthlyRatingRoundInputSchema>;

/** Moving a round's windows (all four, in order) until it is published. */
export const MonthlyRatingWindowsSchema = z.strictObject(WindowsShape).refine(windowsInOrder, { message: 'monthly_rating.windows_order', path: ['votingOpensAt'] });
export type MonthlyRatingWindows = z.infer<typeof MonthlyRatingWindowsSchema>;

export const MonthlyRatingRoundSchema = z.object({
  id: IdSchema, campaignId: IdSchema, month: z.string(), phase: MonthlyRatingPhaseSchema,
  nominationOpensAt: z.string(), nominationClosesAt: z.string(), votingOpensAt: z.string(), votingClosesAt: z.string(),
  publishedAt: z.string().nullable(),
  nominees: z.number().int(), pending: z.number().int(),
});
export type MonthlyRatingRound = z.infer<typeof MonthlyRatingRoundSchema>;
export const MonthlyRatingRoundPageSchema = pageOf(MonthlyRatingRoundSchema);
export type MonthlyRatingRoundPage = z.infer<typeof MonthlyRatingRoundPageSchema>;

export const MonthlyRatingRoundDetailSchema = MonthlyRatingRoundSchema.extend({
  campaign: MonthlyRatingCampaignSchema,
  /** votes cast so far: for those who run the campaign only, null otherwise */
  votesCast: z.number().int().nullable(),
  /** under 'admin_decision': a tie at the last place still waits for the admin's order */
  tieUndecided: z.boolean(),
});
export type MonthlyRatingRoundDetail = z.infer<typeof MonthlyRatingRoundDetailSchema>;

// ---------- nominations ----------

export const NominationInputSchema = z.strictObject({
  memberId: IdSchema,
  /** 事迹: what the member did this month */
  reasons: requiredText(2000),
});
export type NominationInput = z.infer<typeof NominationInputSchema>;

export const NominationReviewSchema = z.strictObject({ decision: z.enum(['approve', 'reject']), note: optionalText(200) });
export type NominationReview = z.infer<typeof NominationReviewSchema>;

export const NominationSchema = z.object({
  id: IdSchema, roundId: IdSchema, memberId: IdSchema, name: z.string(), orgId: IdSchema, orgName: z.string(), reasons: z.string(),
  hasPhoto: z.boolean(), source: NominationSourceSchema, status: NominationStatusSchema, createdAt: z.string(),
  /** live count: for those who run the campaign, or everyone once published; null otherwise */
  votes: z.number().int().nullable(),
  /** the admin's recorded order among tied nominees (1 first) */
  tieOrder: z.number().int().nullable(),
  /** 1, 2, … once published */
  place: z.number().int().nullable(),
  isStarred: z.boolean(),
});
export type Nomination = z.infer<typeof NominationSchema>;
export const NominationListQuerySchema = PageQuerySchema.extend({ status: NominationStatusSchema.optional() });
export type NominationListQuery = z.infer<typeof NominationListQuerySchema>;
export const NominationPageSchema = pageOf(NominationSchema);
export type NominationPage = z.infer<typeof NominationPageSchema>;

export const TieOrderInputSchema = z.strictObject({
  /** the tied nominees in the order decided (the first wins the place) */
  nominationIds: z.array(IdSchema).min(2, { message: 'monthly_rating.tie_order_short' }).max(50),
});
export type TieOrderInput = z.infer<typeof TieOrderInputSchema>;

// ---------- the published list (名单) ----------

/** A starred member as the tree sees them: name, org and 事迹, no personal data. */
export const StarredMemberSchema = z.object({
  nominationId: IdSchema, place: z.number().int(), name: z.string(), orgName: z.string(), reasons: z.string(), votes: z.number().int(), hasPhoto: z.boolean(),
});
export type StarredMember = z.infer<typeof StarredMemberSchema>;

export const PublishedListSchema = z.object({
  roundId: IdSchema, month: z.string(), campaignName: z.string(), orgName: z.string(), publishedAt: z.string(), stars: z.array(StarredMemberSchema),
});
export type PublishedList = z.infer<typeof PublishedListSchema>;
export const PublishedListPageSchema = pageOf(PublishedListSchema);
export type PublishedListPage = z.infer<typeof PublishedListPageSchema>;

/** The months a member was starred (their record). */
export const MemberStarSchema = z.object({ roundId: IdSchema, month: z.string(), campaignName: z.string(), place: z.number().int(), reasons: z.string() });
export const MemberStarPageSchema = pageOf(MemberStarSchema);
export type MemberStarPage = z.infer<typeof MemberStarPageSchema>;

// ---------- a member's phone ----------

export const MyNomineeSchema = z.object({ id: IdSchema, name: z.string(), orgName: z.string(), reasons: z.string(), hasPhoto: z.boolean(), votedByMe: z.boolean() });
export type MyNominee = z.infer<typeof MyNomineeSchema>;

export const MyRoundSchema = z.object({
  roundId: IdSchema, campaignName: z.string(), orgName: z.string(), month: z.string(), phase: MonthlyRatingPhaseSchema,
  nominationClosesAt: z.string(), votingOpensAt: z.string(), votingClosesAt: z.string(),
  votesPerMember: z.number().int(), remainingVotes: z.number().int(), canRecommend: z.boolean(),
  nominees: z.array(MyNomineeSchema),
});
export type MyRound = z.infer<typeof MyRoundSchema>;
export const MyMonthlyRatingsSchema = z.object({ rounds: z.array(MyRoundSchema) });
export type MyMonthlyRatings = z.infer<typeof MyMonthlyRatingsSchema>;

export const VoteInputSchema = z.strictObject({ nominationId: IdSchema });
export type VoteInput = z.infer<typeof VoteInputSchema>;
export const VoteResultSchema = z.object({ nominationId: IdSchema, remainingVotes: z.number().int() });
export type VoteResult = z.infer<typeof VoteResultSchema>;

export const RecommendationSchema = z.object({ id: IdSchema, status: NominationStatusSchema });
export const PeerSchema = z.object({ memberId: IdSchema, name: z.string() });
export const PeerPageSchema = pageOf(PeerSchema);
export type PeerPage = z.infer<typeof PeerPageSchema>;

