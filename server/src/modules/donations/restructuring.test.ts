import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestContext } from '../../../test/harness.js';
import { expectFollows, restructuringScene, type RestructuringScene } from '../../../test/restructuring.js';

/** Donation campaigns of a branch follow it (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

/** Creates the record in the scene's branch and answers the URL that reads it. */
const records: Record<string, (s: RestructuringScene) => Promise<string>> = {
  'a donation campaign': async (s) => `/api/donations/campaigns/${await created(await s.branchAdmin.post('/api/donations/campaigns', {
    orgId: s.branch.id, title: '困难党员帮扶捐款', startsOn: '2026-06-01', endsOn: '2026-07-01', goalFen: 1_000_000,
  }))}`,
};

async function created(res: { statusCode: number; body: string; json(): unknown }): Promise<string> {
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}

describe('donations records follow their org', () => {
  for (const [what, make] of Object.entries(records)) {
    for (const change of ['move', 'merge'] as const) {
      it(`${what}: after a ${change}, the new place's administrator reads it and the old parent's gets 404`, async () => {
        const scene = await restructuringScene(ctx);
        const url = await make(scene);
        await expectFollows(scene, url, change);
      });
    }
  }
});
