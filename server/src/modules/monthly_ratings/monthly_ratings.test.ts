import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonthlyRatingCampaign, MonthlyRatingRoundDetail, MyMonthlyRatings, Nomination, NominationPage, PublishedList } from '../../../../contracts/monthly_ratings.js';
import { countRows, login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { openMonthRounds } from './service.js';

let ctx: TestContext;
let root: OrgFixture;
let branchA: OrgFixture;
let branchB: OrgFixture;
let outside: OrgFixture;
let rootAdmin: Client;
let branchAdmin: Client;
let outsiderAdmin: Client;

const HOUR = 3600_000;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
/** nominations open now, voting tomorrow */
const nominatingNow = () => ({ nominationOpensAt: at(-24 * HOUR), nominationClosesAt: at(24 * HOUR), votingOpensAt: at(24 * HOUR), votingClosesAt: at(48 * HOUR) });
const votingNow = () => ({ nominationOpensAt: at(-48 * HOUR), nominationClosesAt: at(-24 * HOUR), votingOpensAt: at(-HOUR), votingClosesAt: at(24 * HOUR) });
const votingClosed = () => ({ nominationOpensAt: at(-72 * HOUR), nominationClosesAt: at(-48 * HOUR), votingOpensAt: at(-24 * HOUR), votingClosesAt: at(-HOUR) });

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  const top = await makeOrg(db, null, { name: '市直机关工委' });
  const committee = await makeOrg(db, top, { type: 'organ_committee', name: '财政局机关党委' });
  root = committee;
  branchA = await makeOrg(db, committee, { name: '预算处党支部' });
  branchB = await makeOrg(db, committee, { name: '国库处党支部' });
  outside = await makeOrg(db, null, { name: '另一工委' });
  rootAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: committee }]));
  branchAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchA }]));
  outsiderAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: outside }]));
});
afterAll(async () => ctx?.close());

