import { afterAll, beforeAll, expect, it } from 'vitest';
import { todayInChina } from '../../../contracts/china-time.js';
import type { PeriodPage, PledgePage } from '../../../contracts/pledges.js';
import { login, makeMember, makeOrg, makeUser, startTestApp, type TestContext } from '../../test/harness.js';
import { createRandom } from './generate.js';
import type { DemoContext } from './context.js';
import { seedPledgesDemo } from './pledges-demo.js';

let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

it('gives the demo member a pledge in 践诺, the secretary one to approve and the public board a rated pledge', async () => {
  const { db } = ctx.database;
  const root = await makeOrg(db, null, { name: '市直机关工委' });
  const committee = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  const branch = await makeOrg(db, committee, { name: '预算处党支部' });
  const [bureauMember, secretaryMember, memberMember] = [await makeMember(db, committee), await makeMember(db, branch), await makeMember(db, branch, { name: '陈静' })];
  const admin = await makeUser(db, [{ role: 'platform_admin' }]);
  const bureau = await makeUser(db, [{ role: 'org_admin', org: committee }], { memberId: bureauMember.id });
  const secretary = await makeUser(db, [{ role: 'org_admin', org: branch }], { memberId: secretaryMember.id });
  const member = await makeUser(db, [{ role: 'member' }], { memberId: memberMember.id });
  await db.transaction((tx) => seedPledgesDemo({
    tx, root, committee, branch, today: todayInChina(), random: createRandom(1),
    users: { admin: admin.id, bureau: bureau.id, secretary: secretary.id, member: member.id },
    members: { bureau: bureauMember.id, secretary: secretaryMember.id, member: memberMember.id },
  } as unknown as DemoContext));
  const asMember = await login(ctx.app, member);
  const mine = (await asMember.get('/api/me/pledges')).json() as PledgePage;
  expect(mine.items.map((p) => [p.phase, p.status, p.progressCount])).toEqual(expect.arrayContaining([['fulfil', 'published', 2], ['review', 'published', 1]]));
  const asSecretary = await login(ctx.app, secretary);
  expect(((await asSecretary.get('/api/pledges/periods')).json() as PeriodPage).total).toBe(2);
  const asBureau = await login(ctx.app, bureau);
  expect(((await asBureau.get('/api/pledges?status=submitted')).json() as PledgePage).total).toBe(1);
  const board = (await ctx.app.inject({ method: 'GET', url: `/api/public/pledges/trees/${root.id}` })).json() as { total: number; items: { satisfaction: { total: number } }[] };
  expect(board.total).toBe(3);
  expect(board.items.some((p) => p.satisfaction.total === 2)).toBe(true);
});
