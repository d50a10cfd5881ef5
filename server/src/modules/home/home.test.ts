import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeMember, makeOrg, makeUser, startTestApp, type Client, type MemberFixture, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { todayInChina } from '../../../../contracts/china-time.js';
import type { MemberHome, Workbench, WorkbenchItem } from '../../../../contracts/home.js';
import { computeTodos } from './todos.js';
import { addDays, yearsBefore } from './dates.js';

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branchA: OrgFixture, branchB: OrgFixture, emptyRoot: OrgFixture, otherRoot: OrgFixture, otherBranch: OrgFixture;
let rootAdmin: Client, branchBAdmin: Client, otherAdmin: Client, emptyAdmin: Client, memberClient: Client;
let member: MemberFixture, rival: MemberFixture;
let memberUserId: string;
const today = todayInChina();
const yearAgo = yearsBefore(today, 1);

type Row = Record<string, unknown>;
const db = () => ctx.database.db;
const idOf = async (q: ReturnType<typeof sql>) => (await db().execute<{ id: string } & Row>(q)).rows[0]!.id;

/** An activity of the org, inserted as the activities module stores one. */
async function makeActivity(org: OrgFixture, fields: { title: string; startsAt: Date; endsAt: Date; status?: string; invite?: MemberFixture[]; state?: string }) {
  const id = await idOf(sql`insert into activities (org_id, org_path, type, title, starts_at, ends_at, status, check_in_opens_at, check_in_closes_at, check_in_code)
    values (${org.id}, ${org.path}::ltree, 'theme_day', ${fields.title}, ${fields.startsAt}, ${fields.endsAt}, ${fields.status ?? 'published'},
            ${new Date(fields.startsAt.getTime() - 30 * 60_000)}, ${fields.endsAt}, '123456') returning id::text`);
  for (const m of fields.invite ?? []) await db().execute(sql`insert into activity_participants (activity_id, member_id, state) values (${id}, ${m.id}, ${fields.state ?? 'invited'})`);
  return id;
}

