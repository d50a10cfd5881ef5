import { afterAll, beforeAll, expect, it } from 'vitest';
import { login, makeOrg, makeUser, startTestApp, type OrgFixture, type TestContext } from '../../test/harness.js';
import type { RectificationPage, RoundDistribution, RoundPage, SchemePage } from '../../../contracts/standardization.js';
import { createRandom } from './generate.js';
import type { DemoContext } from './context.js';
import { seedStandardizationDemo } from './standardization-demo.js';

let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

it('gives the bureau rounds in every state and the secretary its branch’s self-assessment', async () => {
  const { db } = ctx.database;
  const root = await makeOrg(db, null, { name: '市直机关工委' });
  const committee = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  const branches: OrgFixture[] = [];
  for (let i = 0; i < 8; i++) branches.push(await makeOrg(db, committee, { name: `第${i + 1}党支部` }));
  const admin = await makeUser(db, [{ role: 'platform_admin' }]);
  const bureau = await makeUser(db, [{ role: 'org_admin', org: committee }]);
  const secretary = await makeUser(db, [{ role: 'org_admin', org: branches[0]! }]);
  await db.transaction((tx) => seedStandardizationDemo({
    tx, root, committee, branch: branches[0]!, branches, committees: [committee], today: '2026-12-06', random: createRandom(1),
    users: { admin: admin.id, bureau: bureau.id, secretary: secretary.id, member: secretary.id },
  } as unknown as DemoContext));
  const asBureau = await login(ctx.app, bureau);
  const schemes = (await asBureau.get('/api/standardization/schemes')).json() as SchemePage;
  const scheme = schemes.items.find((s) => s.status === 'active')!;
  const dist = (await asBureau.get(`/api/standardization/rounds/distribution?schemeId=${scheme.id}`)).json() as RoundDistribution;
  expect(dist.total).toBe(8);
  expect(Object.fromEntries(dist.byStatus.map((s) => [s.status, s.count]))).toEqual({ self_assessing: 1, submitted: 2, graded: 1, appealed: 1, final: 0, published: 3 });
  expect(dist.byGrade.find((g) => g.isLow)?.count).toBe(1);
  expect((await asBureau.get('/api/standardization/rounds?view=review')).json().total).toBe(3);
  const tasks = (await asBureau.get('/api/standardization/rectifications?status=open')).json() as RectificationPage;
  expect(tasks.total).toBe(2);
  const asSecretary = await login(ctx.app, secretary);
  const mine = (await asSecretary.get('/api/standardization/rounds?view=branch')).json() as RoundPage;
  expect(mine.items.map((r) => r.status)).toEqual(['self_assessing']);
  const round = (await asSecretary.get(`/api/standardization/rounds/${mine.items[0]!.id}`)).json() as { abilities: { selfAssess: boolean }; checks: { selfMet: boolean | null }[] };
  expect(round.abilities.selfAssess).toBe(true);
  expect(round.checks.filter((c) => c.selfMet === true).length).toBeGreaterThanOrEqual(2);
});
