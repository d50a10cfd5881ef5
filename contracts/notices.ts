import { z } from 'zod';
import { DateTimeSchema, IdSchema, PageQuerySchema, pageOf, requiredText } from './common.js';

/**
 * 通知公告: an org publishes a notice to its subtree, to chosen orgs in it, or to the org admins
 * there; optionally it must be read by a deadline. Draft → published (now, or scheduled) → withdrawn.
 */
export const NOTICE_STATUSES = ['draft', 'scheduled', 'published', 'withdrawn'] as const;
export const NoticeStatusSchema = z.enum(NOTICE_STATUSES);
export type NoticeStatus = z.infer<typeof NoticeStatusSchema>;

export const NOTICE_TARGET_KINDS = ['subtree', 'orgs'] as const;
export const NoticeTargetKindSchema = z.enum(NOTICE_TARGET_KINDS);
export type NoticeTargetKind = z.infer<typeof NoticeTargetKindSchema>;

/** Must-read notices remind the unread this many days before the deadline (and again one day before). */
export const NOTICE_REMINDER_DAYS = [3, 1] as const;

/** A body of at most this many characters of HTML (pictures are files, not data URLs). */
export const NOTICE_BODY_MAX = 100_000;

export const NoticeInputSchema = z
  .strictObject({
    orgId: IdSchema,
    title: requiredText(100),
    body: z.string().max(NOTICE_BODY_MAX),
    targetKind: NoticeTargetKindSchema,
    /** with targetKind 'orgs': the orgs (within the publishing org's subtree), each with its subtree */
    targetOrgIds: z.array(IdSchema).max(500).default([]),
    toMembers: z.boolean().default(true),
    toOrgAdmins: z.boolean().default(false),
    mustRead: z.boolean().default(false),
    readDeadline: DateTimeSchema.nullable().optional(),
  })
  .refine((n) => n.targetKind !== 'orgs' || n.targetOrgIds.length > 0, { message: 'notice.targets_required', path: ['targetOrgIds'] })
  .refine((n) => n.toMembers || n.toOrgAdmins, { message: 'notice.audience_required', path: ['toMembers'] })
  .refine((n) => !n.mustRead || !!n.readDeadline, { message: 'notice.deadline_required', path: ['readDeadline'] });
export type NoticeInput = z.infer<typeof NoticeInputSchema>;

export const PublishNoticeSchema = z.strictObject({
  /** absent or null: now; a future time: scheduled */
  publishAt: DateTimeSchema.nullable().optional(),
});
export type PublishNotice = z.infer<typeof PublishNoticeSchema>;

export const NoticeFileSchema = z.object({
  id: IdSchema, kind: z.enum(['photo', 'document']), fileName: z.string(), mimeType: z.string(), sizeBytes: z.number().int(), url: z.string(),
});
export type NoticeFile = z.infer<typeof NoticeFileSchema>;

export const NoticeTargetOrgSchema = z.object({ id: IdSchema, name: z.string() });

export const NoticeSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  title: z.string(),
  bodyHtml: z.string(),
  bodyText: z.string(),
  targetKind: NoticeTargetKindSchema,
  targetOrgs: z.array(NoticeTargetOrgSchema),
  toMembers: z.boolean(),
  toOrgAdmins: z.boolean(),
  mustRead: z.boolean(),
  readDeadline: z.string().nullable(),
  status: NoticeStatusSchema,
  publishAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
  lastRemindedAt: z.string().nullable(),
  recipients: z.number().int(),
  read: z.number().int(),
  files: z.array(NoticeFileSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Notice = z.infer<typeof NoticeSchema>;

export const NoticeSummarySchema = NoticeSchema.omit({ bodyHtml: true, bodyText: true, files: true, targetOrgs: true });
export type NoticeSummary = z.infer<typeof NoticeSummarySchema>;

export const NoticeListQuerySchema = PageQuerySchema.extend({
  status: NoticeStatusSchema.optional(),
  orgId: IdSchema.optional(),
});
export type NoticeListQuery = z.infer<typeof NoticeListQuerySchema>;
export const NoticePageSchema = pageOf(NoticeSummarySchema);
export type NoticePage = z.infer<typeof NoticePageSchema>;

/** Per org: how many were asked and how many have read — each figure opens the list it counts. */
export const NoticeReceiptOrgSchema = z.object({ orgId: IdSchema, orgName: z.string(), recipients: z.number().int(), read: z.number().int() });
export const NoticeReceiptsSchema = z.object({
  noticeId: IdSchema,
  recipients: z.number().int(),
  read: z.number().int(),
  orgs: z.array(NoticeReceiptOrgSchema),
});
export type NoticeReceipts = z.infer<typeof NoticeReceiptsSchema>;

export const ReceiptStateSchema = z.enum(['read', 'unread']);
export const NoticeReceiptPeopleQuerySchema = PageQuerySchema.extend({
  state: ReceiptStateSchema.optional(),
  orgId: IdSchema.optional(),
});
export type NoticeReceiptPeopleQuery = z.infer<typeof NoticeReceiptPeopleQuerySchema>;
/** A recipient as the receipts show them: a name and an org, nothing more personal. */
export const NoticeReceiptPersonSchema = z.object({
  userId: IdSchema, name: z.string(), orgId: IdSchema, orgName: z.string(), readAt: z.string().nullable(),
});
export type NoticeReceiptPerson = z.infer<typeof NoticeReceiptPersonSchema>;
export const NoticeReceiptPeopleSchema = pageOf(NoticeReceiptPersonSchema);
export type NoticeReceiptPeople = z.infer<typeof NoticeReceiptPeopleSchema>;

export const RemindResultSchema = z.object({ delivered: z.number().int() });
export type RemindResult = z.infer<typeof RemindResultSchema>;

/** A notice as its reader sees it. */
export const MyNoticeSchema = z.object({
  id: IdSchema,
  orgName: z.string(),
  title: z.string(),
  excerpt: z.string(),
  mustRead: z.boolean(),
  readDeadline: z.string().nullable(),
  publishedAt: z.string(),
  readAt: z.string().nullable(),
});
export type MyNotice = z.infer<typeof MyNoticeSchema>;
export const MyNoticePageSchema = pageOf(MyNoticeSchema).extend({ unread: z.number().int() });
export type MyNoticePage = z.infer<typeof MyNoticePageSchema>;
export const MyNoticeDetailSchema = MyNoticeSchema.extend({ bodyHtml: z.string(), files: z.array(NoticeFileSchema) });
export type MyNoticeDetail = z.infer<typeof MyNoticeDetailSchema>;

export const NoticeFileParamsSchema = z.object({ id: IdSchema, fileId: IdSchema });
