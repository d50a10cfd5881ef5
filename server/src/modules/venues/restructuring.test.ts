import { afterAll, beforeAll, describe } from 'vitest';
import { startTestApp, type TestContext } from '../../../test/harness.js';
import { created, itFollows, type RecordMaker } from '../../../test/restructuring.js';

/** Venues and service stations of a branch follow it (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const records: Record<string, RecordMaker> = {
  'a venue': async (s) => `/api/venues/${await created(await s.branchAdmin.post('/api/venues', { orgId: s.branch.id, name: '党群服务中心', kind: 'service_centre' }))}`,
  'a service station': async (s) => `/api/service-stations/${await created(await s.branchAdmin.post('/api/service-stations', { orgId: s.branch.id, name: '人民路党群服务站', address: '人民路 8 号' }))}`,
};

describe('venues records follow their org', () => {
  itFollows(() => ctx, records, new Set(['a venue', 'a service station']));
});
