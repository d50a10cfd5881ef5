import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInChina } from '../../../../contracts/china-time.js';
import { startTestApp, type TestContext } from '../../../test/harness.js';
import { expectFollows, listHolds, restructuringScene } from '../../../test/restructuring.js';

/** A branch's lesson selection and the lessons it entered follow the branch when it moves or merges. */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

describe('lesson selections follow their org', () => {
  for (const change of ['move', 'merge'] as const) {
    it(`after a ${change}, the new place's administrators have the selection and its entry, the old parent's do not`, async () => {
      const s = await restructuringScene(ctx);
      const created = await s.branchAdmin.post('/api/lesson-selections', {
        orgId: s.branch.id, title: '支部微党课评选', year: 2026, entryOpensOn: todayInChina(Date.now() - 86_400_000), entryClosesOn: todayInChina(Date.now() + 5 * 86_400_000),
        honours: 1, criteria: [{ key: 'content', name: '内容', weight: 1, maxScore: 100 }],
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      const entry = await s.branchAdmin.post(`/api/lesson-selections/${id}/entries`, { orgId: s.branch.id, lecturerName: '支部书记', title: '微党课', summary: '十分钟' });
      expect(entry.statusCode, entry.body).toBe(201);
      await expectFollows(s, `/api/lesson-selections/${id}`, change);
      expect(await listHolds(s.newAdmin, `/api/lesson-selections/${id}/entries`, entry.json().id)).toBe(true);
      expect(await listHolds(s.oldAdmin, `/api/lesson-selections/${id}/entries`, entry.json().id)).toBe(false);
      const into = change === 'move' ? s.branch : s.survivor;
      expect((await s.newAdmin.get(`/api/lesson-selections/${id}`)).json().orgId).toBe(into.id);
    });
  }
});
