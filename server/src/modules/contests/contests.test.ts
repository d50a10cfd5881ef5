import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { pointsOf, signedInMember, type SignedInMember } from '../../../test/learning-fixtures.js';

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branchA: OrgFixture, groupA: OrgFixture, branchB: OrgFixture;
let bureauAdmin: Client, outsideAdmin: Client;
let alice: SignedInMember, bob: SignedInMember, carol: SignedInMember, erin: SignedInMember;
let contestId: string;
let paperId: string;
const key = new Map<string, unknown>();

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
type EntryQ = { id: string; type: string };
const answers = (entry: { questions: EntryQ[] }, correct: number) =>
  entry.questions.map((q, i) => ({ questionId: q.id, response: i < correct ? key.get(q.id) : q.type === 'true_false' ? !key.get(q.id) : 'B' }));

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branchA = await makeOrg(db, bureau, { name: '预算处党支部' });
  groupA = await makeOrg(db, branchA, { name: '第一党小组', type: 'group' });
  branchB = await makeOrg(db, bureau, { name: '国库处党支部' });
  bureauAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: bureau }]));
  outsideAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchB }]));
  alice = await signedInMember(ctx, branchA, '张丽');
  bob = await signedInMember(ctx, groupA, '王波');
  carol = await signedInMember(ctx, branchA, '李卡');
  erin = await signedInMember(ctx, branchB, '陈二');
  const ids: string[] = [];
  for (const [i, body] of [
    { type: 'single', stem: '党的根本宗旨是？', options: [{ key: 'A', text: '全心全意为人民服务' }, { key: 'B', text: '发展经济' }], answer: 'A' },
    { type: 'true_false', stem: '党的最高理想和最终目标是实现共产主义。', answer: true },
    { type: 'true_false', stem: '党员可以不参加党的组织生活。', answer: false },
  ].entries()) {
    const res = await bureauAdmin.post('/api/questions', { orgId: bureau.id, difficulty: 'easy', tags: ['竞赛'], ...body });
    ids.push(res.json().id);
    key.set(res.json().id, body.answer);
    expect(i).toBeLessThan(3);
  }
  const paper = (await bureauAdmin.post('/api/papers', { orgId: bureau.id, title: '竞赛卷', mode: 'fixed', questions: ids.map((questionId) => ({ questionId, score: 10 })) })).json();
  paperId = paper.id;
  const contest = await bureauAdmin.post('/api/contests', {
    orgId: bureau.id, paperId: paper.id, title: '庆七一党史知识竞赛', startsAt: inMinutes(-1), endsAt: inMinutes(30), timeLimitSeconds: 600, orgs: [{ orgId: branchA.id, includeSubtree: true }],
  });
  expect(contest.statusCode, contest.body).toBe(201);
  contestId = contest.json().id;
});
afterAll(async () => ctx?.close());

