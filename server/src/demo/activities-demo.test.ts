import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startTestApp, type Client, type TestContext } from '../../test/harness.js';
import { todayInChina } from '../../../contracts/china-time.js';
import { DEMO_ACCOUNTS, seedDemo } from './seed-demo.js';

/** The demo's organizational life and venues, as each demo account sees them through the API. */
let ctx: TestContext;
const as = {} as Record<keyof typeof DEMO_ACCOUNTS, Client>;
let branch: { id: string; path: string };
let committee: { id: string; path: string };
let memberId: string;

type Item = { id: string; orgPath: string; type: string; status: string; startsAt: string; endsAt: string; checkInOpensAt: string; checkInClosesAt: string;
  agenda: string | null; minutes: string | null; myState: string | null; canManage: boolean;
  attendance: { invited: number; registered: number; leave: number; present: number; late: number; absent: number; total: number } };
type Compliance = { items: { orgPath: string; status: string }[]; total: number; summary: { done: number; pending: number; dueSoon: number; overdue: number } };

const within = (path: string, root: string) => path === root || path.startsWith(`${root}.`);
const ok = <T>(res: { statusCode: number; body: string; json(): unknown }): T => {
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as T;
};

beforeAll(async () => {
  ctx = await startTestApp();
  await seedDemo(ctx.database.db, ctx.app.cipher);
  for (const key of Object.keys(DEMO_ACCOUNTS) as (keyof typeof DEMO_ACCOUNTS)[]) as[key] = await login(ctx.app, DEMO_ACCOUNTS[key]);
  // where the accounts sit (looked up, not asserted)
  const [row] = (await ctx.database.db.execute<{ bid: string; bpath: string; cid: string; cpath: string; mid: string } & Record<string, unknown>>(sql`
    select b.id::text as bid, b.path::text as bpath, c.id::text as cid, c.path::text as cpath, u.member_id::text as mid
      from users u join members m on m.id = u.member_id join orgs b on b.id = m.org_id join orgs c on c.id = b.parent_id
     where u.username = ${DEMO_ACCOUNTS.member.username}`)).rows;
  branch = { id: row!.bid, path: row!.bpath };
  committee = { id: row!.cid, path: row!.cpath };
  memberId = row!.mid;
}, 900_000);
afterAll(async () => ctx?.close());

async function complianceOf(client: Client, orgId: string) {
  const report = ok<Compliance>(await client.get(`/api/activities/compliance?orgId=${orgId}&pageSize=200`));
  // each figure of the summary is the total of the list it opens
  for (const [status, key] of [['done', 'done'], ['overdue', 'overdue'], ['due_soon', 'dueSoon'], ['pending', 'pending']] as const) {
    const list = ok<Compliance>(await client.get(`/api/activities/compliance?orgId=${orgId}&status=${status}&pageSize=200`));
    expect(list.total).toBe(report.summary[key]);
    expect(list.items.every((i) => i.status === status)).toBe(true);
  }
  expect(report.total).toBe(report.summary.done + report.summary.pending + report.summary.dueSoon + report.summary.overdue);
  return report;
}

