import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { pointsOf, signedInMember, type SignedInMember } from '../../../test/learning-fixtures.js';
import { awardPoints, type Award } from './service.js';
import { addDays, periodOf, weekStartOf } from './member-context.js';
import { todayInChina } from '../../../../contracts/china-time.js';

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branchA: OrgFixture, branchB: OrgFixture;
let admin: Client, branchAdminA: Client;
let alice: SignedInMember, bob: SignedInMember, carol: SignedInMember, dave: SignedInMember;

const award = (a: Award) => ctx.database.db.transaction((tx) => awardPoints(tx, a));

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branchA = await makeOrg(db, bureau, { name: '预算处党支部' });
  branchB = await makeOrg(db, bureau, { name: '国库处党支部' });
  admin = await login(ctx.app, await makeUser(db, [{ role: 'platform_admin' }]));
  branchAdminA = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchA }]));
  alice = await signedInMember(ctx, branchA, '张丽');
  bob = await signedInMember(ctx, branchA, '王波');
  carol = await signedInMember(ctx, branchA, '李卡');
  dave = await signedInMember(ctx, branchB, '赵大');
});
afterAll(async () => ctx?.close());

describe('awardPoints', () => {
  it('stops at the daily cap exactly and writes the capped remainder', async () => {
    const day = '2026-03-02';
    // article_read: 1 point each; raise to 3 with a cap of 7 → 3 + 3 + 1 + 0
    expect((await admin.patch('/api/points/rules/article_read', { points: 3, dailyCap: 7 })).statusCode).toBe(200);
    const results = [];
    for (let i = 1; i <= 4; i++) results.push(await award({ memberId: alice.id, rule: 'article_read', sourceType: 'test_read', sourceId: `cap-${i}`, occurredOn: day }));
    expect(results.map((r) => r.points)).toEqual([3, 3, 1, 0]);
    expect(results.map((r) => r.isCapped)).toEqual([false, false, true, true]);
    const next = await award({ memberId: alice.id, rule: 'article_read', sourceType: 'test_read', sourceId: 'cap-next-day', occurredOn: addDays(day, 1) });
    expect(next.points).toBe(3);
    await admin.patch('/api/points/rules/article_read', { points: 1, dailyCap: 5 });
  });

  it('applies the weekly cap across days of one ISO week', async () => {
    // reading_share: 2 points, daily cap 2, weekly cap 10 → five days fill the week
    const monday = '2026-03-09';
    const got = [];
    for (let d = 0; d < 7; d++) got.push((await award({ memberId: bob.id, rule: 'reading_share', sourceType: 'test_share', sourceId: `w-${d}`, occurredOn: addDays(monday, d) })).points);
    expect(got).toEqual([2, 2, 2, 2, 2, 0, 0]);
  });

  it('scores the same source once, ever', async () => {
    const first = await award({ memberId: carol.id, rule: 'clock_in', sourceType: 'test_clock', sourceId: 'same', occurredOn: '2026-04-01' });
    const again = await award({ memberId: carol.id, rule: 'clock_in', sourceType: 'test_clock', sourceId: 'same', occurredOn: '2026-04-02' });
    expect(first).toEqual({ points: 1, isDuplicate: false, isCapped: false });
    expect(again).toEqual({ points: 0, isDuplicate: true, isCapped: false });
  });

  it('never passes the cap when awards race (one member, same day)', async () => {
    const member = await makeMember(ctx.database.db, branchB);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      award({ memberId: member.id, rule: 'daily_quiz_correct', sourceType: 'test_race', sourceId: `r-${i}`, quantity: 3, occurredOn: '2026-05-05' })));
    expect(results.reduce((s, r) => s + r.points, 0)).toBe(10);
    expect(await pointsOf(ctx.database.db, member.id)).toBe(10);
  });

  it('refuses to edit or delete ledger rows (append-only)', async () => {
    await expect(ctx.database.db.execute(sql`update points_ledger set points = 100`)).rejects.toThrow();
    await expect(ctx.database.db.execute(sql`delete from points_ledger`)).rejects.toThrow();
  });

  it('refuses to delete a member who has points, as a foreign key would; one without points can go', async () => {
    const { db } = ctx.database;
    const earner = await makeMember(db, branchB);
    await award({ memberId: earner.id, rule: 'article_read', sourceType: 'test_keep', sourceId: earner.id, occurredOn: '2026-05-06' });
    const error = await db.execute(sql`delete from members where id = ${earner.id}`).then(() => null, (e: unknown) => e as { code?: string; cause?: { code?: string } });
    expect(error?.code ?? error?.cause?.code).toBe('23503');
    expect(await pointsOf(db, earner.id)).toBeGreaterThan(0);
    expect((await db.execute(sql`select 1 from members where id = ${earner.id}`)).rows).toHaveLength(1);
    const idle = await makeMember(db, branchB);
    await db.execute(sql`delete from members where id = ${idle.id}`);
    expect((await db.execute(sql`select 1 from members where id = ${idle.id}`)).rows).toHaveLength(0);
  });
});