beforeAll(async () => {
  ctx = await startTestApp();
  root = await makeOrg(db(), null, { name: '市直机关工委' });
  bureau = await makeOrg(db(), root, { name: '市财政局机关党委', type: 'organ_committee' });
  // branch A: founded long ago, its term ended, nothing held: every 三会一课 requirement is overdue
  branchA = await makeOrg(db(), bureau, { name: '预算处党支部', termEnd: addDays(today, -3) });
  branchB = await makeOrg(db(), bureau, { name: '办公室党支部', termEnd: addDays(today, 20) });
  await db().execute(sql`update orgs set created_at = now() - interval '2 years' where id in (${root.id}, ${bureau.id}, ${branchA.id})`);
  await db().execute(sql`update orgs set term_start = null, term_end = ${addDays(today, 180)} where id = ${bureau.id}`);
  emptyRoot = await makeOrg(db(), null, { name: '新建机关工委' });
  otherRoot = await makeOrg(db(), null, { name: '邻市机关工委' });
  otherBranch = await makeOrg(db(), otherRoot, { name: '邻市党支部', termEnd: addDays(today, -1) });

  // 预备党员: one past its year (not converted), one ending in 10 days, one ending in 60 days (not yet a to-do), one who left
  await makeMember(db(), branchA, { stage: 'probationary', joinedOn: addDays(yearAgo, -5) });
  await makeMember(db(), branchB, { stage: 'probationary', joinedOn: addDays(yearAgo, 10) });
  await makeMember(db(), branchB, { stage: 'probationary', joinedOn: addDays(yearAgo, 60) });
  await makeMember(db(), branchB, { stage: 'probationary', joinedOn: addDays(yearAgo, 3), leftAt: new Date() });
  await makeMember(db(), otherBranch, { stage: 'probationary', joinedOn: addDays(yearAgo, 1) });

  member = await makeMember(db(), branchA, { name: '陈静' });
  rival = await makeMember(db(), branchA, { name: '刘洋' });
  const outsider = await makeMember(db(), otherBranch, { name: '周杰' });
  const movingA = await makeMember(db(), branchA), movingB = await makeMember(db(), branchA);

  // transfers: A → B (out of A, into B), neighbour → A (into A), one already accepted
  const transfer = (m: MemberFixture, from: OrgFixture, to: OrgFixture, status: string) => db().execute(sql`
    insert into transfers (member_id, from_org_id, to_org_id, from_path, to_path, status, reason)
    values (${m.id}, ${from.id}, ${to.id}, ${from.path}::ltree, ${to.path}::ltree, ${status}, '工作调动')`);
  await transfer(movingA, branchA, branchB, 'issued');
  await transfer(outsider, otherBranch, branchA, 'issued');
  await transfer(movingB, branchA, branchB, 'accepted');

  // 补学: two open in A, one done in A, one open in the neighbour
  const past = await makeActivity(branchA, { title: '十月主题党日', startsAt: new Date(Date.now() - 20 * 86_400_000), endsAt: new Date(Date.now() - 20 * 86_400_000 + 7_200_000), status: 'closed' });
  const otherPast = await makeActivity(otherBranch, { title: '邻市主题党日', startsAt: new Date(Date.now() - 20 * 86_400_000), endsAt: new Date(Date.now() - 20 * 86_400_000 + 7_200_000), status: 'closed' });
  const task = (activity: string, m: MemberFixture, org: OrgFixture, status: string) => db().execute(sql`
    insert into make_up_tasks (activity_id, member_id, org_path, reason, status) values (${activity}, ${m.id}, ${org.path}::ltree, 'absent', ${status})`);
  await task(past, member, branchA, 'open');
  await task(past, rival, branchA, 'open');
  await task(past, movingA, branchA, 'done');
  await task(otherPast, outsider, otherBranch, 'open');

  // 办实事 returned for rework in B, one not returned
  const project = (org: OrgFixture, returned: boolean) => db().execute(sql`
    insert into service_projects (org_id, org_path, title, category, source, need, owner_name, planned_completion, is_returned)
    values (${org.id}, ${org.path}::ltree, '加装电梯', '关爱减负', 'mass_feedback', '老旧小区上下楼难', '王强', ${addDays(today, 40)}, ${returned})`);
  await project(branchB, true);
  await project(branchB, false);

  // 微心愿 waiting for moderation at the root; one already open
  const wish = (org: OrgFixture, status: string) => db().execute(sql`
    insert into micro_wishes (org_id, org_path, source, title, content, poster_name, poster_contact_enc, poster_contact_masked, status, published_at)
    values (${org.id}, ${org.path}::ltree, 'resident', '一台助听器', '老伴耳背', '王秀英', 'x', '137****5678', ${status}, ${status === 'open' ? new Date() : null})`);
  await wish(root, 'pending_review');
  await wish(root, 'pending_review');
  await wish(root, 'open');
  await wish(otherRoot, 'pending_review');

  // a venue of the bureau with one booking to confirm (in 3 days) and one confirmed
  rootAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: root }]));
  const requester = await makeUser(db(), [{ role: 'org_admin', org: branchB }]);
  branchBAdmin = await login(ctx.app, requester);
  const venue = await idOf(sql`insert into venues (org_id, org_path, name, kind) values (${bureau.id}, ${bureau.path}::ltree, '党性锤炼中心', 'tempering_centre') returning id::text`);
  const booking = (days: number, status: string) => {
    const starts = new Date(`${addDays(today, days)}T02:00:00Z`);
    return db().execute(sql`insert into venue_bookings (venue_id, unit_name, unit_key, contact_name, contact_phone, visit_date, starts_at, ends_at, expected_headcount, purpose, status, requested_by)
      values (${venue}, '市税务局', '市税务局', '李明', '13812345678', ${addDays(today, days)}, ${starts}, ${new Date(starts.getTime() + 3_600_000)}, 20, 'visit', ${status}, ${requester.id})`);
  };
  await booking(3, 'pending');
  await booking(5, 'confirmed');

  otherAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: otherRoot }]));
  emptyAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: emptyRoot }]));
  const memberUser = await makeUser(db(), [{ role: 'member' }], { memberId: member.id });
  memberUserId = memberUser.id;
  memberClient = await login(ctx.app, memberUser);
});
afterAll(async () => ctx?.close());

