import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, startTestApp, type TestContext } from '../../../test/harness.js';
import { created, itFollows, mergeBranch, moveBranch, restructuringScene, type RecordMaker, type RestructuringScene } from '../../../test/restructuring.js';

/** A branch's 赛马 campaign, its periods and board follow the branch when it moves or merges (issue #15). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const year = 2026;
async function campaignOf(s: RestructuringScene): Promise<{ id: string; periodId: string; groupOrgId: string }> {
  const group = await makeOrg(ctx.database.db, s.branch, { name: '第一党小组', type: 'group' });
  await makeOrg(ctx.database.db, s.branch, { name: '第二党小组', type: 'group' });
  const res = await s.branchAdmin.post('/api/rankings/campaigns', {
    orgId: s.branch.id, name: '党小组赛马', periodKind: 'quarterly', year,
    dimensions: [{ name: '讲学习·比素质', weight: 1, source: 'manual' }],
    peerGroups: [{ name: '党小组', ruleKind: 'level', depth: 1 }],
  });
  const id = await created(res);
  const periodId = (res.json() as { periods: { id: string }[] }).periods[0]!.id;
  return { id, periodId, groupOrgId: group.id };
}

const records: Record<string, RecordMaker> = {
  'a ranking campaign': async (s) => `/api/rankings/campaigns/${(await campaignOf(s)).id}`,
  'a computed period’s board': async (s) => {
    const c = await campaignOf(s);
    const dim = ((await s.branchAdmin.get(`/api/rankings/campaigns/${c.id}`)).json() as { dimensions: { id: string }[] }).dimensions[0]!.id;
    expect((await s.branchAdmin.put(`/api/rankings/periods/${c.periodId}/manual-scores`, { dimensionId: dim, scores: [{ orgId: c.groupOrgId, score: 80 }] })).statusCode).toBe(200);
    expect((await s.branchAdmin.post(`/api/rankings/periods/${c.periodId}/compute`, {})).statusCode).toBe(200);
    return `/api/rankings/periods/${c.periodId}/board`;
  },
};

describe('rankings follow their org', () => {
  itFollows(() => ctx, records);

  for (const change of ['move', 'merge'] as const) {
    it(`after a ${change}, the board still ranks the branch’s sub-orgs under their names`, async () => {
      const s = await restructuringScene(ctx);
      const c = await campaignOf(s);
      const dim = ((await s.branchAdmin.get(`/api/rankings/campaigns/${c.id}`)).json() as { dimensions: { id: string }[] }).dimensions[0]!.id;
      await s.branchAdmin.put(`/api/rankings/periods/${c.periodId}/manual-scores`, { dimensionId: dim, scores: [{ orgId: c.groupOrgId, score: 80 }] });
      await s.branchAdmin.post(`/api/rankings/periods/${c.periodId}/compute`, {});
      if (change === 'move') await moveBranch(s);
      else await mergeBranch(s);
      const board = (await s.newAdmin.get(`/api/rankings/periods/${c.periodId}/board`)).json() as { items: { orgName: string; rank: number }[] };
      expect(board.items.map((r) => [r.orgName, r.rank])).toEqual([['第一党小组', 1], ['第二党小组', 2]]);
    });
  }
});
