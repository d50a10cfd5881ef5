import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, startTestApp, type TestContext } from '../../../test/harness.js';
import { created, itFollows, mergeBranch, moveBranch, restructuringScene, type RecordMaker, type RestructuringScene } from '../../../test/restructuring.js';
import { signedInPerson } from '../../../test/serving-fixtures.js';

/** A branch's templates, the lists issued to it, its members' lists and its duty reviews follow the branch when it moves or merges (issue #15). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const template = (orgId: string, level: string) => ({
  orgId, level, year: 2026, title: '责任清单', items: [{ task: '讲党课', deadline: '2026-12-31', evidenceRequired: '讲稿' }],
});

async function listIssuedToBranch(s: RestructuringScene): Promise<string> {
  const id = await created(await s.oldAdmin.post('/api/responsibility/templates', template(s.oldParent.id, 'branch_secretary')));
  expect((await s.oldAdmin.post(`/api/responsibility/templates/${id}/issue`, { subtreeOrgId: s.branch.id })).json()).toEqual({ issued: 1, alreadyIssued: 0 });
  const lists = (await s.branchAdmin.get(`/api/responsibility/lists?templateId=${id}`)).json() as { items: { id: string }[] };
  return lists.items[0]!.id;
}

const records: Record<string, RecordMaker> = {
  'a template of the branch': async (s) => `/api/responsibility/templates/${await created(await s.branchAdmin.post('/api/responsibility/templates', template(s.branch.id, 'member')))}`,
  'a list issued to the branch': async (s) => `/api/responsibility/lists/${await listIssuedToBranch(s)}`,
  'a member’s list in the branch': async (s) => {
    await signedInPerson(ctx, s.branch, '陈静');
    const id = await created(await s.branchAdmin.post('/api/responsibility/templates', template(s.branch.id, 'member')));
    await s.branchAdmin.post(`/api/responsibility/templates/${id}/issue`, { subtreeOrgId: s.branch.id });
    return `/api/responsibility/lists/${((await s.branchAdmin.get(`/api/responsibility/lists?templateId=${id}`)).json() as { items: { id: string }[] }).items[0]!.id}`;
  },
  'a duty review the branch runs': async (s) => {
    await makeOrg(ctx.database.db, s.branch, { type: 'group' });
    return `/api/duty-reviews/${await created(await s.branchAdmin.post('/api/duty-reviews', { orgId: s.branch.id, year: 2026, title: '党小组长述职', orgTypes: ['group'] }))}`;
  },
};

describe('responsibility lists follow their org', () => {
  itFollows(() => ctx, records);

  for (const change of ['move', 'merge'] as const) {
    it(`after a ${change}, the branch's duty report is the new place's, and the body reviewing it still reads it`, async () => {
      const s = await restructuringScene(ctx);
      const round = await created(await s.oldAdmin.post('/api/duty-reviews', { orgId: s.oldParent.id, year: 2026, title: '书记述职' }));
      const report = ((await s.branchAdmin.get(`/api/duty-reports?roundId=${round}`)).json() as { items: { id: string }[] }).items[0]!.id;
      expect((await s.newAdmin.get(`/api/duty-reports/${report}`)).statusCode).toBe(404);
      if (change === 'move') await moveBranch(s);
      else await mergeBranch(s);
      expect((await s.newAdmin.get(`/api/duty-reports/${report}`)).json()).toMatchObject({ orgId: change === 'move' ? s.branch.id : s.survivor.id, canSubmit: true });
      expect((await s.oldAdmin.get(`/api/duty-reports/${report}`)).statusCode).toBe(200);
    });
  }
});
