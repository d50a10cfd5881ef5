import type { Attempt, Response } from '../../../../contracts/exams.js';
import { blankCountOf, optionsFor, seedOf, shuffled, type QuestionSnapshot } from './grading.js';

/**
 * An attempt as its JSON text, written from parts prepared once per paper.
 *
 * Thousands of members open the same 20 questions in the same second; building each one's attempt
 * as an object, checking it against the contract and stringifying it cost ~0.3 ms of CPU a request,
 * a fifth of a start. The questions' text does not change, so each question's JSON is written once
 * per process (WrittenPaper) and an attempt is the concatenation of those parts in its own order,
 * with its options in its own order and its own responses. The text is exactly what the contract's
 * serializer makes of `toAttempt` (attempt-json.test.ts compares them across every state); the
 * routes send it as it is (routes.ts `attemptJson`).
 */
export class WrittenAttempt {
  constructor(readonly json: string) {}
}

interface WrittenQuestion {
  /** `{"id":…,"type":…,"stem":…,"score":…,"options":[` */
  head: string;
  /** Each option's JSON by its key. */
  options: Map<string, string>;
  /** seedOf(id): the options' order is the attempt's seed xor this (optionsFor). */
  optionSeed: number;
  /** `],"blankCount":n,"response":` */
  middle: string;
  /** `"answer":…,"explanation":…}` once results are visible, and with both null before. */
  revealed: string;
}

export interface WrittenPaper {
  questions: QuestionSnapshot[];
  written: Map<string, WrittenQuestion>;
}

export function writePaper(questions: QuestionSnapshot[]): WrittenPaper {
  const written = new Map<string, WrittenQuestion>();
  for (const q of questions) {
    written.set(q.id, {
      head: `{"id":${JSON.stringify(q.id)},"type":${JSON.stringify(q.type)},"stem":${JSON.stringify(q.stem)},"score":${JSON.stringify(q.score)},"options":[`,
      options: new Map(q.options.map((o) => [o.key, JSON.stringify({ key: o.key, text: o.text })])),
      optionSeed: seedOf(q.id),
      middle: `],"blankCount":${blankCountOf(q)},"response":`,
      revealed: `"answer":${JSON.stringify(q.answer)},"explanation":${JSON.stringify(q.explanation)}}`,
    });
  }
  return { questions, written };
}

/** What an attempt shows besides its questions, in the contract's order. */
export type AttemptHeader = Omit<Attempt, 'questions'>;

export interface SavedAnswer { response: Response; isCorrect: boolean | null }

/** The attempt's JSON: its header, then its questions in the order its seed gives, with what it saved. */
export function writeAttempt(header: AttemptHeader, paper: WrittenPaper, seed: number, saved: ReadonlyMap<string, SavedAnswer>): WrittenAttempt {
  const parts: string[] = [];
  for (const q of shuffled(paper.questions, seed)) {
    const w = paper.written.get(q.id)!;
    const options = q.options.length > 0 ? shuffled(q.options, seed ^ w.optionSeed).map((o) => w.options.get(o.key)!).join(',') : '';
    const answer = saved.get(q.id);
    const response = answer ? JSON.stringify(answer.response) : 'null';
    const tail = header.isResultVisible ? `"isCorrect":${answer?.isCorrect ?? false},${w.revealed}` : '"isCorrect":null,"answer":null,"explanation":null}';
    parts.push(`${w.head}${options}${w.middle}${response},${tail}`);
  }
  const head = JSON.stringify({
    id: header.id, examId: header.examId, examTitle: header.examTitle, attemptNo: header.attemptNo, startedAt: header.startedAt, deadlineAt: header.deadlineAt,
    submittedAt: header.submittedAt, isAutoSubmitted: header.isAutoSubmitted, status: header.status, isResultVisible: header.isResultVisible,
    score: header.score, totalScore: header.totalScore, isPassed: header.isPassed,
  });
  return new WrittenAttempt(`${head.slice(0, -1)},"questions":[${parts.join(',')}]}`);
}

/** The same attempt as an object (what the contract describes; the tests' reference for writeAttempt). */
export function toAttempt(header: AttemptHeader, questions: QuestionSnapshot[], seed: number, saved: ReadonlyMap<string, SavedAnswer>): Attempt {
  const visible = header.isResultVisible;
  return {
    ...header,
    questions: shuffled(questions, seed).map((q) => ({
      id: q.id, type: q.type, stem: q.stem, score: q.score, options: optionsFor(q, seed), blankCount: blankCountOf(q),
      response: saved.get(q.id)?.response ?? null,
      isCorrect: visible ? (saved.get(q.id)?.isCorrect ?? false) : null,
      answer: visible ? q.answer : null,
      explanation: visible ? q.explanation : null,
    })),
  };
}
