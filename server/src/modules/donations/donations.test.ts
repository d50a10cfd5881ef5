import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { makePerson, signedInPerson, type PersonFixture, type SignedInPerson } from '../../../test/serving-fixtures.js';

let ctx: TestContext;
let root: OrgFixture, unitA: OrgFixture, branchA1: OrgFixture, unitB: OrgFixture, otherRoot: OrgFixture;
let rootAdmin: Client, unitAAdmin: Client, unitBAdmin: Client;
let memberA1: SignedInPerson, memberB: PersonFixture, outsider: PersonFixture;
let campaign: { id: string };

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  unitA = await makeOrg(db, root, { name: '市财政局党委', type: 'party_committee' });
  branchA1 = await makeOrg(db, unitA, { name: '预算科党支部' });
  unitB = await makeOrg(db, root, { name: '市税务局党委', type: 'party_committee' });
  otherRoot = await makeOrg(db, null, { name: '邻市机关工委' });
  rootAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: root }]));
  unitAAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: unitA }]));
  unitBAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: unitB }]));
  memberA1 = await signedInPerson(ctx, branchA1, '钱多');
  memberB = await makePerson(db, unitB, '孔方');
  outsider = await makePerson(db, otherRoot, '外人');
});
afterAll(async () => ctx?.close());

async function snapshot() {
  const db = ctx.database.db;
  const counts = await Promise.all(['donation_campaigns', 'donations', 'audit_log'].map((t) => countRows(db, t)));
  const sum = await db.execute(sql`select coalesce(sum(amount_fen), 0)::text as s from donations`);
  return JSON.stringify({ counts, sum: sum.rows });
}

