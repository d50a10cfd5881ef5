import { z } from 'zod';
import { IdSchema, PageQuerySchema, optionalText, pageOf, requiredText, DateTimeSchema } from './common.js';

// ---------- questions ----------

export const QUESTION_TYPES = ['single', 'multiple', 'true_false', 'fill_blank'] as const;
export const QuestionTypeSchema = z.enum(QUESTION_TYPES);
export type QuestionType = z.infer<typeof QuestionTypeSchema>;
export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export const DifficultySchema = z.enum(DIFFICULTIES);
export type Difficulty = z.infer<typeof DifficultySchema>;

export const OptionSchema = z.strictObject({ key: z.string().regex(/^[A-H]$/, { message: 'question.option_key' }), text: requiredText(500) });
export type Option = z.infer<typeof OptionSchema>;

/**
 * The correct answer, by type: single "A"; multiple ["A","C"]; true_false true|false;
 * fill_blank one list of accepted answers per blank, e.g. [["实事求是"], ["人民", "人民群众"]].
 */
export const AnswerKeySchema = z.union([z.string().max(200), z.boolean(), z.array(z.string().max(200)).max(8), z.array(z.array(z.string().trim().min(1).max(200)).min(1).max(10)).max(10)]);
export type AnswerKey = z.infer<typeof AnswerKeySchema>;

/** A member's response, by type: single "A"; multiple ["A","C"]; true_false true|false; fill_blank one string per blank. */
export const ResponseSchema = z.union([z.string().max(200), z.boolean(), z.array(z.string().max(200)).max(10)]);
export type Response = z.infer<typeof ResponseSchema>;

const questionFields = {
  type: QuestionTypeSchema,
  stem: requiredText(2000),
  options: z.array(OptionSchema).max(8).default([]),
  answer: AnswerKeySchema,
  tags: z.array(requiredText(30)).max(10).default([]),
  difficulty: DifficultySchema,
  explanation: optionalText(2000),
  /** Offer it in every member's daily quiz (platform admins only). */
  isDaily: z.boolean().default(false),
};

type QuestionShape = { type: QuestionType; options: Option[]; answer: AnswerKey };

/** The answer key must fit the type and the options; shared by the API and the .xlsx import. */
export function questionProblems(q: QuestionShape): { path: string; message: string }[] {
  const keys = q.options.map((o) => o.key);
  const problems: { path: string; message: string }[] = [];
  if (new Set(keys).size !== keys.length) problems.push({ path: 'options', message: 'question.option_duplicate' });
  if (q.type === 'single' || q.type === 'multiple') {
    if (q.options.length < 2) problems.push({ path: 'options', message: 'question.options_required' });
    const answer = q.type === 'single' ? (typeof q.answer === 'string' ? [q.answer] : null) : Array.isArray(q.answer) && q.answer.every((a) => typeof a === 'string') ? (q.answer as string[]) : null;
    if (!answer || answer.length === 0 || (q.type === 'multiple' && answer.length < 2)) problems.push({ path: 'answer', message: `question.answer_${q.type}` });
    else if (answer.some((a) => !keys.includes(a)) || new Set(answer).size !== answer.length) problems.push({ path: 'answer', message: 'question.answer_not_option' });
  } else {
    if (q.options.length > 0) problems.push({ path: 'options', message: 'question.options_not_allowed' });
    if (q.type === 'true_false' && typeof q.answer !== 'boolean') problems.push({ path: 'answer', message: 'question.answer_true_false' });
    if (q.type === 'fill_blank' && !(Array.isArray(q.answer) && q.answer.length > 0 && q.answer.every((a) => Array.isArray(a)))) problems.push({ path: 'answer', message: 'question.answer_fill_blank' });
  }
  return problems;
}

const checkQuestion = (q: QuestionShape, ctx: z.RefinementCtx) => {
  for (const p of questionProblems(q)) ctx.addIssue({ code: 'custom', path: [p.path], message: p.message });
};

export const CreateQuestionSchema = z.strictObject({ orgId: IdSchema, ...questionFields }).superRefine(checkQuestion);
export type CreateQuestion = z.infer<typeof CreateQuestionSchema>;
export const UpdateQuestionSchema = z.strictObject(questionFields).superRefine(checkQuestion);
export type UpdateQuestion = z.infer<typeof UpdateQuestionSchema>;

export const QuestionSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  type: QuestionTypeSchema,
  stem: z.string(),
  options: z.array(z.object({ key: z.string(), text: z.string() })),
  answer: AnswerKeySchema,
  tags: z.array(z.string()),
  difficulty: DifficultySchema,
  explanation: z.string().nullable(),
  isDaily: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Question = z.infer<typeof QuestionSchema>;
export const QuestionPageSchema = pageOf(QuestionSchema);
export type QuestionPage = z.infer<typeof QuestionPageSchema>;

