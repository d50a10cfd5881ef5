import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import type { Board, OrgBreakdown, RankingCampaign, RankingPeriodDetail } from '../../../../contracts/rankings.js';

let ctx: TestContext;
let root: OrgFixture, bureauA: OrgFixture, bureauB: OrgFixture, a1: OrgFixture, a2: OrgFixture, a3: OrgFixture, b1: OrgFixture, b2: OrgFixture, otherRoot: OrgFixture;
let rootAdmin: Client, bureauAAdmin: Client, a1Admin: Client, otherAdmin: Client;
let campaign: RankingCampaign;
const db = () => ctx.database.db;

beforeAll(async () => {
  ctx = await startTestApp();
  root = await makeOrg(db(), null, { name: '市直机关工委' });
  bureauA = await makeOrg(db(), root, { name: '市财政局机关党委', type: 'organ_committee' });
  bureauB = await makeOrg(db(), root, { name: '市教育局机关党委', type: 'organ_committee' });
  a1 = await makeOrg(db(), bureauA, { name: '办公室党支部' });
  a2 = await makeOrg(db(), bureauA, { name: '预算处党支部' });
  a3 = await makeOrg(db(), bureauA, { name: '国库处党支部' });
  b1 = await makeOrg(db(), bureauB, { name: '基础教育处党支部' });
  b2 = await makeOrg(db(), bureauB, { name: '高教处党支部' });
  otherRoot = await makeOrg(db(), null, { name: '邻市机关工委' });
  rootAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: root }]));
  bureauAAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: bureauA }]));
  a1Admin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: a1 }]));
  otherAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: otherRoot }]));
});
afterAll(async () => ctx?.close());

const campaignBody = (fields: Record<string, unknown> = {}) => ({
  orgId: root.id, name: '2026 年度机关党建赛马', periodKind: 'quarterly', year: 2026,
  dimensions: [
    { name: '讲政治·比忠诚', weight: 3, source: 'manual' },
    { name: '整改问题数', weight: 1, source: 'manual', higherIsBetter: false },
  ],
  peerGroups: [
    { name: '机关党委', ruleKind: 'level', depth: 1 },
    { name: '党支部', ruleKind: 'type', orgType: 'branch' },
  ],
  ...fields,
});

const ok = <T>(res: { statusCode: number; body: string; json(): unknown }, status = 200): T => {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
};
const dim = (i: number) => campaign.dimensions[i]!.id;
const period = (seq: number) => campaign.periods[seq - 1]!.id;
async function score(periodId: string, dimension: number, scores: [OrgFixture, number | null][]) {
  ok(await rootAdmin.put(`/api/rankings/periods/${periodId}/manual-scores`, { dimensionId: dim(dimension), scores: scores.map(([o, s]) => ({ orgId: o.id, score: s })) }));
}
const board = async (client: Client, periodId: string, query = '') => ok<Board>(await client.get(`/api/rankings/periods/${periodId}/board${query}`));
const ranks = (b: Board) => b.items.map((r) => [r.orgName, r.rank, r.total, r.movement]);

