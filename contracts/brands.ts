import { z } from 'zod';
import { DateSchema, IdSchema, PageQuerySchema, optionalText, pageOf, requiredText } from './common.js';
import { RubricCriterionSchema } from './judging.js';

/**
 * 党建品牌 (brand) and 星级评审 (star_review): each org keeps a registry of its named practices; an
 * org above opens a review round, orgs of its subtree apply with a brand, judges score the accepted
 * applications on a judging-engine panel, levels are proposed from declared score thresholds, shown
 * in a 公示, and finalized onto each brand (its star level and title, with the round in its history).
 */

export const BRAND_STATUSES = ['draft', 'active', 'archived'] as const;
export const BrandStatusSchema = z.enum(BRAND_STATUSES);
export type BrandStatus = z.infer<typeof BrandStatusSchema>;

/** 示范 (model) and 培育 (cultivating) titles, awarded besides or instead of stars. */
export const BRAND_TITLES = ['model', 'cultivating'] as const;
export const BrandTitleSchema = z.enum(BRAND_TITLES);
export type BrandTitle = z.infer<typeof BrandTitleSchema>;

export const StarLevelSchema = z.number().int().min(1).max(5);

/** The levels a round offers: 一星…五星 and the two titles. */
export const REVIEW_LEVELS = ['star1', 'star2', 'star3', 'star4', 'star5', 'model', 'cultivating'] as const;
export const ReviewLevelSchema = z.enum(REVIEW_LEVELS);
export type ReviewLevel = z.infer<typeof ReviewLevelSchema>;
export const starOfLevel = (level: ReviewLevel): number | null => (level.startsWith('star') ? Number(level.slice(4)) : null);

// ---------- registry ----------

export const BrandPhotoSchema = z.object({ id: IdSchema, fileName: z.string(), sizeBytes: z.number().int() });
export type BrandPhoto = z.infer<typeof BrandPhotoSchema>;

export const BrandLevelRecordSchema = z.object({
  roundId: IdSchema,
  roundTitle: z.string(),
  year: z.number().int(),
  starLevel: z.number().int().nullable(),
  title: BrandTitleSchema.nullable(),
  awardedAt: z.string(),
});
export type BrandLevelRecord = z.infer<typeof BrandLevelRecordSchema>;

export const BrandSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  name: z.string(),
  slogan: z.string().nullable(),
  /** what makes it distinctive (特色做法) */
  distinctive: z.string().nullable(),
  achievements: z.string().nullable(),
  status: BrandStatusSchema,
  starLevel: z.number().int().nullable(),
  title: BrandTitleSchema.nullable(),
  photos: z.array(BrandPhotoSchema),
  history: z.array(BrandLevelRecordSchema),
  canManage: z.boolean(),
  updatedAt: z.string(),
});
export type Brand = z.infer<typeof BrandSchema>;

export const BrandListItemSchema = BrandSchema.omit({ photos: true, history: true, distinctive: true, achievements: true }).extend({
  coverPhotoId: IdSchema.nullable(),
});
export type BrandListItem = z.infer<typeof BrandListItemSchema>;
export const BrandPageSchema = pageOf(BrandListItemSchema);
export type BrandPage = z.infer<typeof BrandPageSchema>;

export const BrandListQuerySchema = PageQuerySchema.extend({
  /** this org's subtree (within the viewer's scope) */
  orgId: IdSchema.optional(),
  /** part of the name */
  q: z.string().trim().max(50).optional(),
  status: BrandStatusSchema.optional(),
});
export type BrandListQuery = z.infer<typeof BrandListQuerySchema>;

export const CreateBrandSchema = z.strictObject({
  orgId: IdSchema,
  name: requiredText(60),
  slogan: optionalText(120),
  distinctive: optionalText(4000),
  achievements: optionalText(4000),
  status: z.enum(['draft', 'active']).default('draft'),
});
export type CreateBrand = z.infer<typeof CreateBrandSchema>;

