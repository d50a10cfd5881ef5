import { z } from 'zod';
import { DateSchema, IdSchema, PageQuerySchema, optionalText, pageOf, requiredText, DateTimeSchema } from './common.js';

const UrlSchema = z.string().trim().max(1000).regex(/^https?:\/\/\S+$/, { message: 'learning.url' });

// ---------- courses ----------

export const VideoSchema = z.object({ id: IdSchema, fileName: z.string(), mimeType: z.string(), sizeBytes: z.number().int(), url: z.string() });
export const VideoUploadQuerySchema = z.object({ orgId: IdSchema });

export const CourseKindSchema = z.enum(['video', 'link', 'live', 'series']);
export type CourseKind = z.infer<typeof CourseKindSchema>;

const LessonInputSchema = z.strictObject({ title: requiredText(200), url: UrlSchema.optional(), videoId: IdSchema.optional(), durationMinutes: z.number().int().min(1).max(1440).optional() });

export const CreateCourseSchema = z
  .strictObject({
    orgId: IdSchema,
    title: requiredText(200),
    description: optionalText(5000),
    /** video: an uploaded or hosted video; link: an external page; live: a scheduled broadcast; series: many lessons (e.g. a 100-lecture course). */
    kind: CourseKindSchema,
    url: UrlSchema.optional(),
    /** An uploaded video (POST /learning/videos), instead of a link. */
    videoId: IdSchema.optional(),
    liveStartsAt: DateTimeSchema.optional(),
    liveEndsAt: DateTimeSchema.optional(),
    lessons: z.array(LessonInputSchema).max(500).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.kind !== 'series' && !c.url && !(c.kind === 'video' && c.videoId)) ctx.addIssue({ code: 'custom', path: ['url'], message: 'learning.url_required' });
    if (c.kind === 'series' && !c.lessons?.length) ctx.addIssue({ code: 'custom', path: ['lessons'], message: 'learning.lessons_required' });
    if (c.kind === 'live' && (!c.liveStartsAt || !c.liveEndsAt)) ctx.addIssue({ code: 'custom', path: ['liveStartsAt'], message: 'learning.live_time_required' });
    if (c.liveStartsAt && c.liveEndsAt && Date.parse(c.liveEndsAt) <= Date.parse(c.liveStartsAt)) ctx.addIssue({ code: 'custom', path: ['liveEndsAt'], message: 'learning.ends_before_starts' });
  });
export type CreateCourse = z.infer<typeof CreateCourseSchema>;

export const LessonSchema = z.object({ id: IdSchema, position: z.number().int(), title: z.string(), url: z.string().nullable(), videoUrl: z.string().nullable(), durationMinutes: z.number().int().nullable(), isCompleted: z.boolean() });
export const CourseSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  kind: CourseKindSchema,
  url: z.string().nullable(),
  liveStartsAt: z.string().nullable(),
  liveEndsAt: z.string().nullable(),
  lessonCount: z.number().int(),
  completedLessons: z.number().int(),
  isCompleted: z.boolean(),
  createdAt: z.string(),
});
export type Course = z.infer<typeof CourseSchema>;
export const CourseDetailSchema = CourseSchema.extend({ lessons: z.array(LessonSchema) });
export type CourseDetail = z.infer<typeof CourseDetailSchema>;
export const CoursePageSchema = pageOf(CourseSchema);
export const LessonParamsSchema = z.object({ id: IdSchema, lessonId: IdSchema });

export const CompletionResultSchema = z.object({ isCompleted: z.boolean(), completedLessons: z.number().int(), lessonCount: z.number().int(), points: z.number().int() });

// ---------- progress of an org's members (courses and plans) ----------

export const MemberProgressSchema = z.object({ memberId: IdSchema, memberName: z.string(), orgName: z.string(), done: z.number().int(), total: z.number().int(), overdue: z.number().int(), completedAt: z.string().nullable() });
export const ProgressPageSchema = pageOf(MemberProgressSchema);
export type ProgressPage = z.infer<typeof ProgressPageSchema>;

// ---------- articles ----------

export const CreateArticleSchema = z.strictObject({ orgId: IdSchema, title: requiredText(200), body: requiredText(100_000), source: optionalText(200) });
export type CreateArticle = z.infer<typeof CreateArticleSchema>;
export const ArticleSchema = z.object({
  id: IdSchema, orgId: IdSchema, orgName: z.string(), title: z.string(), source: z.string().nullable(), publishedAt: z.string(), isRead: z.boolean(), readCount: z.number().int(),
});
export const ArticleDetailSchema = ArticleSchema.extend({ body: z.string() });
export const ArticlePageSchema = pageOf(ArticleSchema);
export const ContentListQuerySchema = PageQuerySchema.extend({ q: z.string().trim().max(50).optional() });
export type ContentListQuery = z.infer<typeof ContentListQuerySchema>;
export const ReadResultSchema = z.object({ points: z.number().int(), isFirstRead: z.boolean() });

// ---------- study plans ----------

