import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMember, startTestApp, type TestContext } from '../../../test/harness.js';
import { expectFollows, restructuringScene, type RestructuringScene } from '../../../test/restructuring.js';

/** 我为群众办实事 projects of a branch follow it (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

/** Creates the record in the scene's branch and answers the URL that reads it. */
const records: Record<string, (s: RestructuringScene) => Promise<string>> = {
  'a service project': async (s) => {
    const owner = await makeMember(ctx.database.db, s.branch, { name: '李强' });
    const today = new Date().toISOString().slice(0, 10);
    return `/api/service-projects/${await created(await s.branchAdmin.post('/api/service-projects', {
      orgId: s.branch.id, title: '老旧小区加装电梯协调', category: '帮扶解困', source: 'mass_feedback', need: '老人上下楼难', ownerName: owner.name,
      startedOn: today, plannedCompletion: '2099-12-31',
    }))}`;
  },
};

async function created(res: { statusCode: number; body: string; json(): unknown }): Promise<string> {
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}

describe('service_projects records follow their org', () => {
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
