import type { SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, startTestApp, type OrgFixture, type TestContext } from '../../test/harness.js';
import type { Queryable } from './db.js';
import { readEpochs } from './epochs.js';

let ctx: TestContext;
let root: OrgFixture;
beforeAll(async () => {
  ctx = await startTestApp();
  root = await makeOrg(ctx.database.db, null, { name: '市直机关工委' });
});
afterAll(async () => { await ctx?.close(); });

/** The test's database handle, counting the statements sent through it. */
function counted(): { q: Queryable; sent: () => number } {
  const db = ctx.database.db;
  let sent = 0;
  const q = { execute: (query: SQL) => { sent++; return db.execute(query); } } as unknown as Queryable;
  return { q, sent: () => sent };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the version numbers are read once for the requests of one turn', () => {
  it('answers the requests that ask in the same turn from one statement', async () => {
    const { q, sent } = counted();
    const asked = [readEpochs(q), readEpochs(q), readEpochs(q)];
    const [a, b, c] = await Promise.all(asked);
    expect(sent()).toBe(1);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(a!.get('orgs')).toBeGreaterThan(0n);
  });

  it('never joins a read already sent, and a read asked after a write sees it', async () => {
    const { q, sent } = counted();
    const first = readEpochs(q);
    await nextTurn();
    expect(sent()).toBe(1);
    // sent and not yet answered: a request asking now could miss a write committed after it was sent
    const second = readEpochs(q);
    expect(second).not.toBe(first);
    const before = await first;
    await second;
    expect(sent()).toBe(2);

    await makeOrg(ctx.database.db, root, { name: '市财政局机关党委', type: 'organ_committee' });
    const after = await readEpochs(q);
    expect(sent()).toBe(3);
    expect(after.get('orgs')!).toBeGreaterThan(before.get('orgs')!);
  });
});
