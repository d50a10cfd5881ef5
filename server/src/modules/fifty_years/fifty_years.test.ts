import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeMember, makeOrg, makeUser, startTestApp, type Client, type MemberFixture, type OrgFixture, type TestContext } from '../../../test/harness.js';
import type { FiftyYearsPage } from '../../../../contracts/fifty_years.js';
import { exportStreams } from '../../platform/xlsx-stream.js';

/**
 * 光荣在党50年: the year's list from the roll, per subtree, and the 纪念章 recorded once.
 *
 *   工委 root ← rootAdmin
 *   ├── 财政局机关党委 bureau ← bureauAdmin
 *   │   ├── 预算处党支部 branchA ← secretaryA   (dec31 1976-12-31, feb29 1976-02-29, jan1 1977-01-01, left 1976-05-01 left, young 1990)
 *   │   └── 国库处党支部 branchB                 (b 1976-06-01)
 *   └── 教育局机关党委 otherBureau ← otherAdmin  (other 1976-03-01)
 */
let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branchA: OrgFixture, branchB: OrgFixture, otherBureau: OrgFixture;
let rootAdmin: Client, bureauAdmin: Client, secretaryA: Client, otherAdmin: Client, memberClient: Client;
const m: Record<string, MemberFixture> = {};
const db = () => ctx.database.db;

beforeAll(async () => {
  ctx = await startTestApp();
  root = await makeOrg(db(), null, { name: '五十年测试工委' });
  bureau = await makeOrg(db(), root, { name: '财政局机关党委', type: 'organ_committee' });
  branchA = await makeOrg(db(), bureau, { name: '预算处党支部' });
  branchB = await makeOrg(db(), bureau, { name: '国库处党支部' });
  otherBureau = await makeOrg(db(), root, { name: '教育局机关党委', type: 'organ_committee' });
  m.dec31 = await makeMember(db(), branchA, { name: '张年末', joinedOn: '1976-12-31', phone: '13912345678', idNumber: '11010519491231002X' });
  m.feb29 = await makeMember(db(), branchA, { name: '李闰日', joinedOn: '1976-02-29', gender: 'female' });
  m.jan1 = await makeMember(db(), branchA, { name: '王年初', joinedOn: '1977-01-01' });
  m.left = await makeMember(db(), branchA, { name: '赵已故', joinedOn: '1976-05-01', leftAt: new Date('2025-03-01T00:00:00Z') });
  m.young = await makeMember(db(), branchA, { name: '钱青年', joinedOn: '1990-07-01' });
  m.b = await makeMember(db(), branchB, { name: '孙国库', joinedOn: '1976-06-01' });
  m.other = await makeMember(db(), otherBureau, { name: '周教育', joinedOn: '1976-03-01' });
  rootAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: root }]));
  bureauAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: bureau }]));
  secretaryA = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: branchA }]));
  otherAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: otherBureau }]));
  memberClient = await login(ctx.app, await makeUser(db(), [{ role: 'member' }], { memberId: m.young.id }));
});
afterAll(async () => ctx?.close());

const names = (page: FiftyYearsPage) => page.items.map((i) => i.name);

