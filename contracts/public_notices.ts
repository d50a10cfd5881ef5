import { z } from 'zod';
import { IdSchema, PageQuerySchema, pageOf, requiredText } from './common.js';

/**
 * 公示: before an honour, a rating or a published lesson becomes final, the names are shown to the
 * public for a period with a channel for objections. Commendations, brands, appraisals, monthly ratings
 * and lessons open one through the server's public_notices service; an upheld objection withdraws one item.
 */
export const PUBLIC_NOTICE_KINDS = ['commendation', 'brand', 'appraisal', 'monthly_rating', 'lesson'] as const;
export const PublicNoticeKindSchema = z.enum(PUBLIC_NOTICE_KINDS);
export type PublicNoticeKind = z.infer<typeof PublicNoticeKindSchema>;

/** Computed from today's China date: before starts_on, between (both days included), after ends_on. */
export const PUBLIC_NOTICE_STATUSES = ['scheduled', 'open', 'ended'] as const;
export const PublicNoticeStatusSchema = z.enum(PUBLIC_NOTICE_STATUSES);
export type PublicNoticeStatus = z.infer<typeof PublicNoticeStatusSchema>;

export const OBJECTION_STATUSES = ['pending', 'upheld', 'dismissed'] as const;
export const ObjectionStatusSchema = z.enum(OBJECTION_STATUSES);
export type ObjectionStatus = z.infer<typeof ObjectionStatusSchema>;

/** 公示期不少于5个工作日: checked as calendar days, both ends included. */
export const MIN_PUBLIC_NOTICE_DAYS = 5;
/** The public page of a tree keeps an ended notice this many days. */
export const RECENTLY_ENDED_DAYS = 30;

/** A mobile number or a landline (区号-号码), the way people write them. */
export const ObjectionContactSchema = z.string().trim().regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$/, { message: 'public_notices.contact_format' });

// ---------- objecting (members by name, the public anonymously) ----------

export const ObjectSchema = z.strictObject({
  itemId: IdSchema,
  content: requiredText(1000),
  /** optional: an anonymous objector may leave a way to be answered */
  contact: z.union([ObjectionContactSchema, z.literal('')]).nullable().optional().transform((v) => (v ? v : null)),
});
export type ObjectInput = z.infer<typeof ObjectSchema>;
export const ObjectionReceiptSchema = z.object({ id: IdSchema, status: ObjectionStatusSchema });
export type ObjectionReceipt = z.infer<typeof ObjectionReceiptSchema>;

// ---------- administrators ----------

export const PublicNoticeListQuerySchema = PageQuerySchema.extend({
  status: PublicNoticeStatusSchema.optional(),
  kind: PublicNoticeKindSchema.optional(),
});
export type PublicNoticeListQuery = z.infer<typeof PublicNoticeListQuerySchema>;

export const ObjectionCountsSchema = z.object({ pending: z.number().int(), upheld: z.number().int(), dismissed: z.number().int() });
export const PublicNoticeSummarySchema = z.object({
  id: IdSchema,
  kind: PublicNoticeKindSchema,
  sourceId: z.string(),
  orgId: IdSchema,
  orgName: z.string(),
  title: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  status: PublicNoticeStatusSchema,
  itemCount: z.number().int(),
  withdrawnCount: z.number().int(),
  objectionCounts: ObjectionCountsSchema,
  createdAt: z.string(),
});
export type PublicNoticeSummary = z.infer<typeof PublicNoticeSummarySchema>;
export const PublicNoticePageSchema = pageOf(PublicNoticeSummarySchema);
export type PublicNoticePage = z.infer<typeof PublicNoticePageSchema>;

export const PublicNoticeItemSchema = z.object({
  id: IdSchema,
  ref: z.string(),
  name: z.string(),
  orgName: z.string(),
  title: z.string(),
  summary: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
  withdrawnReason: z.string().nullable(),
});
export type PublicNoticeItem = z.infer<typeof PublicNoticeItemSchema>;

export const ObjectionSchema = z.object({
  id: IdSchema,
  itemId: IdSchema,
  itemName: z.string(),
  content: z.string(),
  /** 138****5678; the full contact through POST …/reveal-contact, audited */
  contactMasked: z.string().nullable(),
  /** the member who objected by name; null for an anonymous objection from the public page */
  submittedBy: z.object({ userId: IdSchema, name: z.string() }).nullable(),
  status: ObjectionStatusSchema,
  answer: z.string().nullable(),
  answeredBy: z.string().nullable(),
  answeredAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Objection = z.infer<typeof ObjectionSchema>;

export const PublicNoticeDetailSchema = PublicNoticeSummarySchema.extend({
  items: z.array(PublicNoticeItemSchema),
  objections: z.array(ObjectionSchema),
  /** only the administrators of the notice's own org (or above) answer objections */
  canAnswer: z.boolean(),
});
export type PublicNoticeDetail = z.infer<typeof PublicNoticeDetailSchema>;

export const AnswerObjectionSchema = z.strictObject({ answer: requiredText(1000) });
export type AnswerObjection = z.infer<typeof AnswerObjectionSchema>;
export const RevealedContactSchema = z.object({ contact: z.string().nullable() });
export type RevealedContact = z.infer<typeof RevealedContactSchema>;

// ---------- members (我的) ----------

export const MemberNoticeItemSchema = z.object({
  id: IdSchema,
  name: z.string(),
  orgName: z.string(),
  title: z.string(),
  summary: z.string().nullable(),
  withdrawn: z.boolean(),
});
export type MemberNoticeItem = z.infer<typeof MemberNoticeItemSchema>;
export const MemberNoticeSchema = z.object({
  id: IdSchema,
  kind: PublicNoticeKindSchema,
  orgName: z.string(),
  title: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  status: PublicNoticeStatusSchema,
  items: z.array(MemberNoticeItemSchema),
  /** the member's own objections to this notice and their answers */
  myObjections: z.array(z.object({ id: IdSchema, itemId: IdSchema, content: z.string(), status: ObjectionStatusSchema, answer: z.string().nullable(), createdAt: z.string() })),
});
export type MemberNotice = z.infer<typeof MemberNoticeSchema>;
export const MemberNoticePageSchema = pageOf(MemberNoticeSchema);
export type MemberNoticePage = z.infer<typeof MemberNoticePageSchema>;

// ---------- public (no login): names, org names, honours and summaries only ----------

export const PublicNoticeTreeQuerySchema = PageQuerySchema;
export const PublicNoticeCardSchema = z.object({
  id: IdSchema,
  kind: PublicNoticeKindSchema,
  orgName: z.string(),
  title: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  status: PublicNoticeStatusSchema,
  itemCount: z.number().int(),
});
export type PublicNoticeCard = z.infer<typeof PublicNoticeCardSchema>;
export const PublicNoticeCardPageSchema = pageOf(PublicNoticeCardSchema);
export type PublicNoticeCardPage = z.infer<typeof PublicNoticeCardPageSchema>;
export const PublicNoticeViewSchema = PublicNoticeCardSchema.extend({ items: z.array(MemberNoticeItemSchema) });
export type PublicNoticeView = z.infer<typeof PublicNoticeViewSchema>;
