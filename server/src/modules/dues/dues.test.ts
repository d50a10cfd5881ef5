import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeMember, makeOrg, makeUser, startTestApp, type Client, type MemberFixture, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { multipartFile } from '../../../test/serving-fixtures.js';
import { pdfHexText } from '../../platform/pdf.js';
import { registerDuesPaymentGateway, type DuesPaymentGateway } from './gateway.js';

/**
 * 党费 by the 2008 regulation: brackets and rounding, bases, bills, payments (several months, by
 * proxy, extra and special), reversal, hardship approval by the level above, arrears and the
 * six-month flag, reminders, remittance upward, bank reconciliation and the annual statement —
 * with exact sums in fen.
 */
let ctx: TestContext;
let root: OrgFixture, committee: OrgFixture, branchA: OrgFixture, branchB: OrgFixture, otherRoot: OrgFixture;
let rootAdmin: Client, committeeAdmin: Client, branchAAdmin: Client, branchBAdmin: Client, outsiderAdmin: Client;

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  committee = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branchA = await makeOrg(db, committee, { name: '预算处党支部' });
  branchB = await makeOrg(db, committee, { name: '国库处党支部' });
  otherRoot = await makeOrg(db, null, { name: '邻市机关工委' });
  const admin = async (org: OrgFixture) => login(ctx.app, await makeUser(db, [{ role: 'org_admin', org }]));
  rootAdmin = await admin(root);
  committeeAdmin = await admin(committee);
  branchAAdmin = await admin(branchA);
  branchBAdmin = await admin(branchB);
  outsiderAdmin = await admin(otherRoot);
});
afterAll(async () => ctx?.close());

