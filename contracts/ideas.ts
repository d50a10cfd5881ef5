import { z } from 'zod';
import { DateSchema, IdSchema, PageQuerySchema, pageOf, requiredText } from './common.js';

/**
 * 金点子: members submit ideas to their own org or one above it; the administrators of that org (or
 * above) adopt (采纳) or decline (不采纳) them with a reply, once; adopted ideas are tracked to
 * implementation (实施中 → 已实施, or 搁置 with a reason), and the member reads every reply and step.
 */
export const IDEA_CATEGORIES = ['party_building', 'business', 'serving_people', 'work_style', 'other'] as const;
export const IdeaCategorySchema = z.enum(IDEA_CATEGORIES, { message: 'idea.category_invalid' });
export type IdeaCategory = z.infer<typeof IdeaCategorySchema>;
/** The fixed list's Chinese labels (the web shows them through its own messages too). */
export const IDEA_CATEGORY_LABELS: Record<IdeaCategory, string> = {
  party_building: '党建工作', business: '业务工作', serving_people: '为民服务', work_style: '机关作风', other: '其他',
};

export const IDEA_STATUSES = ['submitted', 'declined', 'adopted', 'implementing', 'implemented', 'shelved'] as const;
export const IdeaStatusSchema = z.enum(IDEA_STATUSES);
export type IdeaStatus = z.infer<typeof IdeaStatusSchema>;
/** Every status an adopted idea may have since (the stats' 采纳 figure opens this filter). */
export const ADOPTED_STATUSES: readonly IdeaStatus[] = ['adopted', 'implementing', 'implemented', 'shelved'];
/** A list filter: one status, or `adopted_any` (adopted at some point: 采纳 and everything after it). */
export const IdeaStatusFilterSchema = z.enum([...IDEA_STATUSES, 'adopted_any']);
export type IdeaStatusFilter = z.infer<typeof IdeaStatusFilterSchema>;

/**
 * Titles of the same tree as alike as this (pg_trgm similarity of their cores, without 关于…的建议 and
 * punctuation: see the ideas migration) are shown to the member as possible duplicates. A reworded
 * duplicate scores about 0.65 (建议优化机关食堂的就餐管理 / 关于优化机关食堂就餐管理的建议); the same
 * subject with another aim about 0.37 (优化机关食堂积分制度 / 优化机关食堂管理办法), which is not one.
 */
export const IDEA_SIMILARITY_THRESHOLD = 0.4;
export const IDEA_SIMILAR_LIMIT = 5;

export const IdeaProgressSchema = z.object({
  id: IdSchema,
  /** The status the step moved the idea to (null: a progress note that kept it). */
  status: IdeaStatusSchema.nullable(),
  note: z.string(),
  occurredOn: z.string(),
  recordedByName: z.string().nullable(),
  createdAt: z.string(),
});
export type IdeaProgress = z.infer<typeof IdeaProgressSchema>;

export const IdeaSchema = z.object({
  id: IdSchema,
  title: z.string(),
  content: z.string(),
  category: IdeaCategorySchema,
  status: IdeaStatusSchema,
  /** The org the idea is for. */
  orgId: IdSchema,
  orgName: z.string(),
  memberId: IdSchema,
  memberName: z.string(),
  /** The member's org when they submitted it. */
  memberOrgName: z.string(),
  /** The existing idea this one resembled when it was submitted (submitted all the same). */
  similarToId: IdSchema.nullable(),
  similarToTitle: z.string().nullable(),
  similarity: z.number().nullable(),
  reply: z.string().nullable(),
  reviewedByName: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  /** 搁置: why. */
  shelvedReason: z.string().nullable(),
  implementedOn: z.string().nullable(),
  submittedAt: z.string(),
  /** The viewer administers the idea's org (reviews it, records its progress). */
  canReview: z.boolean(),
});
export type Idea = z.infer<typeof IdeaSchema>;

export const IdeaDetailSchema = IdeaSchema.extend({ progress: z.array(IdeaProgressSchema) });
export type IdeaDetail = z.infer<typeof IdeaDetailSchema>;

/** An idea in a list: all but its content (up to 4,000 characters a page of 20 would carry), which the detail has. */
export const IdeaListItemSchema = IdeaSchema.omit({ content: true });
export type IdeaListItem = z.infer<typeof IdeaListItemSchema>;

/** Newest first, by id (keyset): `nextCursor` opens the page after this one however deep. */
export const IdeaPageSchema = pageOf(IdeaListItemSchema).extend({ nextCursor: z.string().nullable() });
export type IdeaPage = z.infer<typeof IdeaPageSchema>;