describe('donation ledger', () => {
  it('records gifts of orgs, members and anonymous donors in fen, with totals per campaign and per org', async () => {
    const created = await rootAdmin.post('/api/donations/campaigns', { orgId: root.id, title: '“七一”困难党员帮扶捐款', startsOn: '2026-06-01', endsOn: '2026-07-01', goalFen: 10_000_000 });
    expect(created.statusCode, created.body).toBe(201);
    campaign = created.json();
    const gifts = [
      { donorType: 'org', donorOrgId: unitA.id, amountFen: 500_000, donatedOn: '2026-06-02', receiptNo: 'R-001' },
      { donorType: 'member', donorMemberId: memberA1.id, amountFen: 20_050, donatedOn: '2026-06-03', receiptNo: 'R-002' },
      { donorType: 'member', donorMemberId: memberB.id, amountFen: 10_000, donatedOn: '2026-06-03', receiptNo: 'R-003' },
      { donorType: 'anonymous', amountFen: 8_888, donatedOn: '2026-06-04', receiptNo: 'R-004', note: '现金' },
      { donorType: 'org', donorOrgId: branchA1.id, amountFen: 100_000, donatedOn: '2026-06-05', receiptNo: 'R-005' },
    ];
    for (const g of gifts) {
      const res = await rootAdmin.post(`/api/donations/campaigns/${campaign.id}/donations`, g);
      expect(res.statusCode, res.body).toBe(201);
    }
    const ledger = (await rootAdmin.get(`/api/donations/campaigns/${campaign.id}/donations`)).json();
    expect(ledger.items.map((d: { donorName: string; amountFen: number; creditedOrgName: string | null }) => [d.donorName, d.amountFen, d.creditedOrgName])).toEqual([
      ['预算科党支部', 100_000, '预算科党支部'], ['匿名', 8_888, null], ['孔方', 10_000, '市税务局党委'], ['钱多', 20_050, '预算科党支部'], ['市财政局党委', 500_000, '市财政局党委'],
    ]);
    expect((await rootAdmin.get(`/api/donations/campaigns/${campaign.id}`)).json()).toMatchObject({ totalFen: 638_938, donationCount: 5, goalFen: 10_000_000 });
    expect((await rootAdmin.get(`/api/donations/campaigns/${campaign.id}/totals`)).json()).toEqual({
      campaignId: campaign.id,
      totalFen: 638_938,
      count: 5,
      anonymousFen: 8_888,
      byOrg: [
        { orgId: unitA.id, orgName: '市财政局党委', totalFen: 500_000, count: 1 },
        { orgId: branchA1.id, orgName: '预算科党支部', totalFen: 120_050, count: 2 },
        { orgId: unitB.id, orgName: '市税务局党委', totalFen: 10_000, count: 1 },
      ],
    });
    expect((await rootAdmin.get(`/api/donations/org-totals?orgId=${root.id}`)).json()).toEqual({
      orgId: root.id, totalFen: 630_050, count: 4,
      byChildOrg: [{ orgId: unitA.id, orgName: '市财政局党委', totalFen: 620_050, count: 3 }, { orgId: unitB.id, orgName: '市税务局党委', totalFen: 10_000, count: 1 }],
    });
    expect((await unitAAdmin.get(`/api/donations/org-totals?orgId=${unitA.id}&from=2026-06-03&to=2026-06-04`)).json()).toMatchObject({ totalFen: 20_050, count: 1 });
    expect((await unitAAdmin.get(`/api/donations/org-totals?orgId=${root.id}`)).statusCode).toBe(404);
  });

  it('shows members the campaign and its totals but not the named ledger', async () => {
    expect((await memberA1.client.get(`/api/donations/campaigns/${campaign.id}`)).json()).toMatchObject({ totalFen: 638_938, canManage: false });
    expect((await memberA1.client.get(`/api/donations/campaigns/${campaign.id}/donations`)).statusCode).toBe(403);
    expect((await unitBAdmin.get(`/api/donations/campaigns/${campaign.id}/donations`)).statusCode).toBe(404);
    expect((await unitBAdmin.post(`/api/donations/campaigns/${campaign.id}/donations`, { donorType: 'anonymous', amountFen: 1, donatedOn: '2026-06-01', receiptNo: 'X' })).statusCode).toBe(404);
  });

  it.each([
    ['an amount with fractions of a fen', { donorType: 'anonymous', amountFen: 12.5, donatedOn: '2026-06-01', receiptNo: 'N1' }, 'amountFen', '类型不正确，应为整数'],
    ['a zero amount', { donorType: 'anonymous', amountFen: 0, donatedOn: '2026-06-01', receiptNo: 'N1' }, 'amountFen', '不能小于 1'],
    ['an amount as text', { donorType: 'anonymous', amountFen: '100', donatedOn: '2026-06-01', receiptNo: 'N1' }, 'amountFen', '类型不正确，应为数字'],
    ['an org gift without the org', { donorType: 'org', amountFen: 100, donatedOn: '2026-06-01', receiptNo: 'N1' }, 'donorOrgId', '必填'],
    ['an anonymous gift naming a member', { donorType: 'anonymous', donorMemberId: '1', amountFen: 100, donatedOn: '2026-06-01', receiptNo: 'N1' }, 'donorMemberId', '与捐款人类型不符'],
    ['a receipt number already recorded', { donorType: 'anonymous', amountFen: 100, donatedOn: '2026-06-01', receiptNo: 'R-001' }, 'receiptNo', '该收据编号已登记'],
    ['a member of another tree', { donorType: 'member', donorMemberId: 'outsider', amountFen: 100, donatedOn: '2026-06-01', receiptNo: 'N1' }, 'donorMemberId', '党员不存在或不在本系统内'],
    ['an org of another tree', { donorType: 'org', donorOrgId: 'otherRoot', amountFen: 100, donatedOn: '2026-06-01', receiptNo: 'N1' }, 'donorOrgId', '党组织不存在'],
    ['a missing date', { donorType: 'anonymous', amountFen: 100, receiptNo: 'N1' }, 'donatedOn', '必填'],
  ])('answers 400 for %s and changes nothing', async (_case, body, field, message) => {
    const before = await snapshot();
    const payload: Record<string, unknown> = { ...body };
    if (payload.donorMemberId === 'outsider') payload.donorMemberId = outsider.id;
    if (payload.donorOrgId === 'otherRoot') payload.donorOrgId = otherRoot.id;
    const res = await rootAdmin.post(`/api/donations/campaigns/${campaign.id}/donations`, payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect(await snapshot()).toBe(before);
  });

  it.each([
    ['ends before it starts', { orgId: 'root', title: '活动', startsOn: '2026-06-01', endsOn: '2026-05-01' }, 'endsOn', '结束日期不能早于开始日期'],
    ['a goal of 0', { orgId: 'root', title: '活动', startsOn: '2026-06-01', goalFen: 0 }, 'goalFen', '不能小于 1'],
    ['an org outside the scope', { orgId: 'unitA', title: '活动', startsOn: '2026-06-01' }, 'orgId', '党组织不存在'],
  ])('answers 400 for a campaign with %s and changes nothing', async (_case, body, field, message) => {
    const before = await snapshot();
    const res = await unitBAdmin.post('/api/donations/campaigns', { ...body, orgId: body.orgId === 'root' ? unitB.id : unitA.id });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect(await snapshot()).toBe(before);
  });
});
