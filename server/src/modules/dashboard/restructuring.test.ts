import { afterAll, beforeAll, describe } from 'vitest';
import { startTestApp, type TestContext } from '../../../test/harness.js';
import { created, itFollows, type RecordMaker } from '../../../test/restructuring.js';

/** A branch's frozen dashboard reports follow it when it moves or is merged (they belong to its subtree). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const records: Record<string, RecordMaker> = {
  'a frozen dashboard report': async (s) => `/api/dashboard/reports/${await created(await s.branchAdmin.post(`/api/dashboard/${s.branch.id}/reports`, { period: '2025' }))}`,
  'its PDF export': async (s) => `/api/dashboard/reports/${await created(await s.branchAdmin.post(`/api/dashboard/${s.branch.id}/reports`, { period: '2025-Q1' }))}/export.pdf`,
};

describe('dashboard reports follow their org', () => {
  itFollows(() => ctx, records);
});