describe('organizational life for the branch secretary', () => {
  it('lists a year of the branch’s activities: held, upcoming and one open now', async () => {
    const page = ok<{ items: Item[]; total: number }>(await as.secretary.get(`/api/activities?orgId=${branch.id}&pageSize=100`));
    expect(page.total).toBeGreaterThanOrEqual(20);
    expect(page.items.every((a) => within(a.orgPath, branch.path) && a.canManage)).toBe(true);
    const types = new Set(page.items.map((a) => a.type));
    for (const type of ['branch_general_meeting', 'branch_committee_meeting', 'party_lesson', 'theme_day', 'group_meeting', 'party_birthday']) expect(types).toContain(type);
    const statuses = new Set(page.items.map((a) => a.status));
    expect(statuses).toContain('closed');
    expect(statuses).toContain('published');
    const now = Date.now();
    expect(page.items.some((a) => Date.parse(a.startsAt) > now)).toBe(true);
    expect(page.items.some((a) => Date.parse(a.startsAt) < now - 300 * 86_400_000)).toBe(true);
    // the list's total is what a filter adds up to
    const closed = ok<{ total: number }>(await as.secretary.get(`/api/activities?orgId=${branch.id}&status=closed&pageSize=1`)).total;
    const others = await Promise.all(['draft', 'published', 'cancelled'].map(async (s) => ok<{ total: number }>(await as.secretary.get(`/api/activities?orgId=${branch.id}&status=${s}&pageSize=1`)).total));
    expect(closed + others.reduce((a, b) => a + b, 0)).toBe(page.total);
  });

  it('shows the branch’s 三会一课 report with done and overdue rows', async () => {
    const report = await complianceOf(as.secretary, branch.id);
    expect(report.items.every((i) => within(i.orgPath, branch.path))).toBe(true);
    expect(report.summary.done).toBeGreaterThan(0);
    expect(report.summary.overdue + report.summary.dueSoon).toBeGreaterThan(0);
  });

  it('shows the attendance of a past meeting, matching its counts and minutes', async () => {
    const closed = ok<{ items: Item[] }>(await as.secretary.get(`/api/activities?orgId=${branch.id}&type=branch_general_meeting&status=closed&pageSize=10`)).items;
    expect(closed.length).toBeGreaterThanOrEqual(2);
    const meeting = closed.find((a) => a.minutes) ?? closed[0]!;
    const participants = ok<{ items: { memberId: string; state: string }[] }>(await as.secretary.get(`/api/activities/${meeting.id}/participants`)).items;
    expect(participants.length).toBe(meeting.attendance.total);
    const count = (state: string) => participants.filter((p) => p.state === state).length;
    expect(count('present')).toBe(meeting.attendance.present);
    expect(count('leave')).toBe(meeting.attendance.leave);
    expect(count('absent')).toBe(meeting.attendance.absent);
    expect(meeting.attendance.present).toBeGreaterThan(meeting.attendance.total / 2);
    expect(count('invited') + count('registered')).toBe(0);
    if (meeting.minutes) expect(meeting.minutes).toContain(`实到${meeting.attendance.present + meeting.attendance.late}人`);
    // 补学: every absentee and member on leave has a task for it
    const tasks = ok<{ total: number }>(await as.secretary.get(`/api/make-up-tasks?orgId=${branch.id}&activityId=${meeting.id}&pageSize=1`)).total;
    expect(tasks).toBe(meeting.attendance.absent + meeting.attendance.leave);
  });

  it('follows up 补学 tasks, some done and some outstanding', async () => {
    const all = ok<{ total: number }>(await as.secretary.get(`/api/make-up-tasks?orgId=${branch.id}&pageSize=1`)).total;
    const open = ok<{ total: number }>(await as.secretary.get(`/api/make-up-tasks?orgId=${branch.id}&status=open&pageSize=1`)).total;
    const done = ok<{ total: number }>(await as.secretary.get(`/api/make-up-tasks?orgId=${branch.id}&status=done&pageSize=1`)).total;
    expect(open).toBeGreaterThan(0);
    expect(done).toBeGreaterThan(0);
    expect(open + done).toBe(all);
  });
});

describe('the bureau', () => {
  it('sees its committee’s activities and a 三会一课 report with done and overdue units', async () => {
    const page = ok<{ items: Item[]; total: number }>(await as.bureau.get(`/api/activities?orgId=${committee.id}&pageSize=100`));
    expect(page.total).toBeGreaterThan(100);
    expect(page.items.every((a) => within(a.orgPath, committee.path))).toBe(true);
    expect(new Set(page.items.map((a) => a.orgPath)).size).toBeGreaterThan(3);
    const report = await complianceOf(as.bureau, committee.id);
    expect(new Set(report.items.map((i) => i.orgPath)).size).toBeGreaterThan(5);
    expect(report.items.every((i) => within(i.orgPath, committee.path))).toBe(true);
    expect(report.summary.done).toBeGreaterThan(0);
    expect(report.summary.overdue).toBeGreaterThan(0);
  });

  it('has venue bookings waiting for its decision and confirms one', async () => {
    const pending = ok<{ items: { id: string; status: string; canDecide: boolean; venueName: string }[]; total: number }>(await as.bureau.get('/api/venue-bookings?status=pending'));
    expect(pending.items.every((b) => b.status === 'pending')).toBe(true);
    // its own centre's requests to decide (besides requests it sent to the work committee's venues)
    const toDecide = pending.items.filter((b) => b.canDecide);
    expect(toDecide.length).toBeGreaterThan(0);
    const confirmed = ok<{ status: string }>(await as.bureau.post(`/api/venue-bookings/${toDecide[0]!.id}/confirm`, { note: '已确认' }));
    expect(confirmed.status).toBe('confirmed');
    expect(ok<{ total: number }>(await as.bureau.get('/api/venue-bookings?status=pending')).total).toBe(pending.total - 1);
    const stats = ok<{ batches: number; personTimes: number; activities: number }>(await as.bureau.get(`/api/venues/statistics?from=2000-01-01&to=${todayInChina()}`));
    expect(stats.batches).toBeGreaterThan(0);
    expect(stats.activities).toBeGreaterThan(0);
  });
});

