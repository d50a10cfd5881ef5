import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  DailyQuizSettingsSchema, DailyQuizTodaySchema, DailySubmissionSchema, ParticipationQuerySchema, ParticipationSchema, ResultsExportQuerySchema, SubmitDailyQuizSchema,
  UpdateDailyQuizSettingsSchema,
} from '../../../../contracts/daily_quiz.js';
import { actorOf } from '../../platform/actor.js';
import * as quiz from './service.js';
import { exportResults } from './results-export.js';
import '../exams/messages.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const tags = ['daily-quiz'];
const user = { auth: 'user' } as const;

export const dailyQuizRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get('/daily-quiz/today', { config: user, schema: { tags, summary: '今日题目（及已交的结果）', response: { 200: DailyQuizTodaySchema } } },
    async (request) => quiz.getToday(db, actorOf(request)));

  app.post('/daily-quiz/submissions', { config: user, schema: { tags, summary: '提交今日答题（每天一次）', body: SubmitDailyQuizSchema, response: { 201: DailySubmissionSchema } } },
    async (request, reply) => {
      const submission = await quiz.submit(app.database, actorOf(request), request.body);
      return reply.status(201).send(submission);
    });

  app.get('/daily-quiz/settings', { config: user, schema: { tags, summary: '每日答题设置', response: { 200: DailyQuizSettingsSchema } } },
    async () => quiz.getSettings(db));

  app.patch('/daily-quiz/settings', { config: user, schema: { tags, summary: '修改每日题量（下周生效）', body: UpdateDailyQuizSettingsSchema, response: { 200: DailyQuizSettingsSchema } } },
    async (request) => quiz.updateSettings(db, actorOf(request), request.body));

  app.get('/daily-quiz/participation', { config: user, schema: { tags, summary: '各组织当日答题参与率', querystring: ParticipationQuerySchema, response: { 200: ParticipationSchema } } },
    async (request) => quiz.participation(db, actorOf(request), request.query));

  app.get('/daily-quiz/results/export', { config: user, schema: { tags, summary: '导出组织（含下级）某期间的每日答题记录（.xlsx，流式；记入审计日志）', querystring: ResultsExportQuerySchema } },
    async (request, reply) => {
      const { stream, fileName } = await exportResults(db, actorOf(request), request.query, request.log);
      return reply.type(XLSX_TYPE).header('content-disposition', `attachment; filename="daily-quiz.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`).send(stream);
    });
};
