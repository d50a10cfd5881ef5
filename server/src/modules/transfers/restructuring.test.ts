import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMember, makeOrg, startTestApp, type TestContext } from '../../../test/harness.js';
import { created, expectFollowsBy, itFollows, listHolds, mergeBranch, moveBranch, restructuringScene, type RecordMaker, type RestructuringScene } from '../../../test/restructuring.js';

/** Pending transfers out of and into a branch follow it (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

/** A member of the branch leaving for an org elsewhere in the tree. */
const transferOut = async (s: RestructuringScene) => {
  const member = await makeMember(ctx.database.db, s.branch);
  return created(await s.branchAdmin.post('/api/transfers', { memberId: member.id, toOrgId: (await makeOrg(ctx.database.db, s.root)).id, reason: '工作调动' }));
};
/** A member of an org elsewhere in the tree coming to the branch. */
const transferIn = async (s: RestructuringScene) => {
  const member = await makeMember(ctx.database.db, await makeOrg(ctx.database.db, s.root), { name: '孙悦' });
  return { memberId: member.id, id: await created(await s.platform.post('/api/transfers', { memberId: member.id, toOrgId: s.branch.id, reason: '工作调动' })) };
};

const records: Record<string, RecordMaker> = {
  'a pending transfer out': async (s) => `/api/transfers/${await transferOut(s)}`,
  'a pending transfer in': async (s) => `/api/transfers/${(await transferIn(s)).id}`,
};

describe('transfers records follow their org', () => {
  itFollows(() => ctx, records);

  for (const change of ['move', 'merge'] as const) {
    it(`a pending transfer out: after a ${change}, the new parent's administrator finds it among the outgoing and withdraws it; the old parent's cannot`, async () => {
      const s = await restructuringScene(ctx);
      const id = await transferOut(s);
      await expectFollowsBy(s, `transfer ${id} among the outgoing`, (c) => listHolds(c, '/api/transfers?box=outgoing&status=issued', id), change);
      expect((await s.oldAdmin.post(`/api/transfers/${id}/cancel`, { reason: '原上级撤回' })).statusCode).toBe(404);
      const cancelled = await s.newAdmin.post(`/api/transfers/${id}/cancel`, { reason: '调动取消' });
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      expect((cancelled.json() as { status: string }).status).toBe('cancelled');
    });

    it(`a pending transfer in: after a ${change}, the new parent's administrator finds it among the incoming and accepts it into the new place`, async () => {
      const s = await restructuringScene(ctx);
      const { id, memberId } = await transferIn(s);
      await expectFollowsBy(s, `transfer ${id} among the incoming`, (c) => listHolds(c, '/api/transfers?box=incoming&status=issued', id), change);
      expect((await s.oldAdmin.post(`/api/transfers/${id}/accept`, {})).statusCode).toBe(404);
      const accepted = await s.newAdmin.post(`/api/transfers/${id}/accept`, { note: '已报到' });
      expect(accepted.statusCode, accepted.body).toBe(200);
      const place = change === 'move' ? s.branch : s.survivor;
      const member = (await ctx.database.db.execute<{ org_id: string; org_path: string } & Record<string, unknown>>(sql`
        select org_id::text, org_path::text from members where id = ${memberId}`)).rows[0]!;
      expect(member).toEqual({ org_id: place.id, org_path: change === 'move' ? `${s.newParent.path}.${s.branch.id}` : s.survivor.path });
    });
  }

  it('an accepted transfer into the branch follows it too, by move and by merge', async () => {
    const s = await restructuringScene(ctx);
    const { id } = await transferIn(s);
    expect((await s.branchAdmin.post(`/api/transfers/${id}/accept`, {})).statusCode).toBe(200);
    await moveBranch(s);
    expect((await s.newAdmin.get(`/api/transfers/${id}`)).json()).toMatchObject({ status: 'accepted' });
    expect((await s.oldAdmin.get(`/api/transfers/${id}`)).statusCode).toBe(404);
    const s2 = await restructuringScene(ctx);
    const other = await transferIn(s2);
    await mergeBranch(s2);
    expect((await s2.survivorAdmin.get(`/api/transfers/${other.id}`)).json()).toMatchObject({ toOrgId: s2.survivor.id });
  });
});
