import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestContext } from '../../../test/harness.js';
import type { Client } from '../../../test/harness.js';
import { expectFollows, expectFollowsBy, restructuringScene, type RestructuringScene } from '../../../test/restructuring.js';

/** Communities and co-building agreements of a branch follow it (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

/** Creates the record in the scene's branch and answers the URL that reads it. */
const records: Record<string, (s: RestructuringScene) => Promise<string>> = {
  'a community': async (s) => `/api/communities/${await created(await s.branchAdmin.post('/api/communities', { orgId: s.branch.id, name: `社区${s.branch.id}`, street: '城关街道' }))}`,
  'a co-building agreement': async (s) => {
    const community = await created(await s.branchAdmin.post('/api/communities', { orgId: s.branch.id, name: `共建社区${s.branch.id}`, street: '城关街道' }));
    return `/api/co-building/agreements/${await created(await s.branchAdmin.post('/api/co-building/agreements', {
      orgId: s.branch.id, communityId: community, title: '共建协议', content: '义诊、健康讲座', signedOn: '2026-01-10', startsOn: '2026-01-10', endsOn: '2027-01-09',
    }))}`;
  },
};

/** Read by everyone signed in (open to every signed-in member (to book, to report to): what follows the org is who manages them). */
const openToAll = new Set(['a community']);

async function created(res: { statusCode: number; body: string; json(): unknown }): Promise<string> {
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}

describe('communities records follow their org', () => {
  for (const [what, make] of Object.entries(records)) {
    for (const change of ['move', 'merge'] as const) {
      it(`${what}: after a ${change}, the new place's administrator reads it and the old parent's gets 404`, async () => {
        const scene = await restructuringScene(ctx);
        const url = await make(scene);
        if (openToAll.has(what)) await expectFollowsBy(scene, `the right to manage ${url}`, async (c: Client) => ((await c.get(url)).json() as { canManage: boolean }).canManage, change);
        else await expectFollows(scene, url, change);
      });
    }
  }
});