export const UpdateBrandSchema = z.strictObject({
  name: requiredText(60).optional(),
  slogan: optionalText(120),
  distinctive: optionalText(4000),
  achievements: optionalText(4000),
  status: BrandStatusSchema.optional(),
});
export type UpdateBrand = z.infer<typeof UpdateBrandSchema>;

export const BrandPhotoParamsSchema = z.object({ id: IdSchema, photoId: IdSchema });

// ---------- gallery ----------

export const GalleryCardSchema = z.object({
  id: IdSchema,
  name: z.string(),
  slogan: z.string().nullable(),
  orgName: z.string(),
  starLevel: z.number().int().nullable(),
  title: BrandTitleSchema.nullable(),
  photoId: IdSchema.nullable(),
});
export type GalleryCard = z.infer<typeof GalleryCardSchema>;
export const GalleryPageSchema = pageOf(GalleryCardSchema).extend({ rootId: IdSchema, rootName: z.string() });
export type GalleryPage = z.infer<typeof GalleryPageSchema>;

export const GalleryQuerySchema = PageQuerySchema.extend({
  /** the tree's top org; the viewer's own tree when left out */
  rootId: IdSchema.optional(),
  q: z.string().trim().max(50).optional(),
  /** at least this many stars */
  minStars: z.coerce.number().int().min(1).max(5).optional(),
});
export type GalleryQuery = z.infer<typeof GalleryQuerySchema>;

export const PublicGalleryParamsSchema = z.object({ rootId: IdSchema });
export const PublicGalleryQuerySchema = PageQuerySchema.extend({ q: z.string().trim().max(50).optional() });
export const PublicPhotoParamsSchema = z.object({ rootId: IdSchema, photoId: IdSchema });

// ---------- review rounds ----------

export const RoundLevelSchema = z.strictObject({
  level: ReviewLevelSchema,
  /** the score (0–100) from which this level is proposed */
  minScore: z.number().min(0).max(100),
});
export type RoundLevel = z.infer<typeof RoundLevelSchema>;

export const ROUND_STATUSES = ['open', 'judging', 'scored', 'notice', 'finalized'] as const;
export const RoundStatusSchema = z.enum(ROUND_STATUSES);
export type RoundStatus = z.infer<typeof RoundStatusSchema>;

const levelsField = z.array(RoundLevelSchema).min(1).max(REVIEW_LEVELS.length)
  .refine((levels) => new Set(levels.map((l) => l.level)).size === levels.length, { message: 'brand.level_duplicate' });

export const CreateRoundSchema = z.strictObject({
  orgId: IdSchema,
  title: requiredText(100),
  year: z.number().int().min(2000).max(2199),
  levels: levelsField,
  appliesFrom: DateSchema,
  appliesUntil: DateSchema,
  criteria: z.array(RubricCriterionSchema).min(1).max(20),
  judgeUserIds: z.array(IdSchema).max(50).default([]),
  blind: z.boolean().default(false),
}).refine((r) => r.appliesUntil >= r.appliesFrom, { message: 'brand.window_order', path: ['appliesUntil'] });
export type CreateRound = z.infer<typeof CreateRoundSchema>;

export const UpdateRoundSchema = z.strictObject({
  title: requiredText(100).optional(),
  levels: levelsField.optional(),
  appliesFrom: DateSchema.optional(),
  appliesUntil: DateSchema.optional(),
  criteria: z.array(RubricCriterionSchema).min(1).max(20).optional(),
  judgeUserIds: z.array(IdSchema).max(50).optional(),
  blind: z.boolean().optional(),
});
export type UpdateRound = z.infer<typeof UpdateRoundSchema>;