describe('the year’s list', () => {
  it('lists exactly the members reaching 50 years in the year, on the roll, with counts per org', async () => {
    const res = await bureauAdmin.get(`/api/fifty-years?year=2026&orgId=${bureau.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as FiftyYearsPage;
    // joined order; 1977-01-01 reaches 50 in 2027, the one who left is not listed, nor other bureaus
    expect(names(page)).toEqual(['李闰日', '孙国库', '张年末']);
    expect(page.items.find((i) => i.name === '张年末')).toMatchObject({
      joinedOn: '1976-12-31', anniversaryOn: '2026-12-31', orgName: '预算处党支部', phoneMasked: '139****5678', idNumberMasked: '1101**********002X', onRoll: true, medal: null,
    });
    expect(page.items.find((i) => i.name === '李闰日')!.anniversaryOn).toBe('2026-02-28');
    expect(JSON.stringify(page)).not.toContain('13912345678');
    expect(page).toMatchObject({ total: 3, year: 2026, counts: { total: 3, issued: 0, notIssued: 3 } });
    expect(page.byOrg).toEqual([
      { orgId: branchA.id, orgName: '预算处党支部', total: 2, issued: 0 },
      { orgId: branchB.id, orgName: '国库处党支部', total: 1, issued: 0 },
    ]);
    // each count is the list its org opens
    expect((await bureauAdmin.get(`/api/fifty-years?year=2026&orgId=${branchA.id}`)).json().total).toBe(2);
    expect(names((await bureauAdmin.get('/api/fifty-years?year=2027')).json())).toEqual(['王年初']);
    expect(names((await rootAdmin.get('/api/fifty-years?year=2026')).json())).toEqual(['李闰日', '周教育', '孙国库', '张年末']);
    expect((await secretaryA.get('/api/fifty-years?year=2026')).json()).toMatchObject({ total: 2, byOrg: [{ orgId: branchA.id, total: 2 }] });
  });

  it('answers 404 for an org outside the scope, 400 for a bad year, 401 without a session, nothing for a plain member', async () => {
    expect((await otherAdmin.get(`/api/fifty-years?year=2026&orgId=${bureau.id}`)).statusCode).toBe(404);
    expect((await secretaryA.get(`/api/fifty-years?year=2026&orgId=${branchB.id}`)).statusCode).toBe(404);
    const bad = await bureauAdmin.get('/api/fifty-years?year=1800');
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toEqual(['year']);
    expect((await bureauAdmin.get('/api/fifty-years')).json().error.fields).toMatchObject({ year: '类型不正确，应为数字' });
    expect((await ctx.app.inject({ method: 'GET', url: '/api/fifty-years?year=2026' })).statusCode).toBe(401);
    expect((await memberClient.get('/api/fifty-years?year=2026')).json()).toMatchObject({ total: 0, items: [] });
  });
});

describe('the 纪念章', () => {
  let medalId: string;

  it('is recorded once per member, then shown in the list and its filters', async () => {
    const res = await secretaryA.post('/api/fifty-years/medals', { memberId: m.dec31!.id, orgId: branchA.id, issuedOn: '2026-07-01', note: '七一颁发' });
    expect(res.statusCode, res.body).toBe(201);
    medalId = res.json().id;
    expect(res.json()).toMatchObject({ memberId: m.dec31!.id, anniversaryYear: 2026, issuedOn: '2026-07-01', orgId: branchA.id, orgName: '预算处党支部', note: '七一颁发', revokedAt: null });
    const again = await bureauAdmin.post('/api/fifty-years/medals', { memberId: m.dec31!.id, orgId: bureau.id, issuedOn: '2026-07-02' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe('该党员的纪念章已登记颁发，不能重复登记');
    expect(await countRows(db(), 'fifty_year_medals')).toBe(1);
    const issued = (await bureauAdmin.get('/api/fifty-years?year=2026&issued=issued')).json() as FiftyYearsPage;
    expect(names(issued)).toEqual(['张年末']);
    expect(issued.items[0]!.medal).toMatchObject({ id: medalId, orgName: '预算处党支部' });
    expect(issued.counts).toEqual({ total: 3, issued: 1, notIssued: 2 });
    expect(names((await bureauAdmin.get('/api/fifty-years?year=2026&issued=not_issued')).json())).toEqual(['李闰日', '孙国库']);
    const audit = await db().execute<{ action: string } & Record<string, unknown>>(sql`select action from audit_log where target_type = 'fifty_year_medal' and target_id = ${medalId}`);
    expect(audit.rows.map((r) => r.action)).toEqual(['fifty_years.issue_medal']);
  });

  it('refuses bad input with the field named and nothing written', async () => {
    const before = await countRows(db(), 'fifty_year_medals');
    const cases: [Client, Record<string, unknown>, string, string][] = [
      [bureauAdmin, { memberId: m.jan1!.id, orgId: bureau.id, issuedOn: '2026-07-01' }, 'memberId', '该党员在颁发日期所在年度尚未满50年党龄'],
      [bureauAdmin, { memberId: m.young!.id, orgId: bureau.id, issuedOn: '2026-07-01' }, 'memberId', '该党员在颁发日期所在年度尚未满50年党龄'],
      [bureauAdmin, { memberId: m.left!.id, orgId: bureau.id, issuedOn: '2026-07-01' }, 'memberId', '该党员已不在党员名册中'],
      [bureauAdmin, { memberId: m.other!.id, orgId: bureau.id, issuedOn: '2026-07-01' }, 'memberId', '党员不存在或不在您的管理范围内'],
      [secretaryA, { memberId: m.b!.id, orgId: branchA.id, issuedOn: '2026-07-01' }, 'memberId', '党员不存在或不在您的管理范围内'],
      [bureauAdmin, { memberId: m.b!.id, orgId: branchA.id, issuedOn: '2026-07-01' }, 'orgId', '颁发单位须是该党员所在党组织或其上级'],
      [bureauAdmin, { memberId: m.b!.id, orgId: otherBureau.id, issuedOn: '2026-07-01' }, 'orgId', '党组织不存在或不在您的管理范围内'],
      [bureauAdmin, { memberId: m.b!.id, orgId: bureau.id, issuedOn: '2199-07-01' }, 'issuedOn', '颁发日期不能晚于今天'],
      [bureauAdmin, { memberId: m.b!.id, orgId: bureau.id, issuedOn: '2026-02-30' }, 'issuedOn', '日期格式应为 YYYY-MM-DD'],
      [bureauAdmin, { memberId: 'x', orgId: bureau.id, issuedOn: '2026-07-01' }, 'memberId', '编号格式不正确'],
    ];
    for (const [client, body, field, message] of cases) {
      const res = await client.post('/api/fifty-years/medals', body);
      expect(res.statusCode, `${JSON.stringify(body)}: ${res.body}`).toBe(400);
      expect(res.json().error.fields, JSON.stringify(body)).toMatchObject({ [field]: message });
    }
    expect((await ctx.app.inject({ method: 'POST', url: '/api/fifty-years/medals', payload: {} })).statusCode).toBe(401);
    expect(await countRows(db(), 'fifty_year_medals')).toBe(before);
  });

  it('revokes a mistaken record (404 outside the issuing org’s scope, 409 twice), after which it may be recorded again', async () => {
    expect((await otherAdmin.post(`/api/fifty-years/medals/${medalId}/revoke`, { reason: '越权' })).statusCode).toBe(404);
    expect((await bureauAdmin.post(`/api/fifty-years/medals/${medalId}/revoke`, { reason: ' ' })).json().error.fields).toMatchObject({ reason: expect.any(String) });
    const res = await bureauAdmin.post(`/api/fifty-years/medals/${medalId}/revoke`, { reason: '登记错误' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ revokeReason: '登记错误', revokedAt: expect.any(String) });
    expect((await bureauAdmin.post(`/api/fifty-years/medals/${medalId}/revoke`, { reason: '再次' })).statusCode).toBe(409);
    expect((await bureauAdmin.get('/api/fifty-years?year=2026')).json().counts.issued).toBe(0);
    const again = await bureauAdmin.post('/api/fifty-years/medals', { memberId: m.dec31!.id, orgId: bureau.id, issuedOn: '2026-07-01' });
    expect(again.statusCode, again.body).toBe(201);
    expect((await bureauAdmin.get('/api/fifty-years?year=2026&issued=issued')).json().items[0].medal.orgName).toBe('财政局机关党委');
  });
});

describe('the export', () => {
  it('streams the year’s list as .xlsx with masked numbers, audited', async () => {
    const completed = exportStreams.completed;
    const res = await bureauAdmin.get(`/api/fifty-years/export?year=2026&orgId=${bureau.id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows = book.worksheets[0]!.getSheetValues().slice(2).map((r) => (r as unknown[]).slice(1, 9));
    expect(rows).toEqual([
      ['李闰日', '女', '预算处党支部', '1976-02-29', '2026-02-28', undefined, undefined, '未颁发'],
      ['孙国库', '男', '国库处党支部', '1976-06-01', '2026-06-01', undefined, undefined, '未颁发'],
      ['张年末', '男', '预算处党支部', '1976-12-31', '2026-12-31', '1101**********002X', '139****5678', '已颁发'],
    ]);
    expect(exportStreams.completed).toBe(completed + 1);
    const audit = await db().execute<{ detail: { rowCount: number } } & Record<string, unknown>>(sql`select detail from audit_log where action = 'fifty_years.export'`);
    expect(audit.rows.map((r) => (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail).rowCount)).toEqual([3]);
    expect((await otherAdmin.get(`/api/fifty-years/export?year=2026&orgId=${bureau.id}`)).statusCode).toBe(404);
    expect((await bureauAdmin.get('/api/fifty-years/export?year=abc')).statusCode).toBe(400);
  });
});
