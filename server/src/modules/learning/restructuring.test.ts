import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestContext } from '../../../test/harness.js';
import { expectFollows, restructuringScene, type RestructuringScene } from '../../../test/restructuring.js';

/** Courses, articles and study plans of a branch follow it (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

/** Creates the record in the scene's branch and answers the URL that reads it. */
const records: Record<string, (s: RestructuringScene) => Promise<string>> = {
  'a course': async (s) => `/api/learning/courses/${await created(await s.branchAdmin.post('/api/learning/courses', { orgId: s.branch.id, title: '党课', kind: 'link', url: 'https://example.org/lesson' }))}`,
  'an article': async (s) => `/api/learning/articles/${await created(await s.branchAdmin.post('/api/learning/articles', { orgId: s.branch.id, title: '中国共产党章程', body: '第一章 党员……', source: '共产党员网' }))}`,
  'a study plan': async (s) => `/api/learning/plans/${await created(await s.branchAdmin.post('/api/learning/plans', {
    orgId: s.branch.id, title: '读书计划', startsOn: '2026-01-01', endsOn: '2026-12-31', items: [{ title: '第一章', dueOn: '2026-01-31' }],
  }))}`,
};

async function created(res: { statusCode: number; body: string; json(): unknown }): Promise<string> {
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}

describe('learning records follow their org', () => {
  for (const [what, make] of Object.entries(records)) {
    for (const change of ['move', 'merge'] as const) {
      it(`${what}: after a ${change}, the new place's administrator reads it and the old parent's gets 404`, async () => {
        const scene = await restructuringScene(ctx);
        const url = await make(scene);
        await expectFollows(scene, url, change);
      });
    }
  }
});
