import { afterAll, beforeAll, expect, it } from 'vitest';
import { login, makeMember, makeOrg, makeUser, startTestApp, type TestContext } from '../../test/harness.js';
import type { DutyReportPage, DutyRoundPage, ItemPage, ListPage, MyLists, TemplatePage } from '../../../contracts/responsibility_lists.js';
import { createRandom } from './generate.js';
import type { DemoContext } from './context.js';
import { seedResponsibilityDemo } from './responsibility-demo.js';

let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

it('gives each demo account a living responsibility list and duty review, whatever the day', async () => {
  const { db } = ctx.database;
  const root = await makeOrg(db, null, { name: '市直机关工委' });
  const committee = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  await makeOrg(db, root, { name: '市教育局机关党委', type: 'organ_committee' });
  const branch = await makeOrg(db, committee, { name: '预算处党支部' });
  const other = await makeOrg(db, committee, { name: '国库处党支部' });
  const memberRecord = await makeMember(db, branch, { name: '陈静' });
  await makeMember(db, branch, { name: '刘洋' });
  await makeMember(db, other, { name: '孙丽' });
  const admin = await makeUser(db, [{ role: 'platform_admin' }]);
  const bureau = await makeUser(db, [{ role: 'org_admin', org: committee }]);
  const secretary = await makeUser(db, [{ role: 'org_admin', org: branch }]);
  const member = await makeUser(db, [{ role: 'member' }], { memberId: memberRecord.id });
  await db.transaction((tx) => seedResponsibilityDemo({
    tx, root, committee, branch, today: '2026-12-06', random: createRandom(1), committees: [committee], branches: [branch, other],
    users: { admin: admin.id, bureau: bureau.id, secretary: secretary.id, member: member.id },
    members: { bureau: memberRecord.id, secretary: memberRecord.id, member: memberRecord.id },
  } as unknown as DemoContext));

  const asAdmin = await login(ctx.app, admin);
  expect(((await asAdmin.get('/api/responsibility/templates')).json() as TemplatePage).total).toBe(4);
  const asBureau = await login(ctx.app, bureau);
  const lists = (await asBureau.get('/api/responsibility/lists?level=branch_secretary')).json() as ListPage;
  expect(lists.total).toBe(2);
  const ours = lists.items.find((l) => l.orgId === branch.id)!;
  expect(ours).toMatchObject({ itemCount: 5, closedCount: 1, reportedCount: 1, overdueCount: 1 });
  expect(((await asBureau.get(`/api/responsibility/items?listId=${ours.id}&overdue=true`)).json() as ItemPage).total).toBe(1);
  expect(((await asBureau.get(`/api/responsibility/items?listId=${ours.id}&status=rectifying`)).json() as ItemPage).total).toBe(1);
  expect(((await asBureau.get('/api/responsibility/lists?level=member')).json() as ListPage).total).toBe(3);
  const rounds = (await asBureau.get('/api/duty-reviews')).json() as DutyRoundPage;
  expect(rounds.items.map((r) => r.status)).toEqual(['collecting', 'closed']);
  const results = (await asBureau.get(`/api/duty-reviews/${rounds.items[1]!.id}/results`)).json() as { items: { grade: string | null; rank: number | null }[] };
  expect(results.items.every((r) => r.grade !== null && r.rank !== null)).toBe(true);

  const asSecretary = await login(ctx.app, secretary);
  const mine = (await asSecretary.get('/api/duty-reports')).json() as DutyReportPage;
  expect(mine.items.map((r) => [r.year, r.canSubmit, r.submittedAt !== null])).toEqual([[2026, true, true], [2025, false, true]]);
  expect(((await asSecretary.get('/api/responsibility/lists?level=member')).json() as ListPage).total).toBe(2);
  expect(((await asSecretary.get('/api/responsibility/templates')).json() as TemplatePage).items).toMatchObject([{ level: 'member', listCount: 0, canIssue: true }]);

  const asMember = await login(ctx.app, member);
  const own = (await asMember.get('/api/me/responsibility')).json() as MyLists;
  expect(own.items).toHaveLength(1);
  expect(own.items[0]!.items.map((i) => i.status)).toEqual(['reported', 'open', 'closed']);
  const reported = (await asMember.get(`/api/me/responsibility/items/${own.items[0]!.items[0]!.id}`)).json() as { reports: unknown[]; canReport: boolean };
  expect(reported).toMatchObject({ canReport: true });
  expect(reported.reports).toHaveLength(1);
});
