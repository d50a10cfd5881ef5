import { z } from 'zod';
import { IdSchema, optionalText, PageQuerySchema, pageOf, requiredText } from './common.js';

/** 资讯 in 专栏: a column belongs to an org; its items are reviewed by the org's admins before they are published. */
export const NewsStatusSchema = z.enum(['draft', 'submitted', 'published', 'returned', 'withdrawn']);
export type NewsStatus = z.infer<typeof NewsStatusSchema>;

export const NewsColumnSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  archived: z.boolean(),
  publishedCount: z.number().int(),
  /** the viewer may write items in it (admins of its org or of an org under it) */
  canWrite: z.boolean(),
  /** the viewer may rename or archive it and review its items (admins of its org or above) */
  canManage: z.boolean(),
});
export type NewsColumn = z.infer<typeof NewsColumnSchema>;

export const NewsColumnListSchema = z.object({ items: z.array(NewsColumnSchema) });
export type NewsColumnList = z.infer<typeof NewsColumnListSchema>;

export const CreateNewsColumnSchema = z.strictObject({
  orgId: IdSchema,
  name: requiredText(40),
  description: optionalText(300),
});
export type CreateNewsColumn = z.infer<typeof CreateNewsColumnSchema>;

export const UpdateNewsColumnSchema = z.strictObject({
  name: requiredText(40).optional(),
  description: optionalText(300),
  archived: z.boolean().optional(),
});
export type UpdateNewsColumn = z.infer<typeof UpdateNewsColumnSchema>;

export const NewsItemSummarySchema = z.object({
  id: IdSchema,
  columnId: IdSchema,
  columnName: z.string(),
  orgName: z.string(),
  title: z.string(),
  summary: z.string().nullable(),
  status: NewsStatusSchema,
  isPublic: z.boolean(),
  authorName: z.string(),
  coverUrl: z.string().nullable(),
  submittedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type NewsItemSummary = z.infer<typeof NewsItemSummarySchema>;

export const NewsItemSchema = NewsItemSummarySchema.extend({
  bodyHtml: z.string(),
  reviewerName: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  returnReason: z.string().nullable(),
  canEdit: z.boolean(),
  canSubmit: z.boolean(),
  canReview: z.boolean(),
  canWithdraw: z.boolean(),
});
export type NewsItem = z.infer<typeof NewsItemSchema>;

export const NewsItemPageSchema = pageOf(NewsItemSummarySchema);
export type NewsItemPage = z.infer<typeof NewsItemPageSchema>;

export const NewsItemQuerySchema = PageQuerySchema.extend({
  columnId: IdSchema.optional(),
  status: NewsStatusSchema.optional(),
  /** 'review': items waiting for the viewer's review; 'mine': the viewer's own */
  view: z.enum(['published', 'review', 'mine', 'manage']).default('published'),
});
export type NewsItemQuery = z.infer<typeof NewsItemQuerySchema>;

const BodyHtmlSchema = z.string().max(200_000);

export const CreateNewsItemSchema = z.strictObject({
  columnId: IdSchema,
  title: requiredText(80),
  summary: optionalText(200),
  bodyHtml: BodyHtmlSchema,
  isPublic: z.boolean().default(false),
});
export type CreateNewsItem = z.infer<typeof CreateNewsItemSchema>;

export const UpdateNewsItemSchema = z.strictObject({
  title: requiredText(80).optional(),
  summary: optionalText(200),
  bodyHtml: BodyHtmlSchema.optional(),
  isPublic: z.boolean().optional(),
});
export type UpdateNewsItem = z.infer<typeof UpdateNewsItemSchema>;

export const ReturnNewsItemSchema = z.strictObject({ reason: requiredText(300) });
export type ReturnNewsItem = z.infer<typeof ReturnNewsItemSchema>;

// ---------- the public portal of a tree (no sign-in; names of orgs and hosts only) ----------

export const PortalParamsSchema = z.object({ rootId: IdSchema });
export const PortalItemParamsSchema = z.object({ rootId: IdSchema, id: IdSchema });

export const PublicNewsSummarySchema = z.object({
  id: IdSchema,
  title: z.string(),
  summary: z.string().nullable(),
  columnName: z.string(),
  orgName: z.string(),
  publishedAt: z.string(),
  coverUrl: z.string().nullable(),
});
export type PublicNewsSummary = z.infer<typeof PublicNewsSummarySchema>;

export const PublicNewsSchema = PublicNewsSummarySchema.extend({ bodyHtml: z.string() });
export type PublicNews = z.infer<typeof PublicNewsSchema>;

export const PublicNewsPageSchema = pageOf(PublicNewsSummarySchema);
export type PublicNewsPage = z.infer<typeof PublicNewsPageSchema>;

export const PortalOpenLessonSchema = z.object({
  id: IdSchema,
  title: z.string(),
  topic: z.string().nullable(),
  orgName: z.string(),
  hostName: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  place: z.string().nullable(),
  streamUrl: z.string().nullable(),
  /** members registered or present, and visitors registered through the portal */
  registrations: z.number().int(),
  /** signed in at the lesson (members) */
  attended: z.number().int(),
});
export type PortalOpenLesson = z.infer<typeof PortalOpenLessonSchema>;

export const PortalSchema = z.object({
  tree: z.object({ id: IdSchema, name: z.string() }),
  news: z.array(PublicNewsSummarySchema),
  openLessons: z.array(PortalOpenLessonSchema),
});
export type Portal = z.infer<typeof PortalSchema>;

export const PublicLessonRegistrationSchema = z.strictObject({
  name: requiredText(20),
  unit: optionalText(60),
});
export type PublicLessonRegistration = z.infer<typeof PublicLessonRegistrationSchema>;
export const PublicLessonRegistrationReceiptSchema = z.object({ registrations: z.number().int() });
