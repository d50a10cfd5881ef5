import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { pointsOf, signedInMember, type SignedInMember } from '../../../test/learning-fixtures.js';

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branchA: OrgFixture, groupA: OrgFixture, branchB: OrgFixture;
let bureauAdmin: Client, outsideAdmin: Client;
let alice: SignedInMember, bob: SignedInMember, carol: SignedInMember, erin: SignedInMember;
let contestId: string;
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
