import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMember, startTestApp, type TestContext } from '../../../test/harness.js';
import { mergeBranch, moveBranch, restructuringScene } from '../../../test/restructuring.js';

/** A branch's 50-years members and the medals it issued follow it when it moves or merges. */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

describe('50-years records follow their branch', () => {
  for (const change of ['move', 'merge'] as const) {
    it(`after a ${change}, the new place's administrators list the member and revoke the medal; the old parent's get nothing`, async () => {
      const s = await restructuringScene(ctx);
      const member = await makeMember(ctx.database.db, s.branch, { joinedOn: '1976-07-01' });
      const issued = await s.branchAdmin.post('/api/fifty-years/medals', { memberId: member.id, orgId: s.branch.id, issuedOn: '2026-07-01' });
      expect(issued.statusCode, issued.body).toBe(201);
      const lists = async (who: 'oldAdmin' | 'newAdmin' | 'survivorAdmin') =>
        ((await s[who].get('/api/fifty-years?year=2026&issued=issued&pageSize=200')).json().items as { memberId: string }[]).some((i) => i.memberId === member.id);
      expect(await lists('oldAdmin')).toBe(true);
      expect(await lists('newAdmin')).toBe(false);
      if (change === 'move') await moveBranch(s);
      else await mergeBranch(s);
      expect(await lists('newAdmin')).toBe(true);
      if (change === 'merge') expect(await lists('survivorAdmin')).toBe(true);
      expect(await lists('oldAdmin')).toBe(false);
      expect((await s.oldAdmin.post(`/api/fifty-years/medals/${issued.json().id}/revoke`, { reason: '误登记' })).statusCode).toBe(404);
      const revoked = await s.newAdmin.post(`/api/fifty-years/medals/${issued.json().id}/revoke`, { reason: '误登记' });
      expect(revoked.statusCode, revoked.body).toBe(200);
      expect(revoked.json().orgId).toBe(change === 'move' ? s.branch.id : s.survivor.id);
    });
  }
});