export const CreateStudyPlanSchema = z
  .strictObject({
    orgId: IdSchema,
    title: requiredText(200),
    description: optionalText(5000),
    startsOn: DateSchema,
    endsOn: DateSchema,
    /** e.g. one chapter of a book per week, each with its date */
    items: z.array(z.strictObject({ title: requiredText(200), content: optionalText(5000), dueOn: DateSchema })).min(1).max(500),
  })
  .superRefine((p, ctx) => {
    if (p.endsOn < p.startsOn) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'learning.ends_before_starts' });
    p.items.forEach((item, i) => {
      if (item.dueOn < p.startsOn || item.dueOn > p.endsOn) ctx.addIssue({ code: 'custom', path: ['items', i, 'dueOn'], message: 'learning.item_outside_plan' });
    });
  });
export type CreateStudyPlan = z.infer<typeof CreateStudyPlanSchema>;
export const StudyPlanItemSchema = z.object({ id: IdSchema, position: z.number().int(), title: z.string(), content: z.string().nullable(), dueOn: z.string(), doneAt: z.string().nullable() });
export const StudyPlanSchema = z.object({
  id: IdSchema, orgId: IdSchema, orgName: z.string(), title: z.string(), description: z.string().nullable(), startsOn: z.string(), endsOn: z.string(),
  itemCount: z.number().int(), doneCount: z.number().int(),
});
export type StudyPlan = z.infer<typeof StudyPlanSchema>;
export const StudyPlanDetailSchema = StudyPlanSchema.extend({ items: z.array(StudyPlanItemSchema) });
export const StudyPlanPageSchema = pageOf(StudyPlanSchema);
export const PlanItemParamsSchema = z.object({ id: IdSchema, itemId: IdSchema });
export const MarkItemDoneSchema = z.strictObject({ note: optionalText(1000) });

// ---------- clock-ins and reading shares ----------

export const CreateClockInSchema = z.strictObject({ note: requiredText(1000) });
export const ClockInSchema = z.object({ id: IdSchema, memberId: IdSchema, memberName: z.string(), day: z.string(), note: z.string(), createdAt: z.string(), points: z.number().int() });
export const ClockInPageSchema = pageOf(ClockInSchema);
export const ClockInListQuerySchema = PageQuerySchema.extend({ orgId: IdSchema.optional(), date: DateSchema.optional() });
export type ClockInListQuery = z.infer<typeof ClockInListQuerySchema>;

export const CreateShareSchema = z.strictObject({ title: requiredText(200), content: requiredText(10_000) });
export type CreateShare = z.infer<typeof CreateShareSchema>;
export const ShareSchema = z.object({
  id: IdSchema, memberId: IdSchema, memberName: z.string(), title: z.string(), content: z.string(), likeCount: z.number().int(), isLikedByMe: z.boolean(), createdAt: z.string(),
});
export type Share = z.infer<typeof ShareSchema>;
export const SharePageSchema = pageOf(ShareSchema);

// ---------- corrections by the publishing org's admins ----------

/** Only the fields sent change. A series' links live in its lessons, so `url` is for single-lesson kinds. */
export const UpdateCourseSchema = z
  .strictObject({
    title: requiredText(200).optional(),
    description: optionalText(5000),
    url: UrlSchema.optional(),
    liveStartsAt: DateTimeSchema.optional(),
    liveEndsAt: DateTimeSchema.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.liveStartsAt && c.liveEndsAt && Date.parse(c.liveEndsAt) <= Date.parse(c.liveStartsAt)) ctx.addIssue({ code: 'custom', path: ['liveEndsAt'], message: 'learning.ends_before_starts' });
  });
export type UpdateCourse = z.infer<typeof UpdateCourseSchema>;

export const UpdateArticleSchema = z.strictObject({ title: requiredText(200).optional(), body: requiredText(100_000).optional(), source: optionalText(200) });
export type UpdateArticle = z.infer<typeof UpdateArticleSchema>;

export const UpdateStudyPlanSchema = z
  .strictObject({ title: requiredText(200).optional(), description: optionalText(5000), startsOn: DateSchema.optional(), endsOn: DateSchema.optional() })
  .superRefine((p, ctx) => {
    if (p.startsOn && p.endsOn && p.endsOn < p.startsOn) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'learning.ends_before_starts' });
  });
export type UpdateStudyPlan = z.infer<typeof UpdateStudyPlanSchema>;

// ---------- a series' lessons, corrected by the publishing org's admins ----------

export const CreateLessonSchema = LessonInputSchema.extend({
  /** Where the new lesson goes (1 = first); default after the last one. */
  position: z.number().int().min(1).max(500).optional(),
});
export type CreateLesson = z.infer<typeof CreateLessonSchema>;

/** Only the fields sent change; null clears the link, the video or the duration. */
export const UpdateLessonSchema = z.strictObject({
  title: requiredText(200).optional(),
  url: UrlSchema.nullable().optional(),
  videoId: IdSchema.nullable().optional(),
  durationMinutes: z.number().int().min(1).max(1440).nullable().optional(),
});
export type UpdateLesson = z.infer<typeof UpdateLessonSchema>;

/** Every lesson of the course, each once, in the new order. */
export const ReorderLessonsSchema = z.strictObject({ lessonIds: z.array(IdSchema).min(1).max(500) });
export type ReorderLessons = z.infer<typeof ReorderLessonsSchema>;

/** Removing a lesson that members have studied clears their progress on it: the request must say so. */
export const RemoveLessonQuerySchema = z.object({
  confirmProgressLoss: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});
export type RemoveLessonQuery = z.infer<typeof RemoveLessonQuerySchema>;
