import { afterAll, beforeAll, expect, it } from 'vitest';
import { login, makeOrg, makeUser, startTestApp, type OrgFixture, type TestContext } from '../../../test/harness.js';
import type { GalleryPage, ReviewRoundPage } from '../../../../contracts/brands.js';
import { createRandom } from '../../demo/generate.js';
import type { DemoContext } from '../../demo/context.js';
import { seedJudgingDemo } from '../../demo/judging-demo.js';
import { seedBrandsDemo } from '../../demo/brands-demo.js';
import { todayInChina } from '../../../../contracts/china-time.js';

let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

it('seeds brands with last year’s final stars and this year’s round taking applications', async () => {
  const { db } = ctx.database;
  const root = await makeOrg(db, null, { name: '市直机关工委' });
  const committees: OrgFixture[] = [];
  for (const name of ['市财政局机关党委', '市教育局机关党委', '市卫健委机关党委', '市交通局机关党委']) committees.push(await makeOrg(db, root, { name, type: 'organ_committee' }));
  const branch = await makeOrg(db, committees[0]!, { name: '预算处党支部' });
  const admin = await makeUser(db, [{ role: 'platform_admin' }]);
  const secretary = await makeUser(db, [{ role: 'org_admin', org: branch }]);
  await db.transaction(async (tx) => {
    const context = {
      tx, root, committees, branch, today: todayInChina(), random: createRandom(1),
      users: { admin: admin.id, bureau: admin.id, secretary: secretary.id, member: admin.id }, members: { bureau: null, secretary: null, member: null },
    } as unknown as DemoContext;
    await seedJudgingDemo(context);
    await seedBrandsDemo(context);
  });
  const client = await login(ctx.app, secretary);
  const gallery = (await client.get('/api/brands/gallery')).json() as GalleryPage;
  expect(gallery.items.map((c) => [c.name, c.starLevel, c.title])).toEqual([
    ['“红色引擎”财政先锋', 5, 'model'], ['“暖心服务”品牌', 4, 'cultivating'], ['“匠心党建”品牌', 3, null], ['“预算铁军”党支部', null, null],
  ]);
  const open = (await client.get('/api/brands/rounds?view=apply')).json() as ReviewRoundPage;
  expect(open.items).toMatchObject([{ status: 'open', isWindowOpen: true, applicationCount: 1 }]);
});