describe('rules', () => {
  it('lets only a platform admin change a rule, audited', async () => {
    expect((await branchAdminA.patch('/api/points/rules/clock_in', { points: 50 })).statusCode).toBe(403);
    expect((await alice.client.patch('/api/points/rules/clock_in', { points: 50 })).statusCode).toBe(403);
    const res = await admin.patch('/api/points/rules/clock_in', { dailyCap: 2 });
    expect(res.json()).toMatchObject({ code: 'clock_in', dailyCap: 2 });
    const logged = await ctx.database.db.execute(sql`select 1 from audit_log where action = 'points.rule_update' and target_id = 'clock_in'`);
    expect(logged.rows.length).toBeGreaterThan(0);
    await admin.patch('/api/points/rules/clock_in', { dailyCap: 1 });
  });

  it.each([
    ['negative points', { points: -1 }, 'points'],
    ['a fractional cap', { dailyCap: 1.5 }, 'dailyCap'],
    ['an unknown field', { bonus: 5 }, 'bonus'],
  ])('answers 400 for %s', async (_c, body, field) => {
    const res = await admin.patch('/api/points/rules/clock_in', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toHaveProperty(field);
  });

  it('answers 400 for an unknown rule code', async () => {
    expect((await admin.patch('/api/points/rules/free_points', { points: 1 })).statusCode).toBe(400);
  });
});

describe('ledger and reversals', () => {
  it('shows a member their own entries and hides others’', async () => {
    const mine = (await alice.client.get('/api/points/ledger?pageSize=50')).json();
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((e: { memberId: string }) => e.memberId === alice.id)).toBe(true);
    expect((await alice.client.get(`/api/points/ledger?memberId=${bob.id}`)).statusCode).toBe(404);
    expect((await branchAdminA.get(`/api/points/ledger?memberId=${dave.id}`)).statusCode).toBe(404);
    expect((await branchAdminA.get(`/api/points/ledger?memberId=${bob.id}`)).statusCode).toBe(200);
  });

  it('reverses an award once, with a reason, audited; refuses a second reversal and out-of-scope admins', async () => {
    const entry = (await alice.client.get('/api/points/ledger?rule=article_read')).json().items.find((e: { points: number }) => e.points === 3);
    const before = await pointsOf(ctx.database.db, alice.id);
    const outside = await login(ctx.app, await makeUser(ctx.database.db, [{ role: 'org_admin', org: branchB }]));
    expect((await outside.post(`/api/points/ledger/${entry.id}/reverse`, { reason: '越权' })).statusCode).toBe(404);
    expect((await branchAdminA.post(`/api/points/ledger/${entry.id}/reverse`, {})).statusCode).toBe(400);
    const res = await branchAdminA.post(`/api/points/ledger/${entry.id}/reverse`, { reason: '重复阅读刷分' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ points: -3, reversesId: entry.id, reason: '重复阅读刷分', rule: 'adjustment' });
    expect(await pointsOf(ctx.database.db, alice.id)).toBe(before - 3);
    const ledgerRows = await countRows(ctx.database.db, 'points_ledger');
    expect((await branchAdminA.post(`/api/points/ledger/${entry.id}/reverse`, { reason: '再次' })).statusCode).toBe(409);
    expect((await branchAdminA.post(`/api/points/ledger/${res.json().id}/reverse`, { reason: '冲正的冲正' })).statusCode).toBe(409);
    expect(await countRows(ctx.database.db, 'points_ledger')).toBe(ledgerRows);
    const logged = await ctx.database.db.execute(sql`select detail from audit_log where action = 'points.reverse' and target_id = ${entry.id}`);
    expect(logged.rows).toHaveLength(1);
  });

  it('refuses members reversing their own entries', async () => {
    const entry = (await bob.client.get('/api/points/ledger')).json().items[0];
    expect((await bob.client.post(`/api/points/ledger/${entry.id}/reverse`, { reason: '我想' })).statusCode).toBe(404);
  });
});