let seq = 0;
async function campaign(fields: Record<string, unknown> = {}): Promise<MonthlyRatingCampaign> {
  const res = await rootAdmin.post('/api/monthly-ratings/campaigns', {
    orgId: root.id, name: `每月美丽党员${seq++}`, places: 2, votesPerMember: 3, nominationFromDay: 1, nominationToDay: 10, votingFromDay: 15, votingToDay: 20, ...fields,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
let monthSeq = 0;
const nextMonth = () => `2030-${String((monthSeq++ % 12) + 1).padStart(2, '0')}`;
async function round(campaignId: string, windows = nominatingNow()): Promise<MonthlyRatingRoundDetail> {
  const res = await rootAdmin.post(`/api/monthly-ratings/campaigns/${campaignId}/rounds`, { month: nextMonth(), ...windows });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
async function setWindows(roundId: string, windows: ReturnType<typeof votingNow>): Promise<void> {
  const res = await rootAdmin.put(`/api/monthly-ratings/rounds/${roundId}/windows`, windows);
  expect(res.statusCode, res.body).toBe(200);
}
async function nominee(roundId: string, org: OrgFixture = branchA, by: Client = rootAdmin): Promise<Nomination & { memberName: string }> {
  const member = await makeMember(ctx.database.db, org);
  const res = await by.post(`/api/monthly-ratings/rounds/${roundId}/nominations`, { memberId: member.id, reasons: `${member.name}的事迹：主动加班完成预算编制` });
  expect(res.statusCode, res.body).toBe(201);
  return { ...res.json(), memberName: member.name };
}
async function voter(org: OrgFixture = branchB): Promise<Client & { memberId: string }> {
  const member = await makeMember(ctx.database.db, org);
  const client = await login(ctx.app, await makeUser(ctx.database.db, [{ role: 'member' }], { memberId: member.id }));
  return Object.assign(client, { memberId: member.id });
}
const vote = (who: Client, roundId: string, nominationId: string) => who.post(`/api/me/monthly-ratings/rounds/${roundId}/votes`, { nominationId });
const anonymous = (method: 'GET' | 'POST', url: string) => ctx.app.inject({ method, url, payload: method === 'POST' ? {} : undefined });

describe('campaigns', () => {
  it('creates a campaign for the tree, and refuses bad settings with the field', async () => {
    const c = await campaign({ tieBreak: 'admin_decision', allowRecommendations: true });
    expect(c).toMatchObject({ orgId: root.id, places: 2, votesPerMember: 3, tieBreak: 'admin_decision', allowRecommendations: true, autoRounds: true, canManage: true });
    const before = await countRows(ctx.database.db, 'monthly_rating_campaigns');
    const bad = await rootAdmin.post('/api/monthly-ratings/campaigns', { orgId: root.id, name: 'x', places: 0, votesPerMember: 3, nominationFromDay: 12, nominationToDay: 10, votingFromDay: 15, votingToDay: 20 });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toEqual(expect.arrayContaining(['places', 'votingFromDay']));
    expect(bad.json().error.fields.places).toBe('每月评星名额须在 1 至 50 之间');
    const out = await outsiderAdmin.post('/api/monthly-ratings/campaigns', { orgId: root.id, name: 'x', places: 1, votesPerMember: 1, nominationFromDay: 1, nominationToDay: 2, votingFromDay: 3, votingToDay: 4 });
    expect(out.statusCode).toBe(400);
    expect(out.json().error.fields.orgId).toBeDefined();
    const order = await rootAdmin.patch(`/api/monthly-ratings/campaigns/${c.id}`, { votingFromDay: 5 });
    expect(order.statusCode).toBe(400);
    expect(order.json().error.fields.votingFromDay).toBeDefined();
    expect(await countRows(ctx.database.db, 'monthly_rating_campaigns')).toBe(before);
    expect((await anonymous('GET', '/api/monthly-ratings/campaigns')).statusCode).toBe(401);
  });

  it('shows the campaign to the admins of the tree (a branch admin cannot run it) and 404 outside', async () => {
    const c = await campaign();
    expect((await branchAdmin.get(`/api/monthly-ratings/campaigns/${c.id}`)).json()).toMatchObject({ id: c.id, canManage: false });
    expect((await outsiderAdmin.get(`/api/monthly-ratings/campaigns/${c.id}`)).statusCode).toBe(404);
    expect((await outsiderAdmin.get('/api/monthly-ratings/campaigns')).json().items.map((x: { id: string }) => x.id)).not.toContain(c.id);
    expect((await branchAdmin.patch(`/api/monthly-ratings/campaigns/${c.id}`, { places: 5 })).statusCode).toBe(404);
    const changed = await rootAdmin.patch(`/api/monthly-ratings/campaigns/${c.id}`, { places: 5, votesPerMember: 4 });
    expect(changed.json()).toMatchObject({ places: 5, votesPerMember: 4 });
  });
});

describe('rounds', () => {
  it('makes a month’s round from the campaign’s days in Beijing time, once per month', async () => {
    const c = await campaign();
    const res = await rootAdmin.post(`/api/monthly-ratings/campaigns/${c.id}/rounds`, { month: '2029-02' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      month: '2029-02', phase: 'upcoming', nominees: 0, votesCast: 0,
      nominationOpensAt: '2029-01-31T16:00:00.000Z', nominationClosesAt: '2029-02-10T16:00:00.000Z',
      votingOpensAt: '2029-02-14T16:00:00.000Z', votingClosesAt: '2029-02-20T16:00:00.000Z',
    });
    expect((await rootAdmin.post(`/api/monthly-ratings/campaigns/${c.id}/rounds`, { month: '2029-02' })).statusCode).toBe(409);
    const bad = await rootAdmin.post(`/api/monthly-ratings/campaigns/${c.id}/rounds`, { month: '2029-13' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.month).toBe('月份格式应为 YYYY-MM');
    const disorder = await rootAdmin.post(`/api/monthly-ratings/campaigns/${c.id}/rounds`, { month: '2029-03', ...nominatingNow(), votingClosesAt: at(-HOUR) });
    expect(disorder.statusCode).toBe(400);
    expect((await branchAdmin.post(`/api/monthly-ratings/campaigns/${c.id}/rounds`, { month: '2029-04' })).statusCode).toBe(404);
    expect((await rootAdmin.get(`/api/monthly-ratings/campaigns/${c.id}/rounds`)).json().total).toBe(1);
  });

  it('opens this month’s round of each campaign made from its settings, once (the hourly job)', async () => {
    const auto = await campaign();
    const manual = await campaign({ autoRounds: false });
    const now = new Date('2031-05-03T02:00:00Z');
    expect(await openMonthRounds(ctx.database.db, now)).toBeGreaterThanOrEqual(1);
    expect(await openMonthRounds(ctx.database.db, now)).toBe(0);
    expect((await rootAdmin.get(`/api/monthly-ratings/campaigns/${auto.id}/rounds`)).json().items.map((r: { month: string }) => r.month)).toEqual(['2031-05']);
    expect((await rootAdmin.get(`/api/monthly-ratings/campaigns/${manual.id}/rounds`)).json().total).toBe(0);
  });
});

describe('nominations', () => {
  it('lets admins nominate their own members of the tree, once per month, until voting opens', async () => {
    const c = await campaign();
    const r = await round(c.id);
    const a = await nominee(r.id, branchA, branchAdmin);
    expect(a).toMatchObject({ status: 'approved', source: 'admin', orgId: branchA.id, votes: null });
    const b = await makeMember(ctx.database.db, branchB);
    const notMine = await branchAdmin.post(`/api/monthly-ratings/rounds/${r.id}/nominations`, { memberId: b.id, reasons: '事迹' });
    expect(notMine.statusCode).toBe(400);
    expect(notMine.json().error.fields.memberId).toBeDefined();
    const x = await makeMember(ctx.database.db, outside);
    expect((await rootAdmin.post(`/api/monthly-ratings/rounds/${r.id}/nominations`, { memberId: x.id, reasons: '事迹' })).statusCode).toBe(400);
    expect((await rootAdmin.post(`/api/monthly-ratings/rounds/${r.id}/nominations`, { memberId: a.memberId, reasons: '再推荐' })).statusCode).toBe(409);
    expect((await rootAdmin.post(`/api/monthly-ratings/rounds/${r.id}/nominations`, { memberId: b.id, reasons: '  ' })).statusCode).toBe(400);
    expect((await outsiderAdmin.post(`/api/monthly-ratings/rounds/${r.id}/nominations`, { memberId: x.id, reasons: '事迹' })).statusCode).toBe(404);
    // the branch admin sees the nominations of its own subtree only, without counts
    await nominee(r.id, branchB);
    expect((await branchAdmin.get(`/api/monthly-ratings/rounds/${r.id}/nominations`)).json<NominationPage>().items.map((n: Nomination) => n.id)).toEqual([a.id]);
    expect((await rootAdmin.get(`/api/monthly-ratings/rounds/${r.id}/nominations`)).json().total).toBe(2);
    expect((await outsiderAdmin.get(`/api/monthly-ratings/nominations/${a.id}`)).statusCode).toBe(404);
    await setWindows(r.id, votingNow());
    const late = await rootAdmin.post(`/api/monthly-ratings/rounds/${r.id}/nominations`, { memberId: b.id, reasons: '事迹' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toBe('投票已开始，不能再推荐或审核人选');
  });

  it('takes members’ own and peers’ recommendations when the campaign allows them, for an admin to approve', async () => {
    const closed = await campaign();
    const r0 = await round(closed.id);
    const me = await voter(branchA);
    expect((await me.post(`/api/me/monthly-ratings/rounds/${r0.id}/recommendations`, { memberId: me.memberId, reasons: '自荐' })).statusCode).toBe(409);

    const c = await campaign({ allowRecommendations: true });
    const r = await round(c.id);
    const self = await me.post(`/api/me/monthly-ratings/rounds/${r.id}/recommendations`, { memberId: me.memberId, reasons: '带头完成专项审计' });
    expect(self.statusCode, self.body).toBe(201);
    expect(self.json().status).toBe('pending');
    const peer = await makeMember(ctx.database.db, branchA);
    const peers = (await me.get(`/api/me/monthly-ratings/rounds/${r.id}/peers?pageSize=200`)).json();
    expect(peers.items.map((p: { memberId: string }) => p.memberId)).toEqual(expect.arrayContaining([peer.id, me.memberId]));
    const byPeer = await me.post(`/api/me/monthly-ratings/rounds/${r.id}/recommendations`, { memberId: peer.id, reasons: '热心帮助同事' });
    expect(byPeer.statusCode).toBe(201);
    // pending recommendations are not on the ballot
    expect((await me.get('/api/me/monthly-ratings')).json<MyMonthlyRatings>().rounds.find((x) => x.roundId === r.id)?.nominees).toEqual([]);
    const outsider = await voter(outside);
    expect((await outsider.post(`/api/me/monthly-ratings/rounds/${r.id}/recommendations`, { memberId: outsider.memberId, reasons: '自荐' })).statusCode).toBe(404);

    const approved = await branchAdmin.post(`/api/monthly-ratings/nominations/${self.json().id}/review`, { decision: 'approve' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', source: 'self' });
    expect((await branchAdmin.post(`/api/monthly-ratings/nominations/${self.json().id}/review`, { decision: 'reject' })).statusCode).toBe(409);
    expect((await outsiderAdmin.post(`/api/monthly-ratings/nominations/${byPeer.json().id}/review`, { decision: 'approve' })).statusCode).toBe(404);
    expect((await rootAdmin.post(`/api/monthly-ratings/nominations/${byPeer.json().id}/review`, { decision: 'maybe' })).statusCode).toBe(400);
    await setWindows(r.id, votingNow());
    expect((await rootAdmin.post(`/api/monthly-ratings/nominations/${byPeer.json().id}/review`, { decision: 'approve' })).statusCode).toBe(409);
    expect((await me.get('/api/me/monthly-ratings')).json<MyMonthlyRatings>().rounds.find((x) => x.roundId === r.id)?.nominees.map((n) => n.id)).toEqual([self.json().id]);
  });
});

describe('voting', () => {
  it('takes one vote per nominee and at most N per member, within the window, from members of the tree', async () => {
    const c = await campaign({ votesPerMember: 3 });
    const r = await round(c.id);
    const ns = [await nominee(r.id), await nominee(r.id), await nominee(r.id), await nominee(r.id, branchB)];
    const v = await voter();
    const early = await vote(v, r.id, ns[0]!.id);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toBe('当前不在投票时间内');
    await setWindows(r.id, votingNow());

    const first = await vote(v, r.id, ns[0]!.id);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toEqual({ nominationId: ns[0]!.id, remainingVotes: 2 });
    const again = await vote(v, r.id, ns[0]!.id);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe('您已为该候选人投过票');
    expect((await vote(v, r.id, ns[1]!.id)).json().remainingVotes).toBe(1);
    expect((await vote(v, r.id, ns[2]!.id)).json().remainingVotes).toBe(0);
    const extra = await vote(v, r.id, ns[3]!.id);
    expect(extra.statusCode).toBe(409);
    expect(extra.json().error.message).toBe('本月票数已用完（每人最多投 3 票）');
    expect(await countRows(ctx.database.db, 'monthly_rating_votes')).toBeGreaterThanOrEqual(3);

    const bad = await vote(v, r.id, '999999');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.nominationId).toBe('该候选人不在本月候选名单中');
    expect((await v.post(`/api/me/monthly-ratings/rounds/${r.id}/votes`, { nominationId: 'abc' })).statusCode).toBe(400);
    expect((await vote(await voter(outside), r.id, ns[0]!.id)).statusCode).toBe(404);
    expect((await vote(outsiderAdmin, r.id, ns[0]!.id)).statusCode).toBe(404);
    expect((await anonymous('POST', `/api/me/monthly-ratings/rounds/${r.id}/votes`)).statusCode).toBe(401);

    // the member's phone: the ballot in nomination order, their votes, no counts
    const mine = (await v.get('/api/me/monthly-ratings')).json<MyMonthlyRatings>().rounds.find((x) => x.roundId === r.id)!;
    expect(mine).toMatchObject({ phase: 'voting', votesPerMember: 3, remainingVotes: 0 });
    expect(mine.nominees.map((n) => [n.id, n.votedByMe])).toEqual([[ns[0]!.id, true], [ns[1]!.id, true], [ns[2]!.id, true], [ns[3]!.id, false]]);
    expect(JSON.stringify(mine)).not.toContain('"votes"');
    // live counts: the campaign's admins see them, an admin below does not
    const tally = (await rootAdmin.get(`/api/monthly-ratings/rounds/${r.id}/nominations`)).json<NominationPage>();
    expect(tally.items.map((n) => n.votes)).toEqual([1, 1, 1, 0]);
    expect((await branchAdmin.get(`/api/monthly-ratings/rounds/${r.id}/nominations`)).json<NominationPage>().items.every((n) => n.votes === null)).toBe(true);
    expect((await rootAdmin.get(`/api/monthly-ratings/rounds/${r.id}`)).json().votesCast).toBe(3);
    expect((await branchAdmin.get(`/api/monthly-ratings/rounds/${r.id}`)).json().votesCast).toBeNull();

    await setWindows(r.id, votingClosed());
    expect((await vote(await voter(), r.id, ns[3]!.id)).statusCode).toBe(409);
  });

  it('never lets votes sent at once exceed the limit', async () => {
    const c = await campaign({ votesPerMember: 3 });
    const r = await round(c.id);
    const ns = [];
    for (let i = 0; i < 6; i++) ns.push(await nominee(r.id));
    await setWindows(r.id, votingNow());
    const v = await voter();
    const answers = await Promise.all(ns.map((n) => vote(v, r.id, n.id)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 201, 201, 409, 409, 409]);
    expect(answers.filter((a) => a.statusCode === 409).every((a) => a.json().error.message === '本月票数已用完（每人最多投 3 票）')).toBe(true);
    expect(answers.filter((a) => a.statusCode === 201).map((a) => a.json().remainingVotes).sort()).toEqual([0, 1, 2]);
    const total = (await rootAdmin.get(`/api/monthly-ratings/rounds/${r.id}`)).json().votesCast;
    expect(total).toBe(3);
    // the same nominee at once: one vote
    const w = await voter();
    const same = await Promise.all([vote(w, r.id, ns[0]!.id), vote(w, r.id, ns[0]!.id), vote(w, r.id, ns[0]!.id)]);
    expect(same.map((a) => a.statusCode).sort()).toEqual([201, 409, 409]);
  });
});

/** 4 nominees in nomination order; votes 2, 2, 3, 1 from eight voters */
async function tiedRound(fields: Record<string, unknown> = {}) {
  const c = await campaign({ places: 2, votesPerMember: 3, ...fields });
  const r = await round(c.id);
  const ns = [await nominee(r.id), await nominee(r.id), await nominee(r.id, branchB), await nominee(r.id)];
  await setWindows(r.id, votingNow());
  const ballots: number[][] = [[0, 2], [1, 2], [0, 1, 2], [3]];
  for (const ballot of ballots) {
    const v = await voter();
    for (const i of ballot) expect((await vote(v, r.id, ns[i]!.id)).statusCode).toBe(201);
  }
  return { c, r, ns };
}

describe('publishing the month’s list', () => {
  it('ranks by votes, the earlier nomination first on a tie, and shows the list to the tree', async () => {
    const { r, ns } = await tiedRound();
    const tooEarly = await rootAdmin.post(`/api/monthly-ratings/rounds/${r.id}/publish`);
    expect(tooEarly.statusCode).toBe(409);
    expect(tooEarly.json().error.message).toBe('投票尚未结束，不能通报名单');
    await setWindows(r.id, votingClosed());
    expect((await branchAdmin.post(`/api/monthly-ratings/rounds/${r.id}/publish`)).statusCode).toBe(404);
    const member = await voter(branchA);
    expect((await member.get(`/api/monthly-ratings/rounds/${r.id}/list`)).statusCode).toBe(404);

    const published = await rootAdmin.post(`/api/monthly-ratings/rounds/${r.id}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json().phase).toBe('published');
    expect((await rootAdmin.post(`/api/monthly-ratings/rounds/${r.id}/publish`)).statusCode).toBe(409);

    const tally = (await rootAdmin.get(`/api/monthly-ratings/rounds/${r.id}/nominations`)).json<NominationPage>();
    expect(tally.items.map((n) => [n.id, n.votes, n.place, n.isStarred])).toEqual([
      [ns[2]!.id, 3, 1, true], [ns[0]!.id, 2, 2, true], [ns[1]!.id, 2, 3, false], [ns[3]!.id, 1, 4, false],
    ]);
    const list = (await member.get(`/api/monthly-ratings/rounds/${r.id}/list`)).json<PublishedList>();
    expect(list.stars).toEqual([
      { nominationId: ns[2]!.id, place: 1, name: ns[2]!.memberName, orgName: '国库处党支部', reasons: ns[2]!.reasons, votes: 3, hasPhoto: false },
      { nominationId: ns[0]!.id, place: 2, name: ns[0]!.memberName, orgName: '预算处党支部', reasons: ns[0]!.reasons, votes: 2, hasPhoto: false },
    ]);
    expect((await member.get('/api/me/monthly-ratings/lists')).json().items.map((l: PublishedList) => l.roundId)).toContain(r.id);
    expect((await (await voter(outside)).get(`/api/monthly-ratings/rounds/${r.id}/list`)).statusCode).toBe(404);
    // once published, the counts are no secret to the tree's admins
    expect((await branchAdmin.get(`/api/monthly-ratings/rounds/${r.id}/nominations`)).json<NominationPage>().items.every((n) => n.votes !== null)).toBe(true);
    // on the member's record
    const stars = (await branchAdmin.get(`/api/monthly-ratings/members/${ns[0]!.memberId}/stars`)).json();
    expect(stars.items).toEqual([expect.objectContaining({ roundId: r.id, place: 1 + 1, month: r.month })]);
    expect((await outsiderAdmin.get(`/api/monthly-ratings/members/${ns[0]!.memberId}/stars`)).statusCode).toBe(404);
    expect((await rootAdmin.put(`/api/monthly-ratings/rounds/${r.id}/windows`, votingNow())).statusCode).toBe(409);
  });

  it('waits for the admin’s decision on a tie at the last place when the campaign says so', async () => {
    const { r, ns } = await tiedRound({ tieBreak: 'admin_decision' });
    await setWindows(r.id, votingClosed());
    expect((await rootAdmin.get(`/api/monthly-ratings/rounds/${r.id}`)).json().tieUndecided).toBe(true);
    const waiting = await rootAdmin.post(`/api/monthly-ratings/rounds/${r.id}/publish`);
    expect(waiting.statusCode).toBe(409);
    expect(waiting.json().error.message).toBe('末位票数相同，请先确定并列人选的先后');
    const notTied = await rootAdmin.put(`/api/monthly-ratings/rounds/${r.id}/tie-order`, { nominationIds: [ns[2]!.id, ns[0]!.id] });
    expect(notTied.statusCode).toBe(400);
    expect(notTied.json().error.fields.nominationIds).toBeDefined();
    expect((await rootAdmin.put(`/api/monthly-ratings/rounds/${r.id}/tie-order`, { nominationIds: [ns[1]!.id] })).statusCode).toBe(400);
    expect((await branchAdmin.put(`/api/monthly-ratings/rounds/${r.id}/tie-order`, { nominationIds: [ns[1]!.id, ns[0]!.id] })).statusCode).toBe(404);
    const decided = await rootAdmin.put(`/api/monthly-ratings/rounds/${r.id}/tie-order`, { nominationIds: [ns[1]!.id, ns[0]!.id] });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json().tieUndecided).toBe(false);
    expect((await rootAdmin.post(`/api/monthly-ratings/rounds/${r.id}/publish`)).statusCode).toBe(200);
    const list = (await rootAdmin.get(`/api/monthly-ratings/rounds/${r.id}/list`)).json<PublishedList>();
    expect(list.stars.map((s) => [s.nominationId, s.place, s.votes])).toEqual([[ns[2]!.id, 1, 3], [ns[1]!.id, 2, 2]]);
  });

  it('refuses a tie decision under the earlier-nomination rule', async () => {
    const { r, ns } = await tiedRound();
    await setWindows(r.id, votingClosed());
    expect((await rootAdmin.put(`/api/monthly-ratings/rounds/${r.id}/tie-order`, { nominationIds: [ns[1]!.id, ns[0]!.id] })).statusCode).toBe(409);
  });
});
