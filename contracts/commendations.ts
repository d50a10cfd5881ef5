import { z } from 'zod';
import { DateSchema, IdSchema, PageQuerySchema, optionalText, pageOf, requiredText } from './common.js';

/**
 * 表彰 (issue #16): 两优一先 rounds — quotas per org, nominations with automatic qualification checks,
 * review, 公示 through the public_notices module, award — and 微星光, small monthly honours without 公示.
 * Honours and 党纪处分 together are the member's 奖惩 record.
 */
export const ROUND_KINDS = ['outstanding_member', 'outstanding_worker', 'advanced_org'] as const;
export type RoundKind = (typeof ROUND_KINDS)[number];
export const MEMBER_KINDS: readonly RoundKind[] = ['outstanding_member', 'outstanding_worker'];
export const HONOUR_KINDS = [...ROUND_KINDS, 'micro_star'] as const;
export type HonourKind = (typeof HONOUR_KINDS)[number];
export const HONOUR_TITLES: Record<HonourKind, string> = {
  outstanding_member: '优秀共产党员', outstanding_worker: '优秀党务工作者', advanced_org: '先进基层党组织', micro_star: '微星光',
};
export const ROUND_STATUSES = ['nominating', 'public_notice', 'awarded'] as const;
export const NOMINATION_STATUSES = ['submitted', 'approved', 'returned', 'withdrawn', 'awarded'] as const;
export const DISCIPLINE_KINDS = ['warning', 'serious_warning', 'removal_from_post', 'probation_in_party'] as const;
export const DISCIPLINE_LABELS: Record<(typeof DISCIPLINE_KINDS)[number], string> = {
  warning: '警告', serious_warning: '严重警告', removal_from_post: '撤销党内职务', probation_in_party: '留党察看',
};
const MonthSchema = z.string().regex(/^(19|20|21)\d{2}-(0[1-9]|1[0-2])$/, { message: 'commendation.month_format' });

export const QuotaSchema = z.object({
  orgId: IdSchema, orgName: z.string(), kind: z.enum(ROUND_KINDS), places: z.number().int(), extraPlaces: z.number().int(), extraNote: z.string().nullable(),
  /** Nominations holding a place (not returned or withdrawn). */
  used: z.number().int(),
});
export type Quota = z.infer<typeof QuotaSchema>;

export const RoundSchema = z.object({
  id: IdSchema, orgId: IdSchema, orgName: z.string(), year: z.number().int(), title: z.string(), kinds: z.array(z.enum(ROUND_KINDS)),
  nominationDeadline: z.string(), minPartyYears: z.number().int(), status: z.enum(ROUND_STATUSES), publicNoticeId: IdSchema.nullable(),
  awardedOn: z.string().nullable(), createdAt: z.string(),
  counts: z.object({ submitted: z.number().int(), approved: z.number().int(), returned: z.number().int(), withdrawn: z.number().int(), awarded: z.number().int() }),
  /** The viewer administers the round's org (quotas, review, 公示, award). */
  canManage: z.boolean(),
  /** The quotas the viewer may nominate under (all of them for the round's admins). */
  quotas: z.array(QuotaSchema),
});
export type Round = z.infer<typeof RoundSchema>;
export const RoundPageSchema = pageOf(RoundSchema.omit({ quotas: true }));
export type RoundPage = z.infer<typeof RoundPageSchema>;
export const RoundListQuerySchema = PageQuerySchema.extend({ year: z.coerce.number().int().min(1900).max(2199).optional() });
export type RoundListQuery = z.infer<typeof RoundListQuerySchema>;

export const CreateRoundSchema = z.strictObject({
  orgId: IdSchema,
  year: z.number().int().min(1900).max(2199),
  title: requiredText(100),
  kinds: z.array(z.enum(ROUND_KINDS)).min(1).max(3).refine((k) => new Set(k).size === k.length, { message: 'commendation.kinds_repeated' }),
  nominationDeadline: DateSchema,
  minPartyYears: z.number().int().min(0).max(80).default(1),
});
export type CreateRound = z.infer<typeof CreateRoundSchema>;

export const SetQuotasSchema = z.strictObject({
  quotas: z.array(z.strictObject({ orgId: IdSchema, kind: z.enum(ROUND_KINDS), places: z.number().int().min(0).max(1000) })).max(500),
});
export type SetQuotas = z.infer<typeof SetQuotasSchema>;

/** Extra places for the orgs ranked first in a frozen assessment scheme. */
export const ExtraQuotasSchema = z.strictObject({
  schemeId: IdSchema, kind: z.enum(ROUND_KINDS), top: z.number().int().min(1).max(100), places: z.number().int().min(1).max(10).default(1),
});
export type ExtraQuotas = z.infer<typeof ExtraQuotasSchema>;

export const CheckSchema = z.object({
  code: z.enum(['party_age', 'full_member', 'no_discipline']), ok: z.boolean(), detail: z.string(),
});
export type Check = z.infer<typeof CheckSchema>;

