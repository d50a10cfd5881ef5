import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { duesIndicators } from './indicators.js';

let ctx: TestContext;
let bureau: OrgFixture, branch: OrgFixture, empty: OrgFixture;
let admin: Client;
const quarter = { from: '2026-01-01', to: '2026-03-31' };
const indicator = duesIndicators.find((i) => i.code === 'dues.paid_on_time_rate')!;

async function pay(memberId: string, months: string[], paidOn: string): Promise<string> {
  const bills = await ctx.database.db.execute<{ id: string } & Record<string, unknown>>(sql`
    select id::text from dues_bills where member_id = ${memberId} and to_char(month, 'YYYY-MM') in (${sql.join(months.map((m) => sql`${m}`), sql`, `)}) order by month`);
  const res = await admin.post('/api/dues/payments', { memberId, billIds: bills.rows.map((b) => b.id), method: 'cash', paidOn });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  const root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branch = await makeOrg(db, bureau, { name: '预算处党支部' });
  empty = await makeOrg(db, root, { name: '空支部' });
  admin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: root }]));
  const [a, b, c] = [await makeMember(db, branch, { name: '按时' }), await makeMember(db, branch, { name: '季末补交' }), await makeMember(db, branch, { name: '冲正' })];
  const d = await makeMember(db, bureau, { name: '机关党委委员' });
  for (const m of [a, b, c, d]) expect((await admin.put(`/api/dues/bases/${m.id}`, { year: 2026, category: 'employed', baseFen: 400_000 })).statusCode).toBe(200);
  const generated = await admin.post('/api/dues/bills/generate', { orgId: bureau.id, fromMonth: '2026-01', toMonth: '2026-04' });
  expect(generated.json()).toMatchObject({ created: 16 });
  await pay(a.id, ['2026-01', '2026-02', '2026-03'], '2026-01-15'); // in advance: three on time
  await pay(b.id, ['2026-01', '2026-02', '2026-03'], '2026-03-10'); // March on time, January and February late
  const reversed = await pay(c.id, ['2026-01'], '2026-01-20');
  expect((await admin.post(`/api/dues/payments/${reversed}/reverse`, { reason: '重复登记' })).statusCode).toBe(201);
  await pay(c.id, ['2026-02'], '2026-02-28'); // the last day is on time
  await pay(d.id, ['2026-01'], '2026-01-31');
});
afterAll(async () => ctx?.close());

describe('dues.paid_on_time_rate', () => {
  it('counts the period’s bills paid in full by their month’s last day, not reversed, over the subtree', async () => {
    const { db } = ctx.database;
    expect(await indicator.values(db, [bureau, branch, empty], quarter)).toEqual([
      { orgId: bureau.id, numerator: 6, denominator: 12 },
      { orgId: branch.id, numerator: 5, denominator: 9 },
      { orgId: empty.id, numerator: 0, denominator: 0 },
    ]);
    expect(await indicator.values(db, [branch], { from: '2026-02-01', to: '2026-02-28' })).toEqual([{ orgId: branch.id, numerator: 2, denominator: 3 }]);
    const counted = await indicator.records(db, branch, quarter, { offset: 0, limit: 50, onlyCounted: true });
    expect(counted.total).toBe(5);
    expect(counted.items.map((r) => r.title).sort()).toEqual(['冲正 · 2026-02', '季末补交 · 2026-03', '按时 · 2026-01', '按时 · 2026-02', '按时 · 2026-03']);
    expect(counted.items[0]).toMatchObject({ kind: 'dues_bill', date: '2026-03-31', orgName: '预算处党支部', amount: 1, link: `/dues?org=${branch.id}&tab=bills&month=2026-03` });
    const all = await indicator.records(db, bureau, quarter, { offset: 10, limit: 5 });
    expect(all).toMatchObject({ total: 12 });
    expect(all.items).toHaveLength(2);
  });
});
