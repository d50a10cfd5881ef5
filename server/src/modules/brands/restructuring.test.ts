import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestContext } from '../../../test/harness.js';
import { created, itFollows, listHolds, mergeBranch, moveBranch, restructuringScene, type RecordMaker, type RestructuringScene } from '../../../test/restructuring.js';
import { todayInChina } from '../../../../contracts/china-time.js';

/** A branch's brands, its review rounds and its applications follow the branch when it moves or merges. */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const criteria = [{ key: 'overall', name: '总体', weight: 1, maxScore: 100 }];
const brandOf = async (s: RestructuringScene) => created(await s.branchAdmin.post('/api/brands', { orgId: s.branch.id, name: '支部品牌', status: 'active' }));
const roundAt = async (s: RestructuringScene, orgId: string) => created(await s.platform.post('/api/brands/rounds', {
  orgId, title: '星级评审', year: 2026, levels: [{ level: 'star3', minScore: 60 }], appliesFrom: todayInChina(), appliesUntil: todayInChina(), criteria,
}));

const records: Record<string, RecordMaker> = {
  'a brand': async (s) => `/api/brands/${await brandOf(s)}`,
  'a review round run by the branch': async (s) => `/api/brands/rounds/${await roundAt(s, s.branch.id)}`,
  'the branch’s application to a round above': async (s) => {
    const brandId = await brandOf(s);
    const roundId = await roundAt(s, s.root.id);
    return `/api/brands/applications/${await created(await s.branchAdmin.post(`/api/brands/rounds/${roundId}/applications`, { brandId, statement: '申报材料' }))}`;
  },
};

describe('brands follow their org', () => {
  itFollows(() => ctx, records);

  for (const change of ['move', 'merge'] as const) {
    it(`after a ${change}, the brand is listed under its new place and shown in the same gallery`, async () => {
      const s = await restructuringScene(ctx);
      const brandId = await brandOf(s);
      expect(await listHolds(s.oldAdmin, `/api/brands?orgId=${s.oldParent.id}`, brandId)).toBe(true);
      if (change === 'move') await moveBranch(s);
      else await mergeBranch(s);
      expect(await listHolds(s.newAdmin, `/api/brands?orgId=${s.newParent.id}`, brandId)).toBe(true);
      expect(await listHolds(s.oldAdmin, `/api/brands?orgId=${s.oldParent.id}`, brandId)).toBe(false);
      const brand = (await s.newAdmin.get(`/api/brands/${brandId}`)).json() as { orgId: string };
      expect(brand.orgId).toBe(change === 'move' ? s.branch.id : s.survivor.id);
      expect(await listHolds(s.newAdmin, `/api/brands/gallery?rootId=${s.root.id}&pageSize=200`, brandId)).toBe(true);
    });
  }
});
