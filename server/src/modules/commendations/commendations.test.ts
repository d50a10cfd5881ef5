import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInChina } from '../../../../contracts/china-time.js';
import { countRows, login, makeMember, makeOrg, makeUser, startTestApp, type Client, type MemberFixture, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { parsePdf } from '../../../test/pdf-structure.js';
import { pdfHexText } from '../../platform/pdf.js';

/** 表彰 (issue #16): 两优一先 rounds from quotas to award through the 公示, 微星光, 党纪处分 and the member's 奖惩. */
let ctx: TestContext;
let bureau: OrgFixture, branchA: OrgFixture, groupA: OrgFixture, branchB: OrgFixture, otherBranch: OrgFixture;
let bureauAdmin: Client, bureauAdmin2: Client, adminA: Client, adminB: Client, groupAdmin: Client, otherAdmin: Client, m1Client: Client;
let m1: MemberFixture, m2: MemberFixture, m3: MemberFixture, m4: MemberFixture, young: MemberFixture, probationary: MemberFixture, disciplined: MemberFixture;
let mB: MemberFixture, mGroup: MemberFixture, outsider: MemberFixture;
let schemeId = '';

const day = (offset: number) => new Date(Date.parse(`${todayInChina()}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
const hex = (text: string) => pdfHexText(text).slice(1, -1);
const YEAR = Number(todayInChina().slice(0, 4));

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  const root = await makeOrg(db, null, { name: '表彰测试工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branchA = await makeOrg(db, bureau, { name: '预算处党支部' });
  groupA = await makeOrg(db, branchA, { name: '预算处第一党小组', type: 'group' });
  branchB = await makeOrg(db, bureau, { name: '国库处党支部' });
  const otherBureau = await makeOrg(db, root, { name: '市教育局机关党委', type: 'organ_committee' });
  otherBranch = await makeOrg(db, otherBureau, { name: '教育局办公室党支部' });
  m1 = await makeMember(db, branchA, { name: '张红', joinedOn: '2015-06-01' });
  m2 = await makeMember(db, branchA, { name: '李明', joinedOn: '2018-06-01' });
  m3 = await makeMember(db, branchA, { name: '王芳', joinedOn: '2019-06-01' });
  m4 = await makeMember(db, branchA, { name: '赵刚', joinedOn: '2012-06-01' });
  young = await makeMember(db, branchA, { name: '钱新', joinedOn: day(-500) });
  probationary = await makeMember(db, branchA, { name: '孙预', stage: 'probationary', joinedOn: day(-100) });
  disciplined = await makeMember(db, branchA, { name: '周过', joinedOn: '2010-06-01' });
  mB = await makeMember(db, branchB, { name: '吴国', joinedOn: '2011-06-01' });
  mGroup = await makeMember(db, groupA, { name: '郑组', joinedOn: '2013-06-01' });
  outsider = await makeMember(db, otherBranch, { name: '冯外', joinedOn: '2010-06-01' });
  bureauAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: bureau }]));
  bureauAdmin2 = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: bureau }]));
  adminA = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchA }]));
  adminB = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchB }]));
  groupAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: groupA }]));
  otherAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: otherBureau }]));
  m1Client = await login(ctx.app, await makeUser(db, [{ role: 'member' }], { memberId: m1.id }));

  // a frozen assessment scheme ranking 预算处 first (manual scores entered and reviewed by two bureau admins)
  const indicator = await bureauAdmin.post('/api/assessment/indicators', { orgId: bureau.id, periodKind: 'annual', code: 'work', kind: 'manual', name: '党建工作', defaultWeight: 100 });
  expect(indicator.statusCode, indicator.body).toBe(201);
  const scheme = await bureauAdmin.post('/api/assessment/schemes', {
    orgId: bureau.id, name: '年度党建考核', periodStart: `${YEAR - 1}-01-01`, periodEnd: `${YEAR - 1}-12-31`, orgIds: [branchA.id, branchB.id],
    indicators: [{ indicatorId: indicator.json().id, weight: 100 }],
  });
  expect(scheme.statusCode, scheme.body).toBe(201);
  schemeId = scheme.json().id;
  for (const [org, value] of [[branchA, 95], [branchB, 70]] as const) {
    const entered = await bureauAdmin.post(`/api/assessment/schemes/${schemeId}/manual-scores`, { indicatorId: indicator.json().id, orgId: org.id, value, evidenceText: '材料' });
    expect(entered.statusCode, entered.body).toBe(200);
    expect((await bureauAdmin2.post(`/api/assessment/manual-scores/${entered.json().id}/review`, { decision: 'approved' })).statusCode).toBe(200);
  }
  expect((await bureauAdmin.post(`/api/assessment/schemes/${schemeId}/compute`)).json().status).toBe('computed');
});
afterAll(async () => ctx?.close());

describe('党纪处分 (the other half of 奖惩)', () => {
  it('is recorded by the admins of the member’s subtree, audited, and listed to them only', async () => {
    const res = await adminA.post('/api/commendations/discipline', { memberId: disciplined.id, kind: 'warning', decidedOn: day(-30), endsOn: day(150), note: '违反工作纪律' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ memberId: disciplined.id, memberName: '周过', kind: 'warning', inForce: true });
    const old = await adminA.post('/api/commendations/discipline', { memberId: m4.id, kind: 'warning', decidedOn: '2016-01-01', endsOn: '2016-07-01' });
    expect(old.json().inForce).toBe(false);
    expect((await bureauAdmin.get(`/api/commendations/discipline?memberId=${disciplined.id}`)).json()).toMatchObject({ total: 1 });
    expect((await adminB.get('/api/commendations/discipline')).json()).toMatchObject({ total: 0 });
    expect((await otherAdmin.get(`/api/commendations/discipline?memberId=${disciplined.id}`)).json()).toMatchObject({ total: 0 });
    const audit = await ctx.database.db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from audit_log where action = 'commendation.record_discipline'`);
    expect(Number(audit.rows[0]!.n)).toBe(2);
  });

  it('refuses bad input and members outside the scope, with nothing written', async () => {
    const before = await countRows(ctx.database.db, 'member_discipline_records');
    const cases: [Client, Record<string, unknown>, string][] = [
      [adminA, { memberId: outsider.id, kind: 'warning', decidedOn: day(-1) }, 'memberId'],
      [adminB, { memberId: m1.id, kind: 'warning', decidedOn: day(-1) }, 'memberId'],
      [adminA, { memberId: m1.id, kind: 'reprimand', decidedOn: day(-1) }, 'kind'],
      [adminA, { memberId: m1.id, kind: 'warning', decidedOn: day(-1), endsOn: day(-10) }, 'endsOn'],
      [adminA, { memberId: m1.id, kind: 'warning', decidedOn: '2026-02-30' }, 'decidedOn'],
    ];
    for (const [client, body, field] of cases) {
      const res = await client.post('/api/commendations/discipline', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.fields, JSON.stringify(body)).toHaveProperty(field);
    }
    expect((await ctx.app.inject({ method: 'GET', url: '/api/commendations/discipline' })).statusCode).toBe(401);
    expect(await countRows(ctx.database.db, 'member_discipline_records')).toBe(before);
  });
});

