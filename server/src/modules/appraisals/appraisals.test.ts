import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeMember, makeOrg, makeUser, startTestApp, type Client, type MemberFixture, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { todayInChina } from '../../../../contracts/china-time.js';
import './service.js';

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branchA: OrgFixture, branchB: OrgFixture, otherRoot: OrgFixture;
let bureauAdmin: Client, branchAdmin: Client, otherAdmin: Client;
let m: MemberFixture[];
let as: Client[];
let outsider: MemberFixture, outsiderClient: Client;
const db = () => ctx.database.db;
const YEAR = 2026;

const day = (days: number) => new Date(Date.parse(`${todayInChina()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  ctx = await startTestApp();
  root = await makeOrg(db(), null, { name: '市直机关工委' });
  bureau = await makeOrg(db(), root, { name: '市财政局机关党委', type: 'organ_committee' });
  branchA = await makeOrg(db(), bureau, { name: '预算处党支部' });
  branchB = await makeOrg(db(), bureau, { name: '国库处党支部' });
  otherRoot = await makeOrg(db(), null, { name: '邻市机关工委' });
  bureauAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: bureau }]));
  branchAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: branchA }]));
  otherAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: otherRoot }]));
  m = [];
  for (const [name, stage] of [['甲', 'full'], ['乙', 'full'], ['丙', 'full'], ['丁', 'full'], ['戊', 'probationary']] as const) {
    m.push(await makeMember(db(), branchA, { name, stage }));
  }
  // not participants: an applicant, and a member who has left
  await makeMember(db(), branchA, { name: '申请人', stage: 'applicant' });
  await makeMember(db(), branchA, { name: '已离开', leftAt: new Date() });
  as = [];
  for (const member of m) as.push(await login(ctx.app, await makeUser(db(), [{ role: 'member' }], { memberId: member.id })));
  outsider = await makeMember(db(), branchB, { name: '国库处党员' });
  await makeMember(db(), branchB, { name: '国库处党员二' });
  outsiderClient = await login(ctx.app, await makeUser(db(), [{ role: 'member' }], { memberId: outsider.id }));
});
afterAll(async () => ctx?.close());

type Round = {
  id: string; phase: string; participants: number; ballots: number; responseRate: number; maxExcellent: number; canManage: boolean;
  items: { memberId: string; name: string; tally: Record<string, number> | null; committeeGrade: string | null; finalGrade: string | null; withdrawnReason: string | null; selfGrade: string | null }[];
};
let roundA: string;
const url = () => `/api/appraisals/${roundA}`;
const getRound = async (client: Client = bureauAdmin): Promise<Round> => {
  const res = await client.get(url());
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const item = (round: Round, member: MemberFixture) => round.items.find((i) => i.memberId === member.id)!;
const ballot = (grades: [MemberFixture, string][]) => ({ ratings: grades.map(([member, grade]) => ({ memberId: member.id, grade })) });

describe('a year of 民主评议党员', () => {
  it('refuses bad openings (400), strangers (401) and orgs outside the scope', async () => {
    const before = await countRows(db(), 'appraisal_rounds');
    const noYear = await bureauAdmin.post('/api/appraisals', { orgId: bureau.id });
    expect(noYear.statusCode).toBe(400);
    expect(noYear.json().error.fields).toHaveProperty('year');
    const share = await bureauAdmin.post('/api/appraisals', { orgId: bureau.id, year: YEAR, excellentSharePercent: 101 });
    expect(share.statusCode).toBe(400);
    expect(share.json().error.fields).toHaveProperty('excellentSharePercent');
    const outside = await otherAdmin.post('/api/appraisals', { orgId: bureau.id, year: YEAR });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.fields).toHaveProperty('orgId');
    expect((await ctx.app.inject({ method: 'GET', url: '/api/appraisals' })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/me/appraisals' })).statusCode).toBe(401);
    expect(await countRows(db(), 'appraisal_rounds')).toBe(before);
  });

  it('opens a round for every branch of the subtree in one go, with the full and probationary members as participants', async () => {
    const opened = await bureauAdmin.post('/api/appraisals', { orgId: bureau.id, year: YEAR });
    expect(opened.statusCode, opened.body).toBe(201);
    expect(opened.json().opened).toBe(2);
    const again = await branchAdmin.post('/api/appraisals', { orgId: branchA.id, year: YEAR });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/已开展/);
    const list = await branchAdmin.get(`/api/appraisals?year=${YEAR}`);
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBe(1);
    roundA = list.json().items[0].id;
    expect(list.json().items[0]).toMatchObject({ orgId: branchA.id, phase: 'self_assessment', participants: 5, excellentSharePercent: 30 });
    expect((await bureauAdmin.get(`/api/appraisals?year=${YEAR}`)).json().total).toBe(2);
    expect((await otherAdmin.get(`/api/appraisals?year=${YEAR}`)).json().total).toBe(0);
    expect((await otherAdmin.get(url())).statusCode).toBe(404);
    // a snapshot: who joins the branch later waits for next year
    await makeMember(db(), branchA, { name: '新调入' });
    expect((await getRound()).items.map((i) => i.name).sort()).toEqual(['丁', '丙', '乙', '戊', '甲'].sort());
  });

  it('takes each member’s 自评 during the self-assessment, and nothing else yet', async () => {
    expect((await as[0]!.put(`/api/me/appraisals/${roundA}/self-assessment`, { summary: '', grade: 'excellent' })).statusCode).toBe(400);
    expect((await as[0]!.put(`/api/me/appraisals/${roundA}/self-assessment`, { summary: '认真履职', grade: 'best' })).statusCode).toBe(400);
    expect((await outsiderClient.put(`/api/me/appraisals/${roundA}/self-assessment`, { summary: '我也想评', grade: 'excellent' })).statusCode).toBe(404);
    for (const [i, client] of as.entries()) {
      const res = await client.put(`/api/me/appraisals/${roundA}/self-assessment`, { summary: `${m[i]!.name}的年度自评`, grade: i === 0 ? 'excellent' : 'qualified' });
      expect(res.statusCode, res.body).toBe(200);
    }
    const early = await as[0]!.post(`/api/me/appraisals/${roundA}/ballot`, ballot([[m[1]!, 'excellent'], [m[2]!, 'qualified'], [m[3]!, 'qualified'], [m[4]!, 'qualified']]));
    expect(early.statusCode).toBe(409);
    const round = await getRound(branchAdmin);
    expect(item(round, m[0]!).selfGrade).toBe('excellent');
    expect(round.items.every((i) => i.tally === null)).toBe(true);
    expect((await otherAdmin.post(`${url()}/advance`)).statusCode).toBe(404);
    expect((await branchAdmin.post(`${url()}/advance`)).json().phase).toBe('mutual');
    expect((await as[0]!.put(`/api/me/appraisals/${roundA}/self-assessment`, { summary: '改', grade: 'qualified' })).statusCode).toBe(409);
  });

  it('takes one complete, secret ballot per participant and shows only the tallies, once the 测评 has closed', async () => {
    const mine = (await as[0]!.get('/api/me/appraisals')).json().items[0];
    expect(mine.others.map((o: { name: string }) => o.name).sort()).toEqual(['乙', '丙', '丁', '戊'].sort());
    // incomplete, rating oneself, a stranger, a non-participant
    const before = await countRows(db(), 'appraisal_ratings');
    expect((await as[0]!.post(`/api/me/appraisals/${roundA}/ballot`, ballot([[m[1]!, 'excellent']]))).statusCode).toBe(400);
    expect((await as[0]!.post(`/api/me/appraisals/${roundA}/ballot`, ballot([[m[0]!, 'excellent'], [m[1]!, 'excellent'], [m[2]!, 'qualified'], [m[3]!, 'qualified'], [m[4]!, 'qualified']]))).statusCode).toBe(400);
    expect((await as[0]!.post(`/api/me/appraisals/${roundA}/ballot`, ballot([[m[1]!, 'excellent'], [m[2]!, 'good'], [m[3]!, 'qualified'], [m[4]!, 'qualified']]))).statusCode).toBe(400);
    expect((await as[0]!.post(`/api/me/appraisals/${roundA}/ballot`, ballot([[m[1]!, 'excellent'], [m[1]!, 'qualified'], [m[3]!, 'qualified'], [m[4]!, 'qualified']]))).statusCode).toBe(400);
    const stranger = await outsiderClient.post(`/api/me/appraisals/${roundA}/ballot`, ballot([[m[0]!, 'unqualified'], [m[1]!, 'unqualified'], [m[2]!, 'unqualified'], [m[3]!, 'unqualified'], [m[4]!, 'unqualified']]));
    expect(stranger.statusCode).toBe(404);
    expect((await branchAdmin.post(`/api/me/appraisals/${roundA}/ballot`, ballot([[m[0]!, 'excellent']]))).statusCode).toBe(404);
    expect(await countRows(db(), 'appraisal_ratings')).toBe(before);
    expect(await countRows(db(), 'appraisal_ballots')).toBe(0);

    const ballots: [number, [MemberFixture, string][]][] = [
      [0, [[m[1]!, 'excellent'], [m[2]!, 'qualified'], [m[3]!, 'qualified'], [m[4]!, 'basically_qualified']]],
      [1, [[m[0]!, 'excellent'], [m[2]!, 'excellent'], [m[3]!, 'qualified'], [m[4]!, 'qualified']]],
      [2, [[m[0]!, 'excellent'], [m[1]!, 'qualified'], [m[3]!, 'unqualified'], [m[4]!, 'qualified']]],
      [3, [[m[0]!, 'qualified'], [m[1]!, 'excellent'], [m[2]!, 'qualified'], [m[4]!, 'qualified']]],
    ];
    for (const [i, grades] of ballots) {
      const res = await as[i]!.post(`/api/me/appraisals/${roundA}/ballot`, ballot(grades));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ hasVoted: true, others: [] });
    }
    const twice = await as[0]!.post(`/api/me/appraisals/${roundA}/ballot`, ballot(ballots[0]![1]));
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.message).toMatch(/不能重复提交/);

    const open = await getRound(branchAdmin);
    expect(open).toMatchObject({ ballots: 4, participants: 5, responseRate: 0.8 });
    expect(open.items.every((i) => i.tally === null)).toBe(true);

    const closed = (await branchAdmin.post(`${url()}/advance`)).json() as Round;
    expect(closed.phase).toBe('committee');
    const tally = (e: number, q: number, b: number, u: number) => ({ excellent: e, qualified: q, basically_qualified: b, unqualified: u });
    expect(item(closed, m[0]!).tally).toEqual(tally(2, 1, 0, 0));
    expect(item(closed, m[1]!).tally).toEqual(tally(2, 1, 0, 0));
    expect(item(closed, m[2]!).tally).toEqual(tally(1, 2, 0, 0));
    expect(item(closed, m[3]!).tally).toEqual(tally(0, 2, 0, 1));
    expect(item(closed, m[4]!).tally).toEqual(tally(0, 3, 1, 0));
    // the box is closed for the one who did not vote
    expect((await as[4]!.post(`/api/me/appraisals/${roundA}/ballot`, ballot([[m[0]!, 'qualified'], [m[1]!, 'qualified'], [m[2]!, 'qualified'], [m[3]!, 'qualified']]))).statusCode).toBe(409);
  });

  it('records the committee’s grades for participants only', async () => {
    const stranger = await branchAdmin.put(`${url()}/committee-grades`, { grades: [{ memberId: outsider.id, grade: 'excellent' }] });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().error.fields).toHaveProperty('grades');
    expect((await otherAdmin.put(`${url()}/committee-grades`, { grades: [{ memberId: m[0]!.id, grade: 'excellent' }] })).statusCode).toBe(404);
    const grades = [['excellent'], ['excellent'], ['qualified'], ['basically_qualified'], ['qualified']].map(([grade], i) => ({ memberId: m[i]!.id, grade }));
    const res = await branchAdmin.put(`${url()}/committee-grades`, { grades });
    expect(res.statusCode, res.body).toBe(200);
    expect(item(res.json(), m[3]!).committeeGrade).toBe('basically_qualified');
    expect((await branchAdmin.put(`${url()}/final-grades`, { grades })).statusCode).toBe(409);
    expect((await branchAdmin.post(`${url()}/advance`)).json().phase).toBe('final');
  });

  it('holds 优秀 to the round’s share (409 in Chinese) and wants a reason for 不合格', async () => {
    const two = [{ memberId: m[0]!.id, grade: 'excellent' }, { memberId: m[1]!.id, grade: 'excellent' }];
    const over = await branchAdmin.put(`${url()}/final-grades`, { grades: two });
    expect(over.statusCode).toBe(409);
    expect(over.json().error.code).toBe('appraisal.excellent_share_exceeded');
    expect(over.json().error.message).toBe('优秀等次不得超过参评党员的30%：本支部5名参评党员，最多评定1名优秀，现为2名');
    expect((await getRound()).items.every((i) => i.finalGrade === null)).toBe(true);

    const noReason = await branchAdmin.put(`${url()}/final-grades`, { grades: [{ memberId: m[3]!.id, grade: 'unqualified' }] });
    expect(noReason.statusCode).toBe(400);
    expect(Object.keys(noReason.json().error.fields).join()).toMatch(/reason/);
    expect((await branchAdmin.patch(url(), { excellentSharePercent: 120 })).statusCode).toBe(400);
    expect((await otherAdmin.patch(url(), { excellentSharePercent: 40 })).statusCode).toBe(404);
    const wider = await branchAdmin.patch(url(), { excellentSharePercent: 40 });
    expect(wider.json()).toMatchObject({ excellentSharePercent: 40, maxExcellent: 2 });
    const res = await branchAdmin.put(`${url()}/final-grades`, {
      grades: [...two, { memberId: m[2]!.id, grade: 'qualified' }, { memberId: m[3]!.id, grade: 'unqualified', reason: '长期不参加组织生活' }, { memberId: m[4]!.id, grade: 'qualified' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(item(res.json(), m[3]!)).toMatchObject({ finalGrade: 'unqualified' });
    // a round with 优秀 is published only after its 公示
    expect((await branchAdmin.post(`${url()}/publish`)).statusCode).toBe(409);
  });

  it('shows the 优秀 in a 公示; an upheld objection drops that member to 合格 with the reason; publishing waits for the end', async () => {
    const bad = await branchAdmin.post(`${url()}/public-notice`, { startsOn: day(6), endsOn: day(0) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty('endsOn');
    expect((await otherAdmin.post(`${url()}/public-notice`, { startsOn: day(0), endsOn: day(6) })).statusCode).toBe(404);
    const opened = await branchAdmin.post(`${url()}/public-notice`, { startsOn: day(0), endsOn: day(6) });
    expect(opened.statusCode, opened.body).toBe(200);
    const noticeId = opened.json().publicNoticeId as string;
    expect(opened.json().phase).toBe('public_notice');
    const items = (await db().execute<{ ref: string; name: string } & Record<string, unknown>>(sql`
      select ref, name from public_notice_items where notice_id = ${noticeId} order by ref`)).rows;
    expect(items.map((i) => i.ref).sort()).toEqual([m[0]!.id, m[1]!.id].sort());
    expect((await branchAdmin.post(`${url()}/publish`)).json().error.code).toBe('appraisal.notice_not_ended');

    // a member objects to 乙 in the 公示; the branch upholds it: the public_notices module calls our handler in its transaction
    const itemId = (await db().execute<{ id: string } & Record<string, unknown>>(sql`
      select id::text from public_notice_items where notice_id = ${noticeId} and ref = ${m[1]!.id}`)).rows[0]!.id;
    const objection = await as[2]!.post(`/api/me/public-notices/${noticeId}/objections`, { itemId, content: '该同志年内有违反工作纪律情况' });
    expect(objection.statusCode, objection.body).toBe(201);
    await db().execute(sql`update public_notices set starts_on = ${day(-10)}::date, ends_on = ${day(-3)}::date where id = ${noticeId}`);
    // ended, but an objection is pending
    expect((await branchAdmin.post(`${url()}/publish`)).json().error.code).toBe('appraisal.notice_not_ended');
    const upheld = await branchAdmin.post(`/api/public-notices/objections/${objection.json().id}/uphold`, { answer: '群众反映属实' });
    expect(upheld.statusCode, upheld.body).toBe(200);
    expect(item(await getRound(), m[1]!)).toMatchObject({ finalGrade: 'qualified', withdrawnReason: expect.stringContaining('群众反映属实') });
    expect(item(await getRound(), m[0]!)).toMatchObject({ finalGrade: 'excellent', withdrawnReason: null });

    expect((await otherAdmin.post(`${url()}/publish`)).statusCode).toBe(404);
    const published = await branchAdmin.post(`${url()}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ phase: 'published', canManage: false });
  });

  it('puts the results on each member’s record and shows members their own', async () => {
    const own = (await as[0]!.get('/api/me/appraisals')).json().items[0];
    expect(own).toMatchObject({ phase: 'published', finalGrade: 'excellent' });
    expect((await as[3]!.get('/api/me/appraisals')).json().items[0]).toMatchObject({ finalGrade: 'unqualified', finalReason: '长期不参加组织生活' });
    const record = await bureauAdmin.get(`/api/appraisals/member-results?memberId=${m[1]!.id}`);
    expect(record.statusCode).toBe(200);
    expect(record.json().items).toEqual([expect.objectContaining({ year: YEAR, finalGrade: 'qualified', withdrawnReason: expect.stringContaining('群众反映属实'), orgName: '预算处党支部' })]);
    expect((await as[1]!.get(`/api/appraisals/member-results?memberId=${m[1]!.id}`)).json().items).toHaveLength(1);
    expect((await as[0]!.get(`/api/appraisals/member-results?memberId=${m[1]!.id}`)).statusCode).toBe(404);
    expect((await otherAdmin.get(`/api/appraisals/member-results?memberId=${m[1]!.id}`)).statusCode).toBe(404);
    expect((await bureauAdmin.get('/api/appraisals/member-results?memberId=abc')).statusCode).toBe(400);
    expect((await branchAdmin.post(`${url()}/advance`)).statusCode).toBe(409);
  });

  it('lets no one see who rated whom: not the API, not the audit log, not the tables', async () => {
    // every administrator-facing answer carries tallies, never a rater
    for (const path of [url(), `/api/appraisals?year=${YEAR}`, `/api/appraisals/member-results?memberId=${m[0]!.id}`]) {
      const body = (await bureauAdmin.get(path)).body;
      expect(body).not.toMatch(/rater|ballots"\s*:\s*\[|ratings/i);
    }
    const keys = Object.keys(item(await getRound(), m[0]!)).sort();
    expect(keys).toEqual(['committeeGrade', 'finalGrade', 'finalReason', 'memberId', 'name', 'selfGrade', 'selfSummary', 'stage', 'tally', 'withdrawnReason']);
    // no route of the module takes a rater or answers a pair: no response schema names one
    const spec = (await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, unknown> };
    const mine = Object.entries(spec.paths).filter(([path]) => /appraisals/.test(path));
    expect(mine.length).toBeGreaterThanOrEqual(11);
    for (const [path, operations] of mine) expect(JSON.stringify(operations), path).not.toMatch(/rater|ratee/i);

    // the audit log says a ballot was cast, and nothing of what it said
    const entries = (await db().execute<{ detail: unknown } & Record<string, unknown>>(sql`select detail from audit_log where action = 'appraisal.ballot'`)).rows;
    expect(entries).toHaveLength(4);
    for (const e of entries) {
      const detail = JSON.stringify(e.detail);
      for (const member of m) expect(detail).not.toContain(member.id);
      expect(detail).not.toMatch(/excellent|qualified/);
    }

    // the tables: ratings hold counts with no rater, no time, no sequence; ballots hold only who has voted
    const columns = async (table: string) => (await db().execute<{ column_name: string; data_type: string; column_default: string | null; is_identity: string } & Record<string, unknown>>(sql`
      select column_name, data_type, column_default, is_identity from information_schema.columns where table_name = ${table} order by column_name`)).rows;
    const ratings = await columns('appraisal_ratings');
    expect(ratings.map((c) => c.column_name)).toEqual(['grade', 'ratee_member_id', 'round_id', 'votes']);
    expect(ratings.every((c) => c.column_default === null && c.is_identity === 'NO' && !/time|date/.test(c.data_type))).toBe(true);
    const ballots = await columns('appraisal_ballots');
    expect(ballots.map((c) => c.column_name)).toEqual(['rater_member_id', 'round_id']);
    expect(ballots.every((c) => c.column_default === null && c.is_identity === 'NO')).toBe(true);
    // one row per (ratee, grade) given, not per ballot: 4 ballots × 4 ratings = 16 votes in 10 rows (5 members × 2 grades each)
    const rows = (await db().execute<{ n: number; votes: number } & Record<string, unknown>>(sql`
      select count(*)::int as n, sum(votes)::int as votes from appraisal_ratings where round_id = ${roundA}`)).rows[0]!;
    expect(rows).toEqual({ n: 10, votes: 16 });
  });

  it('publishes a round without 优秀 without a 公示', async () => {
    const list = (await bureauAdmin.get(`/api/appraisals?orgId=${branchB.id}`)).json();
    const id = list.items[0].id as string;
    for (let i = 0; i < 3; i++) expect((await bureauAdmin.post(`/api/appraisals/${id}/advance`)).statusCode).toBe(200);
    const round = (await bureauAdmin.get(`/api/appraisals/${id}`)).json() as Round;
    expect(round.items.every((i) => i.tally !== null && Object.values(i.tally).every((v) => v === 0))).toBe(true);
    expect((await bureauAdmin.post(`/api/appraisals/${id}/publish`)).json().error.code).toBe('appraisal.grades_incomplete');
    await bureauAdmin.put(`/api/appraisals/${id}/final-grades`, { grades: round.items.map((i) => ({ memberId: i.memberId, grade: 'qualified' })) });
    const published = await bureauAdmin.post(`/api/appraisals/${id}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect((await outsiderClient.get('/api/me/appraisals')).json().items[0]).toMatchObject({ finalGrade: 'qualified', hasVoted: false });
  });
});