describe('the member', () => {
  it('has activities to attend and unread notices', async () => {
    const mine = ok<{ items: Item[]; total: number }>(await as.member.get('/api/activities?mine=1&pageSize=100'));
    expect(mine.total).toBeGreaterThan(10);
    expect(mine.items.every((a) => a.myState !== null && a.status !== 'draft')).toBe(true);
    expect(mine.items.some((a) => Date.parse(a.startsAt) > Date.now() && a.status === 'published')).toBe(true);
    expect(ok<{ unread: number }>(await as.member.get('/api/activities/inbox')).unread).toBeGreaterThan(0);
  });

  it('signs in now to the open 党课 with the code on the secretary’s screen, and shows as attending', async () => {
    const now = Date.now();
    const mine = ok<{ items: Item[] }>(await as.member.get('/api/activities?mine=1&pageSize=100')).items;
    const open = mine.find((a) => a.status === 'published' && Date.parse(a.checkInOpensAt) <= now && Date.parse(a.checkInClosesAt) > now);
    expect(open).toBeDefined();
    expect(open!.myState).toBe('invited');
    expect(chinaDay(open!.startsAt)).toBe(todayInChina());
    const screen = ok<{ code: string }>(await as.secretary.get(`/api/activities/${open!.id}/check-in-code`));
    expect(screen.code).toMatch(/^\d{6}$/);
    expect(open!.agenda).toContain(screen.code);
    const wrong = await as.member.post(`/api/activities/${open!.id}/check-in`, { code: screen.code === '000000' ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(400);
    const signed = ok<{ state: string }>(await as.member.post(`/api/activities/${open!.id}/check-in`, { code: screen.code }));
    expect(['present', 'late']).toContain(signed.state);
    const after = ok<Item>(await as.member.get(`/api/activities/${open!.id}`));
    expect(after.myState).toBe(signed.state);
    expect(after.attendance.present + after.attendance.late).toBe(open!.attendance.present + open!.attendance.late + 1);
    const participants = ok<{ items: { memberId: string; state: string }[] }>(await as.secretary.get(`/api/activities/${open!.id}/participants`)).items;
    expect(participants.find((p) => p.memberId === memberId)?.state).toBe(signed.state);
  });

  it('has an outstanding 补学 task and completes it', async () => {
    const open = ok<{ items: { id: string; memberId: string }[]; total: number }>(await as.member.get('/api/make-up-tasks?status=open'));
    expect(open.total).toBeGreaterThan(0);
    expect(open.items.every((t) => t.memberId === memberId)).toBe(true);
    expect(ok<{ total: number }>(await as.member.get('/api/make-up-tasks?status=done')).total).toBeGreaterThan(0);
    ok(await as.member.post(`/api/make-up-tasks/${open.items[0]!.id}/complete`, { note: '已阅读会议记录' }));
    expect(ok<{ total: number }>(await as.member.get('/api/make-up-tasks?status=open')).total).toBe(open.total - 1);
  });
});

describe('venues for the platform admin', () => {
  it('shows a year of visits and the activities held there, each figure the total of its list', async () => {
    const today = todayInChina();
    const from = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`;
    const stats = ok<{ units: number; batches: number; personTimes: number; activities: number; byPurpose: { batches: number; personTimes: number }[]; byMonth: unknown[] }>(
      await as.admin.get(`/api/venues/statistics?from=${from}&to=${today}`));
    expect(stats.batches).toBeGreaterThan(20);
    expect(stats.units).toBeGreaterThan(5);
    expect(stats.personTimes).toBeGreaterThan(stats.batches * 5);
    expect(stats.byPurpose.reduce((n, p) => n + p.batches, 0)).toBe(stats.batches);
    expect(stats.byPurpose.reduce((n, p) => n + p.personTimes, 0)).toBe(stats.personTimes);
    expect(stats.byMonth.length).toBeGreaterThan(6);
    expect(stats.activities).toBeGreaterThan(0);
    const held = ok<{ total: number }>(await as.admin.get(`/api/venues/statistics/activities?from=${from}&to=${today}`));
    expect(held.total).toBe(stats.activities);
    const visited = ok<{ total: number }>(await as.admin.get(`/api/venue-bookings?status=visited&from=${from}&to=${today}&pageSize=1`));
    expect(visited.total).toBe(stats.batches);
    expect(ok<{ total: number }>(await as.admin.get('/api/venue-bookings?status=pending')).total).toBeGreaterThan(0);
    expect(ok<{ total: number }>(await as.admin.get('/api/venue-bookings?status=confirmed')).total).toBeGreaterThan(0);
    expect(ok<{ items: unknown[] }>(await as.admin.get('/api/venues')).items.length).toBeGreaterThanOrEqual(3);
    expect(ok<{ total: number }>(await as.member.get('/api/service-stations')).total).toBeGreaterThan(0);
  });
});

function chinaDay(isoString: string) {
  return todayInChina(Date.parse(isoString));
}
