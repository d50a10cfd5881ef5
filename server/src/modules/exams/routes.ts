import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema, IdSchema, OkSchema, PageQuerySchema } from '../../../../contracts/common.js';
import {
  AbsenteesSchema, AttemptAnswerParamsSchema, AttemptSchema, type Attempt, CancelExamSchema, CreateExamSchema, CreatePaperSchema, CreateQuestionSchema, ExamListQuerySchema, ExamPageSchema,
  ExamResultsSchema, ExamSchema, ImportReportSchema, MakeUpExamSchema, MyExamListSchema, PaperPageSchema, PaperSchema, QuestionListQuerySchema, QuestionPageSchema, QuestionSchema,
  SaveAnswerSchema, SubmitAttemptSchema, UpdateExamSchema, UpdateQuestionSchema,
} from '../../../../contracts/exams.js';
import { actorOf } from '../../platform/actor.js';
import * as questions from './questions.js';
import * as papers from './papers.js';
import * as exams from './service.js';
import { examResults, exportExamResults } from './results.js';
import { WrittenAttempt } from './attempt-json.js';
import { exportQuestions, importQuestions } from './xlsx.js';
import { invalidField } from '../../platform/errors.js';
import { translate } from '../../platform/i18n.js';
import './messages.js';

const tags = ['exams'];
const user = { auth: 'user' } as const;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Attempts are sent as attempt-json.ts wrote them: the same text the contract's serializer would
 * make (attempt-json.test.ts), without re-checking and re-stringifying 20 questions per request when
 * thousands of members start or submit together. The contract still documents the response.
 */
const attemptJson = () => (data: unknown) => (data instanceof WrittenAttempt ? data.json : JSON.stringify(AttemptSchema.encode(data as Attempt)));
const written = (attempt: WrittenAttempt) => attempt as unknown as Attempt;

