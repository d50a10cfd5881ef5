import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../../../contracts/china-time.js';
import { login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { makePerson } from '../../../test/serving-fixtures.js';

/** The public 办实事 page shows which items are overdue and how many, and the count is the filter's list. */
let ctx: TestContext;
let root: OrgFixture, branch: OrgFixture;
let secretary: Client;
const ids: Record<string, string> = {};
const daysFromNow = (days: number) => chinaDate(Date.now() + days * 86_400_000);
const anonymous = (url: string) => ctx.app.inject({ method: 'GET', url, remoteAddress: '10.0.0.9' });

async function project(title: string, fields: Record<string, unknown>, plannedCompletion: string): Promise<string> {
  const owner = await makePerson(ctx.database.db, branch, `负责人${title.length}`);
  const res = await secretary.post('/api/service-projects', {
    orgId: branch.id, title, category: '帮扶解困', source: 'mass_feedback', need: '群众反映的问题', ownerName: owner.name,
    startedOn: daysFromNow(-90), plannedCompletion: daysFromNow(30), ...fields,
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = (res.json() as { id: string }).id;
  // the plan was made earlier: its completion date has come and gone (or not)
  await ctx.database.db.execute(sql`update service_projects set planned_completion = ${plannedCompletion}::date where id = ${id}`);
  return id;
}

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  branch = await makeOrg(db, root, { name: '社会救助处党支部' });
  secretary = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branch }]));
  ids.overdue = await project('老旧小区加装电梯', { progress: 40 }, daysFromNow(-5));
  ids.lateButDone = await project('社区助餐点建设', { status: 'done', result: '已开设助餐点 3 个' }, daysFromNow(-20));
  ids.notYetDue = await project('背街小巷路灯', { progress: 10 }, daysFromNow(10));
  ids.dueToday = await project('便民服务窗口', { progress: 60 }, daysFromNow(0));
  await project('内部事项', { isPublic: false }, daysFromNow(-30));
});
afterAll(async () => ctx?.close());

describe('overdue items on the public page', () => {
  it('tags each overdue item and counts them: not done and past the planned completion', async () => {
    const res = await anonymous(`/api/public/service-projects/trees/${root.id}/projects?pageSize=50`);
    expect(res.statusCode).toBe(200);
    const page = res.json() as { overdueTotal: number; items: { id: string; isOverdue: boolean }[] };
    const overdue = page.items.filter((p) => p.isOverdue).map((p) => p.id);
    expect(overdue).toEqual([ids.overdue]);
    expect(page.overdueTotal).toBe(1);
  });

  it('lists exactly the counted items with the overdue filter', async () => {
    const page = (await anonymous(`/api/public/service-projects/trees/${root.id}/projects?overdue=1`)).json() as { total: number; overdueTotal: number; items: { id: string }[] };
    expect(page.total).toBe(page.overdueTotal);
    expect(page.items.map((p) => p.id)).toEqual([ids.overdue]);
  });

  it('keeps the count of the whole page while other filters narrow the list', async () => {
    const page = (await anonymous(`/api/public/service-projects/trees/${root.id}/projects?status=done`)).json() as { total: number; overdueTotal: number; items: { id: string; isOverdue: boolean }[] };
    expect(page.items.map((p) => p.id)).toEqual([ids.lateButDone]);
    expect(page.items[0]!.isOverdue).toBe(false);
    expect(page.overdueTotal).toBe(1);
  });

  it('refuses a bad overdue value with 400', async () => {
    const res = await anonymous(`/api/public/service-projects/trees/${root.id}/projects?overdue=yes`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toHaveProperty('overdue');
  });
});
