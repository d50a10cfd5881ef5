import { afterAll, beforeAll, describe } from 'vitest';
import { makeMember, startTestApp, type TestContext } from '../../../test/harness.js';
import { created, itFollows, type RecordMaker } from '../../../test/restructuring.js';

/** The question bank, papers and exams of a branch follow it (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

const records: Record<string, RecordMaker> = {
  'a question': async (s) => `/api/questions/${await created(await s.branchAdmin.post('/api/questions', { orgId: s.branch.id, difficulty: 'easy', type: 'true_false', stem: '党员必须参加党的组织生活。', answer: true }))}`,
  'a paper': async (s) => {
    const q = await created(await s.branchAdmin.post('/api/questions', { orgId: s.branch.id, difficulty: 'easy', type: 'true_false', stem: '党员必须参加党的组织生活。', answer: true }));
    return `/api/papers/${await created(await s.branchAdmin.post('/api/papers', { orgId: s.branch.id, title: '测试卷', mode: 'fixed', questions: [{ questionId: q, score: 100 }] }))}`;
  },
  'an exam': async (s) => {
    await makeMember(ctx.database.db, s.branch);
    const q = await created(await s.branchAdmin.post('/api/questions', { orgId: s.branch.id, difficulty: 'easy', type: 'true_false', stem: '党员必须参加党的组织生活。', answer: true }));
    const paper = await created(await s.branchAdmin.post('/api/papers', { orgId: s.branch.id, title: '测试卷', mode: 'fixed', questions: [{ questionId: q, score: 100 }] }));
    return `/api/exams/${await created(await s.branchAdmin.post('/api/exams', {
      orgId: s.branch.id, paperId: paper, title: '党章测试', opensAt: inMinutes(60), closesAt: inMinutes(120), timeLimitMinutes: 30, passScore: 60, participantOrgIds: [s.branch.id],
    }))}`;
  },
};

describe('exams records follow their org', () => {
  itFollows(() => ctx, records);
});
