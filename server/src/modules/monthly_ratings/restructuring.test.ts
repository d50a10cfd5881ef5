import { afterAll, beforeAll, describe } from 'vitest';
import { makeMember, startTestApp, type TestContext } from '../../../test/harness.js';
import { created, itFollows, type RestructuringScene } from '../../../test/restructuring.js';

/** A campaign follows its org, and a nomination follows the nominee's org, when a branch moves or merges. */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const settings = { places: 3, votesPerMember: 3, nominationFromDay: 1, nominationToDay: 10, votingFromDay: 15, votingToDay: 20 };

describe('monthly ratings follow their org', () => {
  itFollows(() => ctx, {
    'a branch’s campaign': async (s: RestructuringScene) => {
      const id = await created(await s.branchAdmin.post('/api/monthly-ratings/campaigns', { orgId: s.branch.id, name: '支部每月之星', ...settings }));
      return `/api/monthly-ratings/campaigns/${id}`;
    },
    'a nomination into the 工委’s campaign': async (s: RestructuringScene) => {
      const campaignId = await created(await s.platform.post('/api/monthly-ratings/campaigns', { orgId: s.root.id, name: '每月美丽党员', ...settings }));
      const roundId = await created(await s.platform.post(`/api/monthly-ratings/campaigns/${campaignId}/rounds`, {
        month: '2030-01', nominationOpensAt: new Date(Date.now() - 3600_000).toISOString(), nominationClosesAt: new Date(Date.now() + 3600_000).toISOString(),
        votingOpensAt: new Date(Date.now() + 2 * 3600_000).toISOString(), votingClosesAt: new Date(Date.now() + 3 * 3600_000).toISOString(),
      }));
      const member = await makeMember(ctx.database.db, s.branch);
      const id = await created(await s.branchAdmin.post(`/api/monthly-ratings/rounds/${roundId}/nominations`, { memberId: member.id, reasons: '事迹' }));
      return `/api/monthly-ratings/nominations/${id}`;
    },
  });
});
