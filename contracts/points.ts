import { z } from 'zod';
import { DateSchema, IdSchema, PageQuerySchema, pageOf, requiredText } from './common.js';

/** Actions that earn points. Only the server awards them, from records it has written. */
export const POINT_RULE_CODES = [
  'article_read', 'course_complete', 'study_plan_item', 'clock_in', 'reading_share',
  'daily_quiz_correct', 'exam_pass', 'contest_join', 'activity_attend',
] as const;
export const PointRuleCodeSchema = z.enum(POINT_RULE_CODES);
export type PointRuleCode = z.infer<typeof PointRuleCodeSchema>;

export const PointRuleSchema = z.object({
  code: PointRuleCodeSchema,
  name: z.string(),
  points: z.number().int(),
  dailyCap: z.number().int(),
  weeklyCap: z.number().int().nullable(),
  isEnabled: z.boolean(),
});
export type PointRule = z.infer<typeof PointRuleSchema>;

export const UpdatePointRuleSchema = z.strictObject({
  name: requiredText(50).optional(),
  points: z.number().int().min(0).max(1000).optional(),
  dailyCap: z.number().int().min(0).max(100_000).optional(),
  weeklyCap: z.number().int().min(0).max(100_000).nullable().optional(),
  isEnabled: z.boolean().optional(),
});
export type UpdatePointRule = z.infer<typeof UpdatePointRuleSchema>;

export const RuleParamsSchema = z.object({ code: PointRuleCodeSchema });

export const LedgerEntrySchema = z.object({
  id: IdSchema,
  memberId: IdSchema,
  memberName: z.string(),
  rule: z.string(),
  sourceType: z.string(),
  sourceId: z.string(),
  points: z.number().int(),
  occurredOn: z.string(),
  createdAt: z.string(),
  reversesId: IdSchema.nullable(),
  reversedById: IdSchema.nullable(),
  reason: z.string().nullable(),
});
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;
export const LedgerPageSchema = pageOf(LedgerEntrySchema);
export type LedgerPage = z.infer<typeof LedgerPageSchema>;

export const LedgerQuerySchema = PageQuerySchema.extend({
  /** Without it: the viewer's own entries. */
  memberId: IdSchema.optional(),
  rule: z.string().max(40).optional(),
  from: DateSchema.optional(),
  to: DateSchema.optional(),
});
export type LedgerQuery = z.infer<typeof LedgerQuerySchema>;

export const ReverseEntrySchema = z.strictObject({ reason: requiredText(200) });
export type ReverseEntry = z.infer<typeof ReverseEntrySchema>;

export const MyPointsSchema = z.object({
  memberId: IdSchema,
  total: z.number().int(),
  today: z.number().int(),
  thisWeek: z.number().int(),
  thisMonth: z.number().int(),
  thisYear: z.number().int(),
  byRule: z.array(z.object({ rule: z.string(), points: z.number().int() })),
});
export type MyPoints = z.infer<typeof MyPointsSchema>;

export const PeriodSchema = z.enum(['week', 'month', 'year']);
export type Period = z.infer<typeof PeriodSchema>;

export const LeaderboardQuerySchema = PageQuerySchema.extend({
  period: PeriodSchema.default('week'),
  /** Any day inside the period; default today (Asia/Shanghai). */
  date: DateSchema.optional(),
  /** The org whose subtree is ranked; default the viewer's branch (members) or first administered org. */
  orgId: IdSchema.optional(),
});
export type LeaderboardQuery = z.infer<typeof LeaderboardQuerySchema>;

export const MemberRankSchema = z.object({
  rank: z.number().int(),
  memberId: IdSchema,
  memberName: z.string(),
  orgName: z.string(),
  points: z.number().int(),
});
/** A week's board counts its ranked members up to this many (isTotalCapped beyond): 50 pages of 20. */
export const LEADERBOARD_COUNT_CAP = 1_000;

/** Only members with points in the period are ranked: total counts them, and a period without points is an empty board. */
export const MemberLeaderboardSchema = pageOf(MemberRankSchema).extend({
  /** True when a week's board ranks more members than were counted (`total` is then LEADERBOARD_COUNT_CAP): show "1,000+". */
  isTotalCapped: z.boolean().optional(),
  from: z.string(),
  to: z.string(),
  /** The org ranked under; null on a site whose tree is still empty (the board is then empty). */
  orgId: IdSchema.nullable(),
  /** The viewer's own line, when the viewer is a member inside the ranked subtree; rank null (暂无排名) without points in the period. */
  me: MemberRankSchema.extend({ rank: z.number().int().nullable() }).nullable(),
});
export type MemberLeaderboard = z.infer<typeof MemberLeaderboardSchema>;

export const OrgRankSchema = z.object({
  rank: z.number().int(),
  orgId: IdSchema,
  orgName: z.string(),
  memberCount: z.number().int(),
  totalPoints: z.number().int(),
  /** Points per member, two decimals: orgs of different sizes compare fairly. */
  averagePoints: z.number(),
});
/** orgId: the org whose children are ranked; null on a site whose tree is still empty (the board is then empty). */
export const OrgLeaderboardSchema = pageOf(OrgRankSchema).extend({ from: z.string(), to: z.string(), orgId: IdSchema.nullable() });
export type OrgLeaderboard = z.infer<typeof OrgLeaderboardSchema>;
