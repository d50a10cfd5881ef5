import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestContext } from '../../../test/harness.js';
import { expectFollows, restructuringScene, type RestructuringScene } from '../../../test/restructuring.js';

/** Volunteer projects of a branch follow it (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

/** Creates the record in the scene's branch and answers the URL that reads it. */
const records: Record<string, (s: RestructuringScene) => Promise<string>> = {
  'a volunteer project': async (s) => {
    const community = await created(await s.branchAdmin.post('/api/communities', { orgId: s.branch.id, name: `志愿社区${s.branch.id}`, street: '城关街道' }));
    return `/api/volunteering/projects/${await created(await s.branchAdmin.post('/api/volunteering/projects', {
      orgId: s.branch.id, communityId: community, title: '文明交通劝导', place: '南门路口', startsAt: inMinutes(24 * 60), endsAt: inMinutes(27 * 60), capacity: 2,
    }))}`;
  },
};

async function created(res: { statusCode: number; body: string; json(): unknown }): Promise<string> {
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}

describe('volunteering records follow their org', () => {
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
