import { afterAll, beforeAll, expect, it } from 'vitest';
import { login, makeOrg, makeUser, startTestApp, type OrgFixture, type TestContext } from '../../test/harness.js';
import type { JudgeEntryPage, JudgingTaskPage } from '../../../contracts/judging.js';
import { createRandom } from './generate.js';
import type { DemoContext } from './context.js';
import { DEMO_JUDGE, seedJudgingDemo } from './judging-demo.js';

let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

it('gives the demo judge an open panel with one entry submitted and three to score', async () => {
  const { db } = ctx.database;
  const root = await makeOrg(db, null, { name: '市直机关工委' });
  const committees: OrgFixture[] = [];
  for (const name of ['市财政局机关党委', '市教育局机关党委', '市卫健委机关党委', '市交通局机关党委']) committees.push(await makeOrg(db, root, { name, type: 'organ_committee' }));
  const admin = await makeUser(db, [{ role: 'platform_admin' }]);
  await db.transaction((tx) => seedJudgingDemo({
    tx, root, committees, today: '2026-12-06', random: createRandom(1), users: { admin: admin.id, bureau: admin.id, secretary: admin.id, member: admin.id },
  } as unknown as DemoContext));
  const judge = await login(ctx.app, DEMO_JUDGE);
  const tasks = (await judge.get('/api/judging/tasks')).json() as JudgingTaskPage;
  expect(tasks.items).toMatchObject([{ title: '党建品牌初评', state: 'open', entries: 4, submitted: 1, toScore: 3 }]);
  const entries = (await judge.get(`/api/judging/panels/${tasks.items[0]!.panelId}/entries`)).json() as JudgeEntryPage;
  expect(entries.items.filter((e) => e.mine?.locked).map((e) => e.mine?.total)).toEqual([83]);
});
