import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { INDICATOR_SOURCES } from './indicator-registry.js';
import { computeIndicatorValues } from './service.js';

/*
 * A bureau with three branches (X has a party group G) and, in the first quarter of 2025 (China's time),
 * meetings made here so every figure is known:
 *   X  支部党员大会 10 Jan, complete (minutes, summary, 2 of 3 present)
 *      支委会 1 Jan 01:00 Beijing (31 Dec UTC), minutes only             – held, record incomplete
 *      支委会 Feb, draft                                                    – not held
 *      支委会 5 Mar, closed, complete (2 of 3 present)
 *      支委会 1 Apr 01:00 Beijing (31 Mar UTC)                              – outside the quarter
 *      党课 1 Feb, cancelled                                                – not held
 *   G  党小组会 Feb, complete (1 present, 1 on leave)
 *   Y  支部党员大会 20 Jan, complete
 *   Z  nothing
 * 三会一课 requirements in Q1: a branch 1 + 3 + 1 = 5, a group 3.
 *   X subtree: met 4 (大会 Q1, 支委会 Jan and Mar, 小组会 Feb) of 8;  Y: 1 of 5;  Z: 0 of 5.
 * 四落实: X subtree 3 complete of 4 held; Y 1 of 1; Z none held (no data).
 */
let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, x: OrgFixture, g: OrgFixture, y: OrgFixture, z: OrgFixture, other: OrgFixture;
let bureauAdmin: Client, bureauAdmin2: Client, branchAdmin: Client, otherAdmin: Client;
const Q1 = { from: '2025-01-01', to: '2025-03-31' };

async function meeting(org: OrgFixture, type: string, startsAt: string, o: { status?: string; minutes?: string; summary?: string; present?: number; absent?: number; leave?: number } = {}) {
  const { db } = ctx.database;
  const starts = new Date(startsAt);
  const ends = new Date(starts.getTime() + 2 * 3600_000);
  const id = (await db.execute<{ id: string } & Record<string, unknown>>(sql`
    insert into activities (org_id, org_path, type, title, starts_at, ends_at, status, check_in_opens_at, check_in_closes_at, check_in_code, minutes, summary)
    values (${org.id}, ${org.path}::ltree, ${type}, ${`${type} ${startsAt}`}, ${starts.toISOString()}, ${ends.toISOString()}, ${o.status ?? 'published'},
            ${starts.toISOString()}, ${ends.toISOString()}, '123456', ${o.minutes ?? null}, ${o.summary ?? null}) returning id::text`)).rows[0]!.id;
  const states = [...Array(o.present ?? 0).fill('present'), ...Array(o.absent ?? 0).fill('absent'), ...Array(o.leave ?? 0).fill('leave')] as string[];
  for (const state of states) {
    const m = await makeMember(db, org);
    await db.execute(sql`insert into activity_participants (activity_id, member_id, state) values (${id}, ${m.id}, ${state})`);
  }
  return id;
}

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '考评工委' });
  bureau = await makeOrg(db, root, { name: '考评机关党委', type: 'organ_committee' });
  x = await makeOrg(db, bureau, { name: '一支部' });
  g = await makeOrg(db, x, { name: '一支部第一党小组', type: 'group' });
  y = await makeOrg(db, bureau, { name: '二支部' });
  z = await makeOrg(db, bureau, { name: '三支部' });
  other = await makeOrg(db, null, { name: '别的工委' });
  const done = { minutes: '会议记录', summary: '会议小结' };
  await meeting(x, 'branch_general_meeting', '2025-01-10T02:00:00Z', { ...done, present: 2, absent: 1 });
  await meeting(x, 'branch_committee_meeting', '2024-12-31T17:00:00Z', { minutes: '会议记录', present: 3 });
  await meeting(x, 'branch_committee_meeting', '2025-02-10T02:00:00Z', { status: 'draft', ...done, present: 3 });
  await meeting(x, 'branch_committee_meeting', '2025-03-05T02:00:00Z', { status: 'closed', ...done, present: 2, absent: 1 });
  await meeting(x, 'branch_committee_meeting', '2025-03-31T17:00:00Z', { ...done, present: 3 });
  await meeting(x, 'party_lesson', '2025-02-01T02:00:00Z', { status: 'cancelled', ...done, present: 3 });
  await meeting(g, 'group_meeting', '2025-02-15T02:00:00Z', { ...done, present: 1, leave: 1 });
  await meeting(y, 'branch_general_meeting', '2025-01-20T02:00:00Z', { ...done, present: 1 });
  const as = async (org: OrgFixture) => login(ctx.app, await makeUser(db, [{ role: 'org_admin', org }]));
  bureauAdmin = await as(bureau);
  bureauAdmin2 = await as(bureau);
  branchAdmin = await as(x);
  otherAdmin = await as(other);
});
afterAll(async () => ctx?.close());

