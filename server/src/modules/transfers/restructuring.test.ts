import { afterAll, beforeAll, describe } from 'vitest';
import { makeMember, makeOrg, startTestApp, type TestContext } from '../../../test/harness.js';
import { created, itFollows, type RecordMaker } from '../../../test/restructuring.js';

/** A pending transfer out of a branch follows it (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const records: Record<string, RecordMaker> = {
  'a pending transfer out': async (s) => {
    const member = await makeMember(ctx.database.db, s.branch);
    return `/api/transfers/${await created(await s.branchAdmin.post('/api/transfers', { memberId: member.id, toOrgId: (await makeOrg(ctx.database.db, s.root)).id, reason: '工作调动' }))}`;
  },
};

describe('transfers records follow their org', () => {
  itFollows(() => ctx, records);
});