export const QuestionListQuerySchema = PageQuerySchema.extend({
  q: z.string().trim().max(50).optional(),
  type: QuestionTypeSchema.optional(),
  difficulty: DifficultySchema.optional(),
  tag: z.string().trim().max(30).optional(),
});
export type QuestionListQuery = z.infer<typeof QuestionListQuerySchema>;

export const ImportReportSchema = z.object({
  created: z.number().int(),
  failed: z.number().int(),
  rows: z.array(z.object({ row: z.number().int(), status: z.enum(['created', 'failed']), id: IdSchema.nullable(), errors: z.record(z.string(), z.string()) })),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;

// ---------- papers ----------

export const QuotaSchema = z.strictObject({
  tag: z.string().trim().min(1).max(30).optional(),
  difficulty: DifficultySchema.optional(),
  type: QuestionTypeSchema.optional(),
  count: z.number().int().min(1).max(200),
  score: z.number().int().min(1).max(100),
});
export type Quota = z.infer<typeof QuotaSchema>;

export const CreatePaperSchema = z
  .strictObject({
    orgId: IdSchema,
    title: requiredText(100),
    mode: z.enum(['fixed', 'random']),
    questions: z.array(z.strictObject({ questionId: IdSchema, score: z.number().int().min(1).max(100) })).max(300).optional(),
    quotas: z.array(QuotaSchema).max(20).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.mode === 'fixed' && !p.questions?.length) ctx.addIssue({ code: 'custom', path: ['questions'], message: 'paper.questions_required' });
    if (p.mode === 'random' && !p.quotas?.length) ctx.addIssue({ code: 'custom', path: ['quotas'], message: 'paper.quotas_required' });
    if (p.questions && new Set(p.questions.map((q) => q.questionId)).size !== p.questions.length) ctx.addIssue({ code: 'custom', path: ['questions'], message: 'paper.duplicate_question' });
  });
export type CreatePaper = z.infer<typeof CreatePaperSchema>;

export const PaperSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  title: z.string(),
  mode: z.enum(['fixed', 'random']),
  questionCount: z.number().int(),
  totalScore: z.number().int(),
  quotas: z.array(QuotaSchema),
  questions: z.array(z.object({ questionId: IdSchema, score: z.number().int(), stem: z.string() })),
  createdAt: z.string(),
});
export type Paper = z.infer<typeof PaperSchema>;
export const PaperPageSchema = pageOf(PaperSchema.omit({ questions: true }));

// ---------- exams ----------


export const CreateExamSchema = z
  .strictObject({
    orgId: IdSchema,
    paperId: IdSchema,
    title: requiredText(100),
    description: optionalText(2000),
    opensAt: DateTimeSchema,
    closesAt: DateTimeSchema,
    timeLimitMinutes: z.number().int().min(1).max(1440),
    maxAttempts: z.number().int().min(1).max(20).default(1),
    passScore: z.number().int().min(0).max(10_000),
    /** No scores, answers or explanations until the exam closes. */
    isClosedBook: z.boolean().default(false),
    participantOrgIds: z.array(IdSchema).max(500).default([]),
    participantMemberIds: z.array(IdSchema).max(5000).default([]),
  })
  .refine((e) => Date.parse(e.closesAt) > Date.parse(e.opensAt), { message: 'exam.closes_before_opens', path: ['closesAt'] })
  .refine((e) => e.participantOrgIds.length + e.participantMemberIds.length > 0, { message: 'exam.participants_required', path: ['participantOrgIds'] });
export type CreateExam = z.infer<typeof CreateExamSchema>;

export const MakeUpExamSchema = z
  .strictObject({ title: requiredText(100).optional(), opensAt: DateTimeSchema, closesAt: DateTimeSchema, timeLimitMinutes: z.number().int().min(1).max(1440).optional() })
  .refine((e) => Date.parse(e.closesAt) > Date.parse(e.opensAt), { message: 'exam.closes_before_opens', path: ['closesAt'] });
export type MakeUpExam = z.infer<typeof MakeUpExamSchema>;

/**
 * Before it opens the organizer may change the title, window, time limit and who takes it; an absent
 * field is left as it is. Participants given (either list) replace the whole list.
 */
export const UpdateExamSchema = z
  .strictObject({
    title: requiredText(100).optional(),
    description: optionalText(2000),
    opensAt: DateTimeSchema.optional(),
    closesAt: DateTimeSchema.optional(),
    timeLimitMinutes: z.number().int().min(1).max(1440).optional(),
    participantOrgIds: z.array(IdSchema).max(500).optional(),
    participantMemberIds: z.array(IdSchema).max(5000).optional(),
  })
  .refine((e) => !e.opensAt || !e.closesAt || Date.parse(e.closesAt) > Date.parse(e.opensAt), { message: 'exam.closes_before_opens', path: ['closesAt'] })
  .refine((e) => (e.participantOrgIds === undefined && e.participantMemberIds === undefined) || (e.participantOrgIds?.length ?? 0) + (e.participantMemberIds?.length ?? 0) > 0,
    { message: 'exam.participants_required', path: ['participantOrgIds'] });