const member = (org: OrgFixture, name: string, fields: Parameters<typeof makeMember>[2] = {}) => makeMember(ctx.database.db, org, { name, ...fields });
async function setBase(client: Client, m: { id: string }, body: Record<string, unknown>) {
  const res = await client.put(`/api/dues/bases/${m.id}`, { year: 2026, ...body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { monthlyFen: number | null; category: string };
}
async function generate(client: Client, org: OrgFixture, fromMonth: string, toMonth?: string) {
  const res = await client.post('/api/dues/bills/generate', { orgId: org.id, fromMonth, ...(toMonth ? { toMonth } : {}) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { created: number; existing: number; missingBase: number; dueFen: number };
}
type BillOut = { id: string; memberId: string; month: string; dueFen: number; paidFen: number; status: string; reduced: boolean };
async function billsOf(client: Client, org: OrgFixture, m: { id: string }): Promise<BillOut[]> {
  const res = await client.get(`/api/dues/bills?orgId=${org.id}&memberId=${m.id}&pageSize=200`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: BillOut[] }).items.sort((a, b) => a.month.localeCompare(b.month));
}
async function ledgerSnapshot() {
  const db = ctx.database.db;
  const counts = await Promise.all(['dues_bases', 'dues_bills', 'dues_payments', 'dues_payment_lines', 'dues_reductions', 'dues_remittances', 'dues_expenditures', 'dues_reminders', 'audit_log']
    .map((t) => countRows(db, t)));
  const sums = await db.execute(sql`select (select coalesce(sum(paid_fen), 0) from dues_bills)::text as paid, (select coalesce(sum(due_fen), 0) from dues_bills)::text as due`);
  return JSON.stringify({ counts, sums: sums.rows });
}

describe('rates by the 2008 rules', () => {
  it.each([
    // [category, base (fen), expected monthly dues (fen)]
    ['employed', 0, 0],
    ['employed', 100, 1], // 0.5 fen rounds half up
    ['employed', 299_999, 1_500], // 2,999.99 × 0.5% = 14.99995 → 15.00
    ['employed', 300_000, 1_500], // 3,000.00 is the top of the first bracket
    ['employed', 300_001, 3_000], // 3,000.01 × 1% = 30.0001
    ['employed', 333_333, 3_333],
    ['employed', 500_000, 5_000],
    ['employed', 500_001, 7_500], // 5,000.01 × 1.5% = 75.00015
    ['employed', 1_000_000, 15_000],
    ['employed', 1_000_001, 20_000], // 10,000.01 × 2% = 200.0002
    ['employed', 1_234_567, 24_691], // 246.9134 → 246.91
    ['retired', 500_000, 2_500],
    ['retired', 500_001, 5_000],
    ['retired', 123_450, 617], // 6.1725 → 6.17
  ] as const)('a %s member with a base of %i fen pays %i fen a month', async (category, baseFen, expected) => {
    const m = await member(branchA, `基数${category}${baseFen}`);
    const base = await setBase(branchAAdmin, m, { category, baseFen });
    expect(base.monthlyFen).toBe(expected);
    // the bill says the same as the preview: one pricing
    const { db } = ctx.database;
    await generate(branchAAdmin, branchA, '2026-01');
    const bill = (await db.execute<{ due_fen: number } & Record<string, unknown>>(sql`select due_fen from dues_bills where member_id = ${m.id} and month = '2026-01-01'`)).rows[0];
    expect(bill?.due_fen).toBe(expected);
  });

  it('charges students, the unemployed and members on relief 0.20 元, and rural members the amount chosen within 0.20–1 元', async () => {
    for (const category of ['student', 'unemployed', 'relief'] as const) {
      expect((await setBase(branchAAdmin, await member(branchA, `固定${category}`), { category })).monthlyFen).toBe(20);
    }
    expect((await setBase(branchAAdmin, await member(branchA, '农民甲'), { category: 'rural', chosenFen: 50 })).monthlyFen).toBe(50);
    const before = await ledgerSnapshot();
    const m = await member(branchA, '农民乙');
    for (const chosenFen of [19, 101]) {
      const res = await branchAAdmin.put(`/api/dues/bases/${m.id}`, { year: 2026, category: 'rural', chosenFen });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields.chosenFen).toBe('农民党员每月交纳 0.20 元至 1.00 元');
    }
    expect(await ledgerSnapshot()).toBe(before);
  });

  it('prices months by the rule in force then: a new rate from a date leaves earlier months as they were', async () => {
    const { db } = ctx.database;
    const m = await member(branchB, '新标准');
    await db.execute(sql`insert into dues_rate_rules (category, valid_from, above_fen, up_to_fen, rate_bp, note) values ('employed', '2031-01-01', 0, null, 100, '测试：假设的新标准')`);
    try {
      for (const year of [2030, 2031]) expect((await branchBAdmin.put(`/api/dues/bases/${m.id}`, { year, category: 'employed', baseFen: 400_000 })).statusCode).toBe(200);
      await generate(branchBAdmin, branchB, '2030-12', '2031-01');
      const bills = (await db.execute<{ month: string; due_fen: number } & Record<string, unknown>>(sql`select to_char(month, 'YYYY-MM') as month, due_fen from dues_bills where member_id = ${m.id} order by month`)).rows;
      expect(bills.map((b) => [b.month, b.due_fen])).toEqual([['2030-12', 4_000], ['2031-01', 4_000]]);
      // under the new rule a base of 2,000 pays 1% from 2031 and 0.5% before
      await branchBAdmin.put(`/api/dues/bases/${m.id}`, { year: 2030, category: 'employed', baseFen: 200_000 });
      await branchBAdmin.put(`/api/dues/bases/${m.id}`, { year: 2031, category: 'employed', baseFen: 200_000 });
      const repriced = (await db.execute<{ month: string; due_fen: number } & Record<string, unknown>>(sql`select to_char(month, 'YYYY-MM') as month, due_fen from dues_bills where member_id = ${m.id} order by month`)).rows;
      expect(repriced.map((b) => [b.month, b.due_fen])).toEqual([['2030-12', 1_000], ['2031-01', 2_000]]);
    } finally {
      await db.execute(sql`delete from dues_bills where month >= '2030-01-01'`);
      await db.execute(sql`delete from dues_month_totals where month >= '2030-01-01'`);
      await db.execute(sql`delete from dues_bases where year >= 2030`);
      await db.execute(sql`delete from dues_rate_rules where valid_from = '2031-01-01'`);
    }
  });

  it.each([
    ['a wage base missing', { category: 'employed' }, 'baseFen', '必填'],
    ['a base with a fraction of a fen', { category: 'employed', baseFen: 300_000.5 }, 'baseFen', '整数'],
    ['a negative base', { category: 'retired', baseFen: -1 }, 'baseFen', '不能小于 0'],
    ['an income base for a student', { category: 'student', baseFen: 100_000 }, 'baseFen', '固定标准'],
    ['a change during the year without the branch’s decision', { category: 'employed', baseFen: 400_000, effectiveMonth: '2026-07' }, 'decidedOn', '支部决定日期'],
    ['an effective month in another year', { category: 'employed', baseFen: 400_000, effectiveMonth: '2025-07', decidedOn: '2025-06-30' }, 'effectiveMonth', '该年度内'],
    ['a month written wrongly', { category: 'employed', baseFen: 400_000, effectiveMonth: '2026-7' }, 'effectiveMonth', 'YYYY-MM'],
    ['an unknown category', { category: 'soldier', baseFen: 1 }, 'category', ''],
  ])('answers 400 for %s and changes nothing', async (_case, body, field, message) => {
    const m = await member(branchA, '校验');
    const before = await ledgerSnapshot();
    const res = await branchAAdmin.put(`/api/dues/bases/${m.id}`, { year: 2026, ...body });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect(await ledgerSnapshot()).toBe(before);
  });
});

describe('bills, payments and the ledger', () => {
  let payer: MemberFixture, away: MemberFixture;

  it('bills every paying member of the subtree once a month, counts those without a base, and skips applicants, leavers and months before joining', async () => {
    const branch = await makeOrg(ctx.database.db, committee, { name: '综合处党支部' });
    const admin = await login(ctx.app, await makeUser(ctx.database.db, [{ role: 'org_admin', org: branch }]));
    payer = await member(branch, '王缴费');
    away = await member(branch, '李在外');
    const probationary = await member(branch, '赵预备', { stage: 'probationary', joinedOn: '2026-03-15' });
    const noBase = await member(branch, '钱无基数');
    await member(branch, '孙申请', { stage: 'applicant' });
    await member(branch, '周离开', { leftAt: new Date('2026-01-01T00:00:00Z') });
    await setBase(admin, payer, { category: 'employed', baseFen: 800_000 }); // 1.5% → 120.00
    await setBase(admin, away, { category: 'retired', baseFen: 300_000 }); // 0.5% → 15.00
    await setBase(admin, probationary, { category: 'employed', baseFen: 250_000 }); // 12.50, from March
    expect(await generate(admin, branch, '2026-01', '2026-04')).toEqual({ created: 4 + 4 + 2, existing: 0, missingBase: 4, dueFen: 4 * 12_000 + 4 * 1_500 + 2 * 1_250 });
    expect(await generate(admin, branch, '2026-01', '2026-06')).toEqual({ created: 2 + 2 + 2, existing: 10, missingBase: 6, dueFen: 2 * 12_000 + 2 * 1_500 + 2 * 1_250 });
    expect((await billsOf(admin, branch, noBase))).toEqual([]);
    expect((await billsOf(admin, branch, probationary)).map((b) => b.month)).toEqual(['2026-03', '2026-04', '2026-05', '2026-06']);
    const list = (await admin.get(`/api/dues/bills?orgId=${branch.id}&month=2026-01`)).json();
    expect(list).toMatchObject({ total: 2, dueFen: 13_500, paidFen: 0 });
    // the level above sees the same bills; a sibling branch and another tree do not
    expect((await committeeAdmin.get(`/api/dues/bills?orgId=${branch.id}&month=2026-01`)).json().total).toBe(2);
    expect((await branchAAdmin.get(`/api/dues/bills?orgId=${branch.id}`)).statusCode).toBe(404);
    expect((await outsiderAdmin.post('/api/dues/bills/generate', { orgId: branch.id, fromMonth: '2026-01' })).statusCode).toBe(400);
  });

  it('records a payment of several months with a voluntary extra and a special payment, by proxy, as one receipt with exact sums', async () => {
    const [jan, feb, mar] = await billsOf(committeeAdmin, committee, payer);
    const res = await committeeAdmin.post('/api/dues/payments', {
      memberId: payer.id, billIds: [jan!.id, feb!.id, mar!.id], extraFen: 1_000, specialFen: 100_000, method: 'cash', paidOn: '2026-03-10', proxyName: '王缴费之妻',
    });
    expect(res.statusCode, res.body).toBe(201);
    const receipt = res.json();
    expect(receipt).toMatchObject({ memberName: '王缴费', kind: 'payment', method: 'cash', paidOn: '2026-03-10', proxyName: '王缴费之妻', totalFen: 3 * 12_000 + 1_000 + 100_000 });
    expect(receipt.receiptNo).toMatch(/^DF2026-\d{8}$/);
    expect(receipt.lines).toEqual([
      { kind: 'dues', month: '2026-01', amountFen: 12_000 }, { kind: 'dues', month: '2026-02', amountFen: 12_000 }, { kind: 'dues', month: '2026-03', amountFen: 12_000 },
      { kind: 'extra', month: null, amountFen: 1_000 }, { kind: 'special', month: null, amountFen: 100_000 },
    ]);
    expect((await billsOf(committeeAdmin, committee, payer)).map((b) => [b.month, b.status, b.paidFen])).toEqual([
      ['2026-01', 'paid', 12_000], ['2026-02', 'paid', 12_000], ['2026-03', 'paid', 12_000], ['2026-04', 'unpaid', 0], ['2026-05', 'unpaid', 0], ['2026-06', 'unpaid', 0],
    ]);
    const pdf = await committeeAdmin.get(`/api/dues/payments/${receipt.id}/receipt.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const hex = (t: string) => pdfHexText(t).slice(1, -1);
    expect(pdf.body).toContain(hex(receipt.receiptNo));
    expect(pdf.body).toContain(hex('王缴费之妻'));
  });

  it('refuses a month already paid, another member’s bill, and a payment of nothing — changing nothing', async () => {
    const [jan, , , apr] = await billsOf(committeeAdmin, committee, payer);
    const [awayJan] = await billsOf(committeeAdmin, committee, away);
    const before = await ledgerSnapshot();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ billIds: [apr!.id, jan!.id] }, 'billIds', '2026-01 已缴清'],
      [{ billIds: [awayJan!.id] }, 'billIds', '不属于该党员'],
      [{ billIds: [] }, 'billIds', '请选择要缴纳的月份'],
      [{ billIds: [apr!.id, apr!.id] }, 'billIds', '选择了两次'],
      [{ billIds: [apr!.id], extraFen: 0.5 }, 'extraFen', '整数'],
      [{ billIds: [apr!.id], method: 'online' }, 'method', ''],
      [{ billIds: [apr!.id], paidOn: '2026-02-30' }, 'paidOn', ''],
    ];
    for (const [body, field, message] of cases) {
      const res = await committeeAdmin.post('/api/dues/payments', { memberId: payer.id, method: 'cash', paidOn: '2026-04-01', ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.fields[field], JSON.stringify(body)).toContain(message);
    }
    // a branch outside the member's: the member is not found for it
    const res = await branchAAdmin.post('/api/dues/payments', { memberId: payer.id, billIds: [apr!.id], method: 'cash', paidOn: '2026-04-01' });
    expect(res.json().error.fields.memberId).toBe('党员不存在或不在您的管理范围内');
    expect(await ledgerSnapshot()).toBe(before);
  });

  it('corrects a payment only by a reversal entry that reopens its months; the ledger refuses edits', async () => {
    const [, , , apr, may] = await billsOf(committeeAdmin, committee, payer);
    const paid = (await committeeAdmin.post('/api/dues/payments', { memberId: payer.id, billIds: [apr!.id, may!.id], method: 'transfer', paidOn: '2026-05-08', reference: 'B-0508' })).json();
    const reversal = await committeeAdmin.post(`/api/dues/payments/${paid.id}/reverse`, { reason: '重复登记' });
    expect(reversal.statusCode, reversal.body).toBe(201);
    expect(reversal.json()).toMatchObject({ kind: 'reversal', reversesId: paid.id, totalFen: -24_000, note: '重复登记' });
    expect(reversal.json().lines).toEqual([{ kind: 'dues', month: '2026-04', amountFen: -12_000 }, { kind: 'dues', month: '2026-05', amountFen: -12_000 }]);
    expect((await billsOf(committeeAdmin, committee, payer)).slice(3).map((b) => b.status)).toEqual(['unpaid', 'unpaid', 'unpaid']);
    const list = (await committeeAdmin.get(`/api/dues/payments?orgId=${committee.id}&memberId=${payer.id}`)).json();
    expect(list.items.map((p: { kind: string; totalFen: number; reversedById: string | null }) => [p.kind, p.totalFen, p.reversedById !== null])).toEqual([
      ['reversal', -24_000, false], ['payment', 24_000, true], ['payment', 137_000, false],
    ]);
    expect(list.totalFen).toBe(137_000);
    expect((await committeeAdmin.post(`/api/dues/payments/${paid.id}/reverse`, { reason: '再次' })).statusCode).toBe(409);
    expect((await committeeAdmin.post(`/api/dues/payments/${reversal.json().id}/reverse`, { reason: '撤销冲正' })).statusCode).toBe(409);
    expect((await branchAAdmin.post(`/api/dues/payments/${paid.id}/reverse`, { reason: '越权' })).statusCode).toBe(404);
    const { db } = ctx.database;
    const refusal = (e: unknown) => String((e as { cause?: unknown }).cause ?? e);
    expect(await db.execute(sql`update dues_payments set total_fen = 1 where id = ${paid.id}`).then(() => 'changed', refusal)).toMatch(/append-only/);
    expect(await db.execute(sql`delete from dues_payment_lines where payment_id = ${paid.id}`).then(() => 'deleted', refusal)).toMatch(/append-only/);
    // paid again, properly, now
    expect((await committeeAdmin.post('/api/dues/payments', { memberId: payer.id, billIds: [apr!.id], method: 'payroll', paidOn: '2026-05-09' })).statusCode).toBe(201);
  });

  it('lets members open their own receipts, and nobody else’s', async () => {
    const { db } = ctx.database;
    const me = await login(ctx.app, await makeUser(db, [{ role: 'member' }], { memberId: payer.id }));
    const other = await login(ctx.app, await makeUser(db, [{ role: 'member' }], { memberId: away.id }));
    const mine = (await me.get('/api/dues/me')).json();
    expect(mine.payments.length).toBe(4);
    const receipt = mine.payments.find((p: { kind: string; totalFen: number }) => p.totalFen === 137_000);
    expect((await me.get(`/api/dues/payments/${receipt.id}/receipt.pdf`)).statusCode).toBe(200);
    expect((await other.get(`/api/dues/payments/${receipt.id}/receipt.pdf`)).statusCode).toBe(404);
    expect((await branchAAdmin.get(`/api/dues/payments/${receipt.id}/receipt.pdf`)).statusCode).toBe(404);
    expect(mine).toMatchObject({ category: 'employed', monthlyFen: 12_000 });
    expect(mine.bills.find((b: { month: string }) => b.month === '2026-01')).toMatchObject({ status: 'paid', dueFen: 12_000 });
    expect((await me.get('/api/dues/bills?orgId=' + committee.id)).statusCode).toBe(404);
  });
});

describe('hardship, arrears and the six-month flag', () => {
  let branch: OrgFixture, admin: Client;
  let hardship: MemberFixture, lapsed: MemberFixture, patchy: MemberFixture;

  beforeAll(async () => {
    const { db } = ctx.database;
    branch = await makeOrg(db, committee, { name: '社保处党支部' });
    admin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branch }]));
    hardship = await member(branch, '困难党员');
    lapsed = await member(branch, '久未缴');
    patchy = await member(branch, '时缴时停');
    for (const m of [hardship, lapsed, patchy]) await setBase(admin, m, { category: 'employed', baseFen: 400_000 }); // 40.00
    await generate(admin, branch, '2026-01', '2026-07');
  });

  it('records the branch’s decision, which only the level above approves; approval re-prices the unpaid months', async () => {
    const requested = await admin.post('/api/dues/reductions', { memberId: hardship.id, kind: 'exempt', fromMonth: '2026-03', toMonth: '2026-08', reason: '重病住院，家庭生活困难', decidedOn: '2026-03-02' });
    expect(requested.statusCode, requested.body).toBe(201);
    const r = requested.json();
    expect(r).toMatchObject({ status: 'pending', canReview: false });
    expect((await admin.post(`/api/dues/reductions/${r.id}/review`, { approve: true })).statusCode).toBe(403);
    expect((await branchAAdmin.post(`/api/dues/reductions/${r.id}/review`, { approve: true })).statusCode).toBe(404);
    const list = (await committeeAdmin.get(`/api/dues/reductions?orgId=${committee.id}&status=pending`)).json();
    expect(list.items.find((x: { id: string }) => x.id === r.id)).toMatchObject({ canReview: true, memberName: '困难党员' });
    const approved = await committeeAdmin.post(`/api/dues/reductions/${r.id}/review`, { approve: true, note: '同意' });
    expect(approved.json()).toMatchObject({ status: 'approved', canReview: false, reviewNote: '同意' });
    expect((await committeeAdmin.post(`/api/dues/reductions/${r.id}/review`, { approve: false })).statusCode).toBe(409);
    expect((await billsOf(admin, branch, hardship)).map((b) => [b.month, b.dueFen, b.status])).toEqual([
      ['2026-01', 4_000, 'unpaid'], ['2026-02', 4_000, 'unpaid'], ['2026-03', 0, 'exempt'], ['2026-04', 0, 'exempt'], ['2026-05', 0, 'exempt'], ['2026-06', 0, 'exempt'], ['2026-07', 0, 'exempt'],
    ]);
    // a month made after the approval is priced by it too
    await generate(admin, branch, '2026-08', '2026-09');
    expect((await billsOf(admin, branch, hardship)).slice(7).map((b) => [b.month, b.dueFen])).toEqual([['2026-08', 0], ['2026-09', 4_000]]);
    // a reduction (not exemption) charges the decided amount
    const reduce = (await admin.post('/api/dues/reductions', { memberId: patchy.id, kind: 'reduce', monthlyFen: 1_000, fromMonth: '2026-09', toMonth: '2026-09', reason: '收入锐减', decidedOn: '2026-08-30' })).json();
    await committeeAdmin.post(`/api/dues/reductions/${reduce.id}/review`, { approve: true });
    expect((await billsOf(admin, branch, patchy)).find((b) => b.month === '2026-09')).toMatchObject({ dueFen: 1_000, reduced: true });
    const rejected = (await admin.post('/api/dues/reductions', { memberId: lapsed.id, kind: 'exempt', fromMonth: '2026-01', toMonth: '2026-12', reason: '不愿交', decidedOn: '2026-01-05' })).json();
    expect((await committeeAdmin.post(`/api/dues/reductions/${rejected.id}/review`, { approve: false, note: '理由不成立' })).json().status).toBe('rejected');
    expect((await billsOf(admin, branch, lapsed)).every((b) => b.dueFen === 4_000)).toBe(true);
  });

  it('flags six consecutive unpaid months, not six scattered ones, and never counts exempt months', async () => {
    const bills = await billsOf(admin, branch, patchy);
    // 时缴时停 pays April: at most three unpaid in a row on either side
    await admin.post('/api/dues/payments', { memberId: patchy.id, billIds: [bills.find((b) => b.month === '2026-04')!.id], method: 'cash', paidOn: '2026-04-20' });
    const arrears = (await admin.get(`/api/dues/arrears?orgId=${branch.id}`)).json();
    const row = (name: string) => arrears.items.find((r: { memberName: string }) => r.memberName === name);
    expect(row('久未缴')).toMatchObject({ unpaidMonths: 9, unpaidFen: 36_000, firstUnpaidMonth: '2026-01', longestRun: 9, flagged: true });
    expect(row('时缴时停')).toMatchObject({ unpaidMonths: 8, unpaidFen: 7 * 4_000 + 1_000, longestRun: 5, flagged: false });
    expect(row('困难党员')).toMatchObject({ unpaidMonths: 3, unpaidFen: 12_000, longestRun: 2, flagged: false });
    expect(arrears).toMatchObject({ total: 3, unpaidFen: 36_000 + 29_000 + 12_000, flaggedCount: 1 });
    expect((await admin.get(`/api/dues/arrears?orgId=${branch.id}&flagged=1`)).json().items.map((r: { memberName: string }) => r.memberName)).toEqual(['久未缴']);
    const file = await admin.get(`/api/dues/arrears.xlsx?orgId=${branch.id}`);
    expect(file.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets[0]!.getRow(2).values).toEqual([undefined, '久未缴', '社保处党支部', 9, 360, '2026-01', 9, '是']);
  });

  it('reminds everyone in arrears in one go, once a day, into their own dues page', async () => {
    const first = await admin.post('/api/dues/reminders', { orgId: branch.id });
    expect(first.json()).toEqual({ sent: 3 });
    expect((await admin.post('/api/dues/reminders', { orgId: branch.id })).json()).toEqual({ sent: 0 });
    const me = await login(ctx.app, await makeUser(ctx.database.db, [{ role: 'member' }], { memberId: lapsed.id }));
    const mine = (await me.get('/api/dues/me')).json();
    expect(mine).toMatchObject({ unpaidMonths: 9, unpaidFen: 36_000 });
    expect(mine.reminders).toEqual([expect.objectContaining({ unpaidMonths: 9, unpaidFen: 36_000, read: false })]);
    expect((await me.post('/api/dues/me/reminders/read')).statusCode).toBe(200);
    expect((await me.get('/api/dues/me')).json().reminders[0].read).toBe(true);
    expect((await branchAAdmin.post('/api/dues/reminders', { orgId: branch.id })).statusCode).toBe(400);
  });
});

describe('accounts, remittance, reconciliation and the annual statement', () => {
  let branch: OrgFixture, admin: Client, a: MemberFixture, b: MemberFixture;
  let remitted: { id: string };

  beforeAll(async () => {
    const { db } = ctx.database;
    const unit = await makeOrg(db, root, { name: '市审计局机关党委', type: 'organ_committee' });
    branch = await makeOrg(db, unit, { name: '审计一处党支部' });
    const sibling = await makeOrg(db, unit, { name: '审计二处党支部' });
    admin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branch }]));
    a = await member(branch, '甲');
    b = await member(branch, '乙');
    const c = await member(sibling, '丙');
    const unitAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: unit }]));
    await setBase(unitAdmin, a, { category: 'employed', baseFen: 600_000 }); // 90.00
    await setBase(unitAdmin, b, { category: 'employed', baseFen: 250_000 }); // 12.50
    await setBase(unitAdmin, c, { category: 'retired', baseFen: 600_000 }); // 60.00
    await generate(unitAdmin, unit, '2026-01', '2026-02');
    const bills = [...await billsOf(admin, branch, a), ...await billsOf(admin, branch, b)];
    const pay = async (m: MemberFixture, months: string[], extra = 0, special = 0) => expect((await admin.post('/api/dues/payments', {
      memberId: m.id, billIds: bills.filter((x) => x.memberId === m.id && months.includes(x.month)).map((x) => x.id), extraFen: extra, specialFen: special, method: 'transfer', paidOn: '2026-01-15',
    })).statusCode).toBe(201);
    await pay(a, ['2026-01', '2026-02'], 2_000, 50_000);
    await pay(b, ['2026-01']);
    Object.assign(ctxState, { unit, sibling, unitAdmin });
  });
  const ctxState = {} as { unit: OrgFixture; sibling: OrgFixture; unitAdmin: Client };

  it('adds up due, collected, arrears, extra and special per org and month, the org’s total equal to its children’s', async () => {
    const { unit, sibling, unitAdmin } = ctxState;
    const account = (await unitAdmin.get(`/api/dues/accounts?orgId=${unit.id}&month=2026-01`)).json();
    expect(account.org).toMatchObject({ orgName: '市审计局机关党委', billCount: 3, paidCount: 2, dueFen: 9_000 + 1_250 + 6_000, collectedFen: 10_250, arrearsFen: 6_000, extraFen: 2_000, specialFen: 50_000 });
    expect(account.children).toEqual([
      expect.objectContaining({ orgId: branch.id, dueFen: 10_250, collectedFen: 10_250, arrearsFen: 0, extraFen: 2_000, specialFen: 50_000 }),
      expect.objectContaining({ orgId: sibling.id, dueFen: 6_000, collectedFen: 0, arrearsFen: 6_000 }),
    ]);
    // the account and the bill list agree: one source
    const bills = (await unitAdmin.get(`/api/dues/bills?orgId=${unit.id}&month=2026-01`)).json();
    expect([bills.total, bills.dueFen, bills.paidFen]).toEqual([account.org.billCount, account.org.dueFen, account.org.collectedFen]);
    const feb = (await unitAdmin.get(`/api/dues/accounts?orgId=${unit.id}&month=2026-02`)).json();
    expect(feb.org).toMatchObject({ dueFen: 16_250, collectedFen: 9_000, extraFen: 0 });
    expect((await branchAAdmin.get(`/api/dues/accounts?orgId=${unit.id}&month=2026-01`)).statusCode).toBe(404);
  });

  it('remits to the level above, which alone confirms receipt', async () => {
    const { unit, unitAdmin } = ctxState;
    const res = await admin.post('/api/dues/remittances', { fromOrgId: branch.id, month: '2026-01', amountFen: 10_250 + 2_000 + 50_000, specialFen: 50_000, remittedOn: '2026-01-31', method: 'transfer', reference: 'HB20260131001' });
    expect(res.statusCode, res.body).toBe(201);
    remitted = res.json();
    expect(res.json()).toMatchObject({ toOrgId: unit.id, status: 'sent', canConfirm: false });
    expect((await admin.post(`/api/dues/remittances/${remitted.id}/confirm`)).statusCode).toBe(403);
    expect((await branchAAdmin.post(`/api/dues/remittances/${remitted.id}/confirm`)).statusCode).toBe(404);
    const received = (await unitAdmin.get(`/api/dues/remittances?orgId=${unit.id}&direction=received`)).json();
    expect(received.items).toEqual([expect.objectContaining({ id: remitted.id, canConfirm: true, amountFen: 62_250 })]);
    expect((await unitAdmin.post(`/api/dues/remittances/${remitted.id}/confirm`)).json()).toMatchObject({ status: 'confirmed', canConfirm: false });
    expect((await unitAdmin.post(`/api/dues/remittances/${remitted.id}/confirm`)).statusCode).toBe(409);
    const account = (await unitAdmin.get(`/api/dues/accounts?orgId=${unit.id}&month=2026-01`)).json();
    expect(account.org.receivedFen).toBe(62_250);
    expect(account.children[0]).toMatchObject({ remittedFen: 62_250, remittedConfirmedFen: 62_250 });
    // the top of a tree has nobody to remit to; a special part cannot exceed the amount
    expect((await rootAdmin.post('/api/dues/remittances', { fromOrgId: root.id, month: '2026-01', amountFen: 1, remittedOn: '2026-01-31', method: 'cash' })).json().error.fields.fromOrgId).toContain('最高层级');
    expect((await admin.post('/api/dues/remittances', { fromOrgId: branch.id, month: '2026-01', amountFen: 1, specialFen: 2, remittedOn: '2026-01-31', method: 'cash' })).json().error.fields.specialFen).toContain('不能超过');
  });

  it('reconciles a bank statement: matched by reference or by amount and date, differences and what is missing on either side, with exact sums', async () => {
    const { unit, unitAdmin, sibling } = ctxState;
    const siblingAdmin = await login(ctx.app, await makeUser(ctx.database.db, [{ role: 'org_admin', org: sibling }]));
    await siblingAdmin.post('/api/dues/remittances', { fromOrgId: sibling.id, month: '2026-01', amountFen: 6_000, remittedOn: '2026-02-02', method: 'transfer', reference: 'HB20260202009' });
    await siblingAdmin.post('/api/dues/remittances', { fromOrgId: sibling.id, month: '2026-02', amountFen: 3_000, remittedOn: '2026-02-20', method: 'transfer' });
    await unitAdmin.post('/api/dues/expenditures', { orgId: unit.id, spentOn: '2026-02-10', purpose: 'materials', amountFen: 45_600, description: '订阅《党建》杂志', voucherNo: 'PZ-01' });
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('明细');
    sheet.addRow(['中国银行 账户明细']);
    sheet.addRow(['交易日期', '收入金额', '支出金额', '对方户名', '摘要', '流水号']);
    sheet.addRow([new Date('2026-01-31T00:00:00Z'), 622.5, '', '审计一处党支部', '1月党费', 'HB20260131001']); // by reference
    sheet.addRow(['2026-02-02', 59.5, '', '审计二处党支部', '1月党费', 'HB20260202009']); // same reference, 0.50 short
    sheet.addRow(['2026/02/21', '30.00', '', '审计二处党支部', '2月党费', '']); // by amount, a day later
    sheet.addRow(['2026-02-25', '', 5, '', '账户管理费', 'FEE0225']); // the bank's fee: not in the books
    sheet.addRow(['2026-03-05', 1000, '', '', '期间外', 'X']); // outside the period
    sheet.addRow(['合计', '', '', '', '', '']);
    const upload = multipartFile('对账单.xlsx', Buffer.from(await book.xlsx.writeBuffer()));
    const res = await unitAdmin.post(`/api/dues/reconciliations?orgId=${unit.id}&from=2026-01-01&to=2026-02-28`, upload.body, upload.headers);
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    expect(r.matched.map((m: { line: { row: number }; record: { type: string; amountFen: number } }) => [m.line.row, m.record.type, m.record.amountFen])).toEqual([
      [3, 'remittance_received', 62_250], [5, 'remittance_received', 3_000],
    ]);
    expect(r.differences).toEqual([expect.objectContaining({ line: expect.objectContaining({ row: 4, amountFen: 5_950 }), record: expect.objectContaining({ amountFen: 6_000 }), differenceFen: -50 })]);
    expect(r.unmatchedLines.map((l: { row: number; amountFen: number }) => [l.row, l.amountFen])).toEqual([[6, -500]]);
    expect(r.unmatchedRecords.map((x: { type: string; amountFen: number }) => [x.type, x.amountFen])).toEqual([['expenditure', -45_600]]);
    expect([r.statementNetFen, r.recordsNetFen, r.matchedNetFen]).toEqual([62_250 + 5_950 + 3_000 - 500, 62_250 + 6_000 + 3_000 - 45_600, 65_250]);
    expect((await unitAdmin.get(`/api/dues/reconciliations/${r.id}`)).json().matched.length).toBe(2);
    expect((await branchAAdmin.get(`/api/dues/reconciliations/${r.id}`)).statusCode).toBe(404);
    const exported = await unitAdmin.get(`/api/dues/reconciliations/${r.id}/export.xlsx`);
    expect(exported.statusCode).toBe(200);
    // a line without a date or amount is named, and nothing is kept
    const before = await countRows(ctx.database.db, 'dues_reconciliations');
    const bad = new ExcelJS.Workbook();
    const s = bad.addWorksheet('x');
    s.addRow(['交易日期', '金额']);
    s.addRow(['昨天', 10]);
    const badUpload = multipartFile('bad.xlsx', Buffer.from(await bad.xlsx.writeBuffer()));
    const refused = await unitAdmin.post(`/api/dues/reconciliations?orgId=${unit.id}&from=2026-01-01&to=2026-02-28`, badUpload.body, badUpload.headers);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields.file).toContain('第 2 行');
    expect(await countRows(ctx.database.db, 'dues_reconciliations')).toBe(before);
  });

  it('states the year for 公示, frozen when published and shown to the members below', async () => {
    const { unit, unitAdmin } = ctxState;
    const figures = (await unitAdmin.get(`/api/dues/statement?orgId=${unit.id}&year=2026`)).json();
    expect(figures).toMatchObject({
      orgName: '市审计局机关党委', payingMembers: 3, dueFen: 2 * 16_250, collectedFen: 10_250 + 9_000, arrearsFen: 32_500 - 19_250, extraFen: 2_000, specialFen: 50_000,
      receivedFromBelowFen: 62_250 + 6_000 + 3_000, remittedUpFen: 0, spentFen: 45_600, spentByPurpose: [{ purpose: 'materials', amountFen: 45_600 }],
    });
    expect(figures.byMonth[0]).toEqual({ month: '2026-01', dueFen: 16_250, collectedFen: 10_250 });
    const published = await unitAdmin.post('/api/dues/statements', { orgId: unit.id, year: 2026 });
    expect(published.statusCode, published.body).toBe(201);
    // an expense after publication changes the live figures, not the published ones
    const spent = (await unitAdmin.post('/api/dues/expenditures', { orgId: unit.id, spentOn: '2026-03-01', purpose: 'hardship', amountFen: 20_000, description: '慰问困难党员' })).json();
    expect((await unitAdmin.get(`/api/dues/statement?orgId=${unit.id}&year=2026`)).json().spentFen).toBe(65_600);
    const reversed = await unitAdmin.post(`/api/dues/expenditures/${spent.id}/reverse`);
    expect(reversed.json()).toMatchObject({ amountFen: -20_000, reversesId: spent.id });
    expect((await unitAdmin.post(`/api/dues/expenditures/${spent.id}/reverse`)).statusCode).toBe(409);
    expect((await unitAdmin.get(`/api/dues/statement?orgId=${unit.id}&year=2026`)).json().spentFen).toBe(45_600);
    const me = await login(ctx.app, await makeUser(ctx.database.db, [{ role: 'member' }], { memberId: b.id }));
    const mine = (await me.get('/api/dues/me')).json();
    expect(mine.statements).toEqual([expect.objectContaining({ orgName: '市审计局机关党委', year: 2026, figures: expect.objectContaining({ spentFen: 45_600, collectedFen: 19_250 }) })]);
    const outsiderMember = await login(ctx.app, await makeUser(ctx.database.db, [{ role: 'member' }], { memberId: (await member(branchA, '外单位')).id }));
    expect((await outsiderMember.get('/api/dues/me')).json().statements).toEqual([]);
    const xlsx = await unitAdmin.get(`/api/dues/statement.xlsx?orgId=${unit.id}&year=2026`);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.getRow(6).values).toEqual([undefined, '实缴党费', 192.5]);
  });
});

describe('bases by spreadsheet', () => {
  it('fills in the year’s template and imports it with a report per row', async () => {
    const { db } = ctx.database;
    const branch = await makeOrg(db, committee, { name: '办公室党支部' });
    const admin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branch }]));
    const x = await member(branch, '张一');
    const y = await member(branch, '张二');
    const z = await member(branch, '张三');
    const template = await admin.get(`/api/dues/bases/template.xlsx?orgId=${branch.id}&year=2026`);
    expect(template.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, '党员编号', '姓名', '所在党组织', '类别', '月收入（元）', '农民党员月交纳（元）', '备注']);
    const rows = new Map<string, number>();
    sheet.eachRow((row, n) => { if (n > 1) rows.set(String(row.getCell(2).value), n); });
    expect([...rows.keys()].sort()).toEqual(['张一', '张三', '张二']);
    sheet.getRow(rows.get('张一')!).getCell(4).value = '在职';
    sheet.getRow(rows.get('张一')!).getCell(5).value = 3000.01;
    sheet.getRow(rows.get('张二')!).getCell(4).value = '离退休';
    sheet.getRow(rows.get('张二')!).getCell(5).value = '4,800.50';
    sheet.getRow(rows.get('张三')!).getCell(4).value = '退伍';
    const extra = sheet.addRow([x.id, '李四', '', '学生', '', '', '']);
    extra.commit();
    const upload = multipartFile('基数.xlsx', Buffer.from(await book.xlsx.writeBuffer()));
    const res = await admin.post(`/api/dues/bases/import?orgId=${branch.id}&year=2026`, upload.body, upload.headers);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report.imported).toBe(2);
    const byName = (name: string) => report.rows.find((r: { name: string }) => r.name === name);
    expect(byName('张一')).toMatchObject({ ok: true, monthlyFen: 3_000 });
    expect(byName('张二')).toMatchObject({ ok: true, monthlyFen: 2_400 }); // 4,800.50 × 0.5% = 24.0025
    expect(byName('张三')).toMatchObject({ ok: false, message: expect.stringContaining('类别应为') });
    expect(byName('李四')).toMatchObject({ ok: false, message: '姓名与党员编号不符' });
    const list = (await admin.get(`/api/dues/bases?orgId=${branch.id}&year=2026&filter=missing`)).json();
    expect(list.items.map((m: { memberId: string }) => m.memberId)).toEqual([z.id]);
    expect((await admin.get(`/api/dues/bases?orgId=${branch.id}&year=2026`)).json().items.find((m: { memberId: string }) => m.memberId === y.id))
      .toMatchObject({ category: 'retired', baseFen: 480_050, monthlyFen: 2_400 });
  });
});

describe('who may do what', () => {
  it('answers 401 without a session and keeps another tree’s records out of reach', async () => {
    const anonymous = await ctx.app.inject({ method: 'GET', url: `/api/dues/bills?orgId=${branchA.id}` });
    expect(anonymous.statusCode).toBe(401);
    const m = await member(branchA, '越权对象');
    expect((await outsiderAdmin.put(`/api/dues/bases/${m.id}`, { year: 2026, category: 'student' })).json().error.fields.memberId).toBe('党员不存在或不在您的管理范围内');
    expect((await outsiderAdmin.get(`/api/dues/bases?orgId=${branchA.id}&year=2026`)).statusCode).toBe(404);
    expect((await outsiderAdmin.get(`/api/dues/arrears?orgId=${branchA.id}`)).statusCode).toBe(404);
    expect((await outsiderAdmin.get(`/api/dues/statement?orgId=${committee.id}&year=2026`)).statusCode).toBe(404);
    expect((await outsiderAdmin.post('/api/dues/reductions', { memberId: m.id, kind: 'exempt', fromMonth: '2026-01', toMonth: '2026-02', reason: 'x', decidedOn: '2026-01-01' })).statusCode).toBe(400);
    expect((await branchBAdmin.post('/api/dues/me/online-payments', { billIds: ['1'] })).statusCode).toBe(503);
    expect((await branchBAdmin.get('/api/dues/me')).statusCode).toBe(403);
  });
});

describe('online payment through the site’s provider', () => {
  // the provider is outside the system: a stand-in that signs its notifications with a shared secret
  const secret = 'provider-secret';
  const sign = (body: string) => crypto.createHmac('sha256', secret).update(body).digest('hex');
  const provider: DuesPaymentGateway = {
    name: 'test-bank',
    createOrder: async (order) => ({ payUrl: `https://pay.example.cn/cashier?order=${order.orderNo}&amount=${order.amountFen}` }),
    verifyNotification: async ({ headers, body }) => {
      const text = JSON.stringify(body);
      if (headers['x-signature'] !== sign(text)) return null;
      const b = body as { orderNo: string; amountFen: number; tradeNo: string };
      return { orderNo: b.orderNo, amountFen: b.amountFen, reference: b.tradeNo };
    },
  };
  afterAll(() => registerDuesPaymentGateway(null));

  it('tells members to pay their branch while the site has no provider, then pays the months once when the signed notification arrives', async () => {
    const { db } = ctx.database;
    const m = await member(branchB, '线上缴费');
    await setBase(branchBAdmin, m, { category: 'employed', baseFen: 320_000 }); // 32.00
    await generate(branchBAdmin, branchB, '2026-10', '2026-11');
    const bills = await billsOf(branchBAdmin, branchB, m);
    const me = await login(ctx.app, await makeUser(db, [{ role: 'member' }], { memberId: m.id }));
    const none = await me.post('/api/dues/me/online-payments', { billIds: bills.map((b) => b.id) });
    expect(none.statusCode).toBe(503);
    expect(none.json().error.message).toBe('本站未接入线上支付，请向党支部缴纳');

    registerDuesPaymentGateway(provider);
    const order = await me.post('/api/dues/me/online-payments', { billIds: bills.map((b) => b.id) });
    expect(order.statusCode, order.body).toBe(200);
    expect(order.json()).toMatchObject({ amountFen: 6_400, payUrl: expect.stringContaining('amount=6400') });
    // someone else's bills cannot be put in an order
    const [other] = await billsOf(committeeAdmin, committee, (await db.execute<{ id: string } & Record<string, unknown>>(sql`select member_id::text as id from dues_bills where member_id <> ${m.id} and paid_fen < due_fen limit 1`)).rows[0]!);
    expect((await me.post('/api/dues/me/online-payments', { billIds: [other?.id ?? '1'] })).statusCode).toBe(400);

    const notify = (body: object, signature = sign(JSON.stringify(body))) =>
      ctx.app.inject({ method: 'POST', url: '/api/dues/online-payments/notify', payload: body, headers: { 'x-signature': signature } });
    const paid = { orderNo: order.json().orderNo, amountFen: 6_400, tradeNo: 'T20261120001' };
    expect((await notify(paid, 'forged')).statusCode).toBe(400);
    expect((await notify({ ...paid, amountFen: 1 })).json().error.code).toBe('dues.order_amount_mismatch');
    const first = await notify(paid);
    expect(first.statusCode, first.body).toBe(200);
    const again = await notify(paid);
    expect(again.json().paymentId).toBe(first.json().paymentId);
    const mine = (await me.get('/api/dues/me')).json();
    expect(mine.payments).toEqual([expect.objectContaining({ method: 'online', totalFen: 6_400, reference: 'T20261120001' })]);
    expect((await billsOf(branchBAdmin, branchB, m)).map((b) => b.status)).toEqual(['paid', 'paid']);
  });
});
