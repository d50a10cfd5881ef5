import { z } from 'zod';
import { DateSchema, IdSchema, PageQuerySchema, optionalText, pageOf, requiredText } from './common.js';

/**
 * 民主评议党员 (issue #16): a branch appraises its members once a year. Phases in order:
 * 自评 (self-assessment) → 民主测评 (mutual: every participant rates every other, secretly) → 支委会评议
 * (committee) → 确定等次 (final) → 公示 of the 优秀 → 公布 (published: on each member's record).
 */
export const APPRAISAL_GRADES = ['excellent', 'qualified', 'basically_qualified', 'unqualified'] as const;
export const AppraisalGradeSchema = z.enum(APPRAISAL_GRADES);
export type AppraisalGrade = z.infer<typeof AppraisalGradeSchema>;

export const APPRAISAL_PHASES = ['self_assessment', 'mutual', 'committee', 'final', 'public_notice', 'published'] as const;
export type AppraisalPhase = (typeof APPRAISAL_PHASES)[number];

/** The phases an administrator moves on from with `advance` (the 公示 and publication have their own steps). */
export const ADVANCEABLE_PHASES = ['self_assessment', 'mutual', 'committee'] as const;

const YearSchema = z.coerce.number().int().min(2000).max(2199);

/** Votes per grade: the only view anyone has of the mutual evaluation. */
export const AppraisalTallySchema = z.object({
  excellent: z.number().int(), qualified: z.number().int(), basically_qualified: z.number().int(), unqualified: z.number().int(),
});
export type AppraisalTally = z.infer<typeof AppraisalTallySchema>;

export const AppraisalRoundSummarySchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  year: z.number().int(),
  phase: z.enum(APPRAISAL_PHASES),
  excellentSharePercent: z.number().int(),
  participants: z.number().int(),
  selfAssessed: z.number().int(),
  /** Participants who have cast their mutual-evaluation ballot. */
  ballots: z.number().int(),
  publicNoticeId: IdSchema.nullable(),
  createdAt: z.string(),
  publishedAt: z.string().nullable(),
});
export type AppraisalRoundSummary = z.infer<typeof AppraisalRoundSummarySchema>;

export const AppraisalRoundPageSchema = pageOf(AppraisalRoundSummarySchema);
export type AppraisalRoundPage = z.infer<typeof AppraisalRoundPageSchema>;

export const AppraisalListQuerySchema = PageQuerySchema.extend({
  /** The branch or an org above it (its subtree). */
  orgId: IdSchema.optional(),
  year: YearSchema.optional(),
});
export type AppraisalListQuery = z.infer<typeof AppraisalListQuerySchema>;

export const AppraisalParticipantSchema = z.object({
  memberId: IdSchema,
  name: z.string(),
  stage: z.enum(['full', 'probationary']),
  selfSummary: z.string().nullable(),
  selfGrade: AppraisalGradeSchema.nullable(),
  /** Shown once the mutual evaluation has closed (before, a tally of few ballots could reveal one). */
  tally: AppraisalTallySchema.nullable(),
  committeeGrade: AppraisalGradeSchema.nullable(),
  finalGrade: AppraisalGradeSchema.nullable(),
  finalReason: z.string().nullable(),
  withdrawnReason: z.string().nullable(),
});
export type AppraisalParticipant = z.infer<typeof AppraisalParticipantSchema>;

export const AppraisalRoundSchema = AppraisalRoundSummarySchema.extend({
  /** ballots / participants, 0..1 */
  responseRate: z.number(),
  /** The most 优秀 the share rule allows. */
  maxExcellent: z.number().int(),
  items: z.array(AppraisalParticipantSchema),
  canManage: z.boolean(),
});
export type AppraisalRound = z.infer<typeof AppraisalRoundSchema>;

export const OpenAppraisalsSchema = z.strictObject({
  /** A branch, or an org above: a round for every branch of its subtree that has none for the year. */
  orgId: IdSchema,
  year: z.number().int().min(2000).max(2199),
  excellentSharePercent: z.number().int().min(0).max(100).default(30),
});
export type OpenAppraisals = z.infer<typeof OpenAppraisalsSchema>;

