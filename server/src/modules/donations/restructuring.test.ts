import { afterAll, beforeAll, describe } from 'vitest';
import { startTestApp, type TestContext } from '../../../test/harness.js';
import { created, itFollows, type RecordMaker } from '../../../test/restructuring.js';

/** Donation campaigns of a branch follow it (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const records: Record<string, RecordMaker> = {
  'a donation campaign': async (s) => `/api/donations/campaigns/${await created(await s.branchAdmin.post('/api/donations/campaigns', {
    orgId: s.branch.id, title: '困难党员帮扶捐款', startsOn: '2026-06-01', endsOn: '2026-07-01', goalFen: 1_000_000,
  }))}`,
};

describe('donations records follow their org', () => {
  itFollows(() => ctx, records);
});
