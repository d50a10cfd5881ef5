import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMember, startTestApp, type Client, type TestContext } from '../../../test/harness.js';
import { created, expectFollowsBy, itFollows, restructuringScene, type RecordMaker, type RestructuringScene } from '../../../test/restructuring.js';

/** Donation campaigns of a branch, and gifts made by it or credited to it, follow it (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const campaign = async (s: RestructuringScene, client: Client, orgId: string) => created(await client.post('/api/donations/campaigns', {
  orgId, title: '困难党员帮扶捐款', startsOn: '2026-06-01', endsOn: '2026-07-01', goalFen: 1_000_000,
}));

const records: Record<string, RecordMaker> = {
  'a donation campaign': async (s) => `/api/donations/campaigns/${await campaign(s, s.branchAdmin, s.branch.id)}`,
  'a donation campaign’s ledger': async (s) => {
    const id = await campaign(s, s.branchAdmin, s.branch.id);
    await created(await s.branchAdmin.post(`/api/donations/campaigns/${id}/donations`, { donorType: 'org', donorOrgId: s.branch.id, amountFen: 50_000, donatedOn: '2026-06-02', receiptNo: 'R-001' }));
    return `/api/donations/campaigns/${id}/donations`;
  },
};

describe('donations records follow their org', () => {
  itFollows(() => ctx, records);

  for (const donor of ['org', 'member'] as const) {
    for (const change of ['move', 'merge'] as const) {
      it(`a gift by the branch${donor === 'member' ? '’s member' : ''} to the tree's campaign: after a ${change}, it is credited to the new place`, async () => {
        const s = await restructuringScene(ctx);
        // the campaign belongs to the tree's top, which stays where it is
        const campaignId = await campaign(s, s.platform, s.root.id);
        const member = await makeMember(ctx.database.db, s.branch, { name: '钱进' });
        const gift = donor === 'org' ? { donorType: 'org', donorOrgId: s.branch.id } : { donorType: 'member', donorMemberId: member.id };
        await created(await s.platform.post(`/api/donations/campaigns/${campaignId}/donations`, { ...gift, amountFen: 88_800, donatedOn: '2026-06-03', receiptNo: `R-${s.branch.id}` }));
        const orgOf = new Map<Client, string>([[s.oldAdmin, s.oldParent.id], [s.newAdmin, s.newParent.id], [s.survivorAdmin, s.survivor.id]]);
        const credited = async (c: Client) => {
          const res = await c.get(`/api/donations/org-totals?orgId=${orgOf.get(c)}`);
          expect(res.statusCode, res.body).toBe(200);
          const totals = res.json() as { totalFen: number };
          expect([0, 88_800]).toContain(totals.totalFen);
          return totals.totalFen === 88_800;
        };
        await expectFollowsBy(s, `the gift credited to ${s.branch.name}`, credited, change);
        const place = change === 'move' ? s.branch : s.survivor;
        const byOrg = ((await s.platform.get(`/api/donations/campaigns/${campaignId}/totals`)).json() as { byOrg: { orgId: string; totalFen: number }[] }).byOrg;
        expect(byOrg).toEqual([expect.objectContaining({ orgId: place.id, totalFen: 88_800 })]);
        const ledger = (await s.platform.get(`/api/donations/campaigns/${campaignId}/donations`)).json() as { items: { donorName: string; creditedOrgName: string }[] };
        expect(ledger.items).toEqual([expect.objectContaining({ creditedOrgName: place.name, donorName: donor === 'org' ? place.name : '钱进' })]);
      });
    }
  }
});
