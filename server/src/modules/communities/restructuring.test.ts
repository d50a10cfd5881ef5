import { afterAll, beforeAll, describe } from 'vitest';
import { startTestApp, type TestContext } from '../../../test/harness.js';
import { created, itFollows, type RecordMaker } from '../../../test/restructuring.js';

/** Communities and co-building agreements of a branch follow it (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const records: Record<string, RecordMaker> = {
  'a community': async (s) => `/api/communities/${await created(await s.branchAdmin.post('/api/communities', { orgId: s.branch.id, name: `社区${s.branch.id}`, street: '城关街道' }))}`,
  'a co-building agreement': async (s) => {
    const community = await created(await s.branchAdmin.post('/api/communities', { orgId: s.branch.id, name: `共建社区${s.branch.id}`, street: '城关街道' }));
    return `/api/co-building/agreements/${await created(await s.branchAdmin.post('/api/co-building/agreements', {
      orgId: s.branch.id, communityId: community, title: '共建协议', content: '义诊、健康讲座', signedOn: '2026-01-10', startsOn: '2026-01-10', endsOn: '2027-01-09',
    }))}`;
  },
};

describe('communities records follow their org', () => {
  itFollows(() => ctx, records, new Set(['a community']));
});