/** The API list a to-do's web link opens, with the same filters (the page reads them from its URL). */
function apiListOf(link: string): string {
  const url = new URL(link, 'http://x');
  const makeUp = url.searchParams.get('makeUp');
  if (makeUp) return `/api/make-up-tasks?${new URLSearchParams({ orgId: url.searchParams.get('orgId') ?? '', status: makeUp }).toString()}`;
  const path = url.pathname;
  const notice = /^\/notices\/(\d+)$/.exec(path);
  if (notice) return `/api/notices/${notice[1]}/receipts/people?${url.searchParams.toString()}`;
  const api = path === '/activities/compliance' ? '/api/activities/compliance'
      : path === '/service/projects' ? '/api/service-projects'
        : path === '/service/wishes' ? '/api/micro-wishes'
          : path === '/venues' ? '/api/venue-bookings'
            : `/api${path}`;
  return `${api}?${url.searchParams.toString()}`;
}

const itemsOf = (w: Workbench) => w.groups.flatMap((g) => g.items);

/** Each to-do's count, and each of its orgs' counts, is the total of the list its link opens (the same filters). */
async function expectCountsOfLists(client: Client, w: Workbench) {
  const todos = itemsOf(w).flatMap((i) => [i, ...i.orgs]);
  expect(todos.length).toBeGreaterThan(0);
  for (const todo of todos) {
    const list = await client.get(apiListOf(todo.link));
    expect(list.statusCode, `${todo.link}: ${list.body}`).toBe(200);
    expect({ link: todo.link, count: todo.count }).toEqual({ link: todo.link, count: list.json<{ total: number }>().total });
  }
}
const find = (w: Workbench, kind: string, severity?: string) => itemsOf(w).filter((i) => i.kind === kind && (!severity || i.severity === severity));

describe('GET /api/home/workbench', () => {
  it('counts each to-do exactly as the list its link opens', async () => {
    const res = await rootAdmin.get('/api/home/workbench');
    expect(res.statusCode, res.body).toBe(200);
    const w = res.json<Workbench>();
    expect(w.org).toEqual({ id: root.id, name: root.name });
    const items = itemsOf(w);
    expect(items.length).toBeGreaterThanOrEqual(9);
    await expectCountsOfLists(rootAdmin, w);
    // every link names the org whose subtree it opens, so a wider scope does not widen the list
    for (const item of items.filter((i) => i.kind !== 'notice_unread')) expect(new URL(item.link, 'http://x').searchParams.get('orgId')).toBe(root.id);
  });

  it('shows what the records hold: terms, probation, transfers, 补学, returned projects, wishes, bookings', async () => {
    const w = (await rootAdmin.get('/api/home/workbench')).json<Workbench>();
    const counts = (kind: string) => find(w, kind).map((i) => [i.severity, i.count, i.dueDate]);
    expect(counts('term_due')).toEqual([['overdue', 1, addDays(today, -3)], ['due_soon', 1, addDays(today, 20)]]);
    expect(counts('probation_ending')).toEqual([['overdue', 1, addDays(today, -5)], ['due_soon', 1, addDays(today, 10)]]);
    expect(counts('transfer_in')).toEqual([['info', 2, null]]);
    expect(counts('transfer_out')).toEqual([['info', 1, null]]);
    expect(counts('make_up')).toEqual([['info', 2, null]]);
    expect(counts('service_review')).toEqual([['due_soon', 1, addDays(today, 40)]]);
    expect(counts('wish_moderation')).toEqual([['due_soon', 2, null]]);
    expect(counts('venue_booking')).toEqual([['due_soon', 1, addDays(today, 3)]]);
    // branch A has held nothing for two years: its three requirements are overdue, and they are listed under it
    const meetings = find(w, 'three_meetings', 'overdue')[0]!;
    const ofA = meetings.orgs.find((o) => o.orgId === branchA.id)!;
    expect(ofA).toMatchObject({ count: 3, severity: 'overdue', link: `/activities/compliance?orgId=${branchA.id}&status=overdue` });
    const terms = find(w, 'term_due', 'overdue')[0]!;
    expect(terms.orgs.map((o) => o.orgName)).toEqual([branchA.name]);
    expect(terms.orgCount).toBe(1);
    // the groups come in urgency order, each holding its own severity
    expect(w.groups.map((g) => g.severity)).toEqual(['overdue', 'due_soon', 'info']);
    for (const g of w.groups) expect(g.items.every((i: WorkbenchItem) => i.severity === g.severity)).toBe(true);
  });

  it('opens on a sub-org the admin picks and counts only its subtree', async () => {
    const w = (await rootAdmin.get(`/api/home/workbench?orgId=${branchB.id}`)).json<Workbench>();
    expect(w.org.id).toBe(branchB.id);
    // the root admin sees more than branch B, yet each link opens branch B's list only
    await expectCountsOfLists(rootAdmin, w);
    expect(find(w, 'term_due').map((i) => i.count)).toEqual([1]);
    expect(find(w, 'probation_ending').map((i) => [i.severity, i.count])).toEqual([['due_soon', 1]]);
    expect(find(w, 'transfer_in').map((i) => i.count)).toEqual([1]);
    expect(find(w, 'transfer_out')).toEqual([]);
    expect(find(w, 'make_up')).toEqual([]);
    expect(find(w, 'wish_moderation')).toEqual([]);
    expect(find(w, 'venue_booking')).toEqual([]);
  });

  it('opens a branch secretary’s own branch by default, its counts equal to the secretary’s lists', async () => {
    const w = (await branchBAdmin.get('/api/home/workbench')).json<Workbench>();
    expect(w.org.id).toBe(branchB.id);
    await expectCountsOfLists(branchBAdmin, w);
  });

  it('says nothing is due on an empty tree (no groups, not an error)', async () => {
    const res = await emptyAdmin.get('/api/home/workbench');
    expect(res.statusCode).toBe(200);
    expect(res.json<Workbench>()).toMatchObject({ org: { id: emptyRoot.id }, groups: [] });
  });

  it('answers 404 for an org outside the admin’s subtree, 400 for a malformed id, 403 for a member and 401 signed out', async () => {
    expect((await otherAdmin.get(`/api/home/workbench?orgId=${root.id}`)).statusCode).toBe(404);
    expect((await branchBAdmin.get(`/api/home/workbench?orgId=${branchA.id}`)).statusCode).toBe(404);
    const bad = await rootAdmin.get('/api/home/workbench?orgId=abc');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { fields: Record<string, string> } }>().error.fields).toHaveProperty('orgId');
    const member = await memberClient.get('/api/home/workbench');
    expect(member.statusCode).toBe(403);
    expect(member.json<{ error: { message: string } }>().error.message).toBe('工作台仅供党组织管理员使用');
    expect((await ctx.app.inject({ method: 'GET', url: '/api/home/workbench' })).statusCode).toBe(401);
  });
});

