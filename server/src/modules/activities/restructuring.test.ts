import { afterAll, beforeAll, describe } from 'vitest';
import { startTestApp, type TestContext } from '../../../test/harness.js';
import { created, itFollows, type RecordMaker } from '../../../test/restructuring.js';

/** Activities of a branch follow it when it moves or is merged (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

const records: Record<string, RecordMaker> = {
  'an activity': async (s) => `/api/activities/${await created(await s.branchAdmin.post('/api/activities', {
    orgId: s.branch.id, type: 'theme_day', title: '主题党日', startsAt: inMinutes(60), endsAt: inMinutes(120),
  }))}`,
};

describe('activities records follow their org', () => {
  itFollows(() => ctx, records);
});
