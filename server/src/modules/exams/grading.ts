import crypto from 'node:crypto';
import type { AnswerKey, Option, QuestionType, Response } from '../../../../contracts/exams.js';
import { simplify } from '../../platform/i18n.js';

/** A question as an exam, quiz or contest froze it: grading never depends on later bank edits. */
export interface QuestionSnapshot {
  id: string;
  type: QuestionType;
  stem: string;
  options: Option[];
  answer: AnswerKey;
  explanation: string | null;
  score: number;
}

/** mulberry32: a small seeded generator, so an attempt's order is reproducible from its seed alone. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const random = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A 31-bit seed from any text (e.g. member + week), stable across processes. */
export function seedOf(text: string): number {
  return crypto.createHash('sha1').update(text).digest().readUInt32BE(0) & 0x7fffffff;
}

export const newSeed = () => crypto.randomInt(0, 0x7fffffff);

export const blankCountOf = (q: Pick<QuestionSnapshot, 'type' | 'answer'>) => (q.type === 'fill_blank' && Array.isArray(q.answer) ? q.answer.length : 0);

/** Options in the order one attempt sees them (true/false and blanks have none). */
export function optionsFor(q: QuestionSnapshot, seed: number): Option[] {
  return q.options.length > 0 ? shuffled(q.options, seed ^ seedOf(q.id)) : [];
}

/** Whether a response has the shape the question asks for (not whether it is right). */
export function responseFits(q: QuestionSnapshot, response: Response): boolean {
  const keys = q.options.map((o) => o.key);
  switch (q.type) {
    case 'single': return typeof response === 'string' && keys.includes(response);
    case 'multiple': return Array.isArray(response) && response.length > 0 && new Set(response).size === response.length && response.every((r) => keys.includes(r));
    case 'true_false': return typeof response === 'boolean';
    case 'fill_blank': return Array.isArray(response) && response.length === blankCountOf(q);
  }
}

const normalizeBlank = (text: string) => simplify(text).replace(/\s+/g, '').toLowerCase();

/** Right or wrong, all or nothing (a multiple choice with one key missing is wrong). */
export function isCorrect(q: QuestionSnapshot, response: Response | null | undefined): boolean {
  if (response == null || !responseFits(q, response)) return false;
  switch (q.type) {
    case 'single':
    case 'true_false':
      return response === q.answer;
    case 'multiple': {
      const key = q.answer as string[];
      const given = response as string[];
      return given.length === key.length && key.every((k) => given.includes(k));
    }
    case 'fill_blank': {
      const key = q.answer as string[][];
      const given = response as string[];
      return key.every((accepted, i) => accepted.map(normalizeBlank).includes(normalizeBlank(given[i] ?? '')));
    }
  }
}