describe('a 两优一先 round', () => {
  let roundId = '';
  const nominations: Record<string, string> = {};
  const nominate = (c: Client, body: Record<string, unknown>) => c.post(`/api/commendations/rounds/${roundId}/nominations`, { deeds: '工作扎实，成绩突出', ...body });

  it('is started by the bureau with its kinds, deadline and minimum party age', async () => {
    const res = await bureauAdmin.post('/api/commendations/rounds', {
      orgId: bureau.id, year: YEAR, title: `${YEAR}年度“两优一先”评选表彰`, kinds: ['outstanding_member', 'advanced_org'], nominationDeadline: day(20),
    });
    expect(res.statusCode, res.body).toBe(201);
    roundId = res.json().id;
    expect(res.json()).toMatchObject({ status: 'nominating', minPartyYears: 1, canManage: true, quotas: [], counts: { submitted: 0 } });
    const cases: [Client, Record<string, unknown>, string][] = [
      [otherAdmin, { orgId: bureau.id, year: YEAR, title: 'x', kinds: ['advanced_org'], nominationDeadline: day(5) }, 'orgId'],
      [bureauAdmin, { orgId: bureau.id, year: YEAR, title: ' ', kinds: ['advanced_org'], nominationDeadline: day(5) }, 'title'],
      [bureauAdmin, { orgId: bureau.id, year: YEAR, title: 'x', kinds: [], nominationDeadline: day(5) }, 'kinds'],
      [bureauAdmin, { orgId: bureau.id, year: YEAR, title: 'x', kinds: ['advanced_org', 'advanced_org'], nominationDeadline: day(5) }, 'kinds'],
      [bureauAdmin, { orgId: bureau.id, year: YEAR, title: 'x', kinds: ['hero'], nominationDeadline: day(5) }, 'kinds.0'],
    ];
    for (const [client, body, field] of cases) {
      const bad = await client.post('/api/commendations/rounds', body);
      expect(bad.statusCode, JSON.stringify(body)).toBe(400);
      expect(bad.json().error.fields, JSON.stringify(body)).toHaveProperty(field);
    }
    expect(await countRows(ctx.database.db, 'commendation_rounds')).toBe(1);
    const noNotice = await bureauAdmin.get(`/api/commendations/rounds/${roundId}/public-notice`);
    expect(noNotice.statusCode, noNotice.body).toBe(200);
    expect(noNotice.json()).toBeNull();
    expect((await otherAdmin.get(`/api/commendations/rounds/${roundId}`)).statusCode).toBe(404);
    expect((await adminA.get(`/api/commendations/rounds/${roundId}`)).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/commendations/rounds' })).statusCode).toBe(401);
  });

  it('allocates places to orgs of its subtree, and extra places to the first of a frozen assessment', async () => {
    const set = await bureauAdmin.put(`/api/commendations/rounds/${roundId}/quotas`, { quotas: [
      { orgId: branchA.id, kind: 'outstanding_member', places: 2 }, { orgId: branchB.id, kind: 'outstanding_member', places: 1 }, { orgId: bureau.id, kind: 'advanced_org', places: 1 },
    ] });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().quotas).toHaveLength(3);
    const outside = await bureauAdmin.put(`/api/commendations/rounds/${roundId}/quotas`, { quotas: [{ orgId: otherBranch.id, kind: 'outstanding_member', places: 1 }] });
    expect(outside.json().error.fields).toHaveProperty('quotas.0.orgId');
    const kind = await bureauAdmin.put(`/api/commendations/rounds/${roundId}/quotas`, { quotas: [{ orgId: branchA.id, kind: 'outstanding_worker', places: 1 }] });
    expect(kind.json().error.fields).toHaveProperty('quotas.0.kind');
    expect((await adminA.put(`/api/commendations/rounds/${roundId}/quotas`, { quotas: [] })).statusCode).toBe(404);
    // not frozen yet: refused
    const early = await bureauAdmin.post(`/api/commendations/rounds/${roundId}/extra-quotas`, { schemeId, kind: 'outstanding_member', top: 1 });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.fields.schemeId).toBe('考核结果尚未冻结，不能据此分配名额');
    expect((await bureauAdmin.post(`/api/assessment/schemes/${schemeId}/freeze`)).json().status).toBe('frozen');
    expect((await otherAdmin.post(`/api/commendations/rounds/${roundId}/extra-quotas`, { schemeId, kind: 'outstanding_member', top: 1 })).statusCode).toBe(404);
    const extra = await bureauAdmin.post(`/api/commendations/rounds/${roundId}/extra-quotas`, { schemeId, kind: 'outstanding_member', top: 1 });
    expect(extra.statusCode, extra.body).toBe(200);
    expect(extra.json().quotas).toEqual(expect.arrayContaining([
      expect.objectContaining({ orgId: branchA.id, kind: 'outstanding_member', places: 2, extraPlaces: 1, extraNote: '年度党建考核 第1名', used: 0 }),
      expect.objectContaining({ orgId: branchB.id, kind: 'outstanding_member', places: 1, extraPlaces: 0 }),
    ]));
    // the branch sees the round and only its own quota
    const mine = (await adminA.get(`/api/commendations/rounds/${roundId}`)).json();
    expect(mine).toMatchObject({ canManage: false, quotas: [{ orgId: branchA.id, places: 2, extraPlaces: 1 }] });
    expect((await adminA.get('/api/commendations/rounds')).json()).toMatchObject({ total: 1 });
    expect((await otherAdmin.get('/api/commendations/rounds')).json()).toMatchObject({ total: 0 });
  });

  it('checks and refuses unqualified candidates: party age, probationary, discipline in force', async () => {
    const check = await adminA.post(`/api/commendations/rounds/${roundId}/nominations/check`, { kind: 'outstanding_member', memberId: disciplined.id });
    expect(check.statusCode, check.body).toBe(200);
    expect(check.json()).toMatchObject({ qualified: false, checks: [{ code: 'party_age', ok: true }, { code: 'full_member', ok: true }, { code: 'no_discipline', ok: false }] });
    const before = await countRows(ctx.database.db, 'commendation_nominations');
    const refusals: [MemberFixture, string][] = [[young, '党龄 0 年（要求不少于 1 年）'], [probationary, '预备党员'], [disciplined, '党纪处分影响期内：警告']];
    for (const [member, reason] of refusals) {
      const res = await nominate(adminA, { orgId: branchA.id, kind: 'outstanding_member', memberId: member.id });
      expect(res.statusCode, member.name).toBe(400);
      expect(res.json().error.fields.memberId, member.name).toContain('不符合推荐条件');
      expect(res.json().error.fields.memberId, member.name).toContain(reason);
    }
    expect(await countRows(ctx.database.db, 'commendation_nominations')).toBe(before);
  });

  it('takes nominations within the quota: the fourth of three places is 409', async () => {
    for (const member of [m1, m2, m3]) {
      const res = await nominate(adminA, { orgId: branchA.id, kind: 'outstanding_member', memberId: member.id });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ status: 'submitted', candidateName: member.name, candidateOrgName: '预算处党支部', qualified: true });
      nominations[member.name] = res.json().id;
    }
    const full = await nominate(adminA, { orgId: branchA.id, kind: 'outstanding_member', memberId: m4.id });
    expect(full.statusCode).toBe(409);
    expect(full.json().error.message).toBe('名额已满：优秀共产党员共 3 个名额，已推荐 3 个');
    expect((await nominate(adminA, { orgId: branchA.id, kind: 'outstanding_member', memberId: m1.id })).statusCode).toBe(409);
    const b = await nominate(adminB, { orgId: branchB.id, kind: 'outstanding_member', memberId: mB.id });
    expect(b.statusCode, b.body).toBe(201);
    nominations[mB.name] = b.json().id;
    const org = await nominate(bureauAdmin, { orgId: bureau.id, kind: 'advanced_org', candidateOrgId: branchA.id, deeds: '支部建设标准化' });
    expect(org.statusCode, org.body).toBe(201);
    expect(org.json()).toMatchObject({ candidateName: '预算处党支部', checks: [] });
    nominations.org = org.json().id;
  });

  it('refuses nominations out of scope, without a quota or with bad input', async () => {
    const before = await countRows(ctx.database.db, 'commendation_nominations');
    const cases: [Client, Record<string, unknown>, string][] = [
      [adminB, { orgId: branchB.id, kind: 'outstanding_member', memberId: m4.id }, 'memberId'],
      [adminA, { orgId: branchB.id, kind: 'outstanding_member', memberId: m4.id }, 'orgId'],
      [adminA, { orgId: branchA.id, kind: 'advanced_org', candidateOrgId: groupA.id }, 'orgId'],
      [adminA, { orgId: branchA.id, kind: 'outstanding_worker', memberId: m4.id }, 'kind'],
      [adminA, { orgId: branchA.id, kind: 'outstanding_member' }, 'memberId'],
      [adminA, { orgId: branchA.id, kind: 'outstanding_member', memberId: m4.id, deeds: '' }, 'deeds'],
    ];
    for (const [client, body, field] of cases) {
      const res = await nominate(client, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.fields, JSON.stringify(body)).toHaveProperty(field);
    }
    expect((await nominate(otherAdmin, { orgId: otherBranch.id, kind: 'outstanding_member', memberId: outsider.id })).statusCode).toBe(404);
    expect(await countRows(ctx.database.db, 'commendation_nominations')).toBe(before);
  });

  it('is reviewed by the round’s admins: approve, return with a reason; no 公示 while any awaits review', async () => {
    const list = (await adminA.get(`/api/commendations/rounds/${roundId}/nominations`)).json();
    expect(list.total).toBe(3);
    expect((await bureauAdmin.get(`/api/commendations/rounds/${roundId}/nominations`)).json().total).toBe(5);
    const pending = await bureauAdmin.post(`/api/commendations/rounds/${roundId}/public-notice`, { startsOn: day(0), endsOn: day(6) });
    expect(pending.statusCode).toBe(409);
    expect(pending.json().error.message).toBe('还有 5 个推荐未审核，请先审核后再公示');
    expect((await adminA.post(`/api/commendations/nominations/${nominations['张红']}/approve`)).statusCode).toBe(404);
    expect((await otherAdmin.post(`/api/commendations/nominations/${nominations['张红']}/approve`)).statusCode).toBe(404);
    for (const key of ['张红', '李明', '吴国', 'org']) {
      const res = await bureauAdmin.post(`/api/commendations/nominations/${nominations[key]}/approve`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().status).toBe('approved');
    }
    expect((await bureauAdmin.post(`/api/commendations/nominations/${nominations['王芳']}/return`, { reason: ' ' })).json().error.fields).toHaveProperty('reason');
    const returned = await bureauAdmin.post(`/api/commendations/nominations/${nominations['王芳']}/return`, { reason: '事迹材料不充分' });
    expect(returned.json()).toMatchObject({ status: 'returned', statusReason: '事迹材料不充分' });
    expect((await bureauAdmin.post(`/api/commendations/nominations/${nominations['张红']}/approve`)).statusCode).toBe(409);
    const round = (await bureauAdmin.get(`/api/commendations/rounds/${roundId}`)).json();
    expect(round.counts).toEqual({ submitted: 0, approved: 4, returned: 1, withdrawn: 0, awarded: 0 });
    expect(round.quotas.find((q: { orgId: string }) => q.orgId === branchA.id).used).toBe(2);
  });

  it('opens the 公示 over the approved; awarding before it ends is 409; an upheld objection withdraws a nomination', async () => {
    expect((await bureauAdmin.post(`/api/commendations/rounds/${roundId}/public-notice`, { startsOn: day(0), endsOn: day(-1) })).json().error.fields).toHaveProperty('endsOn');
    expect((await adminA.post(`/api/commendations/rounds/${roundId}/public-notice`, { startsOn: day(0), endsOn: day(6) })).statusCode).toBe(404);
    const opened = await bureauAdmin.post(`/api/commendations/rounds/${roundId}/public-notice`, { startsOn: day(0), endsOn: day(6) });
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json()).toMatchObject({ status: 'public_notice' });
    const noticeId = opened.json().publicNoticeId as string;
    const late = await nominate(adminA, { orgId: branchA.id, kind: 'outstanding_member', memberId: m4.id });
    expect(late.statusCode).toBe(409);
    const early = await bureauAdmin.post(`/api/commendations/rounds/${roundId}/award`);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toBe(`公示期至 ${day(6)} 结束，公示期满后方可表彰`);
    expect(await countRows(ctx.database.db, 'honours')).toBe(0);

    // the public sees names and org names only; an objection against 李明 is upheld
    const view = await ctx.app.inject({ method: 'GET', url: `/api/public/public-notices/${noticeId}` });
    expect(view.statusCode, view.body).toBe(200);
    expect(view.body).not.toContain('joinedOn');
    const detail = (await bureauAdmin.get(`/api/public-notices/${noticeId}`)).json();
    const item = detail.items.find((i: { name: string }) => i.name === '李明');
    const objection = await ctx.app.inject({ method: 'POST', url: `/api/public/public-notices/${noticeId}/objections`, payload: { itemId: item.id, content: '该同志事迹与实际不符' } });
    expect(objection.statusCode, objection.body).toBe(201);
    await ctx.database.db.execute(sql`update public_notices set starts_on = ${day(-10)}, ends_on = ${day(-3)} where id = ${noticeId}`);
    const waiting = await bureauAdmin.post(`/api/commendations/rounds/${roundId}/award`);
    expect(waiting.statusCode).toBe(409);
    expect(waiting.json().error.message).toBe('公示中还有 1 条异议未处理，处理后方可表彰');
    const upheld = await bureauAdmin.post(`/api/public-notices/objections/${objection.json().id}/uphold`, { answer: '经核实，事迹材料有误' });
    expect(upheld.statusCode, upheld.body).toBe(200);
    const withdrawn = (await bureauAdmin.get(`/api/commendations/rounds/${roundId}/nominations?status=withdrawn`)).json();
    expect(withdrawn).toMatchObject({ total: 1, items: [{ id: nominations['李明'], status: 'withdrawn' }] });
    expect(withdrawn.items[0].statusReason).toBeTruthy();
    const state = (await bureauAdmin.get(`/api/commendations/rounds/${roundId}/public-notice`)).json();
    expect(state).toMatchObject({ status: 'ended', pendingObjections: 0, withdrawnRefs: [nominations['李明']] });
  });

  it('awards after the 公示: honours on the records, the withdrawn left out, a certificate per award', async () => {
    expect((await adminA.post(`/api/commendations/rounds/${roundId}/award`)).statusCode).toBe(404);
    const res = await bureauAdmin.post(`/api/commendations/rounds/${roundId}/award`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'awarded', awardedOn: day(0), counts: { approved: 0, awarded: 3, withdrawn: 1, returned: 1 } });
    expect((await bureauAdmin.post(`/api/commendations/rounds/${roundId}/award`)).statusCode).toBe(409);
    const all = (await bureauAdmin.get(`/api/commendations/honours?year=${YEAR}`)).json();
    expect(all.items.map((h: { recipientName: string }) => h.recipientName).sort()).toEqual(['吴国', '张红', '预算处党支部'].sort());
    expect((await bureauAdmin.get(`/api/commendations/honours?year=${YEAR}&kind=outstanding_member`)).json().total).toBe(2);
    expect((await bureauAdmin.get(`/api/commendations/honours?year=${YEAR - 1}`)).json().total).toBe(0);
    expect((await bureauAdmin.get(`/api/commendations/honours?memberId=${m2.id}`)).json().total).toBe(0);
    const mine = (await bureauAdmin.get(`/api/commendations/honours?memberId=${m1.id}`)).json();
    expect(mine).toMatchObject({ total: 1, items: [{ title: '优秀共产党员', awardedByOrgName: '市财政局机关党委', hasCertificate: true }] });
    expect((await bureauAdmin.get(`/api/commendations/honours?orgId=${branchA.id}&kind=advanced_org`)).json()).toMatchObject({ total: 1, items: [{ recipientName: '预算处党支部' }] });
    expect((await adminB.get(`/api/commendations/honours?memberId=${m1.id}`)).statusCode).toBe(404);
    expect((await otherAdmin.get(`/api/commendations/honours?orgId=${branchA.id}`)).statusCode).toBe(404);
    expect((await otherAdmin.get('/api/commendations/honours')).json().total).toBe(0);
    expect((await m1Client.get('/api/me/honours')).json()).toMatchObject({ total: 1, items: [{ recipientName: '张红' }] });
    expect((await bureauAdmin.get('/api/commendations/honours?kind=star')).statusCode).toBe(400);

    const id = mine.items[0].id as string;
    for (const client of [bureauAdmin, adminA, m1Client]) {
      const pdf = await client.get(`/api/commendations/honours/${id}/certificate`);
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const content = parsePdf(pdf.rawPayload).contents[0]!;
      for (const text of ['荣誉证书', '张红', '优秀共产党员', '市财政局机关党委']) expect(content).toContain(hex(text));
    }
    for (const client of [adminB, otherAdmin]) expect((await client.get(`/api/commendations/honours/${id}/certificate`)).statusCode).toBe(404);
    const xlsx = await bureauAdmin.get(`/api/commendations/honours/export?year=${YEAR}`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('keeps the member’s 奖惩: honours to them and their admins, discipline to the admins only', async () => {
    const record = (await adminA.get(`/api/commendations/members/${disciplined.id}/record`)).json();
    expect(record).toMatchObject({ honours: [], discipline: [{ kind: 'warning', inForce: true }] });
    expect((await adminA.get(`/api/commendations/members/${m1.id}/record`)).json().honours).toHaveLength(1);
    expect((await m1Client.get(`/api/commendations/members/${m1.id}/record`)).json()).toMatchObject({ honours: [{ title: '优秀共产党员' }], discipline: [] });
    expect((await otherAdmin.get(`/api/commendations/members/${m1.id}/record`)).statusCode).toBe(404);
    expect((await m1Client.get(`/api/commendations/members/${m2.id}/record`)).statusCode).toBe(404);
  });
});

