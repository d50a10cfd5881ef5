import { afterAll, beforeAll, describe } from 'vitest';
import { startTestApp, type TestContext } from '../../../test/harness.js';
import { created, itFollows, type RecordMaker } from '../../../test/restructuring.js';

/** Micro-wishes of a branch's community follow it (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const records: Record<string, RecordMaker> = {
  'a micro-wish': async (s) => {
    const community = await created(await s.branchAdmin.post('/api/communities', { orgId: s.branch.id, name: `心愿社区${s.branch.id}`, street: '城关街道' }));
    return `/api/micro-wishes/${await created(await s.branchAdmin.post('/api/micro-wishes', { communityId: community, title: '孩子想要一套绘本', content: '留守儿童', posterName: '李奶奶', posterContact: '0571-87654321' }))}`;
  },
};

describe('micro_wishes records follow their org', () => {
  itFollows(() => ctx, records);
});
