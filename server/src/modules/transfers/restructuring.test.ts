import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMember, makeOrg, startTestApp, type TestContext } from '../../../test/harness.js';
import { expectFollows, restructuringScene, type RestructuringScene } from '../../../test/restructuring.js';

/** A pending transfer out of a branch follows it (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

/** Creates the record in the scene's branch and answers the URL that reads it. */
const records: Record<string, (s: RestructuringScene) => Promise<string>> = {
  'a pending transfer out': async (s) => {
    const member = await makeMember(ctx.database.db, s.branch);
    return `/api/transfers/${await created(await s.branchAdmin.post('/api/transfers', { memberId: member.id, toOrgId: (await makeOrg(ctx.database.db, s.root)).id, reason: '工作调动' }))}`;
  },
};

async function created(res: { statusCode: number; body: string; json(): unknown }): Promise<string> {
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}

describe('transfers records follow their org', () => {
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