export const OpenedAppraisalsSchema = z.object({ opened: z.number().int(), ids: z.array(IdSchema) });
export type OpenedAppraisals = z.infer<typeof OpenedAppraisalsSchema>;

export const UpdateAppraisalRoundSchema = z.strictObject({ excellentSharePercent: z.number().int().min(0).max(100) });
export type UpdateAppraisalRound = z.infer<typeof UpdateAppraisalRoundSchema>;

const uniqueMembers = (list: { memberId: string }[]) => new Set(list.map((g) => g.memberId)).size === list.length;

export const CommitteeGradesSchema = z.strictObject({
  grades: z.array(z.strictObject({ memberId: IdSchema, grade: AppraisalGradeSchema })).min(1).max(2000)
    .refine(uniqueMembers, { message: 'appraisal.duplicate_member' }),
});
export type CommitteeGrades = z.infer<typeof CommitteeGradesSchema>;

export const FinalGradesSchema = z.strictObject({
  grades: z.array(z.strictObject({ memberId: IdSchema, grade: AppraisalGradeSchema, reason: optionalText(500) })
    .refine((g) => g.grade !== 'unqualified' || !!g.reason, { message: 'appraisal.reason_required', path: ['reason'] }))
    .min(1).max(2000)
    .refine(uniqueMembers, { message: 'appraisal.duplicate_member' }),
});
export type FinalGrades = z.infer<typeof FinalGradesSchema>;

export const OpenAppraisalNoticeSchema = z.strictObject({
  startsOn: DateSchema,
  endsOn: DateSchema,
  title: optionalText(100),
}).refine((n) => n.endsOn >= n.startsOn, { message: 'appraisal.ends_before_starts', path: ['endsOn'] });
export type OpenAppraisalNotice = z.infer<typeof OpenAppraisalNoticeSchema>;

// ---------- the member ----------

export const MyAppraisalSchema = z.object({
  id: IdSchema,
  orgName: z.string(),
  year: z.number().int(),
  phase: z.enum(APPRAISAL_PHASES),
  selfSummary: z.string().nullable(),
  selfGrade: AppraisalGradeSchema.nullable(),
  hasVoted: z.boolean(),
  /** The others to rate (during the mutual evaluation). */
  others: z.array(z.object({ memberId: IdSchema, name: z.string() })),
  /** Once published. */
  finalGrade: AppraisalGradeSchema.nullable(),
  finalReason: z.string().nullable(),
});
export type MyAppraisal = z.infer<typeof MyAppraisalSchema>;

export const MyAppraisalsSchema = z.object({ items: z.array(MyAppraisalSchema) });
export type MyAppraisals = z.infer<typeof MyAppraisalsSchema>;

export const SelfAssessmentSchema = z.strictObject({ summary: requiredText(3000), grade: AppraisalGradeSchema });
export type SelfAssessment = z.infer<typeof SelfAssessmentSchema>;

/** All ratings at once: one for every other participant. */
export const AppraisalBallotSchema = z.strictObject({
  ratings: z.array(z.strictObject({ memberId: IdSchema, grade: AppraisalGradeSchema })).min(1).max(2000)
    .refine(uniqueMembers, { message: 'appraisal.duplicate_member' }),
});
export type AppraisalBallot = z.infer<typeof AppraisalBallotSchema>;

// ---------- a member's record ----------

export const MemberAppraisalResultsQuerySchema = z.object({ memberId: IdSchema });
export type MemberAppraisalResultsQuery = z.infer<typeof MemberAppraisalResultsQuerySchema>;

export const MemberAppraisalResultSchema = z.object({
  roundId: IdSchema, year: z.number().int(), orgName: z.string(), finalGrade: AppraisalGradeSchema, finalReason: z.string().nullable(),
  withdrawnReason: z.string().nullable(), publishedAt: z.string(),
});
export const MemberAppraisalResultsSchema = z.object({ items: z.array(MemberAppraisalResultSchema) });
export type MemberAppraisalResults = z.infer<typeof MemberAppraisalResultsSchema>;