const cursor = IdSchema.optional();

const periodOf = <T extends { from?: string | undefined; to?: string | undefined }>(q: T) => !q.from || !q.to || q.from <= q.to;

export const IdeaListQuerySchema = PageQuerySchema.extend({
  /** The org and its subtree (or the org alone with `scope=org`). */
  orgId: IdSchema.optional(),
  scope: z.enum(['subtree', 'org']).default('subtree'),
  status: IdeaStatusFilterSchema.optional(),
  category: IdeaCategorySchema.optional(),
  /** Submitted on these China days. */
  from: DateSchema.optional(),
  to: DateSchema.optional(),
  /** In the title or the content. */
  q: z.string().trim().max(50).optional(),
  /** The previous page's `nextCursor`: the page after it (keyset), `page` then only the number shown. */
  cursor,
}).refine(periodOf, { message: 'idea.period_reversed', path: ['to'] });
export type IdeaListQuery = z.infer<typeof IdeaListQuerySchema>;

export const MyIdeaListQuerySchema = PageQuerySchema.extend({ status: IdeaStatusFilterSchema.optional(), cursor });
export type MyIdeaListQuery = z.infer<typeof MyIdeaListQuerySchema>;

export const CreateIdeaSchema = z.strictObject({
  orgId: IdSchema,
  title: requiredText(80),
  content: requiredText(4000),
  category: IdeaCategorySchema,
});
export type CreateIdea = z.infer<typeof CreateIdeaSchema>;

export const SimilarIdeasQuerySchema = z.object({
  orgId: IdSchema,
  title: z.string().trim().min(1).max(80),
});
export type SimilarIdeasQuery = z.infer<typeof SimilarIdeasQuerySchema>;

export const SimilarIdeaSchema = z.object({
  id: IdSchema,
  title: z.string(),
  status: IdeaStatusSchema,
  category: IdeaCategorySchema,
  orgName: z.string(),
  submittedAt: z.string(),
  similarity: z.number(),
});
export type SimilarIdea = z.infer<typeof SimilarIdeaSchema>;
export const SimilarIdeasSchema = z.object({ items: z.array(SimilarIdeaSchema) });
export type SimilarIdeas = z.infer<typeof SimilarIdeasSchema>;

/** The orgs a member may address an idea to: their own and every one above it. */
export const IdeaTargetsSchema = z.object({ items: z.array(z.object({ id: IdSchema, name: z.string(), isOwn: z.boolean() })) });
export type IdeaTargets = z.infer<typeof IdeaTargetsSchema>;

export const ReviewIdeaSchema = z.strictObject({
  decision: z.enum(['adopt', 'decline'], { message: 'idea.decision_invalid' }),
  reply: requiredText(2000),
});
export type ReviewIdea = z.infer<typeof ReviewIdeaSchema>;

/** A step of an adopted idea: a note that keeps its status, or a move to 实施中 / 已实施 / 搁置 (the note is then the reason). */
export const RecordIdeaProgressSchema = z.strictObject({
  status: z.enum(['implementing', 'implemented', 'shelved'], { message: 'idea.progress_status_invalid' }).nullable().optional(),
  note: requiredText(2000),
  /** By default today (China). */
  occurredOn: DateSchema.optional(),
});
export type RecordIdeaProgress = z.infer<typeof RecordIdeaProgressSchema>;

export const IdeaStatsQuerySchema = z.object({
  orgId: IdSchema,
  from: DateSchema.optional(),
  to: DateSchema.optional(),
}).refine(periodOf, { message: 'idea.period_reversed', path: ['to'] });
export type IdeaStatsQuery = z.infer<typeof IdeaStatsQuerySchema>;

/**
 * One row for the org itself (`scope: 'org'`, its own ideas) and one per org of the next level
 * (`scope: 'subtree'`); each figure is the total of the list opened with orgId + scope, the period,
 * and status (submitted: none; adopted: adopted_any; implemented: implemented).
 */
export const IdeaStatsRowSchema = z.object({
  orgId: IdSchema,
  orgName: z.string(),
  scope: z.enum(['subtree', 'org']),
  submitted: z.number().int(),
  adopted: z.number().int(),
  implemented: z.number().int(),
});
export const IdeaStatsSchema = z.object({
  orgId: IdSchema,
  orgName: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  rows: z.array(IdeaStatsRowSchema),
  /** The whole subtree (orgId, scope=subtree). */
  total: IdeaStatsRowSchema,
});
export type IdeaStats = z.infer<typeof IdeaStatsSchema>;