const records = (code: string, org: OrgFixture, extra = '') => `/api/assessment/indicators/${code}/records?orgId=${org.id}&from=${Q1.from}&to=${Q1.to}&pageSize=50${extra}`;

describe('computed indicators of organizational life', () => {
  it('三会一课 completion: requirements met over requirements due in the period, over each org’s subtree', async () => {
    const values = await computeIndicatorValues(ctx.database.db, 'activities.three_meetings_completion', [x, y, z, bureau], Q1);
    expect(values).toEqual([
      { orgId: x.id, numerator: 4, denominator: 8, value: 0.5 },
      { orgId: y.id, numerator: 1, denominator: 5, value: 0.2 },
      { orgId: z.id, numerator: 0, denominator: 5, value: 0 },
      { orgId: bureau.id, numerator: 5, denominator: 18, value: 0.2778 },
    ]);
  });

  it('四落实: held meetings with a complete record over held meetings; none held is no data', async () => {
    const values = await computeIndicatorValues(ctx.database.db, 'activities.four_implementations_rate', [x, y, z], Q1);
    expect(values).toEqual([
      { orgId: x.id, numerator: 3, denominator: 4, value: 0.75 },
      { orgId: y.id, numerator: 1, denominator: 1, value: 1 },
      { orgId: z.id, numerator: 0, denominator: 0, value: null },
    ]);
  });

  it('opens the records behind each figure: as many as the denominator, the counted ones as many as the numerator', async () => {
    const all = (await bureauAdmin.get(records('activities.three_meetings_completion', x))).json();
    expect(all.total).toBe(8);
    expect(all.items.filter((r: { counts: boolean }) => r.counts)).toHaveLength(4);
    expect((await bureauAdmin.get(records('activities.three_meetings_completion', x, '&counted=1'))).json().total).toBe(4);
    const held = (await bureauAdmin.get(records('activities.four_implementations_rate', x))).json();
    expect(held.total).toBe(4);
    expect(held.items.map((r: { kind: string; link: string }) => r.kind)).toEqual(['activity', 'activity', 'activity', 'activity']);
    expect((await bureauAdmin.get(records('activities.four_implementations_rate', x, '&counted=1'))).json().total).toBe(3);
    const paged = (page: number) => `/api/assessment/indicators/activities.three_meetings_completion/records?orgId=${x.id}&from=${Q1.from}&to=${Q1.to}&pageSize=5&page=${page}`;
    const page2 = (await bureauAdmin.get(paged(2))).json();
    expect(page2).toMatchObject({ total: 8, page: 2 });
    expect(page2.items).toHaveLength(3);
    expect((await bureauAdmin.get(paged(3))).json()).toMatchObject({ total: 8, items: [] });
  });

  it('every registered source answers, and a rate’s records are as many as its denominator (the counted ones as its numerator)', async () => {
    const db = ctx.database.db;
    for (const source of INDICATOR_SOURCES) {
      const [value] = await computeIndicatorValues(db, source.code, [bureau], Q1);
      const all = await source.records(db, bureau, Q1, { offset: 0, limit: 1 });
      const counted = await source.records(db, bureau, Q1, { offset: 0, limit: 1, onlyCounted: true });
      if (source.unit === 'rate') {
        expect(all.total, source.code).toBe(value!.denominator);
        expect(counted.total, source.code).toBe(value!.numerator);
      }
    }
  });

  it('answers 404 for an org outside the viewer’s scope and an unknown indicator, 400 naming a bad date', async () => {
    expect((await otherAdmin.get(records('activities.three_meetings_completion', x))).statusCode).toBe(404);
    expect((await bureauAdmin.get(records('nope.nothing', x))).statusCode).toBe(404);
    const bad = await bureauAdmin.get(`/api/assessment/indicators/activities.three_meetings_completion/records?orgId=${x.id}&from=2025-03-31&to=2025-01-01`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty('to');
  });
});

describe('a scheme: weighted totals, ties, manual scores, freeze and publish', () => {
  let schemeId = '';
  const ids = { three: '', four: '', special: '' };

  it('builds the library: computed indicators from their sources, a manual one with its rubric', async () => {
    const base = { orgId: bureau.id, periodKind: 'quarterly' };
    const three = await bureauAdmin.post('/api/assessment/indicators', { ...base, code: 'three', kind: 'computed', sourceCode: 'activities.three_meetings_completion', name: '三会一课', defaultWeight: 50 });
    expect(three.statusCode, three.body).toBe(201);
    expect(three.json()).toMatchObject({ unit: 'rate', kind: 'computed' });
    ids.three = three.json().id;
    ids.four = (await bureauAdmin.post('/api/assessment/indicators', { ...base, code: 'four', kind: 'computed', sourceCode: 'activities.four_implementations_rate', name: '四落实', defaultWeight: 30 })).json().id;
    const special = await bureauAdmin.post('/api/assessment/indicators', { ...base, code: 'special', kind: 'manual', name: '特色工作', formula: '按特色工作成效评 0–100 分', defaultWeight: 20 });
    expect(special.json()).toMatchObject({ unit: 'score', kind: 'manual' });
    ids.special = special.json().id;
    // the branch sees its bureau's library; another tree does not
    expect((await branchAdmin.get('/api/assessment/indicators')).json().total).toBe(3);
    expect((await otherAdmin.get('/api/assessment/indicators')).json().total).toBe(0);
  });

  it('refuses bad input with the field named, and changes nothing', async () => {
    const before = await countRows(ctx.database.db, 'assessment_indicators');
    const code = await bureauAdmin.post('/api/assessment/indicators', { orgId: bureau.id, periodKind: 'annual', code: 'Bad Code', kind: 'manual', name: 'x', defaultWeight: 1 });
    expect(code.statusCode).toBe(400);
    expect(code.json().error.fields).toHaveProperty('code');
    const taken = await bureauAdmin.post('/api/assessment/indicators', { orgId: bureau.id, periodKind: 'annual', code: 'three', kind: 'manual', name: 'x', defaultWeight: 1 });
    expect(taken.json().error.fields).toHaveProperty('code');
    const source = await bureauAdmin.post('/api/assessment/indicators', { orgId: bureau.id, periodKind: 'annual', code: 'zz', kind: 'computed', sourceCode: 'nope.x', name: 'x', defaultWeight: 1 });
    expect(source.json().error.fields).toHaveProperty('sourceCode');
    expect(await countRows(ctx.database.db, 'assessment_indicators')).toBe(before);
    const scheme = { orgId: bureau.id, name: '2025年一季度考核', periodStart: '2025-03-31', periodEnd: '2025-01-01', indicators: [{ indicatorId: ids.three, weight: 1 }], orgIds: [x.id] };
    const order = await bureauAdmin.post('/api/assessment/schemes', scheme);
    expect(order.statusCode).toBe(400);
    expect(order.json().error.fields).toHaveProperty('periodEnd');
    const outside = await bureauAdmin.post('/api/assessment/schemes', { ...scheme, periodStart: Q1.from, periodEnd: Q1.to, orgIds: [other.id] });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.fields).toHaveProperty('orgIds');
    expect(await countRows(ctx.database.db, 'assessment_schemes')).toBe(0);
  });

  it('creates the scheme and computes weighted totals with competition ranking (ties share a rank)', async () => {
    const res = await bureauAdmin.post('/api/assessment/schemes', {
      orgId: bureau.id, name: '2025年一季度综合考核', periodStart: Q1.from, periodEnd: Q1.to, orgIds: [x.id, y.id, z.id],
      indicators: [{ indicatorId: ids.three, weight: 50 }, { indicatorId: ids.four, weight: 30, target: 0.75 }, { indicatorId: ids.special, weight: 20 }],
    });
    expect(res.statusCode, res.body).toBe(201);
    schemeId = res.json().id;
    expect(res.json()).toMatchObject({ status: 'draft', orgCount: 3, indicators: [{ target: 1 }, { target: 0.75 }, { target: 100 }] });

    // manual scores: entered with evidence, reviewed by another manager
    const enter = (c: Client, org: OrgFixture, value: number) => c.post(`/api/assessment/schemes/${schemeId}/manual-scores`, { indicatorId: ids.special, orgId: org.id, value, evidenceText: '特色工作材料' });
    const byBranch = await enter(branchAdmin, x, 25);
    expect(byBranch.statusCode, byBranch.body).toBe(200);
    expect(byBranch.json()).toMatchObject({ reviewStatus: 'pending', canReview: false });
    expect((await enter(branchAdmin, y, 100)).json().error.fields).toHaveProperty('orgId');
    const forY = (await enter(bureauAdmin, y, 100)).json();
    const forZ = (await enter(bureauAdmin2, z, 90)).json();
    const review = (c: Client, id: string, body: object) => c.post(`/api/assessment/manual-scores/${id}/review`, body);
    expect((await review(branchAdmin, byBranch.json().id, { decision: 'approved' })).statusCode).toBe(404);
    expect((await review(bureauAdmin, forY.id, { decision: 'approved' })).json().error.code).toBe('assessment.own_entry');
    expect((await review(bureauAdmin, forZ.id, { decision: 'rejected' })).json().error.fields).toHaveProperty('note');
    expect((await review(bureauAdmin, forZ.id, { decision: 'rejected', note: '材料不足' })).json()).toMatchObject({ reviewStatus: 'rejected', reviewNote: '材料不足' });
    expect((await review(bureauAdmin, byBranch.json().id, { decision: 'approved' })).json().reviewStatus).toBe('approved');
    expect((await review(bureauAdmin2, forY.id, { decision: 'approved' })).json().reviewStatus).toBe('approved');

    // a rejected or pending score does not count
    expect((await bureauAdmin.post(`/api/assessment/schemes/${schemeId}/compute`)).json().status).toBe('computed');
    let results = (await bureauAdmin.get(`/api/assessment/schemes/${schemeId}/results`)).json();
    expect(results.items.find((r: { orgId: string }) => r.orgId === z.id).total).toBe(0);

    const again = (await enter(bureauAdmin2, z, 100)).json();
    expect(again.reviewStatus).toBe('pending');
    expect((await review(bureauAdmin, again.id, { decision: 'approved' })).json().reviewStatus).toBe('approved');
    await bureauAdmin.post(`/api/assessment/schemes/${schemeId}/compute`);
    results = (await bureauAdmin.get(`/api/assessment/schemes/${schemeId}/results`)).json();
    // X: 三会一课 50 % → 50 × 0.5 = 25; 四落实 75 % of target 75 % → 100 × 0.3 = 30; 特色 25 × 0.2 = 5 → 60
    // Y: 20 % → 20 × 0.5 = 10; 100 % → 100 × 0.3 = 30; 100 × 0.2 = 20 → 60
    // Z: 0 → 0; no meetings held → no score; 100 × 0.2 = 20 → 20
    expect(results.total).toBe(3);
    expect(results.items.map((r: { orgName: string; total: number; rank: number }) => [r.orgName, r.total, r.rank])).toEqual([
      ['一支部', 60, 1], ['二支部', 60, 1], ['三支部', 20, 3],
    ]);
    expect(results.items[0].scores).toEqual([
      { indicatorId: ids.three, value: 0.5, numerator: 4, denominator: 8, score: 50, contribution: 25 },
      { indicatorId: ids.four, value: 0.75, numerator: 3, denominator: 4, score: 100, contribution: 30 },
      { indicatorId: ids.special, value: 25, numerator: 25, denominator: null, score: 25, contribution: 5 },
    ]);
    expect(results.items[2].scores[1]).toMatchObject({ value: null, score: null, contribution: 0 });
  });

  it('freezes: no recompute and no manual score after it; then publishes to the assessed orgs’ admins', async () => {
    expect((await bureauAdmin.post(`/api/assessment/schemes/${schemeId}/publish`)).json().error.code).toBe('assessment.not_frozen');
    expect((await branchAdmin.get(`/api/assessment/schemes/${schemeId}/results`)).statusCode).toBe(404);
    expect((await bureauAdmin.post(`/api/assessment/schemes/${schemeId}/freeze`)).json().status).toBe('frozen');
    const recompute = await bureauAdmin.post(`/api/assessment/schemes/${schemeId}/compute`);
    expect(recompute.statusCode).toBe(409);
    expect(recompute.json().error.code).toBe('assessment.frozen');
    const late = await bureauAdmin.post(`/api/assessment/schemes/${schemeId}/manual-scores`, { indicatorId: ids.special, orgId: z.id, value: 1, evidenceText: 'x' });
    expect(late.statusCode).toBe(409);
    expect((await branchAdmin.get(`/api/assessment/schemes/${schemeId}/results`)).statusCode).toBe(404);
    expect((await branchAdmin.post(`/api/assessment/schemes/${schemeId}/publish`)).statusCode).toBe(404);
    expect((await bureauAdmin.post(`/api/assessment/schemes/${schemeId}/publish`)).json().status).toBe('published');
    const seen = await branchAdmin.get(`/api/assessment/schemes/${schemeId}/results`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({ total: 3, scheme: { canManage: false, status: 'published' } });
    const exported = await branchAdmin.get(`/api/assessment/schemes/${schemeId}/export`);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain('spreadsheetml');
    const audited = await ctx.database.db.execute<{ action: string } & Record<string, unknown>>(sql`
      select action from audit_log where action like 'assessment.%' order by id`);
    expect(new Set(audited.rows.map((r) => r.action))).toEqual(new Set([
      'assessment.create_indicator', 'assessment.create_scheme', 'assessment.enter_score', 'assessment.review_score', 'assessment.compute',
      'assessment.freeze', 'assessment.publish', 'assessment.export',
    ]));
  });

  it('answers 404 outside the tree and 401 without a session', async () => {
    for (const url of [`/api/assessment/schemes/${schemeId}`, `/api/assessment/schemes/${schemeId}/results`, `/api/assessment/schemes/${schemeId}/export`]) {
      expect((await otherAdmin.get(url)).statusCode, url).toBe(404);
    }
    expect((await otherAdmin.get('/api/assessment/schemes')).json().total).toBe(0);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/assessment/schemes' })).statusCode).toBe(401);
  });

  const tables = ['assessment_schemes', 'scheme_indicators', 'scheme_orgs', 'manual_scores', 'assessment_scores', 'assessment_totals', 'audit_log'];
  const snapshot = async () => JSON.stringify(await Promise.all(tables.map((t) => countRows(ctx.database.db, t))));
  const draftBody = (name: string) => ({ orgId: bureau.id, name, periodStart: Q1.from, periodEnd: Q1.to, orgIds: [x.id, y.id],
    indicators: [{ indicatorId: ids.three, weight: 50 }, { indicatorId: ids.special, weight: 50 }] });

  it('corrects a computed scheme: its results are cleared and it is a draft again; manual scores stay for what is still assessed', async () => {
    const created = await bureauAdmin.post('/api/assessment/schemes', draftBody('待修改的考核'));
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const entered = await bureauAdmin.post(`/api/assessment/schemes/${id}/manual-scores`, { indicatorId: ids.special, orgId: y.id, value: 80, evidenceText: '材料' });
    expect(entered.statusCode, entered.body).toBe(200);
    expect((await bureauAdmin.post(`/api/assessment/schemes/${id}/compute`)).json().status).toBe('computed');

    const res = await bureauAdmin.patch(`/api/assessment/schemes/${id}`, {
      name: '修改后的考核', periodEnd: '2025-06-30', orgIds: [y.id, z.id],
      indicators: [{ indicatorId: ids.special, weight: 40 }, { indicatorId: ids.four, weight: 60, target: 0.8 }],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: '修改后的考核', periodStart: Q1.from, periodEnd: '2025-06-30', status: 'draft', computedAt: null, orgCount: 2,
      indicators: [{ indicatorId: ids.special, weight: 40, target: 100 }, { indicatorId: ids.four, weight: 60, target: 0.8 }] });
    expect((await bureauAdmin.get(`/api/assessment/schemes/${id}/results`)).json().total).toBe(0);
    const kept = await ctx.database.db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from manual_scores where scheme_id = ${id}`);
    expect(Number(kept.rows[0]!.n)).toBe(1);
    // without y the manual score goes with it
    expect((await bureauAdmin.patch(`/api/assessment/schemes/${id}`, { orgIds: [z.id] })).json().orgCount).toBe(1);
    const dropped = await ctx.database.db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from manual_scores where scheme_id = ${id}`);
    expect(Number(dropped.rows[0]!.n)).toBe(0);

    expect((await bureauAdmin.delete(`/api/assessment/schemes/${id}`)).statusCode).toBe(200);
    expect((await bureauAdmin.get(`/api/assessment/schemes/${id}`)).statusCode).toBe(404);
    const audited = await ctx.database.db.execute<{ action: string } & Record<string, unknown>>(sql`
      select action from audit_log where target_type = 'assessment_scheme' and target_id = ${id} and action in ('assessment.update_scheme', 'assessment.delete_scheme') order by id`);
    expect(audited.rows.map((r) => r.action)).toEqual(['assessment.update_scheme', 'assessment.update_scheme', 'assessment.delete_scheme']);
  });

  it('refuses to change or delete a scheme with frozen or published results (409), changing nothing', async () => {
    const before = await snapshot();
    const patched = await bureauAdmin.patch(`/api/assessment/schemes/${schemeId}`, { name: '改不了' });
    expect(patched.statusCode, patched.body).toBe(409);
    expect(patched.json().error).toMatchObject({ code: 'assessment.frozen', message: expect.stringMatching(/冻结/) });
    const removed = await bureauAdmin.delete(`/api/assessment/schemes/${schemeId}`);
    expect(removed.statusCode).toBe(409);
    expect(removed.json().error.code).toBe('assessment.frozen_kept');
    expect(await snapshot()).toBe(before);
  });

  it('answers 404 outside the managers and 400 for bad fields, changing nothing', async () => {
    const id = (await bureauAdmin.post('/api/assessment/schemes', draftBody('范围测试'))).json().id as string;
    const before = await snapshot();
    expect((await otherAdmin.patch(`/api/assessment/schemes/${id}`, { name: '越权' })).statusCode).toBe(404);
    // an assessed branch reads the scheme but does not manage it
    expect((await branchAdmin.patch(`/api/assessment/schemes/${id}`, { name: '越权' })).statusCode).toBe(404);
    expect((await branchAdmin.delete(`/api/assessment/schemes/${id}`)).statusCode).toBe(404);
    const order = await bureauAdmin.patch(`/api/assessment/schemes/${id}`, { periodEnd: '2024-12-31' });
    expect(order.statusCode).toBe(400);
    expect(Object.keys(order.json().error.fields)).toEqual(['periodEnd']);
    const outside = await bureauAdmin.patch(`/api/assessment/schemes/${id}`, { orgIds: [other.id], indicators: [{ indicatorId: ids.three, weight: 0 }] });
    expect(outside.statusCode).toBe(400);
    expect(Object.keys(outside.json().error.fields)).toEqual(['indicators.0.weight']);
    expect((await bureauAdmin.patch(`/api/assessment/schemes/${id}`, { orgIds: [other.id] })).json().error.fields).toHaveProperty('orgIds');
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/assessment/schemes/${id}` })).statusCode).toBe(401);
    expect(await snapshot()).toBe(before);
    expect((await bureauAdmin.get(`/api/assessment/schemes/${id}`)).json()).toMatchObject({ name: '范围测试', periodEnd: Q1.to, orgCount: 2 });
  });
});