export const examRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  // ---------- question bank ----------
  app.get('/questions', { config: user, schema: { tags, summary: '题库（本级、下级及上级共享的试题）', querystring: QuestionListQuerySchema, response: { 200: QuestionPageSchema } } },
    async (request) => questions.listQuestions(db, actorOf(request), request.query));

  app.get('/questions/export.xlsx', { config: user, schema: { tags, summary: '导出题库 .xlsx（可直接再导入）', querystring: QuestionListQuerySchema } },
    async (request, reply) => {
      const body = await exportQuestions(db, actorOf(request), request.query);
      return reply.type(XLSX).header('content-disposition', 'attachment; filename="questions.xlsx"').send(body);
    });

  app.post('/questions/import', { config: user, schema: { tags, summary: '导入题库 .xlsx（逐行报告结果）', querystring: z.object({ orgId: IdSchema }), consumes: ['multipart/form-data'], response: { 200: ImportReportSchema } } },
    async (request) => {
      const file = request.isMultipart() ? await request.file() : undefined;
      if (!file) throw invalidField('file', 'question.import_file_required');
      const report = await importQuestions(db, actorOf(request), request.query.orgId, await file.toBuffer());
      const text = (p: { key: string; params?: Record<string, string | number> }) => translate(p.key, request.lang, p.params);
      return { ...report, rows: report.rows.map((r) => ({ ...r, errors: Object.fromEntries(Object.entries(r.errors).map(([column, p]) => [column, text(p)])) })) };
    });

  app.get('/questions/:id', { config: user, schema: { tags, summary: '试题详情', params: IdParamsSchema, response: { 200: QuestionSchema } } },
    async (request) => questions.getQuestion(db, actorOf(request), request.params.id));

  app.post('/questions', { config: user, schema: { tags, summary: '新建试题', body: CreateQuestionSchema, response: { 201: QuestionSchema } } },
    async (request, reply) => reply.status(201).send(await questions.createQuestion(db, actorOf(request), request.body)));

  app.patch('/questions/:id', { config: user, schema: { tags, summary: '修改试题（已发布的考试不受影响）', params: IdParamsSchema, body: UpdateQuestionSchema, response: { 200: QuestionSchema } } },
    async (request) => questions.updateQuestion(db, actorOf(request), request.params.id, request.body));

  app.delete('/questions/:id', { config: user, schema: { tags, summary: '停用试题', params: IdParamsSchema, response: { 200: OkSchema } } },
    async (request) => { await questions.archiveQuestion(db, actorOf(request), request.params.id); return { ok: true as const }; });

  // ---------- papers ----------
  app.get('/papers', { config: user, schema: { tags, summary: '试卷列表', querystring: PageQuerySchema, response: { 200: PaperPageSchema } } },
    async (request) => papers.listPapers(db, actorOf(request), request.query));

  app.get('/papers/:id', { config: user, schema: { tags, summary: '试卷详情', params: IdParamsSchema, response: { 200: PaperSchema } } },
    async (request) => papers.getPaper(db, actorOf(request), request.params.id));

  app.post('/papers', { config: user, schema: { tags, summary: '组卷（固定或按标签、难度随机抽题）', body: CreatePaperSchema, response: { 201: PaperSchema } } },
    async (request, reply) => reply.status(201).send(await papers.createPaper(db, actorOf(request), request.body)));

  // ---------- exams (organizers) ----------
  app.get('/exams', { config: user, schema: { tags, summary: '考试列表（管理范围内）', querystring: ExamListQuerySchema, response: { 200: ExamPageSchema } } },
    async (request) => exams.listExams(db, actorOf(request), request.query));

  app.get('/exams/mine', { config: user, schema: { tags, summary: '我的考试', response: { 200: MyExamListSchema } } },
    async (request) => exams.listMyExams(db, actorOf(request)));

  app.get('/exams/:id', { config: user, schema: { tags, summary: '考试详情', params: IdParamsSchema, response: { 200: ExamSchema } } },
    async (request) => exams.getExam(db, actorOf(request), request.params.id));

  app.post('/exams', { config: user, schema: { tags, summary: '发布考试', body: CreateExamSchema, response: { 201: ExamSchema } } },
    async (request, reply) => reply.status(201).send(await exams.createExam(db, actorOf(request), request.body)));

  app.patch('/exams/:id', { config: user, schema: { tags, summary: '修改考试（开始前：名称、时间、时长、参考人员）', params: IdParamsSchema, body: UpdateExamSchema, response: { 200: ExamSchema } } },
    async (request) => exams.updateExam(db, actorOf(request), request.params.id, request.body));

  app.post('/exams/:id/cancel', { config: user, schema: { tags, summary: '取消考试（须说明原因；党员不再看到）', params: IdParamsSchema, body: CancelExamSchema, response: { 200: ExamSchema } } },
    async (request) => exams.cancelExam(db, actorOf(request), request.params.id, request.body));

  app.get('/exams/:id/absentees', { config: user, schema: { tags, summary: '缺考人员（考试结束后）', params: IdParamsSchema, response: { 200: AbsenteesSchema } } },
    async (request) => exams.listAbsentees(db, actorOf(request), request.params.id));

  app.post('/exams/:id/make-up', { config: user, schema: { tags, summary: '为缺考人员安排补考', params: IdParamsSchema, body: MakeUpExamSchema, response: { 201: ExamSchema } } },
    async (request, reply) => reply.status(201).send(await exams.issueMakeUpExam(db, actorOf(request), request.params.id, request.body)));

  app.get('/exams/:id/results', { config: user, schema: { tags, summary: '成绩统计（按人、按组织、按题）', params: IdParamsSchema, response: { 200: ExamResultsSchema } } },
    async (request) => examResults(db, actorOf(request), request.params.id));

  app.get('/exams/:id/results.xlsx', { config: user, schema: { tags, summary: '导出成绩 .xlsx', params: IdParamsSchema } },
    async (request, reply) => {
      const file = await exportExamResults(db, actorOf(request), request.params.id);
      return reply.type(XLSX).header('content-disposition', `attachment; filename="${file.filename}"`).send(file.body);
    });

  // ---------- attempts (the member) ----------
  app.post('/exams/:id/attempts', { config: user, serializerCompiler: attemptJson, schema: { tags, summary: '开始考试（已有未交答卷则继续作答）', params: IdParamsSchema, body: SubmitAttemptSchema.optional(), response: { 200: AttemptSchema, 201: AttemptSchema } } },
    async (request, reply) => {
      const { attempt, isResumed } = await exams.startAttempt(db, actorOf(request), request.params.id);
      return reply.status(isResumed ? 200 : 201).send(written(attempt));
    });

  app.get('/exam-attempts/:id', { config: user, serializerCompiler: attemptJson, schema: { tags, summary: '我的答卷', params: IdParamsSchema, response: { 200: AttemptSchema } } },
    async (request) => written(await exams.getAttempt(db, actorOf(request), request.params.id)));

  app.put('/exam-attempts/:id/answers/:questionId', { config: user, schema: { tags, summary: '保存一道题的作答', params: AttemptAnswerParamsSchema, body: SaveAnswerSchema, response: { 200: z.object({ savedAt: z.string() }) } } },
    async (request) => exams.saveAnswer(db, actorOf(request), request.params.id, request.params.questionId, request.body.response));

  app.post('/exam-attempts/:id/submit', { config: user, serializerCompiler: attemptJson, schema: { tags, summary: '交卷', params: IdParamsSchema, body: SubmitAttemptSchema, response: { 200: AttemptSchema } } },
    async (request) => written(await exams.submitAttempt(db, actorOf(request), request.params.id)));
};
