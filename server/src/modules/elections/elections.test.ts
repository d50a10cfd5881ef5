import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeMember, makeOrg, makeUser, startTestApp, type Client, type MemberFixture, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { todayInChina } from '../../../../contracts/china-time.js';
import { TINY_PNG, multipartFile } from '../../../test/serving-fixtures.js';

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branchA: OrgFixture, otherRoot: OrgFixture;
let rootAdmin: Client, bureauAdmin: Client, branchAdmin: Client, otherAdmin: Client;
let a1: MemberFixture, a2: MemberFixture, a3: MemberFixture, outsider: MemberFixture;
const db = () => ctx.database.db;

/** `today` (China) moved by `days`, as YYYY-MM-DD. */
const day = (days: number) => new Date(Date.parse(`${todayInChina()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const doc = (doneOn: string, title = '文件') => ({ doneOn, documentNo: '机党〔2026〕1号', documentTitle: title });

beforeAll(async () => {
  ctx = await startTestApp();
  root = await makeOrg(db(), null, { name: '市直机关工委' });
  bureau = await makeOrg(db(), root, { name: '市财政局机关党委', type: 'organ_committee' });
  branchA = await makeOrg(db(), bureau, { name: '预算处党支部', termEnd: day(20) });
  otherRoot = await makeOrg(db(), null, { name: '邻市机关工委' });
  rootAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: root }]));
  bureauAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: bureau }]));
  branchAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: branchA }]));
  otherAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: otherRoot }]));
  a1 = await makeMember(db(), branchA, { name: '王书记' });
  a2 = await makeMember(db(), branchA, { name: '李副书记' });
  a3 = await makeMember(db(), branchA, { name: '张委员' });
  outsider = await makeMember(db(), otherRoot, { name: '外人' });
});
afterAll(async () => ctx?.close());

const congress = (doneOn: string, fields: Record<string, unknown> = {}) => ({
  ...doc(doneOn, '选举大会决议'), termYears: 5, method: 'competitive', votersCount: 30, votesCast: 28,
  committee: [{ memberId: a1.id, role: 'secretary', votes: 27 }, { memberId: a2.id, role: 'deputy_secretary', votes: 26 }, { memberId: a3.id, role: 'committee_member', votes: 25 }],
  ...fields,
});

async function orgTerm(id: string): Promise<{ termStart: string | null; termEnd: string | null; isElectionDue: boolean }> {
  return (await rootAdmin.get(`/api/orgs/${id}`)).json();
}

describe('an election procedure', () => {
  it('goes 请示 → 批复 → 选举大会 → 报备 in order, the level above records 批复 and 报备, and the filing sets the org’s term', async () => {
    const start = await branchAdmin.post('/api/elections/procedures', { orgId: branchA.id });
    expect(start.statusCode, start.body).toBe(201);
    const p = start.json() as { id: string; nextStep: string; replacesTermEnd: string; canRecordNext: boolean };
    expect(p).toMatchObject({ nextStep: 'request', replacesTermEnd: day(20), canRecordNext: true });
    const url = `/api/elections/procedures/${p.id}`;

    expect((await branchAdmin.post('/api/elections/procedures', { orgId: branchA.id })).statusCode).toBe(409);
    const early = await branchAdmin.post(`${url}/congress`, congress(day(-5)));
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('election.step_out_of_order');
    expect((await branchAdmin.post(`${url}/request`, doc(day(-40), '关于换届选举的请示'))).statusCode).toBe(200);
    // 批复 is the level above's
    expect((await branchAdmin.post(`${url}/approval`, doc(day(-30)))).statusCode).toBe(403);
    const before = await bureauAdmin.post(`${url}/approval`, doc(day(-41)));
    expect(before.statusCode).toBe(400);
    expect(before.json().error.fields).toHaveProperty('doneOn');
    expect((await bureauAdmin.post(`${url}/approval`, doc(day(-30), '同意换届的批复'))).statusCode).toBe(200);
    expect((await bureauAdmin.post(`${url}/filing`, doc(day(-1)))).statusCode).toBe(409);

    const elected = await branchAdmin.post(`${url}/congress`, congress(day(-10)));
    expect(elected.statusCode, elected.body).toBe(200);
    expect(elected.json()).toMatchObject({ nextStep: 'filing', canRecordNext: false, status: 'in_progress' });
    // elected but not yet filed: the org's term (the 工作台's to-dos and reminders) is unchanged
    expect(await orgTerm(branchA.id)).toMatchObject({ termEnd: day(20), isElectionDue: true });

    const filed = await bureauAdmin.post(`${url}/filing`, doc(day(-2), '换届选举结果报备'));
    expect(filed.statusCode, filed.body).toBe(200);
    expect(filed.json()).toMatchObject({ status: 'completed', nextStep: null, steps: [{ step: 'request' }, { step: 'approval' }, { step: 'congress' }, { step: 'filing' }] });
    const endsOn = `${Number(day(-10).slice(0, 4)) + 5}${day(-10).slice(4)}`;
    expect(await orgTerm(branchA.id)).toMatchObject({ termStart: day(-10), termEnd: endsOn, isElectionDue: false });
    expect((await bureauAdmin.post(`${url}/filing`, doc(day(-1)))).statusCode).toBe(409);

    const terms = (await branchAdmin.get(`/api/elections/terms?orgId=${branchA.id}`)).json();
    expect(terms).toMatchObject({ total: 1, items: [{ electedOn: day(-10), endsOn, termYears: 5, method: 'competitive', votersCount: 30, votesCast: 28,
      filedOn: day(-2), isCurrent: true, procedureId: p.id,
      committee: [{ name: '王书记', role: 'secretary', votes: 27 }, { name: '李副书记', role: 'deputy_secretary', votes: 26 }, { name: '张委员', role: 'committee_member', votes: 25 }] }] });
  });

  it('keeps each step’s documents: uploaded by whoever records that step, read by whoever sees the election', async () => {
    const branch = await makeOrg(db(), bureau, { name: '文件测试党支部', termEnd: day(40) });
    const p = (await bureauAdmin.post('/api/elections/procedures', { orgId: branch.id })).json() as { id: string };
    const url = `/api/elections/procedures/${p.id}`;
    const upload = (client: Client, step: string, name = '请示.png', bytes = TINY_PNG) => {
      const file = multipartFile(name, bytes, 'image/png');
      return ctx.app.inject({ method: 'POST', url: `${url}/steps/${step}/files`, payload: file.body, headers: { ...file.headers, cookie: client.cookie, 'x-csrf-token': client.csrfToken } });
    };
    // a step not yet recorded has no documents
    const early = await upload(bureauAdmin, 'request');
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('election.step_not_recorded');
    expect((await bureauAdmin.post(`${url}/request`, doc(day(-20), '关于换届选举的请示'))).statusCode).toBe(200);
    const bad = await upload(bureauAdmin, 'request', '请示.exe', Buffer.from('MZ not a document'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty('file');
    const rows = await countRows(db(), 'election_step_files');
    expect((await upload(otherAdmin, 'request')).statusCode).toBe(404);
    expect(await countRows(db(), 'election_step_files')).toBe(rows);

    const uploaded = await upload(bureauAdmin, 'request', '换届请示（扫描件）.png');
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const files = uploaded.json().steps[0].files as { id: string; fileName: string; sizeBytes: number }[];
    expect(files).toEqual([{ id: expect.any(String), fileName: '换届请示（扫描件）.png', kind: 'photo', sizeBytes: TINY_PNG.length }]);
    expect(uploaded.json().fileSteps).toEqual(['request']);
    const download = await bureauAdmin.get(`${url}/files/${files[0]!.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.rawPayload.equals(TINY_PNG)).toBe(true);
    expect((await otherAdmin.get(`${url}/files/${files[0]!.id}`)).statusCode).toBe(404);

    // 批复 is the level above's: its documents too
    expect((await bureauAdmin.post(`${url}/approval`, doc(day(-15), '同意换届的批复'))).statusCode).toBe(200);
    const branchClient = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: branch }]));
    expect((await branchClient.get(url)).json().fileSteps).toEqual(['request']);
    expect((await upload(branchClient, 'approval')).statusCode).toBe(403);
    expect((await upload(rootAdmin, 'approval', '批复.png')).statusCode).toBe(201);
    expect((await branchClient.get(url)).json().steps[1].files).toMatchObject([{ fileName: '批复.png' }]);
    expect((await ctx.app.inject({ method: 'GET', url: `${url}/files/${files[0]!.id}` })).statusCode).toBe(401);
  });

  it('refuses a bad result with the field named, and changes nothing', async () => {
    const branch = await makeOrg(db(), bureau);
    const m = await makeMember(db(), branch);
    const id = ((await bureauAdmin.post('/api/elections/procedures', { orgId: branch.id })).json() as { id: string }).id;
    const url = `/api/elections/procedures/${id}`;
    await bureauAdmin.post(`${url}/request`, doc(day(-20)));
    await bureauAdmin.post(`${url}/approval`, doc(day(-15)));
    const terms = await countRows(db(), 'org_terms');
    const cases: [Record<string, unknown>, string][] = [
      [{ committee: [{ memberId: m.id, role: 'committee_member' }] }, 'committee'],
      [{ committee: [{ memberId: m.id, role: 'secretary' }, { memberId: m.id, role: 'committee_member' }] }, 'committee'],
      [{ committee: [{ memberId: outsider.id, role: 'secretary' }] }, 'committee'],
      [{ committee: [{ memberId: m.id, role: 'secretary', votes: 40 }], votesCast: 20 }, 'committee'],
      [{ votesCast: 31 }, 'votesCast'],
      [{ method: 'majority' }, 'method'],
      [{ doneOn: day(3) }, 'doneOn'],
      [{ documentTitle: '' }, 'documentTitle'],
    ];
    for (const [fields, field] of cases) {
      const res = await bureauAdmin.post(`${url}/congress`, congress(day(-10), { committee: [{ memberId: m.id, role: 'secretary' }], ...fields }));
      expect(res.statusCode, `${field}: ${res.body}`).toBe(400);
      expect(res.json().error.fields, field).toHaveProperty(field);
      expect(res.json().error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(await countRows(db(), 'org_terms')).toBe(terms);
    expect((await bureauAdmin.get(url)).json()).toMatchObject({ nextStep: 'congress' });
    const bad = await bureauAdmin.post('/api/elections/procedures', { orgId: otherRoot.id });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty('orgId');
  });

  it('is cancelled before its congress, not after', async () => {
    const branch = await makeOrg(db(), bureau);
    const id = ((await bureauAdmin.post('/api/elections/procedures', { orgId: branch.id })).json() as { id: string }).id;
    const res = await bureauAdmin.post(`/api/elections/procedures/${id}/cancel`, { reason: '机构调整' });
    expect(res.json()).toMatchObject({ status: 'cancelled', nextStep: null, cancelReason: '机构调整' });
    expect((await bureauAdmin.post(`/api/elections/procedures/${id}/request`, doc(day(-1)))).statusCode).toBe(409);
    expect((await bureauAdmin.post('/api/elections/procedures', { orgId: branch.id })).statusCode).toBe(201);
  });

  it('answers 404 outside the viewer’s subtree and 401 without a session', async () => {
    const list = (await rootAdmin.get(`/api/elections/procedures?orgId=${branchA.id}`)).json() as { items: { id: string }[]; total: number };
    expect(list.total).toBeGreaterThan(0);
    const id = list.items[0]!.id;
    expect((await otherAdmin.get(`/api/elections/procedures/${id}`)).statusCode).toBe(404);
    expect((await otherAdmin.post(`/api/elections/procedures/${id}/cancel`, { reason: 'x' })).statusCode).toBe(404);
    expect((await otherAdmin.get(`/api/elections/terms?orgId=${branchA.id}`)).statusCode).toBe(404);
    expect((await otherAdmin.get(`/api/elections/due?orgId=${branchA.id}`)).statusCode).toBe(404);
    expect((await otherAdmin.get('/api/elections/procedures')).json()).toMatchObject({ total: 0 });
    const term = ((await branchAdmin.get(`/api/elections/terms?orgId=${branchA.id}`)).json() as { items: { id: string }[] }).items[0]!.id;
    expect((await otherAdmin.get(`/api/elections/terms/${term}`)).statusCode).toBe(404);
    expect((await branchAdmin.get(`/api/elections/terms/${term}`)).statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/elections/due' })).statusCode).toBe(401);
  });
});

describe('terms from the archive', () => {
  it('set the org’s term when newest, and leave it when older', async () => {
    const branch = await makeOrg(db(), bureau);
    const m = await makeMember(db(), branch, { name: '刘书记' });
    const body = (electedOn: string, termYears: number) => ({ orgId: branch.id, electedOn, termYears, method: 'equal', votersCount: 12, votesCast: 12,
      committee: [{ memberId: m.id, role: 'secretary', votes: 12 }] });
    expect((await bureauAdmin.post('/api/elections/terms', body('2021-05-10', 3))).statusCode).toBe(201);
    expect(await orgTerm(branch.id)).toMatchObject({ termStart: '2021-05-10', termEnd: '2024-05-10' });
    expect((await bureauAdmin.post('/api/elections/terms', body('2016-05-10', 5))).statusCode).toBe(201);
    expect(await orgTerm(branch.id)).toMatchObject({ termStart: '2021-05-10', termEnd: '2024-05-10' });
    expect((await bureauAdmin.post('/api/elections/terms', body('2021-05-10', 3))).statusCode).toBe(409);
    const list = (await bureauAdmin.get(`/api/elections/terms?orgId=${branch.id}`)).json();
    expect(list).toMatchObject({ total: 2, items: [{ electedOn: '2021-05-10', isCurrent: true }, { electedOn: '2016-05-10', endsOn: '2021-05-10', isCurrent: false }] });
    const audited = await db().execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from audit_log where action = 'election.term_record' and org_path = ${branch.path}::ltree`);
    expect(Number(audited.rows[0]!.n)).toBe(2);
  });
});

describe('due lists', () => {
  it('list exactly the terms ending within 90, 60 and 30 days and those overdue, each figure the total of its list', async () => {
    const unit = await makeOrg(db(), root, { type: 'organ_committee' });
    const offsets = [0, 29, 30, 31, 59, 60, 61, 89, 90, 91, -1, -400];
    const orgs = new Map<number, OrgFixture>();
    for (const d of offsets) orgs.set(d, await makeOrg(db(), unit, { name: `到期${d}`, termEnd: day(d) }));
    await makeOrg(db(), unit, { name: '无任期' });
    const gone = await makeOrg(db(), unit, { name: '已撤销', termEnd: day(-5) });
    await db().execute(sql`update orgs set dissolved_at = now() where id = ${gone.id}`);
    const names = async (window: string) => {
      const res = await rootAdmin.get(`/api/elections/due?orgId=${unit.id}&window=${window}&pageSize=50`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { total: number; items: { orgName: string; daysLeft: number; isOverdue: boolean }[] };
    };
    const within = (n: number) => offsets.filter((d) => d >= 0 && d <= n).sort((x, y) => x - y).map((d) => `到期${d}`);
    for (const n of [90, 60, 30]) {
      const list = await names(String(n));
      expect(list.items.map((i) => i.orgName)).toEqual(within(n));
      expect(list.total).toBe(within(n).length);
    }
    const overdue = await names('overdue');
    expect(overdue.items.map((i) => [i.orgName, i.daysLeft, i.isOverdue])).toEqual([['到期-400', -400, true], ['到期-1', -1, true]]);
    expect((await rootAdmin.get(`/api/elections/due/summary?orgId=${unit.id}`)).json()).toEqual({ within90: 9, within60: 6, within30: 3, overdue: 2 });
    // the second page of a list, and an election under way shown on its row
    expect((await names('90')).items[1]).toMatchObject({ orgName: '到期29', daysLeft: 29, isOverdue: false });
    const page2 = (await rootAdmin.get(`/api/elections/due?orgId=${unit.id}&window=90&page=2&pageSize=5`)).json();
    expect(page2).toMatchObject({ total: 9, items: [{ orgName: '到期60' }, { orgName: '到期61' }, { orgName: '到期89' }, { orgName: '到期90' }] });
    const started = await rootAdmin.post('/api/elections/procedures', { orgId: orgs.get(-1)!.id });
    const startedId = (started.json() as { id: string }).id;
    expect((await names('overdue')).items[1]).toMatchObject({ orgName: '到期-1', procedureId: startedId, procedureNextStep: 'request' });
    const ref = (await rootAdmin.post(`/api/elections/procedures/${startedId}/request`, doc(day(0)))).json();
    expect(ref).toMatchObject({ nextStep: 'approval', canRecordNext: true });
    expect((await names('overdue')).items[1]).toMatchObject({ procedureNextStep: 'approval' });
    // a member of no admin scope sees empty lists
    expect((await otherAdmin.get('/api/elections/due?window=overdue')).json()).toMatchObject({ total: 0 });
  });
});
