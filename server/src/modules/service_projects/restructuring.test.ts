import { afterAll, beforeAll, describe } from 'vitest';
import { makeMember, startTestApp, type TestContext } from '../../../test/harness.js';
import { created, itFollows, type RecordMaker } from '../../../test/restructuring.js';

/** 我为群众办实事 projects of a branch follow it (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const records: Record<string, RecordMaker> = {
  'a service project': async (s) => {
    const owner = await makeMember(ctx.database.db, s.branch, { name: '李强' });
    const today = new Date().toISOString().slice(0, 10);
    return `/api/service-projects/${await created(await s.branchAdmin.post('/api/service-projects', {
      orgId: s.branch.id, title: '老旧小区加装电梯协调', category: '帮扶解困', source: 'mass_feedback', need: '老人上下楼难', ownerName: owner.name,
      startedOn: today, plannedCompletion: '2099-12-31',
    }))}`;
  },
};

describe('service_projects records follow their org', () => {
  itFollows(() => ctx, records);
});
