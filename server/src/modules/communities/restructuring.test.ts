import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMember, startTestApp, type Client, type TestContext } from '../../../test/harness.js';
import { created, expectFollowsBy, itFollows, mergeBranch, moveBranch, restructuringScene, type RecordMaker, type RestructuringScene } from '../../../test/restructuring.js';

/** Communities and co-building agreements (with their joint projects) of a branch, and the reports to them, follow it (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const community = async (s: RestructuringScene, name = '社区') =>
  created(await s.branchAdmin.post('/api/communities', { orgId: s.branch.id, name: `${name}${s.branch.id}`, street: '城关街道' }));
const agreement = async (s: RestructuringScene) => created(await s.branchAdmin.post('/api/co-building/agreements', {
  orgId: s.branch.id, communityId: await community(s, '共建社区'), title: '共建协议', content: '义诊、健康讲座', signedOn: '2026-01-10', startsOn: '2026-01-10', endsOn: '2027-01-09',
}));

const records: Record<string, RecordMaker> = {
  'a community': async (s) => `/api/communities/${await community(s)}`,
  'a co-building agreement': async (s) => `/api/co-building/agreements/${await agreement(s)}`,
};

describe('communities records follow their org', () => {
  itFollows(() => ctx, records, new Set(['a community']));

  for (const change of ['move', 'merge'] as const) {
    it(`a joint project of an agreement: after a ${change}, the new parent's administrator edits it, the old parent's cannot`, async () => {
      const s = await restructuringScene(ctx);
      const agreementId = await agreement(s);
      const projectId = await created(await s.branchAdmin.post(`/api/co-building/agreements/${agreementId}/projects`, { title: '社区义诊', description: '每月一次', plannedOn: '2026-03-01' }));
      expect((await s.oldAdmin.patch(`/api/co-building/projects/${projectId}`, { doneOn: '2026-03-01' })).statusCode).toBe(200);
      expect([403, 404]).toContain((await s.newAdmin.patch(`/api/co-building/projects/${projectId}`, { title: '越界修改' })).statusCode);
      if (change === 'move') await moveBranch(s);
      else await mergeBranch(s);
      const edited = await s.newAdmin.patch(`/api/co-building/projects/${projectId}`, { description: '每月两次' });
      expect(edited.statusCode, edited.body).toBe(200);
      const detail = (await s.newAdmin.get(`/api/co-building/agreements/${agreementId}`)).json() as { projects: { id: string; description: string | null }[] };
      expect(detail.projects.map((p) => [p.id, p.description])).toEqual([[projectId, '每月两次']]);
      expect([403, 404]).toContain((await s.oldAdmin.patch(`/api/co-building/projects/${projectId}`, { title: '原上级修改' })).statusCode);
    });

    it(`a member's report to the branch's community: after a ${change}, the new parent's administrator lists it, the old parent's does not`, async () => {
      const s = await restructuringScene(ctx);
      const communityId = await community(s, '报到社区');
      const member = await makeMember(ctx.database.db, s.branch, { name: '周敏' });
      expect((await s.branchAdmin.post(`/api/communities/${communityId}/reports`, { memberId: member.id })).statusCode).toBe(201);
      const lists = async (c: Client) => {
        const res = await c.get(`/api/communities/${communityId}/members`);
        expect(res.statusCode, res.body).toBe(200);
        return (res.json() as { items: { memberId: string }[] }).items.some((r) => r.memberId === member.id);
      };
      await expectFollowsBy(s, `member ${member.id} reported to community ${communityId}`, lists, change);
    });
  }
});