describe('unread notices on the 工作台', () => {
  it('lists a published notice with its unread recipients until they have read it', async () => {
    const created = await rootAdmin.post('/api/notices', { orgId: bureau.id, title: '关于开展主题教育的通知', body: '<p>请各支部认真学习。</p>', targetKind: 'subtree', toMembers: true });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    expect((await rootAdmin.post(`/api/notices/${id}/publish`, {})).statusCode).toBe(200);
    const before = (await rootAdmin.get('/api/home/workbench')).json<Workbench>();
    const todo = find(before, 'notice_unread')[0]!;
    expect(todo).toMatchObject({ orgId: bureau.id, orgName: bureau.name, subject: '关于开展主题教育的通知', count: 1, outOf: 1, link: `/notices/${id}?state=unread` });
    expect((await rootAdmin.get(apiListOf(todo.link))).json<{ total: number }>().total).toBe(1);
    expect((await memberClient.post(`/api/me/notices/${id}/open`, {})).statusCode).toBe(200);
    const after = (await rootAdmin.get('/api/home/workbench')).json<Workbench>();
    expect(find(after, 'notice_unread')).toEqual([]);
  });
});

describe('computeTodos (for reminders)', () => {
  it('lists one to-do per org that does the work, for the given day', async () => {
    const todos = await computeTodos(db(), { orgPath: root.path }, { kinds: ['term_due', 'probation_ending', 'transfer_in'], today });
    expect(todos.map((t) => [t.kind, t.orgName, t.severity, t.count])).toEqual([
      ['term_due', branchA.name, 'overdue', 1],
      ['probation_ending', branchA.name, 'overdue', 1],
      ['term_due', branchB.name, 'due_soon', 1],
      ['probation_ending', branchB.name, 'due_soon', 1],
      ['transfer_in', branchB.name, 'info', 1],
      ['transfer_in', branchA.name, 'info', 1],
    ]);
  });

  it('moves with the day: 100 days on, the bureau’s term is due and the second probation has ended', async () => {
    const later = addDays(today, 100);
    const todos = await computeTodos(db(), { orgPath: root.path }, { kinds: ['term_due', 'probation_ending'], today: later });
    expect(todos.filter((t) => t.kind === 'term_due').map((t) => [t.orgName, t.severity])).toEqual([[branchA.name, 'overdue'], [branchB.name, 'overdue'], [bureau.name, 'info']]);
    expect(todos.filter((t) => t.kind === 'probation_ending').map((t) => [t.orgName, t.count])).toEqual([[branchA.name, 1], [branchB.name, 2]]);
  });

  it('rolls a subtree up to one to-do per list with per: scope', async () => {
    const todos = await computeTodos(db(), { orgPath: root.path }, { kinds: ['transfer_in'], per: 'scope', today });
    expect(todos).toEqual([{ kind: 'transfer_in', orgId: root.id, orgName: root.name, count: 2, dueDate: null, severity: 'info', link: `/transfers?orgId=${root.id}&box=incoming&status=issued` }]);
  });
});

