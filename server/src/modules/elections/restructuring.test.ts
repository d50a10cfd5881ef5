import { afterAll, beforeAll, describe } from 'vitest';
import { makeMember, startTestApp, type TestContext } from '../../../test/harness.js';
import { created, itFollows, type RecordMaker } from '../../../test/restructuring.js';

/** A branch's terms and its election under way follow the branch when it moves or is merged. */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const records: Record<string, RecordMaker> = {
  'an election procedure': async (s) => `/api/elections/procedures/${await created(await s.branchAdmin.post('/api/elections/procedures', { orgId: s.branch.id }))}`,
  'a term record': async (s) => {
    const m = await makeMember(ctx.database.db, s.branch);
    return `/api/elections/terms/${await created(await s.branchAdmin.post('/api/elections/terms', {
      orgId: s.branch.id, electedOn: '2022-03-01', termYears: 5, method: 'equal', votersCount: 9, votesCast: 9, committee: [{ memberId: m.id, role: 'secretary' }],
    }))}`;
  },
};

describe('election records follow their org', () => {
  itFollows(() => ctx, records);
});
