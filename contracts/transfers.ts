import { z } from 'zod';
import { IdSchema, PageQuerySchema, optionalText, pageOf, requiredText } from './common.js';
import { OrgTypeSchema } from './orgs.js';

/** 组织关系转接: issued by the sending org, then accepted or returned by the receiving org, or cancelled by the sender. */
export const TRANSFER_STATUSES = ['issued', 'accepted', 'returned', 'cancelled'] as const;
export const TransferStatusSchema = z.enum(TRANSFER_STATUSES);
export type TransferStatus = z.infer<typeof TransferStatusSchema>;

export const TransferSchema = z.object({
  id: IdSchema,
  memberId: IdSchema,
  memberName: z.string(),
  fromOrgId: IdSchema,
  fromOrgName: z.string(),
  toOrgId: IdSchema,
  toOrgName: z.string(),
  status: TransferStatusSchema,
  reason: z.string(),
  note: z.string().nullable(),
  issuedAt: z.string(),
  issuedBy: IdSchema.nullable(),
  issuedByName: z.string().nullable(),
  /** When and by whom it was accepted, returned or cancelled. */
  decidedAt: z.string().nullable(),
  decidedBy: IdSchema.nullable(),
  decidedByName: z.string().nullable(),
  /** The reason given when returning or cancelling, or the receiver's note on accepting. */
  decisionNote: z.string().nullable(),
  /** What the viewer may do now (the UI shows buttons from these; the server checks again). */
  canAccept: z.boolean(),
  canReturn: z.boolean(),
  canCancel: z.boolean(),
});
export type Transfer = z.infer<typeof TransferSchema>;

export const IssueTransferSchema = z.strictObject({
  memberId: IdSchema,
  toOrgId: IdSchema,
  reason: requiredText(200),
  note: optionalText(500),
});
export type IssueTransfer = z.infer<typeof IssueTransferSchema>;

/** Both bodies are optional: a bare POST accepts or cancels. */
export const AcceptTransferSchema = z.strictObject({ note: optionalText(500) }).nullish().transform((v) => v ?? { note: null });
export type AcceptTransfer = z.infer<typeof AcceptTransferSchema>;

export const ReturnTransferSchema = z.strictObject({ reason: requiredText(200) });
export type ReturnTransfer = z.infer<typeof ReturnTransferSchema>;

export const CancelTransferSchema = z.strictObject({ reason: optionalText(200) }).nullish().transform((v) => v ?? { reason: null });
export type CancelTransfer = z.infer<typeof CancelTransferSchema>;

export const TRANSFER_BOXES = ['incoming', 'outgoing', 'all'] as const;

export const TransferListQuerySchema = PageQuerySchema.extend({
  /** incoming: to an org the viewer administers; outgoing: from one; all: either (and one's own). */
  box: z.enum(TRANSFER_BOXES).default('all'),
  status: TransferStatusSchema.optional(),
  memberId: IdSchema.optional(),
  /** Only transfers into (incoming), out of (outgoing) or either side of (all) this org's subtree. */
  orgId: IdSchema.optional(),
});
export type TransferListQuery = z.infer<typeof TransferListQuerySchema>;

export const TransferPageSchema = pageOf(TransferSchema);
export type TransferPage = z.infer<typeof TransferPageSchema>;

/** A receiving org anywhere in the tree: only what a picker needs, nothing about its members. */
export const TransferTargetSchema = z.object({
  id: IdSchema,
  name: z.string(),
  type: OrgTypeSchema,
  /** Names from the top of the tree, e.g. '市直机关工委 / 市财政局机关党委 / 预算处党支部'. */
  pathNames: z.string(),
});
export type TransferTarget = z.infer<typeof TransferTargetSchema>;

export const TransferTargetQuerySchema = PageQuerySchema.extend({ q: z.string().trim().max(50).optional() });
export type TransferTargetQuery = z.infer<typeof TransferTargetQuerySchema>;

export const TransferTargetPageSchema = pageOf(TransferTargetSchema);
export type TransferTargetPage = z.infer<typeof TransferTargetPageSchema>;
