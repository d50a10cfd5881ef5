import { z } from 'zod';
import { IdSchema, PageQuerySchema, optionalText, pageOf, requiredText } from './common.js';

/** 微心愿: posted by a resident (public form, moderated) or a community; one member claims and fulfils it. */
export const WISH_STATUSES = ['pending_review', 'rejected', 'open', 'claimed', 'fulfilled', 'confirmed'] as const;
export const WishStatusSchema = z.enum(WISH_STATUSES);
export type WishStatus = z.infer<typeof WishStatusSchema>;

/** An open wish unclaimed this many days is shown as ageing (待认领超期). */
export const WISH_STALE_DAYS = 14;

/** A mobile number or a landline (区号-号码), the way residents write them. */
export const ContactSchema = z.string().trim().regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$/, { message: 'micro_wish.contact_format' });

const wishFields = {
  title: requiredText(50),
  content: requiredText(500),
  posterName: requiredText(20),
  posterContact: ContactSchema,
};

export const PublicPostWishSchema = z.strictObject({ ...wishFields, communityId: IdSchema.optional() });
export type PublicPostWish = z.infer<typeof PublicPostWishSchema>;
export const PostWishReceiptSchema = z.object({
  id: IdSchema,
  /** Kept by the resident to follow the wish and confirm its fulfilment; shown once. */
  trackingCode: z.string(),
  status: WishStatusSchema,
});
export type PostWishReceipt = z.infer<typeof PostWishReceiptSchema>;

/** A community posts on behalf of a resident: no moderation, published at once. */
export const CreateWishSchema = z.strictObject({ ...wishFields, communityId: IdSchema });
export type CreateWish = z.infer<typeof CreateWishSchema>;

export const ModerateWishSchema = z
  .strictObject({ decision: z.enum(['approve', 'reject']), reason: optionalText(200) })
  .refine((m) => m.decision === 'approve' || !!m.reason, { message: 'micro_wish.reason_required', path: ['reason'] });
export type ModerateWish = z.infer<typeof ModerateWishSchema>;

export const FulfilWishSchema = z.strictObject({ note: requiredText(500) });
export type FulfilWish = z.infer<typeof FulfilWishSchema>;

export const WishEvidenceSchema = z.object({ id: IdSchema, kind: z.enum(['photo', 'document']), fileName: z.string(), mimeType: z.string(), sizeBytes: z.number().int(), url: z.string() });

export const WishSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  source: z.enum(['resident', 'community']),
  communityId: IdSchema.nullable(),
  communityName: z.string().nullable(),
  title: z.string(),
  content: z.string(),
  posterName: z.string(),
  /** Masked (138****5678); the full contact comes from GET …/contact, for the claimant only. */
  posterContactMasked: z.string(),
  status: WishStatusSchema,
  rejectionReason: z.string().nullable(),
  publishedAt: z.string().nullable(),
  /** Days since published, for an open wish: unclaimed wishes age visibly. */
  ageDays: z.number().int().nullable(),
  isStale: z.boolean(),
  claimant: z.object({ memberId: IdSchema, name: z.string(), orgName: z.string() }).nullable(),
  claimedAt: z.string().nullable(),
  fulfilmentNote: z.string().nullable(),
  fulfilledAt: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  confirmedBy: z.enum(['poster', 'community']).nullable(),
  evidence: z.array(WishEvidenceSchema),
  isMine: z.boolean(),
  canModerate: z.boolean(),
  canClaim: z.boolean(),
  canConfirm: z.boolean(),
  createdAt: z.string(),
});
export type Wish = z.infer<typeof WishSchema>;

export const WishListQuerySchema = PageQuerySchema.extend({
  status: WishStatusSchema.optional(),
  /** Only the wishes the signed-in member claimed. */
  mine: z.enum(['1', 'true']).optional(),
  stale: z.enum(['1', 'true']).optional(),
  /** Only wishes posted to this org or the orgs under it. */
  orgId: IdSchema.optional(),
});
export type WishListQuery = z.infer<typeof WishListQuerySchema>;
export const WishPageSchema = pageOf(WishSchema);
export type WishPage = z.infer<typeof WishPageSchema>;

export const WishContactSchema = z.object({ posterName: z.string(), posterContact: z.string() });

// ---------- public (no login) ----------

export const PublicWishQuerySchema = PageQuerySchema.extend({ status: z.enum(['open', 'claimed', 'fulfilled', 'confirmed']).optional() });
export type PublicWishQuery = z.infer<typeof PublicWishQuerySchema>;
export const PublicWishSchema = z.object({
  id: IdSchema,
  title: z.string(),
  content: z.string(),
  communityName: z.string().nullable(),
  status: WishStatusSchema,
  publishedAt: z.string().nullable(),
  ageDays: z.number().int().nullable(),
  isStale: z.boolean(),
  /** The claimant's org, never the member. */
  claimantOrgName: z.string().nullable(),
  fulfilledAt: z.string().nullable(),
  confirmedAt: z.string().nullable(),
});
export type PublicWish = z.infer<typeof PublicWishSchema>;
export const PublicWishPageSchema = pageOf(PublicWishSchema);
export type PublicWishPage = z.infer<typeof PublicWishPageSchema>;
export const TrackedWishSchema = PublicWishSchema.extend({ rejectionReason: z.string().nullable(), fulfilmentNote: z.string().nullable() });
export type TrackedWish = z.infer<typeof TrackedWishSchema>;
export const TrackingParamsSchema = z.object({ code: z.string().regex(/^[A-Za-z0-9_-]{8,40}$/, { message: 'micro_wish.code_format' }) });
