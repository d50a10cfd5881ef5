import { afterAll, beforeAll, describe } from 'vitest';
import { startTestApp, type TestContext } from '../../../test/harness.js';
import { created, itFollows, type RecordMaker } from '../../../test/restructuring.js';

/** Courses, articles and study plans of a branch follow it (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const records: Record<string, RecordMaker> = {
  'a course': async (s) => `/api/learning/courses/${await created(await s.branchAdmin.post('/api/learning/courses', { orgId: s.branch.id, title: '党课', kind: 'link', url: 'https://example.org/lesson' }))}`,
  'an article': async (s) => `/api/learning/articles/${await created(await s.branchAdmin.post('/api/learning/articles', { orgId: s.branch.id, title: '中国共产党章程', body: '第一章 党员……', source: '共产党员网' }))}`,
  'a study plan': async (s) => `/api/learning/plans/${await created(await s.branchAdmin.post('/api/learning/plans', {
    orgId: s.branch.id, title: '读书计划', startsOn: '2026-01-01', endsOn: '2026-12-31', items: [{ title: '第一章', dueOn: '2026-01-31' }],
  }))}`,
};

describe('learning records follow their org', () => {
  itFollows(() => ctx, records);
});
