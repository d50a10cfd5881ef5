import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParamsSchema, PageQuerySchema } from '../../../../contracts/common.js';
import {
  ArticleDetailSchema, ArticlePageSchema, ClockInListQuerySchema, ClockInPageSchema, ClockInSchema, CompletionResultSchema, ContentListQuerySchema, CourseDetailSchema,
  CoursePageSchema, CreateArticleSchema, CreateClockInSchema, CreateCourseSchema, CreateShareSchema, CreateStudyPlanSchema, LessonParamsSchema, MarkItemDoneSchema,
  PlanItemParamsSchema, ProgressPageSchema, ReadResultSchema, CreateLessonSchema, UpdateLessonSchema, ReorderLessonsSchema, RemoveLessonQuerySchema, SharePageSchema, ShareSchema, StudyPlanDetailSchema, StudyPlanPageSchema, UpdateArticleSchema, UpdateCourseSchema,
  UpdateStudyPlanSchema, VideoSchema, VideoUploadQuerySchema,
} from '../../../../contracts/learning.js';
import { actorOf } from '../../platform/actor.js';
import * as articles from './articles.js';
import * as clockIns from './clock-ins.js';
import * as courses from './courses.js';
import * as lessons from './lessons.js';
import * as shares from './shares.js';
import * as plans from './study-plans.js';
import { openVideo, uploadVideo } from './videos.js';
import './messages.js';

const tags = ['learning'];
const user = { auth: 'user' } as const;