export const NominationSchema = z.object({
  id: IdSchema, roundId: IdSchema, orgId: IdSchema, orgName: z.string(), kind: z.enum(ROUND_KINDS),
  memberId: IdSchema.nullable(), candidateOrgId: IdSchema.nullable(), candidateName: z.string(), candidateOrgName: z.string(),
  deeds: z.string(), checks: z.array(CheckSchema), qualified: z.boolean(), status: z.enum(NOMINATION_STATUSES), statusReason: z.string().nullable(),
  nominatedBy: z.string().nullable(), reviewedAt: z.string().nullable(), createdAt: z.string(),
});
export type Nomination = z.infer<typeof NominationSchema>;
export const NominationPageSchema = pageOf(NominationSchema);
export type NominationPage = z.infer<typeof NominationPageSchema>;
export const NominationListQuerySchema = PageQuerySchema.extend({
  status: z.enum(NOMINATION_STATUSES).optional(), kind: z.enum(ROUND_KINDS).optional(),
});
export type NominationListQuery = z.infer<typeof NominationListQuerySchema>;

export const CreateNominationSchema = z.strictObject({
  /** The quota-holding org nominating (the viewer administers it). */
  orgId: IdSchema,
  kind: z.enum(ROUND_KINDS),
  memberId: IdSchema.optional(),
  candidateOrgId: IdSchema.optional(),
  /** 事迹 */
  deeds: requiredText(5000),
}).refine((n) => (n.kind === 'advanced_org' ? n.candidateOrgId && !n.memberId : n.memberId && !n.candidateOrgId),
  { message: 'commendation.candidate_required', path: ['memberId'] });
export type CreateNomination = z.infer<typeof CreateNominationSchema>;

export const CheckNominationSchema = z.strictObject({ kind: z.enum(ROUND_KINDS), memberId: IdSchema });
export const CheckResultSchema = z.object({ checks: z.array(CheckSchema), qualified: z.boolean() });

export const ReturnNominationSchema = z.strictObject({ reason: requiredText(500) });

export const OpenRoundNoticeSchema = z.strictObject({ startsOn: DateSchema, endsOn: DateSchema })
  .refine((n) => n.endsOn >= n.startsOn, { message: 'commendation.ends_before_starts', path: ['endsOn'] });
export type OpenRoundNotice = z.infer<typeof OpenRoundNoticeSchema>;

export const PublicNoticeStatusSchema = z.object({
  id: IdSchema, status: z.enum(['scheduled', 'open', 'ended']), startsOn: z.string(), endsOn: z.string(), pendingObjections: z.number().int(), withdrawnRefs: z.array(z.string()),
});

export const HonourSchema = z.object({
  id: IdSchema, kind: z.enum(HONOUR_KINDS), title: z.string(), memberId: IdSchema.nullable(), orgId: IdSchema, recipientName: z.string(), recipientOrgName: z.string(),
  awardedByOrgName: z.string(), year: z.number().int(), month: z.string().nullable(), reason: z.string().nullable(), roundId: IdSchema.nullable(),
  awardedOn: z.string(), hasCertificate: z.boolean(),
});
export type Honour = z.infer<typeof HonourSchema>;
export const HonourPageSchema = pageOf(HonourSchema);
export type HonourPage = z.infer<typeof HonourPageSchema>;
export const HonourListQuerySchema = PageQuerySchema.extend({
  memberId: IdSchema.optional(), orgId: IdSchema.optional(), year: z.coerce.number().int().min(1900).max(2199).optional(),
  kind: z.enum(HONOUR_KINDS).optional(), month: MonthSchema.optional(), roundId: IdSchema.optional(),
});
export type HonourListQuery = z.infer<typeof HonourListQuerySchema>;
export const HonourExportQuerySchema = HonourListQuerySchema.omit({ page: true, pageSize: true, memberId: true, roundId: true });

export const CreateMicroStarSchema = z.strictObject({ memberId: IdSchema, month: MonthSchema, reason: requiredText(500) });
export type CreateMicroStar = z.infer<typeof CreateMicroStarSchema>;

export const DisciplineRecordSchema = z.object({
  id: IdSchema, memberId: IdSchema, memberName: z.string(), kind: z.enum(DISCIPLINE_KINDS), decidedOn: z.string(), endsOn: z.string().nullable(),
  note: z.string().nullable(), inForce: z.boolean(), recordedBy: z.string().nullable(), createdAt: z.string(),
});
export type DisciplineRecord = z.infer<typeof DisciplineRecordSchema>;
export const DisciplinePageSchema = pageOf(DisciplineRecordSchema);
export const DisciplineListQuerySchema = PageQuerySchema.extend({ memberId: IdSchema.optional() });
export type DisciplineListQuery = z.infer<typeof DisciplineListQuerySchema>;
export const CreateDisciplineSchema = z.strictObject({
  memberId: IdSchema, kind: z.enum(DISCIPLINE_KINDS), decidedOn: DateSchema, endsOn: DateSchema.nullable().optional(), note: optionalText(1000),
}).refine((d) => !d.endsOn || d.endsOn >= d.decidedOn, { message: 'commendation.ends_before_decided', path: ['endsOn'] });
export type CreateDiscipline = z.infer<typeof CreateDisciplineSchema>;

/** 奖惩: a member's honours and 党纪处分 (the latter to the admins of their subtree only). */
export const MemberRecordSchema = z.object({ honours: z.array(HonourSchema), discipline: z.array(DisciplineRecordSchema) });
export type MemberRecord = z.infer<typeof MemberRecordSchema>;
