import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestContext } from '../../../test/harness.js';
import { expectFollows, restructuringScene, type RestructuringScene } from '../../../test/restructuring.js';

/** Knowledge contests of a branch follow it (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

/** Creates the record in the scene's branch and answers the URL that reads it. */
const records: Record<string, (s: RestructuringScene) => Promise<string>> = {
  'a contest': async (s) => {
    const q = await created(await s.branchAdmin.post('/api/questions', { orgId: s.branch.id, difficulty: 'easy', type: 'true_false', stem: '党员必须参加党的组织生活。', answer: true }));
    const paper = await created(await s.branchAdmin.post('/api/papers', { orgId: s.branch.id, title: '竞赛卷', mode: 'fixed', questions: [{ questionId: q, score: 10 }] }));
    return `/api/contests/${await created(await s.branchAdmin.post('/api/contests', {
      orgId: s.branch.id, paperId: paper, title: '党史知识竞赛', startsAt: inMinutes(60), endsAt: inMinutes(120), timeLimitSeconds: 300, orgs: [{ orgId: s.branch.id }],
    }))}`;
  },
};

async function created(res: { statusCode: number; body: string; json(): unknown }): Promise<string> {
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}

describe('contests records follow their org', () => {
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
