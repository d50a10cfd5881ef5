import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestContext } from '../../../test/harness.js';
import { created, itFollows, mergeBranch, moveBranch, restructuringScene, type RecordMaker } from '../../../test/restructuring.js';
import { signedInPerson } from '../../../test/serving-fixtures.js';

/** A branch's notices, drafts and published ones with their receipts, follow the branch when it moves or merges (issue #14). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const body = (orgId: string) => ({ orgId, title: '支部通知', body: '<p>本周五学习</p>', targetKind: 'subtree' });

const records: Record<string, RecordMaker> = {
  'a draft notice': async (s) => `/api/notices/${await created(await s.branchAdmin.post('/api/notices', body(s.branch.id)))}`,
  'a published notice’s receipts': async (s) => {
    await signedInPerson(ctx, s.branch, '陈静');
    const id = await created(await s.branchAdmin.post('/api/notices', body(s.branch.id)));
    expect((await s.branchAdmin.post(`/api/notices/${id}/publish`, {})).statusCode).toBe(200);
    return `/api/notices/${id}/receipts`;
  },
};

describe('notices follow their org', () => {
  itFollows(() => ctx, records);

  for (const change of ['move', 'merge'] as const) {
    it(`after a ${change}, the receipts count the recipients under the org’s new place, and the reader still opens the notice`, async () => {
      const s = await restructuringScene(ctx);
      const reader = await signedInPerson(ctx, s.branch, '刘洋');
      const id = await created(await s.branchAdmin.post('/api/notices', body(s.branch.id)));
      await s.branchAdmin.post(`/api/notices/${id}/publish`, {});
      if (change === 'move') await moveBranch(s);
      else await mergeBranch(s);
      const into = change === 'move' ? s.branch.id : s.survivor.id;
      expect((await s.newAdmin.get(`/api/notices/${id}/receipts`)).json()).toMatchObject({ recipients: 1, read: 0, orgs: [{ orgId: into, recipients: 1, read: 0 }] });
      expect((await reader.client.post(`/api/me/notices/${id}/open`)).statusCode).toBe(200);
      expect((await s.newAdmin.get(`/api/notices/${id}/receipts/people?state=read&orgId=${into}`)).json()).toMatchObject({ total: 1, items: [{ name: '刘洋' }] });
    });
  }
});