describe('a campaign', () => {
  it('is created with its dimensions, its peer groups (each org in one) and the year’s quarters', async () => {
    campaign = ok<RankingCampaign>(await rootAdmin.post('/api/rankings/campaigns', campaignBody()), 201);
    expect(campaign.dimensions.map((d) => [d.name, d.weight, d.source, d.higherIsBetter])).toEqual([['讲政治·比忠诚', 3, 'manual', true], ['整改问题数', 1, 'manual', false]]);
    expect(campaign.peerGroups.map((g) => [g.name, g.orgCount])).toEqual([['机关党委', 2], ['党支部', 5]]);
    expect(campaign.periods.map((p) => [p.label, p.from, p.to, p.status])).toEqual([
      ['2026-Q1', '2026-01-01', '2026-03-31', 'open'], ['2026-Q2', '2026-04-01', '2026-06-30', 'open'],
      ['2026-Q3', '2026-07-01', '2026-09-30', 'open'], ['2026-Q4', '2026-10-01', '2026-12-31', 'open'],
    ]);
    expect(ok<{ total: number }>(await rootAdmin.get('/api/rankings/campaigns')).total).toBe(1);
  });

  it('refuses bad input with the field named, and creates nothing', async () => {
    const before = await countRows(db(), 'ranking_campaigns');
    const cases: [Record<string, unknown>, string][] = [
      [{ dimensions: [] }, 'dimensions'],
      [{ dimensions: [{ name: '讲学习', weight: 0, source: 'manual' }] }, 'dimensions.0.weight'],
      [{ dimensions: [{ name: '讲学习', weight: 1, source: 'indicator' }] }, 'dimensions.0.indicatorCode'],
      [{ dimensions: [{ name: '讲学习', weight: 1, source: 'indicator', indicatorCode: 'nothing.here' }] }, 'dimensions.0.indicatorCode'],
      [{ peerGroups: [{ name: '全部', ruleKind: 'level', depth: 1 }, { name: '重复', ruleKind: 'type', orgType: 'organ_committee' }] }, 'peerGroups.1.ruleKind'],
      [{ peerGroups: [{ name: '外单位', ruleKind: 'orgs', orgIds: [otherRoot.id] }] }, 'peerGroups.0.orgIds'],
      [{ orgId: otherRoot.id }, 'orgId'],
      [{ periodKind: 'weekly' }, 'periodKind'],
    ];
    for (const [fields, field] of cases) {
      const res = await rootAdmin.post('/api/rankings/campaigns', campaignBody(fields));
      expect(res.statusCode, `${field}: ${res.body}`).toBe(400);
      expect(Object.keys((res.json() as { error: { fields: Record<string, string> } }).error.fields), res.body).toContain(field);
    }
    expect(await countRows(db(), 'ranking_campaigns')).toBe(before);
  });

  it('answers 404 outside the viewer’s scope, and 401 without a session', async () => {
    expect((await otherAdmin.get(`/api/rankings/campaigns/${campaign.id}`)).statusCode).toBe(404);
    expect((await otherAdmin.get(`/api/rankings/periods/${period(1)}`)).statusCode).toBe(404);
    expect((await otherAdmin.put(`/api/rankings/periods/${period(1)}/manual-scores`, { dimensionId: dim(0), scores: [{ orgId: a1.id, score: 1 }] })).statusCode).toBe(404);
    expect((await otherAdmin.post(`/api/rankings/periods/${period(1)}/compute`, {})).statusCode).toBe(404);
    expect((await bureauAAdmin.get(`/api/rankings/campaigns/${campaign.id}`)).statusCode).toBe(404);
    expect(ok<{ total: number }>(await otherAdmin.get('/api/rankings/campaigns')).total).toBe(0);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/rankings/campaigns/${campaign.id}` })).statusCode).toBe(401);
  });
});

describe('a period', () => {
  it('takes manual scores only for ranked orgs and manual dimensions', async () => {
    const res = await rootAdmin.put(`/api/rankings/periods/${period(1)}/manual-scores`, { dimensionId: dim(0), scores: [{ orgId: otherRoot.id, score: 1 }] });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty('scores');
    const negative = await rootAdmin.put(`/api/rankings/periods/${period(1)}/manual-scores`, { dimensionId: dim(0), scores: [{ orgId: a1.id, score: -1 }] });
    expect(Object.keys((negative.json() as { error: { fields: Record<string, string> } }).error.fields)).toEqual(['scores.0.score']);
    expect(await countRows(db(), 'ranking_manual_scores')).toBe(0);
  });

  it('is computed into exact normalized scores, weighted totals and shared ranks, each peer group apart', async () => {
    await score(period(1), 0, [[a1, 80], [a2, 100], [a3, 100], [b1, 50], [bureauA, 60], [bureauB, 90]]);
    await score(period(1), 1, [[a1, 0], [a2, 2], [a3, 2], [b1, 4]]);
    expect((await rootAdmin.post(`/api/rankings/periods/${period(1)}/publish`, {})).statusCode).toBe(409);
    const computed = ok<RankingPeriodDetail>(await rootAdmin.post(`/api/rankings/periods/${period(1)}/compute`, {}));
    expect(computed.status).toBe('computed');
    expect(computed.manualCounts).toEqual([{ dimensionId: dim(0), scored: 6 }, { dimensionId: dim(1), scored: 4 }]);
    const branches = campaign.peerGroups[1]!.id;
    const b = await board(rootAdmin, period(1), `?groupId=${branches}`);
    // D1 higher is better: 100 × v / 100; D2 lower is better: 100 × (4 − v) / 4; no score counts 0
    expect(ranks(b)).toEqual([
      ['预算处党支部', 1, 87.5, null], ['国库处党支部', 1, 87.5, null], ['办公室党支部', 3, 85, null], ['基础教育处党支部', 4, 37.5, null], ['高教处党支部', 5, 0, null],
    ]);
    expect(b.items.map((r) => r.scores)).toEqual([[100, 50], [100, 50], [80, 100], [50, 0], [0, 0]]);
    expect(b.total).toBe(5);
    const committees = await board(rootAdmin, period(1));
    expect(committees.groupId).toBe(campaign.peerGroups[0]!.id);
    expect(ranks(committees)).toEqual([['市教育局机关党委', 1, 75, null], ['市财政局机关党委', 2, 50, null]]);
    expect(committees.items.map((r) => r.scores)).toEqual([[100, 0], [66.67, 0]]);
    const breakdown = ok<OrgBreakdown>(await rootAdmin.get(`/api/rankings/periods/${period(1)}/orgs/${a2.id}`));
    expect(breakdown.dimensions.map((d) => [d.name, d.weight, d.raw, d.score])).toEqual([['讲政治·比忠诚', 3, 100, 100], ['整改问题数', 1, 2, 50]]);
    expect([breakdown.groupName, breakdown.groupSize, breakdown.rank]).toEqual(['党支部', 5, 1]);
  });

  it('shows the board to the orgs in the tree only once published, each with its own row', async () => {
    expect((await bureauAAdmin.get(`/api/rankings/periods/${period(1)}/board`)).statusCode).toBe(404);
    expect(ok<{ total: number }>(await bureauAAdmin.get('/api/rankings/boards')).total).toBe(0);
    ok(await rootAdmin.post(`/api/rankings/periods/${period(1)}/publish`, {}));
    const mine = await board(bureauAAdmin, period(1));
    expect(mine.groupId).toBe(campaign.peerGroups[0]!.id);
    expect(mine.mine).toMatchObject({ orgName: '市财政局机关党委', rank: 2 });
    const branch = await board(a1Admin, period(1), '?pageSize=1');
    expect(branch.items.map((r) => r.orgName)).toEqual(['预算处党支部']);
    expect(branch.mine).toMatchObject({ orgName: '办公室党支部', rank: 3, total: 85 });
    expect(ok<{ items: { label: string }[] }>(await a1Admin.get('/api/rankings/boards')).items.map((i) => i.label)).toEqual(['2026-Q1']);
    expect((await otherAdmin.get(`/api/rankings/periods/${period(1)}/board`)).statusCode).toBe(404);
    expect((await a1Admin.get(`/api/rankings/periods/${period(2)}/board`)).statusCode).toBe(404);
    // a published period no longer changes
    expect((await rootAdmin.put(`/api/rankings/periods/${period(1)}/manual-scores`, { dimensionId: dim(0), scores: [{ orgId: a1.id, score: 1 }] })).statusCode).toBe(409);
    expect((await rootAdmin.post(`/api/rankings/periods/${period(1)}/compute`, {})).statusCode).toBe(409);
    const bad = await rootAdmin.get(`/api/rankings/periods/${period(1)}/board?groupId=${otherRoot.id}`);
    expect(Object.keys((bad.json() as { error: { fields: Record<string, string> } }).error.fields)).toEqual(['groupId']);
  });

  it('moves against the period before: up, down, held', async () => {
    await score(period(2), 0, [[a1, 100], [a2, 80], [a3, 100], [b1, 100], [b2, 100]]);
    ok(await rootAdmin.post(`/api/rankings/periods/${period(2)}/compute`, {}));
    const b = await board(rootAdmin, period(2), `?groupId=${campaign.peerGroups[1]!.id}`);
    expect(b.items.map((r) => [r.orgName, r.rank, r.previousRank, r.movement])).toEqual([
      ['办公室党支部', 1, 3, 2], ['国库处党支部', 1, 1, 0], ['基础教育处党支部', 1, 4, 3], ['高教处党支部', 1, 5, 4], ['预算处党支部', 5, 1, -4],
    ]);
    // a score entered after computing sends the period back to open
    await score(period(2), 0, [[a2, 100]]);
    expect(ok<RankingPeriodDetail>(await rootAdmin.get(`/api/rankings/periods/${period(2)}`)).status).toBe('open');
  });

  it('shows what is true on a board opened before: a new computation, and an org renamed since', async () => {
    const branches = `?groupId=${campaign.peerGroups[1]!.id}`;
    const before = await board(rootAdmin, period(2), branches);
    expect(before.items.at(-1)).toMatchObject({ orgName: '预算处党支部', rank: 5 });
    ok(await rootAdmin.post(`/api/rankings/periods/${period(2)}/compute`, {}));
    const recomputed = await board(rootAdmin, period(2), branches);
    expect(recomputed.items.map((r) => [r.orgName, r.rank, r.total])).toEqual([
      ['办公室党支部', 1, 75], ['预算处党支部', 1, 75], ['国库处党支部', 1, 75], ['基础教育处党支部', 1, 75], ['高教处党支部', 1, 75],
    ]);
    ok(await rootAdmin.patch(`/api/orgs/${a2.id}`, { name: '预算与绩效处党支部' }));
    const renamed = await board(rootAdmin, period(2), branches);
    expect(renamed.items.map((r) => r.orgName)).toEqual(['办公室党支部', '预算与绩效处党支部', '国库处党支部', '基础教育处党支部', '高教处党支部']);
    expect(renamed.total).toBe(5);
    ok(await rootAdmin.patch(`/api/orgs/${a2.id}`, { name: '预算处党支部' }));
  });
});

describe('a 擂台赛', () => {
  it('scores a judges dimension from the judging panel, a judge never scoring their own org', async () => {
    const judged = ok<RankingCampaign>(await rootAdmin.post('/api/rankings/campaigns', campaignBody({
      name: '擂台赛比武', dimensions: [{ name: '比担当·晒实绩', weight: 1, source: 'judges' }], peerGroups: [{ name: '财政局支部', ruleKind: 'orgs', orgIds: [a1.id, a2.id] }],
    })), 201);
    const periodId = judged.periods[0]!.id;
    const ownJudgeUser = await makeUser(db(), [{ role: 'judge', org: a1 }]);
    const outsideJudgeUser = await makeUser(db(), [{ role: 'judge', org: bureauB }]);
    const body = { dimensionId: judged.dimensions[0]!.id, title: '一季度党建擂台赛', date: '2026-03-20', orgIds: [a1.id, a2.id], judgeUserIds: [ownJudgeUser.id, outsideJudgeUser.id] };
    const outside = await rootAdmin.post(`/api/rankings/periods/${periodId}/events`, { ...body, date: '2026-05-01' });
    expect(Object.keys((outside.json() as { error: { fields: Record<string, string> } }).error.fields)).toEqual(['date']);
    const event = ok<{ id: string; panelId: string; orgs: { name: string }[] }>(await rootAdmin.post(`/api/rankings/periods/${periodId}/events`, body), 201);
    expect(event.orgs.map((o) => o.name)).toEqual(['办公室党支部', '预算处党支部']);
    const judges = { own: await login(ctx.app, ownJudgeUser), outside: await login(ctx.app, outsideJudgeUser) };
    const entries = async (c: Client) => ok<{ items: { id: string; orgName: string }[] }>(await c.get(`/api/judging/panels/${event.panelId}/entries`)).items;
    const ownEntries = await entries(judges.own);
    expect(ownEntries.map((e) => e.orgName)).toEqual(['预算处党支部']);
    ok(await judges.own.post(`/api/judging/entries/${ownEntries[0]!.id}/submit`, { scores: { overall: 90 } }));
    for (const e of await entries(judges.outside)) {
      ok(await judges.outside.post(`/api/judging/entries/${e.id}/submit`, { scores: { overall: e.orgName === '办公室党支部' ? 60 : 70 } }));
    }
    ok(await rootAdmin.post(`/api/rankings/periods/${periodId}/compute`, {}));
    const b = await board(rootAdmin, periodId);
    // 预算处: mean of 90 and 70 = 80 → 100; 办公室: 60 (its own judge did not score it) → 75
    expect(b.items.map((r) => [r.orgName, r.rank, r.total])).toEqual([['预算处党支部', 1, 100], ['办公室党支部', 2, 75]]);
    ok(await rootAdmin.post(`/api/rankings/periods/${periodId}/publish`, {}));
    const late = await judges.outside.post(`/api/judging/entries/${(await entries(judges.outside))[0]!.id}/submit`, { scores: { overall: 1 } });
    expect(late.statusCode).toBeGreaterThanOrEqual(400);
  });
});

describe('correcting a campaign', () => {
  const tables = ['ranking_campaigns', 'ranking_dimensions', 'ranking_peer_groups', 'ranking_group_members', 'ranking_periods', 'ranking_manual_scores', 'ranking_events', 'audit_log'];
  const snapshot = async () => JSON.stringify(await Promise.all(tables.map((t) => countRows(db(), t))));

  it('changes name, dimensions, weights, peer groups and periods before any period is computed, and deletes it', async () => {
    const draft = ok<RankingCampaign>(await rootAdmin.post('/api/rankings/campaigns', campaignBody({ name: '待修改的赛马' })), 201);
    const changed = ok<RankingCampaign>(await rootAdmin.patch(`/api/rankings/campaigns/${draft.id}`, {
      name: '修改后的赛马', periodKind: 'monthly',
      dimensions: [{ name: '讲学习·比素质', weight: 2, source: 'manual' }],
      peerGroups: [{ name: '财政局党支部', ruleKind: 'orgs', orgIds: [a1.id, a2.id] }],
    }));
    expect(changed).toMatchObject({ name: '修改后的赛马', periodKind: 'monthly', year: 2026 });
    expect(changed.dimensions.map((d) => [d.name, d.weight])).toEqual([['讲学习·比素质', 2]]);
    expect(changed.peerGroups.map((g) => [g.name, g.orgCount])).toEqual([['财政局党支部', 2]]);
    expect(changed.periods).toHaveLength(12);
    // the name alone, once scores exist
    ok(await rootAdmin.put(`/api/rankings/periods/${changed.periods[0]!.id}/manual-scores`, { dimensionId: changed.dimensions[0]!.id, scores: [{ orgId: a1.id, score: 80 }] }));
    expect(ok<RankingCampaign>(await rootAdmin.patch(`/api/rankings/campaigns/${draft.id}`, { name: '再改名' })).name).toBe('再改名');
    const refused = await rootAdmin.patch(`/api/rankings/campaigns/${draft.id}`, { dimensions: [{ name: '新维度', weight: 1, source: 'manual' }] });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'ranking.campaign_scored', message: expect.stringMatching(/评分/) });

    ok(await rootAdmin.delete(`/api/rankings/campaigns/${draft.id}`));
    expect((await rootAdmin.get(`/api/rankings/campaigns/${draft.id}`)).statusCode).toBe(404);
    const left = await db().execute<{ n: number }>(`select count(*)::int as n from ranking_periods where campaign_id = ${draft.id}`);
    expect(Number(left.rows[0]!.n)).toBe(0);
    const audited = await db().execute<{ action: string }>(`select action from audit_log where target_type = 'ranking_campaign' and target_id = '${draft.id}' order by id`);
    expect(audited.rows.map((r) => r.action)).toEqual(['ranking.create_campaign', 'ranking.update_campaign', 'ranking.update_campaign', 'ranking.delete_campaign']);
  });

  it('refuses to change a computed campaign or delete a published one (409), changing nothing', async () => {
    const before = await snapshot();
    const patched = await rootAdmin.patch(`/api/rankings/campaigns/${campaign.id}`, { name: '改不了' });
    expect(patched.statusCode, patched.body).toBe(409);
    expect(patched.json().error).toMatchObject({ code: 'ranking.campaign_computed', message: expect.stringMatching(/计算/) });
    const removed = await rootAdmin.delete(`/api/rankings/campaigns/${campaign.id}`);
    expect(removed.statusCode, removed.body).toBe(409);
    expect(removed.json().error.code).toBe('ranking.campaign_published');
    expect(await snapshot()).toBe(before);
  });

  it('answers 404 outside the scope, 400 for bad fields and 401 without a session, changing nothing', async () => {
    const draft = ok<RankingCampaign>(await rootAdmin.post('/api/rankings/campaigns', campaignBody({ name: '范围测试' })), 201);
    const before = await snapshot();
    expect((await otherAdmin.patch(`/api/rankings/campaigns/${draft.id}`, { name: '越权' })).statusCode).toBe(404);
    expect((await a1Admin.delete(`/api/rankings/campaigns/${draft.id}`)).statusCode).toBe(404);
    const bad = await rootAdmin.patch(`/api/rankings/campaigns/${draft.id}`, { dimensions: [{ name: '讲学习', weight: 0, source: 'manual' }], orgId: bureauA.id });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['dimensions.0.weight', 'orgId']);
    const overlap = await rootAdmin.patch(`/api/rankings/campaigns/${draft.id}`, { peerGroups: [{ name: '全部', ruleKind: 'level', depth: 1 }, { name: '重复', ruleKind: 'type', orgType: 'organ_committee' }] });
    expect(overlap.statusCode).toBe(400);
    expect(Object.keys(overlap.json().error.fields)).toEqual(['peerGroups.1.ruleKind']);
    expect((await ctx.app.inject({ method: 'PATCH', url: `/api/rankings/campaigns/${draft.id}`, payload: { name: 'x' } })).statusCode).toBe(401);
    expect(await snapshot()).toBe(before);
    expect(ok<RankingCampaign>(await rootAdmin.get(`/api/rankings/campaigns/${draft.id}`)).peerGroups).toHaveLength(2);
  });
});