describe('leaderboards', () => {
  let board: OrgFixture, team1: OrgFixture, team2: OrgFixture;
  const day = '2026-06-10';
  beforeAll(async () => {
    const { db } = ctx.database;
    board = await makeOrg(db, root, { name: '排行测试党委', type: 'party_committee' });
    team1 = await makeOrg(db, board, { name: '一支部' });
    team2 = await makeOrg(db, board, { name: '二支部' });
    // team1: 6, 6, 2, 0 (avg 3.5); team2: 5 (avg 5)
    await admin.patch('/api/points/rules/course_complete', { points: 1, dailyCap: 100 });
    const points = [[team1, 6], [team1, 6], [team1, 2], [team1, 0], [team2, 5]] as const;
    for (const [i, [org, p]] of points.entries()) {
      const m = await makeMember(db, org, { name: `排行${i}` });
      if (p > 0) await award({ memberId: m.id, rule: 'course_complete', sourceType: 'test_board', sourceId: m.id, quantity: p, occurredOn: day });
    }
    await admin.patch('/api/points/rules/course_complete', { points: 5, dailyCap: 20 });
  });

  it('ranks ties equally and pages stably', async () => {
    const res = await admin.get(`/api/points/leaderboard/members?orgId=${board.id}&period=week&date=${day}&pageSize=2`);
    expect(res.statusCode).toBe(200);
    const p1 = res.json();
    // the member with 0 points is not ranked
    expect(p1.total).toBe(4);
    const p2 = (await admin.get(`/api/points/leaderboard/members?orgId=${board.id}&period=week&date=${day}&pageSize=2&page=2`)).json();
    const p3 = (await admin.get(`/api/points/leaderboard/members?orgId=${board.id}&period=week&date=${day}&pageSize=2&page=3`)).json();
    const all = [...p1.items, ...p2.items, ...p3.items];
    expect(all.map((r: { points: number }) => r.points)).toEqual([6, 6, 5, 2]);
    expect(all.map((r: { rank: number }) => r.rank)).toEqual([1, 1, 3, 4]);
    expect(new Set(all.map((r: { memberId: string }) => r.memberId)).size).toBe(4);
    expect(p3.items).toEqual([]);
    expect(p1.from).toBe(weekStartOf(day));
    // outside the period nothing counts: an empty board, not every member tied first with 0
    const nextWeek = (await admin.get(`/api/points/leaderboard/members?orgId=${board.id}&period=week&date=${addDays(day, 7)}`)).json();
    expect([nextWeek.items, nextWeek.total]).toEqual([[], 0]);
    const nextWeekOrgs = (await admin.get(`/api/points/leaderboard/orgs?orgId=${board.id}&period=week&date=${addDays(day, 7)}`)).json();
    expect([nextWeekOrgs.items, nextWeekOrgs.total]).toEqual([[], 0]);
    const year = (await admin.get(`/api/points/leaderboard/members?orgId=${board.id}&period=year&date=${day}`)).json();
    expect(year.from).toBe('2026-01-01');
  });

  it('follows members who move or leave, leaves those without points unranked, and places the viewer', async () => {
    const { db } = ctx.database;
    const scope = await makeOrg(db, root, { name: '迁移排行党委' });
    const stay = await makeOrg(db, scope, { name: '留守支部' });
    const elsewhere = await makeOrg(db, root, { name: '外单位支部' });
    await admin.patch('/api/points/rules/course_complete', { points: 1, dailyCap: 100 });
    const scored = [] as { id: string }[];
    for (const [i, p] of [9, 7, 7, 3].entries()) {
      const m = await makeMember(db, stay, { name: `迁移${i}` });
      await award({ memberId: m.id, rule: 'course_complete', sourceType: 'test_move', sourceId: m.id, quantity: p, occurredOn: day });
      scored.push(m);
    }
    const idle = await Promise.all([0, 1].map((i) => makeMember(db, stay, { name: `无分${i}` })));
    const board = async (org: OrgFixture, page = 1, pageSize = 3) => {
      const res = await admin.get(`/api/points/leaderboard/members?orgId=${org.id}&period=week&date=${day}&page=${page}&pageSize=${pageSize}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { total: number; items: { memberId: string; points: number; rank: number }[] };
    };
    const line = (b: Awaited<ReturnType<typeof board>>) => b.items.map((r) => [r.points, r.rank]);
    // only the scored members: the two idle ones are on no page
    expect((await board(scope)).total).toBe(4);
    expect(line(await board(scope, 1))).toEqual([[9, 1], [7, 2], [7, 2]]);
    expect(line(await board(scope, 2))).toEqual([[3, 4]]);
    expect((await board(scope, 1, 10)).items.map((r) => r.memberId)).not.toContain(idle[0]!.id);
    expect((await board(scope, 3)).items).toEqual([]);
    expect((await board(scope, 3)).total).toBe(4);

    // the 9 moves out: off this board and on the other, with its points; the counts follow
    const [top] = scored;
    await db.execute(sql`update members set org_id = ${elsewhere.id}, org_path = ${elsewhere.path}::ltree where id = ${top!.id}`);
    expect(line(await board(scope, 1, 10))).toEqual([[7, 1], [7, 1], [3, 3]]);
    expect((await board(scope)).total).toBe(3);
    expect((await board(elsewhere)).items.map((r) => [r.memberId, r.points])).toEqual([[top!.id, 9]]);
    // one leaves: off every board
    await db.execute(sql`update members set left_at = now(), left_on = ${day}::date, left_reason = 'other' where id = ${scored[3]!.id}`);
    expect(line(await board(scope, 1, 10))).toEqual([[7, 1], [7, 1]]);
    expect((await board(scope)).total).toBe(2);
    const orgs = (await admin.get(`/api/points/leaderboard/orgs?orgId=${scope.id}&period=week&date=${day}`)).json();
    expect(orgs.items.map((r: { memberCount: number; totalPoints: number }) => [r.memberCount, r.totalPoints])).toEqual([[4, 14]]);

    // the viewer's own line: no rank (暂无排名) without points, ranked once they have some
    const viewer = await signedInMember(ctx, stay);
    const mine = async () => (await viewer.client.get(`/api/points/leaderboard/members?orgId=${stay.id}&period=week&date=${day}`)).json().me;
    expect(await mine()).toMatchObject({ memberId: viewer.id, points: 0, rank: null });
    await award({ memberId: viewer.id, rule: 'course_complete', sourceType: 'test_move', sourceId: viewer.id, quantity: 8, occurredOn: day });
    expect(await mine()).toMatchObject({ memberId: viewer.id, points: 8, rank: 1 });
    await admin.patch('/api/points/rules/course_complete', { points: 5, dailyCap: 20 });
  });

  it('reads a week\'s board again once a name or one of its entries has changed (the board is kept per process)', async () => {
    const { db } = ctx.database;
    const scope = await makeOrg(db, root, { name: '缓存排行党委' });
    const team = await makeOrg(db, scope, { name: '缓存支部' });
    await admin.patch('/api/points/rules/course_complete', { points: 1, dailyCap: 100 });
    const [first, second] = [await makeMember(db, team, { name: '缓存甲' }), await makeMember(db, team, { name: '缓存乙' })];
    for (const [m, p] of [[first!, 6], [second!, 4]] as const) {
      await award({ memberId: m.id, rule: 'course_complete', sourceType: 'test_kept', sourceId: m.id, quantity: p, occurredOn: day });
    }
    await admin.patch('/api/points/rules/course_complete', { points: 5, dailyCap: 20 });
    const board = async () => {
      const res = await admin.get(`/api/points/leaderboard/members?orgId=${scope.id}&period=week&date=${day}`);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { items: { memberName: string; orgName: string; points: number; rank: number }[] }).items.map((r) => [r.memberName, r.orgName, r.points, r.rank]);
    };
    expect(await board()).toEqual([['缓存甲', '缓存支部', 6, 1], ['缓存乙', '缓存支部', 4, 2]]);
    expect(await board()).toEqual([['缓存甲', '缓存支部', 6, 1], ['缓存乙', '缓存支部', 4, 2]]);
    await db.execute(sql`update members set name = '缓存丙' where id = ${second!.id}`);
    await db.execute(sql`update orgs set name = '缓存二支部' where id = ${team.id}`);
    expect(await board()).toEqual([['缓存甲', '缓存二支部', 6, 1], ['缓存丙', '缓存二支部', 4, 2]]);
    // an entry of the board written directly (a repair, an org's records re-derived), not through the points totals
    await db.execute(sql`update points_week_ranks set points = 9 where week_start = ${weekStartOf(day)}::date and org_id = ${scope.id} and member_id = ${second!.id}`);
    expect(await board()).toEqual([['缓存丙', '缓存二支部', 9, 1], ['缓存甲', '缓存二支部', 6, 2]]);
    // and back, as the points totals have it (the board is checked against them below)
    await db.execute(sql`update points_week_ranks set points = 4 where week_start = ${weekStartOf(day)}::date and org_id = ${scope.id} and member_id = ${second!.id}`);
    expect(await board()).toEqual([['缓存甲', '缓存二支部', 6, 1], ['缓存丙', '缓存二支部', 4, 2]]);
  });

  it('ranks orgs by points per member', async () => {
    const res = (await admin.get(`/api/points/leaderboard/orgs?orgId=${board.id}&period=month&date=${day}`)).json();
    expect(res.items.map((r: { orgName: string; averagePoints: number; rank: number }) => [r.orgName, r.averagePoints, r.rank])).toEqual([['二支部', 5, 1], ['一支部', 3.5, 2]]);
    expect(res.from).toBe(periodOf('month', day).from);
  });

  it('shows a member their own branch by default and refuses other branches with 404', async () => {
    const res = (await alice.client.get('/api/points/leaderboard/members')).json();
    expect(res.orgId).toBe(branchA.id);
    expect(res.me.memberId).toBe(alice.id);
    expect(res.items.every((r: { orgName: string }) => r.orgName === '预算处党支部')).toBe(true);
    expect((await alice.client.get(`/api/points/leaderboard/members?orgId=${branchB.id}`)).statusCode).toBe(404);
    expect((await alice.client.get(`/api/points/leaderboard/orgs?orgId=${bureau.id}`)).statusCode).toBe(404);
    expect((await branchAdminA.get(`/api/points/leaderboard/members?orgId=${bureau.id}`)).statusCode).toBe(404);
  });

  it('keeps each member’s week, month and year totals equal to the sums of the ledger, reversals included', async () => {
    // a Sunday and the Monday after it: two weeks, one month
    const m = await makeMember(ctx.database.db, team2, { name: '周界' });
    await award({ memberId: m.id, rule: 'course_complete', sourceType: 'test_bounds', sourceId: `${m.id}-sun`, quantity: 1, occurredOn: '2026-06-14' });
    await award({ memberId: m.id, rule: 'course_complete', sourceType: 'test_bounds', sourceId: `${m.id}-mon`, quantity: 2, occurredOn: '2026-06-15' });
    const week = (date: string) => admin.get(`/api/points/leaderboard/members?orgId=${team2.id}&period=week&date=${date}`);
    expect((await week('2026-06-14')).json().items.find((r: { memberId: string }) => r.memberId === m.id).points).toBe(5);
    expect((await week('2026-06-15')).json().items.find((r: { memberId: string }) => r.memberId === m.id).points).toBe(10);

    const ledger = await ctx.database.db.execute<{ member_id: string; points: number; occurred_on: string } & Record<string, unknown>>(
      sql`select member_id::text, points, occurred_on::text from points_ledger`);
    const expected = new Map<string, number>();
    for (const e of ledger.rows) {
      for (const period of ['week', 'month', 'year'] as const) {
        const key = `${period} ${periodOf(period, e.occurred_on).from} ${e.member_id}`;
        expected.set(key, (expected.get(key) ?? 0) + Number(e.points));
      }
    }
    const totals = await ctx.database.db.execute<{ key: string; points: number } & Record<string, unknown>>(
      sql`select period || ' ' || period_start::text || ' ' || member_id::text as key, points from points_totals`);
    const actual = new Map(totals.rows.map((r) => [r.key, Number(r.points)]));
    expect(ledger.rows.length).toBeGreaterThan(10);
    expect(actual).toEqual(expected);
  });

  it('answers 400 for a bad period and 401 anonymously', async () => {
    expect((await admin.get('/api/points/leaderboard/members?period=day')).statusCode).toBe(400);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/points/leaderboard/members' })).statusCode).toBe(401);
  });
});

describe('week boards of any org (points_week_ranks)', () => {
  const day = '2026-07-08';
  type Board = { total: number; items: { memberId: string; points: number; rank: number }[]; me: { memberId: string; points: number; rank: number | null } | null };
  const weekBoard = async (client: Client, org: OrgFixture, page = 1, pageSize = 20): Promise<Board> => {
    const res = await client.get(`/api/points/leaderboard/members?orgId=${org.id}&period=week&date=${day}&page=${page}&pageSize=${pageSize}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Board;
  };
  const give = (memberId: string, quantity: number, source: string, occurredOn = day) =>
    award({ memberId, rule: 'course_complete', sourceType: 'test_week_board', sourceId: `${memberId}-${source}`, quantity, occurredOn });

  beforeAll(async () => { await admin.patch('/api/points/rules/course_complete', { points: 1, dailyCap: 100 }); });
  afterAll(async () => { await admin.patch('/api/points/rules/course_complete', { points: 5, dailyCap: 20 }); });

  it('ranks ties that straddle pages as the whole board does, and places a tied and a zero-point viewer', async () => {
    const { db } = ctx.database;
    const district = await makeOrg(db, root, { name: '并列区委', type: 'party_committee' });
    const branch = await makeOrg(db, district, { name: '并列支部' });
    const points = [5, 5, 5, 4, 4, 3, 1];
    const members = [];
    for (const [i, p] of points.entries()) {
      const m = await signedInMember(ctx, branch, `并列${i}`);
      await give(m.id, p, 'tie');
      members.push(m);
    }
    const idle = await signedInMember(ctx, branch, '并列零分');
    const pages = [];
    for (let page = 1; page <= 4; page++) pages.push((await weekBoard(admin, district, page, 2)).items.map((r) => [r.points, r.rank]));
    expect(pages).toEqual([[[5, 1], [5, 1]], [[5, 1], [4, 4]], [[4, 4], [3, 6]], [[1, 7]]]);
    const all = [];
    for (let page = 1; page <= 4; page++) all.push(...(await weekBoard(admin, district, page, 2)).items.map((r) => r.memberId));
    expect(new Set(all).size).toBe(7);
    expect((await weekBoard(admin, district, 1, 2)).total).toBe(7);
    expect((await weekBoard(admin, district, 9, 2))).toMatchObject({ items: [], total: 7 });
    // the viewer's own rank: tied with the first of the tie, and none without points
    expect((await weekBoard(members[4]!.client, branch)).me).toMatchObject({ memberId: members[4]!.id, points: 4, rank: 4 });
    expect((await weekBoard(members[1]!.client, branch)).me).toMatchObject({ points: 5, rank: 1 });
    expect((await weekBoard(idle.client, branch)).me).toMatchObject({ memberId: idle.id, points: 0, rank: null });
    // a reversal to zero takes the member off the board; the ranks below move up
    const entry = (await db.execute<{ id: string } & Record<string, unknown>>(sql`select id::text from points_ledger where member_id = ${members[0]!.id} and rule = 'course_complete'`)).rows[0]!;
    expect((await admin.post(`/api/points/ledger/${entry.id}/reverse`, { reason: '重复计分' })).statusCode).toBe(201);
    expect((await weekBoard(admin, district, 1, 10)).items.map((r) => [r.points, r.rank])).toEqual([[5, 1], [5, 1], [4, 3], [4, 3], [3, 5], [1, 6]]);
    expect((await weekBoard(members[0]!.client, branch)).me).toMatchObject({ points: 0, rank: null });
    expect((await weekBoard(members[6]!.client, branch)).me).toMatchObject({ points: 1, rank: 6 });
  });

  it('follows a member moved mid-week to the new branch with the whole week, and ranks them there', async () => {
    const { db } = ctx.database;
    const district = await makeOrg(db, root, { name: '调动区委', type: 'party_committee' });
    const from = await makeOrg(db, district, { name: '调出支部' });
    const to = await makeOrg(db, district, { name: '调入支部' });
    const other = await makeOrg(db, root, { name: '区外支部' });
    const mover = await signedInMember(ctx, from, '调动者');
    const stayer = await makeMember(db, from, { name: '留下者' });
    const host = await makeMember(db, to, { name: '接收者' });
    await give(mover.id, 4, 'mon', '2026-07-06');
    await give(stayer.id, 3, 'mon');
    await give(host.id, 6, 'mon');
    expect((await weekBoard(admin, from)).items.map((r) => [r.memberId, r.rank])).toEqual([[mover.id, 1], [stayer.id, 2]]);
    // Wednesday: moved to the other branch of the district, then earns more on Thursday
    await db.execute(sql`update members set org_id = ${to.id}, org_path = ${to.path}::ltree where id = ${mover.id}`);
    await give(mover.id, 3, 'thu', '2026-07-09');
    expect((await weekBoard(admin, from)).items.map((r) => [r.memberId, r.points, r.rank])).toEqual([[stayer.id, 3, 1]]);
    expect((await weekBoard(admin, to)).items.map((r) => [r.memberId, r.points, r.rank])).toEqual([[mover.id, 7, 1], [host.id, 6, 2]]);
    expect((await weekBoard(admin, district)).items.map((r) => [r.points, r.rank])).toEqual([[7, 1], [6, 2], [3, 3]]);
    expect((await weekBoard(mover.client, to)).me).toMatchObject({ points: 7, rank: 1 });
    // out of the district: off its board and every board under it, on the new one's
    await db.execute(sql`update members set org_id = ${other.id}, org_path = ${other.path}::ltree where id = ${mover.id}`);
    expect((await weekBoard(admin, district)).items.map((r) => r.memberId)).toEqual([host.id, stayer.id]);
    expect((await weekBoard(admin, other)).items.map((r) => [r.memberId, r.points])).toEqual([[mover.id, 7]]);
  });

  it('keeps one row per org above each member for every week total with a place', async () => {
    const { db } = ctx.database;
    const expected = (await db.execute<{ key: string } & Record<string, unknown>>(sql`
      select t.period_start::text || ' ' || label || ' ' || t.member_id::text || ' ' || t.points::text as key
        from points_totals t cross join lateral unnest(string_to_array(rtrim(t.path, '.'), '.')) as label
       where t.period = 'week' and t.path is not null order by 1`)).rows.map((r) => r.key);
    const actual = (await db.execute<{ key: string } & Record<string, unknown>>(sql`
      select week_start::text || ' ' || org_id::text || ' ' || member_id::text || ' ' || points::text as key from points_week_ranks order by 1`)).rows.map((r) => r.key);
    expect(expected.length).toBeGreaterThan(20);
    expect(actual).toEqual(expected);
  });

  it('shows no week board outside the viewer’s subtree', async () => {
    const { db } = ctx.database;
    const district = await makeOrg(db, root, { name: '他区区委', type: 'party_committee' });
    const branch = await makeOrg(db, district, { name: '他区支部' });
    const outsider = await signedInMember(ctx, branchB, '外人');
    const branchAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branch }]));
    expect((await outsider.client.get(`/api/points/leaderboard/members?orgId=${district.id}&period=week&date=${day}`)).statusCode).toBe(404);
    expect((await branchAdminA.get(`/api/points/leaderboard/members?orgId=${district.id}&period=week&date=${day}`)).statusCode).toBe(404);
    expect((await branchAdmin.get(`/api/points/leaderboard/members?orgId=${district.id}&period=week&date=${day}`)).statusCode).toBe(404);
    expect((await branchAdmin.get(`/api/points/leaderboard/members?orgId=${branch.id}&period=week&date=${day}`)).statusCode).toBe(200);
  });
});

