import { z } from 'zod';
import { DateSchema, IdSchema } from './common.js';
import { AnswerKeySchema, QuestionTypeSchema, ResponseSchema } from './exams.js';

export const DailyQuestionSchema = z.object({
  id: IdSchema,
  type: QuestionTypeSchema,
  stem: z.string(),
  options: z.array(z.object({ key: z.string(), text: z.string() })),
  blankCount: z.number().int(),
});

export const DailyResultSchema = z.object({
  questionId: IdSchema,
  response: ResponseSchema.nullable(),
  isCorrect: z.boolean(),
  answer: AnswerKeySchema,
  explanation: z.string().nullable(),
});

export const DailySubmissionSchema = z.object({
  id: IdSchema,
  date: z.string(),
  submittedAt: z.string(),
  correctCount: z.number().int(),
  questionCount: z.number().int(),
  /** Points this submission earned (after the rule's daily cap). */
  points: z.number().int(),
  streak: z.number().int(),
  results: z.array(DailyResultSchema),
});
export type DailySubmission = z.infer<typeof DailySubmissionSchema>;

export const DailyQuizTodaySchema = z.object({
  date: z.string(),
  questions: z.array(DailyQuestionSchema),
  /** Consecutive days answered, up to today (or yesterday when today is still open). */
  streak: z.number().int(),
  submission: DailySubmissionSchema.nullable(),
});
export type DailyQuizToday = z.infer<typeof DailyQuizTodaySchema>;

/** The member's answers only: the server grades them and decides the points. */
export const SubmitDailyQuizSchema = z.strictObject({
  answers: z.array(z.strictObject({ questionId: IdSchema, response: ResponseSchema })).min(1).max(50),
});
export type SubmitDailyQuiz = z.infer<typeof SubmitDailyQuizSchema>;

export const DailyQuizSettingsSchema = z.object({ questionsPerDay: z.number().int(), bankSize: z.number().int() });
export const UpdateDailyQuizSettingsSchema = z.strictObject({ questionsPerDay: z.number().int().min(1).max(50) });
export type UpdateDailyQuizSettings = z.infer<typeof UpdateDailyQuizSettingsSchema>;

export const ParticipationQuerySchema = z.object({ date: DateSchema.optional(), orgId: IdSchema.optional() });
export type ParticipationQuery = z.infer<typeof ParticipationQuerySchema>;
const ParticipationLineSchema = z.object({ orgId: IdSchema, orgName: z.string(), memberCount: z.number().int(), submittedCount: z.number().int(), rate: z.number() });
export const ParticipationSchema = z.object({ date: z.string(), total: ParticipationLineSchema, items: z.array(ParticipationLineSchema) });
export type Participation = z.infer<typeof ParticipationSchema>;

/** 导出答题记录: the submissions of an org's subtree over a period (a year at most), oldest first. */
export const ResultsExportQuerySchema = z.object({ orgId: IdSchema, from: DateSchema, to: DateSchema })
  .refine((q) => q.to >= q.from, { message: 'daily_quiz.to_before_from', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, { message: 'daily_quiz.period_too_long', path: ['to'] });
export type ResultsExportQuery = z.infer<typeof ResultsExportQuerySchema>;
