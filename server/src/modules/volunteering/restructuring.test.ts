import { afterAll, beforeAll, describe } from 'vitest';
import { startTestApp, type TestContext } from '../../../test/harness.js';
import { created, itFollows, type RecordMaker } from '../../../test/restructuring.js';

/** Volunteer projects of a branch follow it (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

const records: Record<string, RecordMaker> = {
  'a volunteer project': async (s) => {
    const community = await created(await s.branchAdmin.post('/api/communities', { orgId: s.branch.id, name: `志愿社区${s.branch.id}`, street: '城关街道' }));
    return `/api/volunteering/projects/${await created(await s.branchAdmin.post('/api/volunteering/projects', {
      orgId: s.branch.id, communityId: community, title: '文明交通劝导', place: '南门路口', startsAt: inMinutes(24 * 60), endsAt: inMinutes(27 * 60), capacity: 2,
    }))}`;
  },
};

describe('volunteering records follow their org', () => {
  itFollows(() => ctx, records);
});
