import { describe, expect, it } from 'vitest';
import { AttemptSchema } from '../../../../contracts/exams.js';
import { toAttempt, writeAttempt, writePaper, type AttemptHeader, type SavedAnswer } from './attempt-json.js';
import type { QuestionSnapshot } from './grading.js';

/** Every type, with text that JSON must escape (quotes, backslashes, line breaks, emoji, U+2028). */
const questions: QuestionSnapshot[] = [
  { id: '101', type: 'single', stem: '党的最高领导机关是？"引号" \\ 反斜杠', score: 5, explanation: '党章第十条\n第二行',
    options: [{ key: 'A', text: '全国代表大会' }, { key: 'B', text: '中央委员会 \u2028' }, { key: 'C', text: '军委 🚩' }, { key: 'D', text: '</script>' }], answer: 'A' },
  { id: '102', type: 'multiple', stem: '“三会一课”包括哪些？', score: 10, explanation: null,
    options: [{ key: 'A', text: '支部党员大会' }, { key: 'B', text: '支部委员会' }, { key: 'C', text: '党小组会' }, { key: 'D', text: '座谈会' }], answer: ['A', 'B', 'C'] },
  { id: '103', type: 'true_false', stem: '预备党员的预备期为一年。', score: 5, explanation: null, options: [], answer: true },
  { id: '104', type: 'fill_blank', stem: '一切从实际出发，____，____。', score: 20, explanation: '思想路线', options: [], answer: [['实事求是'], ['人民', '人民群众']] },
  { id: '105', type: 'single', stem: '第五题', score: 60, explanation: null, options: [{ key: 'A', text: '甲' }, { key: 'B', text: '乙' }], answer: 'B' },
];

const inProgress: AttemptHeader = {
  id: '9001', examId: '77', examTitle: '党章党规知识测试 "一"', attemptNo: 1, startedAt: '2026-12-06T06:00:00.000Z', deadlineAt: '2026-12-06T06:30:00.000Z',
  submittedAt: null, isAutoSubmitted: false, status: 'in_progress', isResultVisible: false, score: null, totalScore: 100, isPassed: null,
};
const submittedHidden: AttemptHeader = { ...inProgress, submittedAt: '2026-12-06T06:20:00.000Z', status: 'submitted' };
const submittedVisible: AttemptHeader = { ...submittedHidden, isResultVisible: true, score: 25, isPassed: false, isAutoSubmitted: true };

const none = new Map<string, SavedAnswer>();
const saved = new Map<string, SavedAnswer>([
  ['101', { response: 'A', isCorrect: true }],
  ['102', { response: ['B', 'A'], isCorrect: false }],
  ['103', { response: false, isCorrect: null }],
  ['104', { response: ['实事求是', '人民"群众"'], isCorrect: true }],
]);

/** What the contract's serializer (fastify-type-provider-zod) sends for the object. */
const contractJson = (header: AttemptHeader, answers: Map<string, SavedAnswer>, seed: number) =>
  JSON.stringify(AttemptSchema.encode(toAttempt(header, questions, seed, answers)));

describe('an attempt written from its paper', () => {
  const paper = writePaper(questions);

  it.each([
    ['a fresh start', inProgress, none],
    ['under way, with saved answers', inProgress, saved],
    ['submitted, closed-book before the exam closes', submittedHidden, saved],
    ['submitted with results visible', submittedVisible, saved],
    ['submitted with results visible and nothing saved', submittedVisible, none],
  ] as const)('is the text the contract would send: %s', (_name, header, answers) => {
    for (const seed of [0, 1, 12345, 0x7ffffffe, 987654321]) {
      expect(writeAttempt(header, paper, seed, answers).json).toBe(contractJson(header, answers, seed));
    }
  });

  it('orders questions and options by the seed, and differently for different seeds', () => {
    const orders = new Set<string>();
    for (let seed = 1; seed <= 20; seed++) {
      const a = AttemptSchema.parse(JSON.parse(writeAttempt(inProgress, paper, seed, none).json));
      orders.add(a.questions.map((q) => `${q.id}:${q.options.map((o) => o.key).join('')}`).join());
      expect(a.questions.map((q) => q.id).sort()).toEqual(questions.map((q) => q.id));
    }
    expect(orders.size).toBeGreaterThan(10);
  });

  it('shows no answer, explanation or grade before results are visible', () => {
    const text = writeAttempt(submittedHidden, paper, 7, saved).json;
    expect(text).not.toContain('党章第十条');
    expect(text).not.toContain('"isCorrect":true');
    expect(text).not.toContain('"answer":"A"');
  });
});