describe('a 党委 with records of its own and of its branches', () => {
  it('counts its subtree in its own to-do, as its link opens, and each record once in the total', async () => {
    // the bureau itself has a 预备党员 whose year ends in 15 days, as branch B has one ending in 10
    await makeMember(db(), bureau, { stage: 'probationary', joinedOn: addDays(yearAgo, 15) });
    const w = (await rootAdmin.get('/api/home/workbench')).json<Workbench>();
    const probation = find(w, 'probation_ending', 'due_soon')[0]!;
    expect(probation.count).toBe(2);
    expect(probation.orgs.map((o) => [o.orgName, o.count, o.dueDate])).toEqual([[branchB.name, 1, addDays(today, 10)], [bureau.name, 2, addDays(today, 10)]]);
    await expectCountsOfLists(rootAdmin, w);
    // the bureau's own 工作台 and a bureau secretary's see the same subtree
    const bureauAdmin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: bureau }]));
    const own = (await bureauAdmin.get('/api/home/workbench')).json<Workbench>();
    expect(own.org.id).toBe(bureau.id);
    expect(find(own, 'probation_ending', 'due_soon').map((i) => i.count)).toEqual([2]);
    await expectCountsOfLists(bureauAdmin, own);
    // the reminders tell the bureau about its subtree, and branch B about its own
    const todos = await computeTodos(db(), { orgPath: root.path }, { kinds: ['probation_ending'], today });
    expect(todos.filter((t) => t.severity === 'due_soon').map((t) => [t.orgName, t.count])).toEqual([[branchB.name, 1], [bureau.name, 2]]);
  });

  it('refuses a list filtered to an org outside the viewer’s scope (404), as the 工作台 does', async () => {
    for (const url of [`/api/orgs?orgId=${root.id}`, `/api/transfers?orgId=${root.id}&box=incoming`, `/api/micro-wishes?orgId=${root.id}`, `/api/venue-bookings?orgId=${root.id}`]) {
      const res = await otherAdmin.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json<{ error: { message: string } }>().error.message, url).toMatch(/[\u4e00-\u9fff]/);
    }
    const bad = await rootAdmin.get('/api/venue-bookings?orgId=abc');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { fields: Record<string, string> } }>().error.fields).toHaveProperty('orgId');
  });
});