export const learningRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  // ---------- courses ----------
  app.post('/learning/videos', { config: user, schema: { tags, summary: '上传课程视频（MP4/WebM，最大 2 GB）', querystring: VideoUploadQuerySchema, consumes: ['multipart/form-data'], response: { 201: VideoSchema } } },
    async (request, reply) => reply.status(201).send(await uploadVideo(db, actorOf(request), app.config.dataDir, request.query.orgId, request)));
  app.get('/learning/videos/:id', { config: user, schema: { tags, summary: '播放课程视频（支持 Range）', params: IdParamsSchema } },
    async (request, reply) => {
      const video = await openVideo(db, actorOf(request), app.config.dataDir, request.params.id, request.headers.range);
      return reply.status(video.status).headers(video.headers).send(video.stream);
    });
  app.get('/learning/courses', { config: user, schema: { tags, summary: '课程（本组织及上级发布）', querystring: ContentListQuerySchema, response: { 200: CoursePageSchema } } },
    async (request) => courses.listCourses(db, actorOf(request), request.query));
  app.get('/learning/courses/:id', { config: user, schema: { tags, summary: '课程详情及本人进度', params: IdParamsSchema, response: { 200: CourseDetailSchema } } },
    async (request) => courses.getCourse(db, actorOf(request), request.params.id));
  app.post('/learning/courses', { config: user, schema: { tags, summary: '发布课程（视频、链接、直播或系列课）', body: CreateCourseSchema, response: { 201: CourseDetailSchema } } },
    async (request, reply) => reply.status(201).send(await courses.createCourse(db, actorOf(request), request.body)));
  app.patch('/learning/courses/:id', { config: user, schema: { tags, summary: '修改课程（标题、简介、链接、直播时间）', params: IdParamsSchema, body: UpdateCourseSchema, response: { 200: CourseDetailSchema } } },
    async (request) => courses.updateCourse(db, actorOf(request), request.params.id, request.body));
  app.delete('/learning/courses/:id', { config: user, schema: { tags, summary: '下架课程（学习记录保留）', params: IdParamsSchema } },
    async (request, reply) => { await courses.archiveCourse(db, actorOf(request), request.params.id); return reply.status(204).send(); });
  app.post('/learning/courses/:id/lessons/:lessonId/complete', { config: user, schema: { tags, summary: '学完一讲', params: LessonParamsSchema, response: { 200: CompletionResultSchema } } },
    async (request) => courses.completeLesson(db, actorOf(request), request.params.id, request.params.lessonId));
  app.post('/learning/courses/:id/lessons', { config: user, schema: { tags, summary: '系列课程增加一讲', params: IdParamsSchema, body: CreateLessonSchema, response: { 201: CourseDetailSchema } } },
    async (request, reply) => reply.status(201).send(await lessons.addLesson(db, actorOf(request), request.params.id, request.body)));
  app.put('/learning/courses/:id/lessons/order', { config: user, schema: { tags, summary: '调整各讲顺序', params: IdParamsSchema, body: ReorderLessonsSchema, response: { 200: CourseDetailSchema } } },
    async (request) => lessons.reorderLessons(db, actorOf(request), request.params.id, request.body));
  app.patch('/learning/courses/:id/lessons/:lessonId', { config: user, schema: { tags, summary: '修改一讲（标题、链接、视频、时长）', params: LessonParamsSchema, body: UpdateLessonSchema, response: { 200: CourseDetailSchema } } },
    async (request) => lessons.updateLesson(db, actorOf(request), request.params.id, request.params.lessonId, request.body));
  app.delete('/learning/courses/:id/lessons/:lessonId', { config: user, schema: { tags, summary: '删除一讲（已有学习记录须确认；已完成课程的积分保留）', params: LessonParamsSchema, querystring: RemoveLessonQuerySchema, response: { 200: CourseDetailSchema } } },
    async (request) => lessons.removeLesson(db, actorOf(request), request.params.id, request.params.lessonId, request.query));
  app.get('/learning/courses/:id/progress', { config: user, schema: { tags, summary: '党员学习进度', params: IdParamsSchema, querystring: PageQuerySchema, response: { 200: ProgressPageSchema } } },
    async (request) => courses.courseProgress(db, actorOf(request), request.params.id, request.query));

  // ---------- articles ----------
  app.get('/learning/articles', { config: user, schema: { tags, summary: '学习文章', querystring: ContentListQuerySchema, response: { 200: ArticlePageSchema } } },
    async (request) => articles.listArticles(db, actorOf(request), request.query));
  app.get('/learning/articles/:id', { config: user, schema: { tags, summary: '文章全文', params: IdParamsSchema, response: { 200: ArticleDetailSchema } } },
    async (request) => articles.getArticle(db, actorOf(request), request.params.id));
  app.post('/learning/articles', { config: user, schema: { tags, summary: '发布文章', body: CreateArticleSchema, response: { 201: ArticleDetailSchema } } },
    async (request, reply) => reply.status(201).send(await articles.createArticle(db, actorOf(request), request.body)));
  app.patch('/learning/articles/:id', { config: user, schema: { tags, summary: '修改文章', params: IdParamsSchema, body: UpdateArticleSchema, response: { 200: ArticleDetailSchema } } },
    async (request) => articles.updateArticle(db, actorOf(request), request.params.id, request.body));
  app.delete('/learning/articles/:id', { config: user, schema: { tags, summary: '下架文章（阅读记录保留）', params: IdParamsSchema } },
    async (request, reply) => { await articles.archiveArticle(db, actorOf(request), request.params.id); return reply.status(204).send(); });
  app.post('/learning/articles/:id/read', { config: user, schema: { tags, summary: '记录已读（首次阅读得积分）', params: IdParamsSchema, response: { 200: ReadResultSchema } } },
    async (request) => articles.markArticleRead(db, actorOf(request), request.params.id));

  // ---------- study plans ----------
  app.get('/learning/plans', { config: user, schema: { tags, summary: '学习计划', querystring: ContentListQuerySchema, response: { 200: StudyPlanPageSchema } } },
    async (request) => plans.listPlans(db, actorOf(request), request.query));
  app.get('/learning/plans/:id', { config: user, schema: { tags, summary: '学习计划详情及本人进度', params: IdParamsSchema, response: { 200: StudyPlanDetailSchema } } },
    async (request) => plans.getPlan(db, actorOf(request), request.params.id));
  app.post('/learning/plans', { config: user, schema: { tags, summary: '制定学习计划（按章节和日期）', body: CreateStudyPlanSchema, response: { 201: StudyPlanDetailSchema } } },
    async (request, reply) => reply.status(201).send(await plans.createPlan(db, actorOf(request), request.body)));
  app.patch('/learning/plans/:id', { config: user, schema: { tags, summary: '修改学习计划（标题、说明、起止日期）', params: IdParamsSchema, body: UpdateStudyPlanSchema, response: { 200: StudyPlanDetailSchema } } },
    async (request) => plans.updatePlan(db, actorOf(request), request.params.id, request.body));
  app.post('/learning/plans/:id/items/:itemId/done', { config: user, schema: { tags, summary: '完成一个章节', params: PlanItemParamsSchema, body: MarkItemDoneSchema, response: { 200: ReadResultSchema } } },
    async (request) => plans.markItemDone(db, actorOf(request), request.params.id, request.params.itemId, request.body.note));
  app.get('/learning/plans/:id/progress', { config: user, schema: { tags, summary: '党员计划完成情况', params: IdParamsSchema, querystring: PageQuerySchema, response: { 200: ProgressPageSchema } } },
    async (request) => plans.planProgress(db, actorOf(request), request.params.id, request.query));

  // ---------- clock-ins and reading shares ----------
  app.post('/learning/clock-ins', { config: user, schema: { tags, summary: '学习打卡（每天一次）', body: CreateClockInSchema, response: { 201: ClockInSchema } } },
    async (request, reply) => reply.status(201).send(await clockIns.clockIn(db, actorOf(request), request.body.note)));
  app.get('/learning/clock-ins', { config: user, schema: { tags, summary: '打卡记录（本人，或管理员按组织）', querystring: ClockInListQuerySchema, response: { 200: ClockInPageSchema } } },
    async (request) => clockIns.listClockIns(db, actorOf(request), request.query));
  app.get('/learning/shares', { config: user, schema: { tags, summary: '本支部读书分享', querystring: PageQuerySchema, response: { 200: SharePageSchema } } },
    async (request) => shares.listShares(db, actorOf(request), request.query));
  app.post('/learning/shares', { config: user, schema: { tags, summary: '发布读书分享', body: CreateShareSchema, response: { 201: ShareSchema } } },
    async (request, reply) => reply.status(201).send(await shares.createShare(db, actorOf(request), request.body)));
  app.post('/learning/shares/:id/like', { config: user, schema: { tags, summary: '点赞', params: IdParamsSchema, response: { 200: ShareSchema } } },
    async (request) => shares.setLike(db, actorOf(request), request.params.id, true));
  app.delete('/learning/shares/:id/like', { config: user, schema: { tags, summary: '取消点赞', params: IdParamsSchema, response: { 200: ShareSchema } } },
    async (request) => shares.setLike(db, actorOf(request), request.params.id, false));
};
