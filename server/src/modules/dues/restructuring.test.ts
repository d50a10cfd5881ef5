import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMember, startTestApp, type Client, type TestContext } from '../../../test/harness.js';
import { created, expectFollowsBy, itFollows, restructuringScene, type RecordMaker, type RestructuringScene } from '../../../test/restructuring.js';

/** A branch's dues — bills, the ledger, reductions, spending, statements — follow it when it moves or merges (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

async function billedMember(s: RestructuringScene) {
  const m = await makeMember(ctx.database.db, s.branch, { name: '党费随迁' });
  expect((await s.branchAdmin.put(`/api/dues/bases/${m.id}`, { year: 2026, category: 'employed', baseFen: 600_000 })).statusCode).toBe(200);
  expect((await s.branchAdmin.post('/api/dues/bills/generate', { orgId: s.branch.id, fromMonth: '2026-01', toMonth: '2026-02' })).statusCode).toBe(200);
  const bills = (await s.branchAdmin.get(`/api/dues/bills?orgId=${s.branch.id}&memberId=${m.id}`)).json() as { items: { id: string; month: string }[] };
  return { member: m, bills: bills.items.sort((a, b) => a.month.localeCompare(b.month)) };
}

const records: Record<string, RecordMaker> = {
  'a dues receipt': async (s) => {
    const { member, bills } = await billedMember(s);
    const id = await created(await s.branchAdmin.post('/api/dues/payments', { memberId: member.id, billIds: [bills[0]!.id], method: 'cash', paidOn: '2026-01-20' }));
    return `/api/dues/payments/${id}/receipt.pdf`;
  },
};

/** Which admin reads what at their own org: the new parent, the old parent, the survivor. */
function orgOf(s: RestructuringScene): Map<Client, string> {
  return new Map([[s.oldAdmin, s.oldParent.id], [s.newAdmin, s.newParent.id], [s.survivorAdmin, s.survivor.id]]);
}

describe('dues records follow their org', () => {
  itFollows(() => ctx, records);

  for (const change of ['move', 'merge'] as const) {
    it(`the month's bills and their totals: after a ${change}, the new place's account holds them and the old parent's does not`, async () => {
      const s = await restructuringScene(ctx);
      const { member, bills } = await billedMember(s);
      await created(await s.branchAdmin.post('/api/dues/payments', { memberId: member.id, billIds: [bills[0]!.id], extraFen: 500, method: 'cash', paidOn: '2026-01-20' }));
      const orgs = orgOf(s);
      const holds = async (c: Client) => {
        const account = (await c.get(`/api/dues/accounts?orgId=${orgs.get(c)}&month=2026-01`)).json() as { org: { dueFen: number; collectedFen: number; extraFen: number } };
        const list = (await c.get(`/api/dues/bills?orgId=${orgs.get(c)}&month=2026-01`)).json() as { dueFen: number };
        // the totals (kept by triggers) and the bills (carried) move together
        expect(account.org.dueFen).toBe(list.dueFen);
        expect([0, 9_000]).toContain(account.org.dueFen);
        if (account.org.dueFen) expect(account.org).toMatchObject({ collectedFen: 9_000, extraFen: 500 });
        return account.org.dueFen === 9_000;
      };
      await expectFollowsBy(s, 'the branch’s bills in the month’s account', holds, change);
    });

    it(`a reduction, an expense and a published statement: after a ${change}, they are the new place's`, async () => {
      const s = await restructuringScene(ctx);
      const { member } = await billedMember(s);
      const reduction = await created(await s.branchAdmin.post('/api/dues/reductions', { memberId: member.id, kind: 'exempt', fromMonth: '2026-03', toMonth: '2026-04', reason: '困难', decidedOn: '2026-02-28' }));
      await created(await s.branchAdmin.post('/api/dues/expenditures', { orgId: s.branch.id, spentOn: '2026-02-01', purpose: 'training', amountFen: 30_000, description: '支部书记培训' }));
      await created(await s.branchAdmin.post('/api/dues/statements', { orgId: s.branch.id, year: 2026 }));
      const orgs = orgOf(s);
      const has = async (c: Client) => {
        const org = orgs.get(c);
        const reductions = (await c.get(`/api/dues/reductions?orgId=${org}`)).json() as { items: { id: string }[] };
        const spent = (await c.get(`/api/dues/expenditures?orgId=${org}&year=2026`)).json() as { totalFen: number };
        const statements = (await c.get(`/api/dues/statements?orgId=${org}`)).json() as { items: unknown[] };
        const found = [reductions.items.some((r) => r.id === reduction), spent.totalFen === 30_000, statements.items.length === 1];
        expect(new Set(found).size, `all or nothing: ${JSON.stringify(found)}`).toBe(1);
        return found[0]!;
      };
      await expectFollowsBy(s, 'the branch’s reduction, expense and statement', has, change);
    });
  }
});
