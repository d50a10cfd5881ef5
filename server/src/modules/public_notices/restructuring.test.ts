import { afterAll, beforeAll, describe } from 'vitest';
import { todayInChina } from '../../../../contracts/china-time.js';
import { makeUser, startTestApp, type TestContext } from '../../../test/harness.js';
import { itFollows, type RestructuringScene } from '../../../test/restructuring.js';
import { openPublicNotice } from './service.js';

/** A branch's 公示 follows the branch when it moves or merges: the new place's administrators answer its objections. */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

async function branchNotice(s: RestructuringScene): Promise<string> {
  const user = await makeUser(ctx.database.db, [{ role: 'org_admin', org: s.branch }]);
  const today = todayInChina();
  const ends = new Date(`${today}T00:00:00Z`);
  ends.setUTCDate(ends.getUTCDate() + 6);
  const { publicNoticeId } = await ctx.database.db.transaction((tx) => openPublicNotice(tx, {
    userId: user.id, username: user.username, displayName: user.username, memberId: null, isPlatformAdmin: false, isJudge: false,
    adminPaths: [s.branch.path], ip: '127.0.0.1',
  }, {
    kind: 'lesson', sourceId: 'r1', orgId: s.branch.id, title: '优秀党课公示', startsOn: today, endsOn: ends.toISOString().slice(0, 10),
    items: [{ ref: 'l1', name: '张三', orgName: s.branch.name, title: '优秀党课' }],
  }));
  return `/api/public-notices/${publicNoticeId}`;
}

describe('public notices follow their branch', () => {
  itFollows(() => ctx, { 'a branch’s public notice': branchNotice });
});
