import { describe, expect, it } from 'vitest';
import { GroupWriter } from './group-writer.js';

describe('group commit', () => {
  it('writes what waits in one statement, a key at most once per statement, and answers each its own', async () => {
    const statements: string[][] = [];
    const writer = new GroupWriter<string, string>(async (batch) => {
      statements.push(batch);
      await new Promise((r) => setTimeout(r, 5));
      return batch.map((x) => x.toUpperCase());
    }, (x) => x, 500, 1);
    const items = ['a', 'b', 'c', 'b', 'd', 'b'];
    expect(await Promise.all(items.map((x) => writer.add(x)))).toEqual(['A', 'B', 'C', 'B', 'D', 'B']);
    // the first alone (nothing was running), then the rest together, then each repeated key in a later statement
    expect(statements).toEqual([['a'], ['b', 'c', 'd'], ['b'], ['b']]);
  });

  it('answers the others when one item fails its statement', async () => {
    const writer = new GroupWriter<number, number>(async (batch) => {
      await new Promise((r) => setTimeout(r, 1));
      if (batch.includes(13)) throw new Error('bad item');
      return batch.map((x) => x * 2);
    }, String, 500, 1);
    const answers = await Promise.allSettled([1, 2, 13, 4].map((x) => writer.add(x)));
    expect(answers.map((a) => (a.status === 'fulfilled' ? a.value : (a.reason as Error).message))).toEqual([2, 4, 'bad item', 8]);
  });
});