describe('微星光', () => {
  const month = todayInChina().slice(0, 7);

  it('is given by an admin of a branch or above to a member of the subtree, without 公示, and listed per org per month', async () => {
    const res = await adminA.post('/api/commendations/micro-stars', { memberId: m3.id, month, reason: '主动承担急难任务' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'micro_star', title: '微星光', month, recipientName: '王芳', awardedByOrgName: '预算处党支部', hasCertificate: false });
    expect((await bureauAdmin.post('/api/commendations/micro-stars', { memberId: mGroup.id, month, reason: '热心服务群众' })).statusCode).toBe(201);
    expect((await bureauAdmin.get(`/api/commendations/micro-stars?orgId=${branchA.id}&month=${month}`)).json()).toMatchObject({ total: 2 });
    expect((await adminA.get(`/api/commendations/micro-stars?orgId=${groupA.id}&month=${month}`)).json()).toMatchObject({ total: 1, items: [{ recipientName: '郑组' }] });
    expect((await adminB.get(`/api/commendations/micro-stars?month=${month}`)).json()).toMatchObject({ total: 0 });
    expect((await adminA.get(`/api/commendations/honours?memberId=${m3.id}`)).json()).toMatchObject({ total: 1, items: [{ kind: 'micro_star' }] });
    expect((await adminA.get(`/api/commendations/honours/${res.json().id}/certificate`)).statusCode).toBe(404);
  });

  it('is refused to a 党小组 admin, out of scope and with bad input, nothing written', async () => {
    const before = await countRows(ctx.database.db, 'honours');
    const group = await groupAdmin.post('/api/commendations/micro-stars', { memberId: mGroup.id, month, reason: '好' });
    expect(group.statusCode).toBe(403);
    expect(group.json().error.message).toBe('微星光由党支部及以上党组织的管理员授予');
    const cases: [Client, Record<string, unknown>, string][] = [
      [adminB, { memberId: m1.id, month, reason: '好' }, 'memberId'],
      [adminA, { memberId: m1.id, month: '2026-13', reason: '好' }, 'month'],
      [adminA, { memberId: m1.id, month, reason: '' }, 'reason'],
    ];
    for (const [client, body, field] of cases) {
      const res = await client.post('/api/commendations/micro-stars', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.fields, JSON.stringify(body)).toHaveProperty(field);
    }
    expect((await ctx.app.inject({ method: 'POST', url: '/api/commendations/micro-stars', payload: { memberId: m1.id, month, reason: 'x' } })).statusCode).toBe(401);
    expect(await countRows(ctx.database.db, 'honours')).toBe(before);
  });
});
