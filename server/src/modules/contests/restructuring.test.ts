import { afterAll, beforeAll, describe } from 'vitest';
import { startTestApp, type TestContext } from '../../../test/harness.js';
import { created, itFollows, type RecordMaker } from '../../../test/restructuring.js';

/** Knowledge contests of a branch follow it (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

const records: Record<string, RecordMaker> = {
  'a contest': async (s) => {
    const q = await created(await s.branchAdmin.post('/api/questions', { orgId: s.branch.id, difficulty: 'easy', type: 'true_false', stem: '党员必须参加党的组织生活。', answer: true }));
    const paper = await created(await s.branchAdmin.post('/api/papers', { orgId: s.branch.id, title: '竞赛卷', mode: 'fixed', questions: [{ questionId: q, score: 10 }] }));
    return `/api/contests/${await created(await s.branchAdmin.post('/api/contests', {
      orgId: s.branch.id, paperId: paper, title: '党史知识竞赛', startsAt: inMinutes(60), endsAt: inMinutes(120), timeLimitSeconds: 300, orgs: [{ orgId: s.branch.id }],
    }))}`;
  },
};

describe('contests records follow their org', () => {
  itFollows(() => ctx, records);
});
