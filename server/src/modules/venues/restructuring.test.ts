import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestContext } from '../../../test/harness.js';
import type { Client } from '../../../test/harness.js';
import { expectFollows, expectFollowsBy, restructuringScene, type RestructuringScene } from '../../../test/restructuring.js';

/** Venues and service stations of a branch follow it (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

/** Creates the record in the scene's branch and answers the URL that reads it. */
const records: Record<string, (s: RestructuringScene) => Promise<string>> = {
  'a venue': async (s) => `/api/venues/${await created(await s.branchAdmin.post('/api/venues', { orgId: s.branch.id, name: '党群服务中心', kind: 'service_centre' }))}`,
  'a service station': async (s) => `/api/service-stations/${await created(await s.branchAdmin.post('/api/service-stations', { orgId: s.branch.id, name: '人民路党群服务站', address: '人民路 8 号' }))}`,
};

/** Read by everyone signed in (open to every signed-in member (to book, to report to): what follows the org is who manages them). */
const openToAll = new Set(['a venue', 'a service station']);

async function created(res: { statusCode: number; body: string; json(): unknown }): Promise<string> {
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}

describe('venues records follow their org', () => {
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