export const ReviewRoundSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  title: z.string(),
  year: z.number().int(),
  levels: z.array(RoundLevelSchema),
  appliesFrom: z.string(),
  appliesUntil: z.string(),
  criteria: z.array(RubricCriterionSchema),
  judges: z.array(z.object({ userId: IdSchema, name: z.string() })),
  blind: z.boolean(),
  status: RoundStatusSchema,
  /** applications may be made today */
  isWindowOpen: z.boolean(),
  panelId: IdSchema.nullable(),
  publicNoticeId: IdSchema.nullable(),
  applicationCount: z.number().int(),
  acceptedCount: z.number().int(),
  canManage: z.boolean(),
});
export type ReviewRound = z.infer<typeof ReviewRoundSchema>;
export const ReviewRoundPageSchema = pageOf(ReviewRoundSchema);
export type ReviewRoundPage = z.infer<typeof ReviewRoundPageSchema>;

export const RoundListQuerySchema = PageQuerySchema.extend({
  /** manage: rounds the viewer runs; apply: rounds of the levels above the viewer that take applications */
  view: z.enum(['manage', 'apply']).default('manage'),
  year: z.coerce.number().int().min(2000).max(2199).optional(),
});
export type RoundListQuery = z.infer<typeof RoundListQuerySchema>;

// ---------- applications ----------

export const APPLICATION_STATUSES = ['submitted', 'accepted', 'returned', 'withdrawn', 'awarded'] as const;
export const ApplicationStatusSchema = z.enum(APPLICATION_STATUSES);
export type ApplicationStatus = z.infer<typeof ApplicationStatusSchema>;

export const ApplySchema = z.strictObject({
  brandId: IdSchema,
  /** the application's materials in words (申报材料) */
  statement: requiredText(8000),
});
export type Apply = z.infer<typeof ApplySchema>;

export const ReturnApplicationSchema = z.strictObject({ reason: requiredText(500) });
export const AdjustLevelSchema = z.strictObject({
  starLevel: StarLevelSchema.nullable(),
  title: BrandTitleSchema.nullable(),
  reason: requiredText(500),
});
export type AdjustLevel = z.infer<typeof AdjustLevelSchema>;

export const OpenNoticeSchema = z.strictObject({ startsOn: DateSchema, endsOn: DateSchema })
  .refine((n) => n.endsOn >= n.startsOn, { message: 'brand.notice_order', path: ['endsOn'] });
export type OpenNotice = z.infer<typeof OpenNoticeSchema>;

export const ApplicationSchema = z.object({
  id: IdSchema,
  roundId: IdSchema,
  roundTitle: z.string(),
  brandId: IdSchema,
  brandName: z.string(),
  slogan: z.string().nullable(),
  orgId: IdSchema,
  orgName: z.string(),
  statement: z.string(),
  status: ApplicationStatusSchema,
  returnReason: z.string().nullable(),
  files: z.array(BrandPhotoSchema.extend({ kind: z.enum(['photo', 'document']) })),
  /** after judging: the panel's score (trimmed mean) and rank */
  score: z.number().nullable(),
  rank: z.number().int().nullable(),
  proposedStar: z.number().int().nullable(),
  proposedTitle: BrandTitleSchema.nullable(),
  starLevel: z.number().int().nullable(),
  title: BrandTitleSchema.nullable(),
  adjustReason: z.string().nullable(),
  withdrawnReason: z.string().nullable(),
  submittedAt: z.string(),
  canCheck: z.boolean(),
});
export type Application = z.infer<typeof ApplicationSchema>;
export const ApplicationPageSchema = pageOf(ApplicationSchema);
export type ApplicationPage = z.infer<typeof ApplicationPageSchema>;
export const ApplicationListQuerySchema = PageQuerySchema.extend({ status: ApplicationStatusSchema.optional() });
export type ApplicationListQuery = z.infer<typeof ApplicationListQuerySchema>;
export const ApplicationFileParamsSchema = z.object({ id: IdSchema, fileId: IdSchema });

/** The title shown for a level in a 公示 and on the gallery. */
export function levelLabel(starLevel: number | null, title: BrandTitle | null): string {
  const stars = ['', '一', '二', '三', '四', '五'];
  const parts = [starLevel ? `${stars[starLevel]}星级` : '', title === 'model' ? '示范' : title === 'cultivating' ? '培育' : ''].filter(Boolean);
  return `${parts.join('')}党建品牌`;
}