describe('GET /api/home/member', () => {
  it('says honestly that nothing is due for a member with no records', async () => {
    const home = (await memberClient.get('/api/home/member')).json<MemberHome>();
    // the member has two open 补学 tasks from the setup; everything else is empty
    expect(home).toMatchObject({
      asOf: today, dailyQuiz: { status: 'none', questionCount: 0, correctCount: null }, activities: { total: 0, items: [] },
      studyPlans: { total: 0, items: [] }, exams: { total: 0, items: [] }, unreadNotices: 0, points: { thisYear: 0, rank: null, rankedCount: 0 },
    });
    expect(home.makeUp.open).toBe(1);
  });

  it('shows the activities to attend, sign-in open now, 补学, study plans, unread items and the year’s points with rank', async () => {
    const now = Date.now();
    const ongoing = await makeActivity(branchA, { title: '十二月主题党日', startsAt: new Date(now - 10 * 60_000), endsAt: new Date(now + 80 * 60_000), invite: [member, rival] });
    const next = await makeActivity(branchA, { title: '支部党员大会', startsAt: new Date(now + 3 * 86_400_000), endsAt: new Date(now + 3 * 86_400_000 + 7_200_000), invite: [member] });
    await makeActivity(branchA, { title: '已结束的党课', startsAt: new Date(now - 5 * 86_400_000), endsAt: new Date(now - 5 * 86_400_000 + 3_600_000), invite: [member] });
    await makeActivity(branchA, { title: '未邀请的活动', startsAt: new Date(now + 86_400_000), endsAt: new Date(now + 86_400_000 + 3_600_000), invite: [rival] });
    await makeActivity(branchA, { title: '草稿', startsAt: new Date(now + 86_400_000), endsAt: new Date(now + 86_400_000 + 3_600_000), status: 'draft', invite: [member] });

    // plans of the bureau (above the member) running today: one half done, one finished; one ended; one of another branch
    const plan = async (org: OrgFixture, title: string, from: string, to: string, items: number, done: number) => {
      const id = await idOf(sql`insert into study_plans (org_id, org_path, title, starts_on, ends_on) values (${org.id}, ${org.path}::ltree, ${title}, ${from}, ${to}) returning id::text`);
      for (let i = 0; i < items; i++) {
        const item = await idOf(sql`insert into study_plan_items (plan_id, position, title, due_on) values (${id}, ${i}, ${`第${i + 1}章`}, ${to}) returning id::text`);
        if (i < done) await db().execute(sql`insert into study_plan_progress (item_id, plan_id, member_id) values (${item}, ${id}, ${member.id})`);
      }
      return id;
    };
    const running = await plan(bureau, '二十大精神学习计划', addDays(today, -10), addDays(today, 20), 2, 1);
    await plan(bureau, '已学完的计划', addDays(today, -10), addDays(today, 20), 1, 1);
    await plan(bureau, '已结束的计划', addDays(today, -40), addDays(today, -1), 2, 0);
    await plan(branchB, '其他支部的计划', addDays(today, -10), addDays(today, 20), 2, 0);

    const inbox = (read: boolean, key: string) => db().execute(sql`insert into inbox_items (user_id, kind, title, link, source_type, source_id, dedupe_key, read_at)
      values (${memberUserId}, 'notice', '关于开展主题教育的通知', '/notices/1', 'notice', '1', ${key}, ${read ? new Date() : null})`);
    await inbox(false, 'a');
    await inbox(false, 'b');
    await inbox(true, 'c');

    const award = (m: MemberFixture, points: number, on: string, source: string) => db().execute(sql`
      insert into points_ledger (member_id, org_path, rule, source_type, source_id, points, occurred_on) values (${m.id}, ${branchA.path}::ltree, 'clock_in', 'test', ${source}, ${points}, ${on})`);
    await award(member, 5, today, 's1');
    await award(member, 3, today, 's2');
    await award(rival, 20, today, 's3');
    await award(member, 50, `${Number(today.slice(0, 4)) - 1}-06-01`, 's4');

    const home = (await memberClient.get('/api/home/member')).json<MemberHome>();
    expect(home.activities.total).toBe(2);
    expect(home.activities.items.map((a) => [a.id, a.canCheckInNow])).toEqual([[ongoing, true], [next, false]]);
    const listed = await memberClient.get(`/api/activities?mine=1&status=published&from=${encodeURIComponent(new Date().toISOString())}`);
    expect(listed.json<{ total: number }>().total).toBe(home.activities.total);
    expect(home.makeUp.open).toBe((await memberClient.get('/api/make-up-tasks?status=open')).json<{ total: number }>().total);
    expect(home.makeUp.open).toBe(1);
    expect(home.studyPlans).toEqual({ total: 1, items: [{ id: running, title: '二十大精神学习计划', endsOn: addDays(today, 20), itemCount: 2, doneCount: 1 }] });
    expect(home.unreadNotices).toBe(2);
    expect(home.points).toEqual({ thisYear: 8, rank: 2, rankedCount: 2 });
  });

  it('marks today’s quiz as the daily quiz module does, and refuses accounts without a member record', async () => {
    const home = (await memberClient.get('/api/home/member')).json<MemberHome>();
    const quiz = (await memberClient.get('/api/daily-quiz/today')).json<{ questions: unknown[]; submission: unknown }>();
    expect(home.dailyQuiz.questionCount).toBe(quiz.questions.length);
    expect(home.dailyQuiz.status).toBe(quiz.submission ? 'done' : quiz.questions.length ? 'open' : 'none');
    const admin = await rootAdmin.get('/api/home/member');
    expect(admin.statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/home/member' })).statusCode).toBe(401);
  });
});