describe('entering and submitting', () => {
  it('opens only to the listed orgs (with their subtree) and answers 404 to others', async () => {
    expect((await erin.client.post(`/api/contests/${contestId}/entries`)).statusCode).toBe(404);
    expect((await erin.client.get(`/api/contests/${contestId}`)).statusCode).toBe(404);
    expect((await outsideAdmin.get(`/api/contests/${contestId}/leaderboard`)).statusCode).toBe(404);
    expect((await bob.client.get('/api/contests')).json().items.map((c: { id: string }) => c.id)).toEqual([contestId]);
  });

  it('refuses entrant orgs outside the organizer’s subtree', async () => {
    const res = await outsideAdmin.post('/api/contests', { orgId: branchB.id, paperId: '1', title: '越权', startsAt: inMinutes(-1), endsAt: inMinutes(5), timeLimitSeconds: 60, orgs: [{ orgId: branchA.id }] });
    expect(res.statusCode).toBe(400);
  });

  it('grades on the server, ranks ties by time taken, and refuses a second submission', async () => {
    const b = (await bob.client.post(`/api/contests/${contestId}/entries`)).json();
    const a = await alice.client.post(`/api/contests/${contestId}/entries`);
    expect(a.statusCode).toBe(201);
    expect(JSON.stringify(a.json())).not.toContain('"answer"');
    // alice started a minute earlier: same score, slower
    await ctx.database.db.execute(sql`update contest_entries set started_at = now() - interval '60 seconds' where id = ${a.json().id}`);
    expect((await bob.client.post(`/api/contest-entries/${b.id}/submit`, { answers: answers(b, 3) })).json()).toMatchObject({ score: 30 });
    expect((await alice.client.post(`/api/contest-entries/${a.json().id}/submit`, { answers: answers(a.json(), 3) })).json().score).toBe(30);
    const board = (await bureauAdmin.get(`/api/contests/${contestId}/leaderboard`)).json();
    expect(board.items.map((x: { memberName: string; rank: number }) => [x.memberName, x.rank])).toEqual([['王波', 1], ['张丽', 2]]);
    expect(board.items[1].durationMs).toBeGreaterThanOrEqual(60_000);
    const before = await pointsOf(ctx.database.db, bob.id);
    const twice = await bob.client.post(`/api/contest-entries/${b.id}/submit`, { answers: answers(b, 3) });
    expect(twice.statusCode).toBe(409);
    expect((await bob.client.post(`/api/contests/${contestId}/entries`)).json().error.code).toBe('contest.already_entered');
    expect(await pointsOf(ctx.database.db, bob.id)).toBe(before);
  });

  it('refuses a score from the client, a foreign question, another member’s entry and a late submission', async () => {
    const c = (await carol.client.post(`/api/contests/${contestId}/entries`)).json();
    expect((await carol.client.post(`/api/contest-entries/${c.id}/submit`, { answers: answers(c, 3), score: 30 })).json().error.fields.score).toBe('不支持的字段');
    const foreign = await carol.client.post(`/api/contest-entries/${c.id}/submit`, { answers: [{ questionId: '999999', response: true }] });
    expect(foreign.json().error.fields['answers.0.questionId']).toBe('该题不在您的试卷中');
    expect((await alice.client.post(`/api/contest-entries/${c.id}/submit`, { answers: answers(c, 3) })).statusCode).toBe(404);
    expect((await alice.client.get(`/api/contest-entries/${c.id}`)).statusCode).toBe(404);
    await ctx.database.db.execute(sql`update contest_entries set deadline_at = now() - interval '1 second' where id = ${c.id}`);
    const late = await carol.client.post(`/api/contest-entries/${c.id}/submit`, { answers: answers(c, 3) });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('exam.deadline_passed');
    const row = await ctx.database.db.execute<{ submitted_at: unknown; score: unknown } & Record<string, unknown>>(sql`select submitted_at, score from contest_entries where id = ${c.id}`);
    expect(row.rows[0]).toEqual({ submitted_at: null, score: null });
  });
});