describe('my points', () => {
  it('sums today, the week and per rule', async () => {
    const today = todayInChina();
    const m = await signedInMember(ctx, branchB);
    await award({ memberId: m.id, rule: 'clock_in', sourceType: 'test_me', sourceId: m.id, occurredOn: today });
    const res = (await m.client.get('/api/points/me')).json();
    expect(res).toMatchObject({ today: 1, thisWeek: 1, total: 1, byRule: [{ rule: 'clock_in', points: 1 }] });
    expect((await admin.get('/api/points/me')).statusCode).toBe(403);
  });
});

describe('API description', () => {
  it('documents the learning, points, exam, quiz and contest routes in OpenAPI', async () => {
    const spec = (await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const path of ['/api/points/leaderboard/members', '/api/questions/import', '/api/exams/{id}/make-up', '/api/exam-attempts/{id}/answers/{questionId}',
      '/api/daily-quiz/submissions', '/api/learning/courses', '/api/learning/shares/{id}/like', '/api/contests/{id}/leaderboard/stream']) {
      expect(Object.keys(spec.paths)).toContain(path);
    }
  });
});

describe('leaderboards on a site whose tree is still empty (DEMO=0)', () => {
  let fresh: TestContext;
  beforeAll(async () => { fresh = await startTestApp(); });
  afterAll(async () => fresh?.close());

  it('answers the administrator an empty board, then ranks under the first 工委 once it exists', async () => {
    const platformAdmin = await login(fresh.app, await makeUser(fresh.database.db, [{ role: 'platform_admin' }]));
    for (const period of ['week', 'month', 'year'] as const) {
      const members = await platformAdmin.get(`/api/points/leaderboard/members?period=${period}`);
      expect(members.statusCode, members.body).toBe(200);
      expect(members.json()).toMatchObject({ items: [], total: 0, orgId: null, me: null });
      const orgs = await platformAdmin.get(`/api/points/leaderboard/orgs?period=${period}`);
      expect(orgs.statusCode, orgs.body).toBe(200);
      expect(orgs.json()).toMatchObject({ items: [], total: 0, orgId: null });
    }
    // an org asked for by id that does not exist is still refused, not an empty board
    const missing = await platformAdmin.get('/api/points/leaderboard/members?period=week&orgId=999999');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('points.org_not_found');

    const top = await platformAdmin.post('/api/orgs', { name: '新区机关工委', type: 'work_committee' });
    expect(top.statusCode, top.body).toBe(201);
    const board = await platformAdmin.get('/api/points/leaderboard/members?period=week');
    expect(board.json()).toMatchObject({ items: [], total: 0, orgId: top.json().id });
    expect((await platformAdmin.get('/api/points/leaderboard/orgs?period=month')).json()).toMatchObject({ items: [], orgId: top.json().id });
  });
});
