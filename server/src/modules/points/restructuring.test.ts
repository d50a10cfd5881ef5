import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMember, startTestApp, type Client, type TestContext } from '../../../test/harness.js';
import { expectFollowsBy, restructuringScene } from '../../../test/restructuring.js';
import { awardPoints } from './service.js';

/**
 * The points ledger is append-only: its entries keep the org path they were earned in (history), and
 * administrators read them by the member's current place — so they follow a move or merge (issue #13).
 */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

async function ledgerEntryIds(client: Client): Promise<string[]> {
  const res = await client.get('/api/points/ledger?pageSize=100');
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: { id: string }[] }).items.map((e) => e.id);
}

describe('points ledger entries follow their member', () => {
  for (const change of ['move', 'merge'] as const) {
    it(`after a ${change}, the new place's administrator lists and may reverse the entry; the old parent's neither`, async () => {
      const scene = await restructuringScene(ctx);
      const member = await makeMember(ctx.database.db, scene.branch);
      await ctx.database.db.transaction((tx) => awardPoints(tx, { memberId: member.id, rule: 'article_read', sourceType: 'article', sourceId: `r-${member.id}` }));
      const [entryId] = await ledgerEntryIds(scene.branchAdmin);
      expect(entryId).toBeDefined();
      await expectFollowsBy(scene, `ledger entry ${entryId}`, async (c) => (await ledgerEntryIds(c)).includes(entryId!), change);
      expect((await scene.oldAdmin.post(`/api/points/ledger/${entryId}/reverse`, { reason: '误记' })).statusCode).toBe(404);
      expect((await scene.newAdmin.post(`/api/points/ledger/${entryId}/reverse`, { reason: '误记' })).statusCode).toBe(201);
    });
  }
});