describe('live leaderboard', () => {
  it('streams the board and pushes a new entrant as they submit', async () => {
    const dan = await signedInMember(ctx, groupA, '刘丹');
    const address = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    const res = await fetch(`${address}/api/contests/${contestId}/leaderboard/stream`, { headers: { cookie: bureauAdmin.cookie }, signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const nextEvent = async () => {
      while (!buffer.includes('\n\n')) buffer += decoder.decode((await reader.read()).value, { stream: true });
      const end = buffer.indexOf('\n\n');
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (event.startsWith(':')) return nextEvent();
      return JSON.parse(event.split('\n').find((l) => l.startsWith('data: '))!.slice(6));
    };
    const first = await nextEvent();
    expect(first.items).toHaveLength(2);
    const entry = (await dan.client.post(`/api/contests/${contestId}/entries`)).json();
    await dan.client.post(`/api/contest-entries/${entry.id}/submit`, { answers: answers(entry, 1) });
    const second = await nextEvent();
    expect(second.items.map((x: { memberName: string; rank: number }) => [x.memberName, x.rank])).toEqual([['王波', 1], ['张丽', 2], ['刘丹', 3]]);
    controller.abort();
    expect((await ctx.app.inject({ method: 'GET', url: `/api/contests/${contestId}/leaderboard/stream`, headers: { cookie: erin.client.cookie } })).statusCode).toBe(404);
    expect(await countRows(ctx.database.db, 'contest_entries')).toBe(4);
  });
});

describe('results for the organizers', () => {
  it('shows each entrant their own rank on the whole board', async () => {
    const forBob = (await bob.client.get(`/api/contests/${contestId}`)).json();
    expect(forBob.myEntry).toMatchObject({ status: 'submitted', score: 30, rank: 1 });
    expect(forBob).toMatchObject({ isOrganizer: false, isEntrant: true });
    expect((await alice.client.get(`/api/contests/${contestId}`)).json().myEntry.rank).toBe(2);
    // carol entered but never submitted in time: no rank
    expect((await carol.client.get(`/api/contests/${contestId}`)).json().myEntry).toMatchObject({ status: 'in_progress', rank: null });
    expect((await bureauAdmin.get(`/api/contests/${contestId}`)).json()).toMatchObject({ isOrganizer: true, isEntrant: false, myEntry: null });
  });

  it('lists every submitted entry and rolls them up by the entrant’s org', async () => {
    const res = await bureauAdmin.get(`/api/contests/${contestId}/results`);
    expect(res.statusCode, res.body).toBe(200);
    const results = res.json();
    expect(results.people.map((p: { memberName: string; rank: number; orgName: string }) => [p.memberName, p.rank, p.orgName]))
      .toEqual([['王波', 1, '第一党小组'], ['张丽', 2, '预算处党支部'], ['刘丹', 3, '第一党小组']]);
    expect(results.orgs).toEqual([
      { orgId: branchA.id, orgName: '预算处党支部', participants: 1, averageScore: 30, topScore: 30 },
      { orgId: groupA.id, orgName: '第一党小组', participants: 2, averageScore: 20, topScore: 30 },
    ]);
  });

  it('answers 404 to an admin outside the organizing org and to entrants', async () => {
    expect((await outsideAdmin.get(`/api/contests/${contestId}/results`)).statusCode).toBe(404);
    expect((await bob.client.get(`/api/contests/${contestId}/results`)).statusCode).toBe(404);
    expect((await bureauAdmin.get('/api/contests/999999/results')).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/contests/${contestId}/results` })).statusCode).toBe(401);
  });
});

describe('editing and cancelling a contest', () => {
  const auditCount = async (action: string, id: string) =>
    Number((await ctx.database.db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from audit_log where action = ${action} and target_id = ${id}`)).rows[0]!.n);
  const setUp = async (overrides: Record<string, unknown> = {}) => {
    const res = await bureauAdmin.post('/api/contests', {
      orgId: bureau.id, paperId, title: '党规知识竞赛', startsAt: inMinutes(60), endsAt: inMinutes(120), timeLimitSeconds: 300, orgs: [{ orgId: branchA.id }], ...overrides,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string };
  };

  it('changes title, times, time limit, orgs and paper before the start, audited', async () => {
    const contest = await setUp();
    const paper2 = (await bureauAdmin.post('/api/papers', { orgId: bureau.id, title: '竞赛卷（二）', mode: 'fixed', questions: [...key.keys()].slice(0, 2).map((questionId) => ({ questionId, score: 50 })) })).json();
    const res = await bureauAdmin.patch(`/api/contests/${contest.id}`, {
      title: '党规知识竞赛（调整）', startsAt: inMinutes(90), endsAt: inMinutes(150), timeLimitSeconds: 120, orgs: [{ orgId: branchB.id, includeSubtree: false }], paperId: paper2.id,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ title: '党规知识竞赛（调整）', timeLimitSeconds: 120, paperId: paper2.id, status: 'upcoming', cancelledAt: null,
      orgs: [{ orgId: branchB.id, orgName: '国库处党支部', includeSubtree: false }] });
    expect(Date.parse(res.json().startsAt)).toBeGreaterThan(Date.now() + 85 * 60_000);
    expect((await erin.client.get(`/api/contests/${contest.id}`)).statusCode).toBe(200);
    expect((await alice.client.get(`/api/contests/${contest.id}`)).statusCode).toBe(404);
    const variants = await ctx.database.db.execute<{ n: number } & Record<string, unknown>>(sql`select jsonb_array_length(variants->0)::int as n from contests where id = ${contest.id}`);
    expect(variants.rows[0]!.n).toBe(2);
    expect(await auditCount('contest.update', contest.id)).toBe(1);
  });

  it('refuses bad input with 400 naming the field, and changes nothing', async () => {
    const contest = await setUp();
    const before = (await bureauAdmin.get(`/api/contests/${contest.id}`)).json();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ startsAt: inMinutes(30), endsAt: inMinutes(10) }, 'endsAt', '结束时间必须晚于开始时间'],
      // only the end moved, to before the unchanged start
      [{ endsAt: inMinutes(30) }, 'endsAt', '结束时间必须晚于开始时间'],
      [{ startsAt: inMinutes(200) }, 'startsAt', '结束时间必须晚于开始时间'],
      [{ orgs: [{ orgId: root.id }] }, 'orgs.0.orgId', '参赛组织须在主办组织范围内'],
      [{ orgs: [] }, 'orgs', '不能为空'],
      [{ paperId: '999999' }, 'paperId', ''],
      [{ title: '  ' }, 'title', '不能为空'],
      [{ timeLimitSeconds: 5 }, 'timeLimitSeconds', '不能小于 10'],
      [{ startsAt: '明天' }, 'startsAt', '时间格式'],
      [{ orgId: branchB.id }, 'orgId', '不支持的字段'],
    ];
    for (const [body, field, message] of cases) {
      const res = await bureauAdmin.patch(`/api/contests/${contest.id}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.fields[field], JSON.stringify(res.json())).toContain(message);
    }
    expect((await bureauAdmin.get(`/api/contests/${contest.id}`)).json()).toEqual(before);
    expect(await auditCount('contest.update', contest.id)).toBe(0);
  });

  it('answers 404 to organizers outside the contest’s org and to members; 401 signed out; nothing changes', async () => {
    const contest = await setUp({ orgs: [{ orgId: bureau.id }] });
    const before = (await bureauAdmin.get(`/api/contests/${contest.id}`)).json();
    expect((await outsideAdmin.patch(`/api/contests/${contest.id}`, { title: '越权' })).statusCode).toBe(404);
    expect((await outsideAdmin.post(`/api/contests/${contest.id}/cancel`, { reason: '越权' })).statusCode).toBe(404);
    expect((await erin.client.patch(`/api/contests/${contest.id}`, { title: '越权' })).statusCode).toBe(404);
    expect((await erin.client.post(`/api/contests/${contest.id}/cancel`, { reason: '越权' })).statusCode).toBe(404);
    expect((await bureauAdmin.patch('/api/contests/999999', { title: '无' })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'POST', url: `/api/contests/${contest.id}/cancel`, payload: { reason: '无' } })).statusCode).toBe(401);
    expect((await bureauAdmin.get(`/api/contests/${contest.id}`)).json()).toEqual(before);
    expect(await auditCount('contest.cancel', contest.id)).toBe(0);
  });

  it('refuses to edit a contest that has started', async () => {
    const contest = await setUp({ startsAt: inMinutes(-1) });
    const res = await bureauAdmin.patch(`/api/contests/${contest.id}`, { timeLimitSeconds: 60 });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toBe('竞赛已开始，不能再修改');
    expect((await bureauAdmin.get(`/api/contests/${contest.id}`)).json().timeLimitSeconds).toBe(300);
  });

  it('cancels a running contest with a reason: entries and submissions refused, shown cancelled, board closes, points reversed, audited, not twice', async () => {
    const contest = await setUp({ startsAt: inMinutes(-1), orgs: [{ orgId: branchA.id, includeSubtree: true }] });
    const finisher = await signedInMember(ctx, branchA, '赵完');
    const midway = await signedInMember(ctx, groupA, '钱半');
    const late = await signedInMember(ctx, branchA, '孙迟');
    const done = (await finisher.client.post(`/api/contests/${contest.id}/entries`)).json();
    expect((await finisher.client.post(`/api/contest-entries/${done.id}/submit`, { answers: answers(done, 2) })).statusCode).toBe(200);
    expect(await pointsOf(ctx.database.db, finisher.id)).toBe(2);
    const open = (await midway.client.post(`/api/contests/${contest.id}/entries`)).json();

    const noReason = await bureauAdmin.post(`/api/contests/${contest.id}/cancel`, { reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields.reason).toBe('不能为空');
    expect((await bureauAdmin.get(`/api/contests/${contest.id}`)).json().cancelledAt).toBeNull();

    const address = ctx.app.server.address();
    const base = address && typeof address === 'object' ? `http://127.0.0.1:${address.port}` : await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const stream = await fetch(`${base}/api/contests/${contest.id}/leaderboard/stream`, { headers: { cookie: bureauAdmin.cookie } });
    const reader = stream.body!.getReader();
    let text = new TextDecoder().decode((await reader.read()).value);

    const res = await bureauAdmin.post(`/api/contests/${contest.id}/cancel`, { reason: '网络故障，改期举行' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ cancelReason: '网络故障，改期举行', status: 'open' });
    // the live board sends its last state and ends
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += new TextDecoder().decode(chunk.value);
    expect(text).toContain('"cancelledAt":"');

    const enter = await late.client.post(`/api/contests/${contest.id}/entries`);
    expect(enter.statusCode).toBe(409);
    expect(enter.json().error.message).toBe('竞赛已取消（原因：网络故障，改期举行），不能再参加或交卷');
    const submit = await midway.client.post(`/api/contest-entries/${open.id}/submit`, { answers: answers(open, 3) });
    expect(submit.statusCode).toBe(409);
    expect(submit.json().error.code).toBe('contest.cancelled');
    expect((await ctx.database.db.execute(sql`select 1 from contest_entries where contest_id = ${contest.id}`)).rows).toHaveLength(2);

    const listed = (await late.client.get('/api/contests')).json().items.find((c: { id: string }) => c.id === contest.id);
    expect(listed).toMatchObject({ cancelReason: '网络故障，改期举行' });
    expect(listed.cancelledAt).toBeTruthy();
    expect((await bureauAdmin.get(`/api/contests/${contest.id}/leaderboard`)).json().cancelledAt).toBeTruthy();
    expect(await pointsOf(ctx.database.db, finisher.id)).toBe(0);
    expect((await finisher.client.get('/api/points/me')).json().total).toBe(0);
    expect(await pointsOf(ctx.database.db, midway.id)).toBe(0);
    expect(await auditCount('contest.cancel', contest.id)).toBe(1);

    const ledgerRows = await countRows(ctx.database.db, 'points_ledger');
    const again = await bureauAdmin.post(`/api/contests/${contest.id}/cancel`, { reason: '再取消' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe('竞赛已取消，不能再修改或取消');
    expect((await bureauAdmin.patch(`/api/contests/${contest.id}`, { title: '改' })).statusCode).toBe(409);
    expect(await countRows(ctx.database.db, 'points_ledger')).toBe(ledgerRows);
    expect(await auditCount('contest.cancel', contest.id)).toBe(1);
  });

  it('cancels a contest before it starts, and refuses one that has ended', async () => {
    const upcoming = await setUp();
    expect((await bureauAdmin.post(`/api/contests/${upcoming.id}/cancel`, { reason: '时间冲突' })).statusCode).toBe(200);
    expect((await alice.client.get(`/api/contests/${upcoming.id}`)).json()).toMatchObject({ cancelReason: '时间冲突', status: 'upcoming' });
    const ended = await setUp();
    await ctx.database.db.execute(sql`update contests set starts_at = now() - interval '2 hours', ends_at = now() - interval '1 hour' where id = ${ended.id}`);
    const res = await bureauAdmin.post(`/api/contests/${ended.id}/cancel`, { reason: '晚了' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toBe('竞赛已结束，不能取消');
    expect((await bureauAdmin.get(`/api/contests/${ended.id}`)).json().cancelledAt).toBeNull();
  });
});
