import { describe, expect, it } from 'vitest';
import { TurnBatch, batchesPer } from './turn-batch.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A batch that doubles numbers, remembering the questions of each statement. */
function doubling(max?: number) {
  const statements: number[][] = [];
  const batch = new TurnBatch<number, number>(async (questions) => {
    statements.push(questions);
    if (questions.includes(13)) throw new Error('unlucky');
    return questions.map((q) => q * 2);
  }, max);
  return { batch, statements };
}

describe('questions asked in one turn of the event loop', () => {
  it('are answered by one statement, each with its own answer in its order', async () => {
    const { batch, statements } = doubling();
    const answers = await Promise.all([batch.ask(1), batch.ask(2), batch.ask(3)]);
    expect(answers).toEqual([2, 4, 6]);
    expect(statements).toEqual([[1, 2, 3]]);
    expect(batch.statements).toBe(1);
  });

  it('go out in statements of at most `max` questions, sent together', async () => {
    const { batch, statements } = doubling(2);
    const answers = Promise.all([1, 2, 3, 4, 5].map((q) => batch.ask(q)));
    await nextTurn();
    expect(statements).toEqual([[1, 2], [3, 4], [5]]);
    expect(await answers).toEqual([2, 4, 6, 8, 10]);
  });

  it('wait for the next statement when asked after one was sent, never joining it', async () => {
    const { batch, statements } = doubling();
    const first = batch.ask(1);
    await nextTurn();
    expect(statements).toEqual([[1]]);
    const second = batch.ask(2);
    expect(statements).toEqual([[1]]);
    expect(await Promise.all([first, second])).toEqual([2, 4]);
    expect(statements).toEqual([[1], [2]]);
  });

  it('fail together when their statement fails, and only they', async () => {
    const { batch } = doubling(2);
    const answers = await Promise.allSettled([batch.ask(12), batch.ask(13), batch.ask(14)]);
    expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(answers[2]).toMatchObject({ value: 28 });
    const thrown = new TurnBatch<number, number>(() => { throw new Error('at once'); });
    await expect(thrown.ask(1)).rejects.toThrow('at once');
  });

  it('are kept apart per key: one batch per database handle', async () => {
    const made: object[] = [];
    const per = batchesPer((key: object) => { made.push(key); return doubling().batch; });
    const a = {}, b = {};
    expect(per(a)).toBe(per(a));
    expect(per(b)).not.toBe(per(a));
    expect(made).toEqual([a, b]);
  });
});