export type UpdateExam = z.infer<typeof UpdateExamSchema>;

export const CancelExamSchema = z.strictObject({ reason: requiredText(500) });
export type CancelExam = z.infer<typeof CancelExamSchema>;

export const ExamStatusSchema = z.enum(['upcoming', 'open', 'closed']);
export const ExamSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  paperId: IdSchema,
  title: z.string(),
  description: z.string().nullable(),
  opensAt: z.string(),
  closesAt: z.string(),
  status: ExamStatusSchema,
  timeLimitMinutes: z.number().int(),
  maxAttempts: z.number().int(),
  passScore: z.number().int(),
  totalScore: z.number().int(),
  isClosedBook: z.boolean(),
  makeUpOf: IdSchema.nullable(),
  makeUpId: IdSchema.nullable(),
  participantCount: z.number().int(),
  /** Set when the organizer cancelled it: members no longer see it. */
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
});
export type Exam = z.infer<typeof ExamSchema>;
export const ExamPageSchema = pageOf(ExamSchema);
export type ExamPage = z.infer<typeof ExamPageSchema>;
export const ExamListQuerySchema = PageQuerySchema.extend({ status: ExamStatusSchema.optional() });
export type ExamListQuery = z.infer<typeof ExamListQuerySchema>;

export const MyExamSchema = ExamSchema.omit({ participantCount: true, cancelledAt: true, cancelReason: true }).extend({
  attemptsUsed: z.number().int(),
  inProgressAttemptId: IdSchema.nullable(),
  /** Best score so far; null until results may be shown (closed-book) or before any attempt. */
  bestScore: z.number().int().nullable(),
});
export const MyExamListSchema = z.object({ items: z.array(MyExamSchema) });

export const AttemptQuestionSchema = z.object({
  id: IdSchema,
  type: QuestionTypeSchema,
  stem: z.string(),
  score: z.number().int(),
  /** In this attempt's shuffled order; keys are stable, so the UI may relabel by position. */
  options: z.array(z.object({ key: z.string(), text: z.string() })),
  blankCount: z.number().int(),
  response: ResponseSchema.nullable(),
  /** Shown only once results are visible. */
  isCorrect: z.boolean().nullable(),
  answer: AnswerKeySchema.nullable(),
  explanation: z.string().nullable(),
});
export const AttemptSchema = z.object({
  id: IdSchema,
  examId: IdSchema,
  examTitle: z.string(),
  attemptNo: z.number().int(),
  startedAt: z.string(),
  deadlineAt: z.string(),
  submittedAt: z.string().nullable(),
  isAutoSubmitted: z.boolean(),
  status: z.enum(['in_progress', 'submitted']),
  isResultVisible: z.boolean(),
  score: z.number().int().nullable(),
  totalScore: z.number().int(),
  isPassed: z.boolean().nullable(),
  questions: z.array(AttemptQuestionSchema),
});
export type Attempt = z.infer<typeof AttemptSchema>;

export const AttemptAnswerParamsSchema = z.object({ id: IdSchema, questionId: IdSchema });
export const SaveAnswerSchema = z.strictObject({ response: ResponseSchema });
export type SaveAnswer = z.infer<typeof SaveAnswerSchema>;
export const SubmitAttemptSchema = z.strictObject({});

export const AbsenteesSchema = z.object({ items: z.array(z.object({ memberId: IdSchema, memberName: z.string(), orgName: z.string() })) });

const rate = z.number();
export const ExamResultsSchema = z.object({
  examId: IdSchema,
  makeUpId: IdSchema.nullable(),
  summary: z.object({ participants: z.number().int(), participated: z.number().int(), participationRate: rate, averageScore: rate.nullable(), passRate: rate.nullable() }),
  people: z.array(z.object({
    memberId: IdSchema, memberName: z.string(), orgName: z.string(), hasAttempted: z.boolean(), viaMakeUp: z.boolean(),
    bestScore: z.number().int().nullable(), isPassed: z.boolean().nullable(),
  })),
  orgs: z.array(z.object({
    orgId: IdSchema, orgName: z.string(), participants: z.number().int(), participated: z.number().int(),
    participationRate: rate, averageScore: rate.nullable(), passRate: rate.nullable(),
  })),
  questions: z.array(z.object({ questionId: IdSchema, stem: z.string(), attempts: z.number().int(), correct: z.number().int(), accuracy: rate.nullable() })),
});
export type ExamResults = z.infer<typeof ExamResultsSchema>;
