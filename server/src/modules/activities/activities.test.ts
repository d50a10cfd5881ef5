import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeMember, makeOrg, makeUser, startTestApp, testKey, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { createCipher } from '../../platform/personal-data.js';
import { checkInToken, checkInWindowOf, verifyCheckInToken } from './check-in.js';
import { todayInChina } from '../../../../contracts/china-time.js';

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branchA: OrgFixture, groupA: OrgFixture, branchB: OrgFixture, otherBureau: OrgFixture, otherBranch: OrgFixture;
let admin: Client, bureauAdmin: Client, secretaryA: Client;
const m: Record<string, string> = {};
const as: Record<string, Client> = {};
const cipher = createCipher(testKey);

const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();
const ids = (items: { id: string }[]) => items.map((i) => i.id);

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branchA = await makeOrg(db, bureau, { name: '预算处党支部' });
  groupA = await makeOrg(db, branchA, { name: '预算处第一党小组', type: 'group' });
  branchB = await makeOrg(db, bureau, { name: '国库处党支部' });
  otherBureau = await makeOrg(db, root, { name: '市教育局机关党委', type: 'organ_committee' });
  otherBranch = await makeOrg(db, otherBureau, { name: '教育局办公室党支部' });
  m.a1 = (await makeMember(ctx.database.db, branchA, { name: '张伟', joinedOn: '2010-01-15' })).id;
  m.a2 = (await makeMember(ctx.database.db, branchA, { name: '李娜', joinedOn: '2010-01-15' })).id;
  m.a3 = (await makeMember(ctx.database.db, branchA, { name: '王芳', joinedOn: '2010-01-15' })).id;
  m.a4 = (await makeMember(ctx.database.db, branchA, { name: '赵强', joinedOn: '2010-01-15', stage: 'probationary' })).id;
  m.activist = (await makeMember(ctx.database.db, branchA, { name: '陈静', joinedOn: '2099-01-01', stage: 'activist' })).id;
  m.g1 = (await makeMember(ctx.database.db, groupA, { name: '刘洋', joinedOn: '2010-01-15' })).id;
  m.b1 = (await makeMember(ctx.database.db, branchB, { name: '孙丽', joinedOn: '2010-01-15' })).id;
  m.o1 = (await makeMember(ctx.database.db, otherBranch, { name: '周杰', joinedOn: '2010-01-15' })).id;
  admin = await login(ctx.app, await makeUser(db, [{ role: 'platform_admin' }]));
  bureauAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: bureau }]));
  secretaryA = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchA }]));
  for (const key of ['a1', 'a2', 'a3', 'a4', 'g1', 'b1', 'o1']) as[key] = await login(ctx.app, await makeUser(db, [{ role: 'member' }], { memberId: m[key] }));
});
afterAll(async () => ctx?.close());

/** A published activity of branch A with its members invited, starting `startsIn` minutes from now. */
async function publishedActivity(fields: Record<string, unknown> = {}, startsIn = 10, lasts = 60) {
  const created = await secretaryA.post('/api/activities', {
    orgId: branchA.id, type: 'theme_day', title: '主题党日：学习党章', startsAt: minutes(startsIn), endsAt: minutes(startsIn + lasts),
    participants: { orgIds: [branchA.id] }, ...fields,
  });
  expect(created.statusCode).toBe(201);
  const published = await secretaryA.post(`/api/activities/${created.json().id}/publish`);
  expect(published.statusCode).toBe(200);
  return published.json() as { id: string; attendance: { total: number } };
}

async function participantRow(activityId: string, memberId: string) {
  const r = await ctx.database.db.execute<{ state: string; checked_in_at: Date | null } & Record<string, unknown>>(sql`
    select state, checked_in_at from activity_participants where activity_id = ${activityId} and member_id = ${memberId}`);
  return r.rows[0] ?? null;
}

describe('planning an activity', () => {
  it('creates a draft with participants selected by org and stage, and audits it', async () => {
    const res = await secretaryA.post('/api/activities', {
      orgId: branchA.id, type: 'branch_general_meeting', title: '支部党员大会', topic: '讨论发展对象', startsAt: minutes(60 * 24), endsAt: minutes(60 * 26),
      place: '三楼会议室', hostName: '张伟', participants: { orgIds: [branchA.id] },
    });
    expect(res.statusCode).toBe(201);
    const activity = res.json();
    expect(activity).toMatchObject({ status: 'draft', type: 'branch_general_meeting', canManage: true, attendance: { invited: 4, total: 4 } });
    expect(activity.checkInOpensAt).toBe(new Date(Date.parse(activity.startsAt) - 30 * 60_000).toISOString());
    const audited = await ctx.database.db.execute(sql`select 1 from audit_log where action = 'activity.create' and target_id = ${activity.id}`);
    expect(audited.rows).toHaveLength(1);
  });

  it('invites whole subtrees, other stages and named persons in one selection', async () => {
    const res = await bureauAdmin.post('/api/activities', {
      orgId: bureau.id, type: 'party_lesson', title: '书记讲党课', startsAt: minutes(3000), endsAt: minutes(3090),
      participants: { orgIds: [branchA.id], includeSubOrgs: true, stages: ['full', 'activist'], memberIds: [m.b1] },
    });
    expect(res.statusCode).toBe(201);
    const names = (await bureauAdmin.get(`/api/activities/${res.json().id}/participants`)).json().items.map((p: { name: string }) => p.name).sort();
    expect(names).toEqual(['刘洋', '孙丽', '张伟', '李娜', '王芳', '陈静'].sort());
  });

  it('creates the weekly copies of a live class as one series', async () => {
    const res = await bureauAdmin.post('/api/activities', {
      orgId: bureau.id, type: 'live_lesson', title: '周三下午直播课', startsAt: minutes(2000), endsAt: minutes(2090),
      streamUrl: 'https://live.example.cn/room/1', repeatWeeks: 3,
    });
    expect(res.statusCode).toBe(201);
    const seriesId = res.json().seriesId;
    const copies = await ctx.database.db.execute<{ starts_at: Date } & Record<string, unknown>>(sql`select starts_at from activities where series_id = ${seriesId} order by starts_at`);
    expect(copies.rows).toHaveLength(3);
    expect(new Date(copies.rows[2]!.starts_at).getTime() - new Date(copies.rows[0]!.starts_at).getTime()).toBe(14 * 86_400_000);
  });

  const valid = () => ({ orgId: branchA.id, type: 'theme_day', title: '主题党日', startsAt: minutes(100), endsAt: minutes(160) });
  it.each([
    ['end before start', { endsAt: minutes(50) }, 'endsAt', '结束时间必须晚于开始时间'],
    ['end equal to start', { endsAt: minutes(100) }, 'endsAt', '结束时间必须晚于开始时间'],
    ['missing title', { title: undefined }, 'title', '必填'],
    ['unknown type', { type: 'party' }, 'type', '必须是以下之一'],
    ['bad time', { startsAt: '明天上午' }, 'startsAt', '时间格式应为 ISO 8601'],
    ['unknown field', { points: 5 }, 'points', '不支持的字段'],
    ['sign-in closing before it opens', { checkInOpensAt: minutes(90), checkInClosesAt: minutes(80) }, 'checkInClosesAt', '签到截止时间必须晚于签到开始时间'],
    ['org outside the scope', { orgId: '999999' }, 'orgId', '党组织不存在或不在您的管理范围内'],
    ['participant org outside the scope', { participants: { orgIds: ['999999'] } }, 'participants.orgIds', '所选党组织不在您的管理范围内'],
    ['a group meeting in a branch', { type: 'group_meeting' }, 'type', '“党支部”不能召开“党小组会”'],
    ['a live class without a stream', { type: 'live_lesson' }, 'streamUrl', '直播课必须填写直播地址'],
    ['repeating a theme day', { repeatWeeks: 4 }, 'repeatWeeks', '只有直播课可以按周重复'],
    ['a public theme day', { isPublic: true }, 'isPublic', '只有开放式党课可以向社会公开'],
  ])('answers 400 for %s and changes nothing', async (_case, patch, field, message) => {
    const before = [await countRows(ctx.database.db, 'activities'), await countRows(ctx.database.db, 'activity_participants'), await countRows(ctx.database.db, 'audit_log')];
    const res = await secretaryA.post('/api/activities', { ...valid(), ...patch });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect([await countRows(ctx.database.db, 'activities'), await countRows(ctx.database.db, 'activity_participants'), await countRows(ctx.database.db, 'audit_log')]).toEqual(before);
  });

  it('refuses to invite members outside the scope, naming how many', async () => {
    const before = await countRows(ctx.database.db, 'activities');
    const res = await secretaryA.post('/api/activities', { ...valid(), participants: { memberIds: [m.a1, m.b1, m.o1] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields['participants.memberIds']).toBe('有 2 名所选党员不存在或不在您的管理范围内');
    expect(await countRows(ctx.database.db, 'activities')).toBe(before);
  });

  it('refuses an edit that would end before the start', async () => {
    const created = (await secretaryA.post('/api/activities', valid())).json();
    const res = await secretaryA.patch(`/api/activities/${created.id}`, { endsAt: minutes(90) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.endsAt).toBe('结束时间必须晚于开始时间');
    expect((await secretaryA.get(`/api/activities/${created.id}`)).json().endsAt).toBe(created.endsAt);
  });

  it('edits the plan, moving the default sign-in window with the time', async () => {
    const created = (await secretaryA.post('/api/activities', { ...valid(), participants: { orgIds: [branchA.id] } })).json();
    const startsAt = minutes(300);
    const res = await secretaryA.patch(`/api/activities/${created.id}`, { title: '主题党日（改期）', startsAt, endsAt: minutes(360), place: '党员活动室' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ title: '主题党日（改期）', place: '党员活动室', checkInOpensAt: new Date(Date.parse(startsAt) - 30 * 60_000).toISOString() });
    expect((await as.a1!.patch(`/api/activities/${created.id}`, { title: '越权' })).statusCode).toBe(404);
    const early = await secretaryA.post(`/api/activities/${created.id}/record`, { minutes: '尚未召开' });
    expect(early.statusCode).toBe(409);
    expect(ids((await secretaryA.get(`/api/activities?q=${encodeURIComponent('改期')}`)).json().items)).toEqual([created.id]);
  });

  it('cancels an activity: sign-in is refused and it cannot be cancelled twice', async () => {
    const activity = await publishedActivity();
    const cancelled = await secretaryA.post(`/api/activities/${activity.id}/cancel`, { reason: '临时接到防汛任务' });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', cancelReason: '临时接到防汛任务' });
    const signIn = await as.a1!.post(`/api/activities/${activity.id}/check-in`, { token: checkInToken(cipher, activity.id, checkInWindowOf()) });
    expect(signIn.statusCode).toBe(409);
    expect(await participantRow(activity.id, m.a1!)).toMatchObject({ state: 'invited', checked_in_at: null });
    expect((await secretaryA.post(`/api/activities/${activity.id}/cancel`, { reason: '再次' })).statusCode).toBe(409);
  });

  it('refuses anonymous callers and hides activities outside the scope', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/api/activities' })).statusCode).toBe(401);
    const other = (await bureauAdmin.post('/api/activities', { ...valid(), orgId: branchB.id, participants: { orgIds: [branchB.id] } })).json();
    const outside = await secretaryA.get(`/api/activities/${other.id}`);
    expect(outside.statusCode).toBe(404);
    expect(outside.json()).toEqual((await secretaryA.get('/api/activities/999999')).json());
    expect((await secretaryA.post(`/api/activities/${other.id}/publish`)).statusCode).toBe(404);
    // a draft stays hidden from the invited member until it is announced
    expect((await as.b1!.get(`/api/activities/${other.id}`)).statusCode).toBe(404);
    await bureauAdmin.post(`/api/activities/${other.id}/publish`);
    expect((await as.b1!.get(`/api/activities/${other.id}`)).json()).toMatchObject({ myState: 'invited', canManage: false });
    expect((await as.a1!.get(`/api/activities/${other.id}`)).statusCode).toBe(404);
  });
});

describe('notify, register and ask for leave', () => {
  it('puts an unread notice in every participant inbox, and refuses to announce twice', async () => {
    const unreadBefore = (await as.a2!.get('/api/activities/inbox')).json().unread;
    const activity = await publishedActivity({}, 600);
    const inbox = (await as.a2!.get('/api/activities/inbox')).json();
    expect(inbox.unread).toBe(unreadBefore + 1);
    expect(inbox.items.find((i: { activityId: string }) => i.activityId === activity.id)).toMatchObject({ isRead: false, myState: 'invited' });
    expect((await as.a2!.post(`/api/activities/${activity.id}/read`)).statusCode).toBe(200);
    expect((await as.a2!.get('/api/activities/inbox')).json().unread).toBe(unreadBefore);
    expect((await as.b1!.get('/api/activities/inbox')).json().items.some((i: { activityId: string }) => i.activityId === activity.id)).toBe(false);
    const again = await secretaryA.post(`/api/activities/${activity.id}/publish`);
    expect(again.statusCode).toBe(409);
  });

  it('refuses to announce an activity nobody is invited to', async () => {
    const created = (await secretaryA.post('/api/activities', { orgId: branchA.id, type: 'theme_day', title: '空活动', startsAt: minutes(100), endsAt: minutes(160) })).json();
    const res = await secretaryA.post(`/api/activities/${created.id}/publish`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toBe('尚未选择参加人员');
  });

  it('lets a member register, then ask for leave with a reason before the start', async () => {
    const activity = await publishedActivity({}, 600);
    expect((await as.a3!.post(`/api/activities/${activity.id}/register`)).json()).toEqual({ state: 'registered' });
    const leave = await as.a3!.post(`/api/activities/${activity.id}/leave`, { reason: '出差' });
    expect(leave.json()).toEqual({ state: 'leave' });
    expect((await participantRow(activity.id, m.a3!))!.state).toBe('leave');
    const noReason = await as.a1!.post(`/api/activities/${activity.id}/leave`, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields.reason).toBe('必填');
  });

  it('refuses leave once the activity has started', async () => {
    const activity = await publishedActivity({}, -5);
    const res = await as.a1!.post(`/api/activities/${activity.id}/leave`, { reason: '临时有事' });
    expect(res.statusCode).toBe(409);
    expect((await participantRow(activity.id, m.a1!))!.state).toBe('invited');
  });
});

describe('sign-in', () => {
  const currentToken = (id: string) => checkInToken(cipher, id, checkInWindowOf());

  it('signs in with the QR token shown on the organizer screen, once', async () => {
    const activity = await publishedActivity();
    const screen = (await secretaryA.get(`/api/activities/${activity.id}/check-in-code`)).json();
    expect(screen.windowSeconds).toBe(30);
    expect(screen.code).toMatch(/^\d{6}$/);
    const first = await as.a1!.post(`/api/activities/${activity.id}/check-in`, { token: screen.token });
    expect(first.statusCode).toBe(200);
    expect(first.json().state).toBe('present');
    const stamped = (await participantRow(activity.id, m.a1!))!.checked_in_at;
    const twice = await as.a1!.post(`/api/activities/${activity.id}/check-in`, { token: currentToken(activity.id) });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.message).toBe('您已签到，不能重复签到');
    expect((await participantRow(activity.id, m.a1!))!.checked_in_at).toEqual(stamped);
    const audited = await ctx.database.db.execute(sql`select 1 from audit_log where action = 'activity.check_in' and target_id = ${activity.id}`);
    expect(audited.rows).toHaveLength(1);
  });

  it('refuses a copied old QR code as expired, and a forged one as invalid', async () => {
    const activity = await publishedActivity();
    const old = checkInToken(cipher, activity.id, checkInWindowOf() - 2);
    const expired = await as.a2!.post(`/api/activities/${activity.id}/check-in`, { token: old });
    expect(expired.statusCode).toBe(400);
    expect(expired.json().error.fields.token).toBe('签到二维码已过期，请扫描屏幕上最新的二维码');
    const otherActivity = checkInToken(cipher, '999999', checkInWindowOf());
    const forged = await as.a2!.post(`/api/activities/${activity.id}/check-in`, { token: `${checkInWindowOf()}.${otherActivity.split('.')[1]}` });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.fields.token).toBe('签到二维码无效');
    expect(await participantRow(activity.id, m.a2!)).toMatchObject({ state: 'invited', checked_in_at: null });
  });

  it('tells a member who has signed in and opens an old QR link again that they are signed in, not that it expired', async () => {
    const activity = await publishedActivity();
    expect((await as.a2!.post(`/api/activities/${activity.id}/check-in`, { token: currentToken(activity.id) })).statusCode).toBe(200);
    const stamped = (await participantRow(activity.id, m.a2!))!.checked_in_at;
    const again = await as.a2!.post(`/api/activities/${activity.id}/check-in`, { token: checkInToken(cipher, activity.id, checkInWindowOf() - 2) });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe('您已签到，不能重复签到');
    expect((await participantRow(activity.id, m.a2!))!.checked_in_at).toEqual(stamped);
  });

  it('accepts the previous QR code only for a few seconds after it changes', () => {
    const window = 1_000_000;
    const token = checkInToken(cipher, '42', window);
    const nextWindowStarts = (window + 1) * 30_000;
    expect(verifyCheckInToken(cipher, '42', token, nextWindowStarts - 1)).toBe('ok');
    expect(verifyCheckInToken(cipher, '42', token, nextWindowStarts + 9_000)).toBe('ok');
    expect(verifyCheckInToken(cipher, '42', token, nextWindowStarts + 11_000)).toBe('expired');
    expect(verifyCheckInToken(cipher, '43', token, nextWindowStarts - 1)).toBe('invalid');
  });

  it('refuses a member who is not invited, and creates no row', async () => {
    const activity = await publishedActivity();
    const res = await as.b1!.post(`/api/activities/${activity.id}/check-in`, { token: currentToken(activity.id) });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toBe('您不在本次活动的参加人员名单中');
    expect(await participantRow(activity.id, m.b1!)).toBeNull();
  });

  it('refuses a sign-in before the window opens and after it closes', async () => {
    const tomorrow = await publishedActivity({}, 60 * 24);
    const early = await as.a1!.post(`/api/activities/${tomorrow.id}/check-in`, { token: currentToken(tomorrow.id) });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('activity.check_in_not_open');
    expect(early.json().error.message).toMatch(/^签到尚未开始（\d{4}-\d\d-\d\d \d\d:\d\d 开始）$/);
    const past = await secretaryA.post('/api/activities', { orgId: branchA.id, type: 'theme_day', title: '上午的活动', startsAt: minutes(-180), endsAt: minutes(-120), participants: { orgIds: [branchA.id] } });
    await secretaryA.post(`/api/activities/${past.json().id}/publish`);
    const late = await as.a1!.post(`/api/activities/${past.json().id}/check-in`, { token: currentToken(past.json().id) });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('activity.check_in_closed');
    expect(await participantRow(tomorrow.id, m.a1!)).toMatchObject({ state: 'invited', checked_in_at: null });
    expect(await participantRow(past.json().id, m.a1!)).toMatchObject({ state: 'invited', checked_in_at: null });
  });

  it('signs in with the 6-digit code, counts wrong codes and marks late arrivals', async () => {
    const activity = await publishedActivity({}, -10);
    const { code } = (await secretaryA.get(`/api/activities/${activity.id}/check-in-code`)).json();
    const wrong = await as.a3!.post(`/api/activities/${activity.id}/check-in`, { code: code === '000000' ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields.code).toBe('签到码不正确（还可尝试 4 次）');
    const ok = await as.a3!.post(`/api/activities/${activity.id}/check-in`, { code });
    expect(ok.json().state).toBe('late');
    const bad = await as.a2!.post(`/api/activities/${activity.id}/check-in`, { code: '12ab56' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.code).toBe('签到码应为 6 位数字');
    const both = await as.a2!.post(`/api/activities/${activity.id}/check-in`, {});
    expect(both.json().error.fields.token).toBe('请扫描二维码或输入签到码（二选一）');
  });

  it('refuses a user who is not a party member', async () => {
    const activity = await publishedActivity();
    const res = await secretaryA.post(`/api/activities/${activity.id}/check-in`, { token: currentToken(activity.id) });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('activity.not_a_member');
  });

  it('lets the organizer mark attendance, and only of participants', async () => {
    const activity = await publishedActivity();
    expect((await secretaryA.post(`/api/activities/${activity.id}/attendance`, { memberId: m.a4, state: 'present' })).json().state).toBe('present');
    expect(await participantRow(activity.id, m.a4!)).toMatchObject({ state: 'present' });
    const outsider = await secretaryA.post(`/api/activities/${activity.id}/attendance`, { memberId: m.b1, state: 'present' });
    expect(outsider.statusCode).toBe(400);
    expect(outsider.json().error.fields.memberId).toBe('该党员不在本次活动的参加人员名单中');
    expect((await as.a1!.post(`/api/activities/${activity.id}/attendance`, { memberId: m.a1, state: 'present' })).statusCode).toBe(404);
  });
});

describe('record, close, 四落实 and make-up study', () => {
  it('closes an activity: the absent get make-up tasks, the 四落实 are checked, incomplete ones are flagged', async () => {
    // ended ten minutes ago; sign-in was left open a little longer
    const activity = await publishedActivity({ checkInClosesAt: minutes(30) }, -70, 60);
    const token = checkInToken(cipher, activity.id, checkInWindowOf());
    await as.a1!.post(`/api/activities/${activity.id}/check-in`, { token });
    await as.a2!.post(`/api/activities/${activity.id}/check-in`, { token });
    await secretaryA.post(`/api/activities/${activity.id}/attendance`, { memberId: m.a4, state: 'leave', leaveReason: '病假' });
    const recorded = await secretaryA.post(`/api/activities/${activity.id}/record`, { minutes: '学习了党章第一章。', attachments: [{ kind: 'photo', name: '合影.jpg', url: '/files/1' }] });
    expect(recorded.json().fourEnsured).toMatchObject({ people: true, time: true, content: true, effect: false });
    const closed = await secretaryA.post(`/api/activities/${activity.id}/close`);
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', attendance: { late: 2, leave: 1, absent: 1, invited: 0, total: 4 } });
    // 2 attended of 3 expected (one on leave)
    expect(closed.json().fourEnsured.attendanceRate).toBeCloseTo(2 / 3, 4);
    const tasks = await ctx.database.db.execute<{ member_id: string; reason: string } & Record<string, unknown>>(sql`
      select member_id::text, reason from make_up_tasks where activity_id = ${activity.id} order by member_id`);
    expect(tasks.rows).toEqual([{ member_id: m.a3, reason: 'absent' }, { member_id: m.a4, reason: 'leave' }].sort((x, y) => Number(x.member_id) - Number(y.member_id)));
    // the two who attended earned the attendance points (rule activity_attend), the others nothing
    const points = await ctx.database.db.execute<{ member_id: string; points: number } & Record<string, unknown>>(sql`
      select member_id::text, points from points_ledger where rule = 'activity_attend' and source_id like ${activity.id + ':%'} order by member_id`);
    expect(points.rows).toEqual([{ member_id: m.a1, points: 3 }, { member_id: m.a2, points: 3 }].sort((x, y) => Number(x.member_id) - Number(y.member_id)));
    // ended without a summary: flagged until the effect is recorded
    const flagged = async () => ids((await secretaryA.get('/api/activities?incomplete=1&pageSize=200')).json().items).includes(activity.id);
    expect(await flagged()).toBe(true);
    await secretaryA.post(`/api/activities/${activity.id}/record`, { summary: '大家加深了对党章的理解。' });
    expect(await flagged()).toBe(false);
    expect((await secretaryA.post(`/api/activities/${activity.id}/close`)).statusCode).toBe(409);
  });

  it('refuses to close an activity that has not started', async () => {
    const activity = await publishedActivity({}, 600);
    const res = await secretaryA.post(`/api/activities/${activity.id}/close`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toBe('活动尚未开始，不能结束');
    expect(await countRows(ctx.database.db, 'make_up_tasks')).toBeGreaterThanOrEqual(0);
    expect((await secretaryA.get(`/api/activities/${activity.id}`)).json().status).toBe('published');
  });

  it('tracks make-up study until the member confirms it', async () => {
    const mine = (await as.a3!.get('/api/make-up-tasks?status=open')).json();
    expect(mine.total).toBeGreaterThanOrEqual(1);
    const task = mine.items[0];
    expect((await as.a1!.post(`/api/make-up-tasks/${task.id}/complete`, {})).statusCode).toBe(404);
    const done = await as.a3!.post(`/api/make-up-tasks/${task.id}/complete`, { note: '已阅读会议记录' });
    expect(done.statusCode).toBe(200);
    expect((await as.a3!.post(`/api/make-up-tasks/${task.id}/complete`, {})).statusCode).toBe(409);
    const tracked = (await secretaryA.get(`/api/make-up-tasks?orgId=${branchA.id}&activityId=${task.activityId}`)).json().items;
    expect(tracked.find((t: { id: string }) => t.id === task.id)).toMatchObject({ status: 'done', note: '已阅读会议记录' });
    expect((await as.b1!.get(`/api/make-up-tasks?orgId=${branchA.id}`)).json().total).toBe(0);
  });
});

describe('open classes', () => {
  it('is open to every member of the organizing org subtree, who may register and walk in', async () => {
    const created = await bureauAdmin.post('/api/activities', { orgId: bureau.id, type: 'open_lesson', title: '开放式党课：财政与民生', startsAt: minutes(-5), endsAt: minutes(60), isPublic: true });
    const id = created.json().id;
    const publicList = async () => (await ctx.app.inject({ method: 'GET', url: '/api/public/open-lessons' })).json().items.map((i: { id: string }) => i.id);
    expect(await publicList()).not.toContain(id);
    expect((await bureauAdmin.post(`/api/activities/${id}/publish`)).statusCode).toBe(200);
    expect(await publicList()).toContain(id);
    expect((await as.b1!.get(`/api/activities/${id}`)).statusCode).toBe(200);
    expect((await as.o1!.get(`/api/activities/${id}`)).statusCode).toBe(404);
    const walkIn = await as.b1!.post(`/api/activities/${id}/check-in`, { token: checkInToken(cipher, id, checkInWindowOf()) });
    expect(walkIn.json().state).toBe('late');
    expect((await as.o1!.post(`/api/activities/${id}/check-in`, { token: checkInToken(cipher, id, checkInWindowOf()) })).statusCode).toBe(403);
    expect(await participantRow(id, m.o1!)).toBeNull();
  });

  it('lets a member of the tree register for an upcoming open class', async () => {
    const created = (await bureauAdmin.post('/api/activities', { orgId: bureau.id, type: 'open_lesson', title: '开放式党课：预算法', startsAt: minutes(600), endsAt: minutes(660) })).json();
    await bureauAdmin.post(`/api/activities/${created.id}/publish`);
    expect((await as.g1!.post(`/api/activities/${created.id}/register`)).json()).toEqual({ state: 'registered' });
    expect((await as.g1!.get(`/api/activities/${created.id}`)).json().myState).toBe('registered');
    expect((await as.o1!.post(`/api/activities/${created.id}/register`)).statusCode).toBe(404);
    expect(await participantRow(created.id, m.o1!)).toBeNull();
  });
});

describe('三带来三带走', () => {
  it('collects what members bring before and take away after, listed and exported', async () => {
    const activity = await publishedActivity({ asksBringAndTake: true }, 600);
    expect((await as.a1!.post(`/api/activities/${activity.id}/bring`, { idea: '建立学习打卡群', opinion: '会议可以更短', volunteerProposal: '社区义诊' })).statusCode).toBe(200);
    const empty = await as.a2!.post(`/api/activities/${activity.id}/bring`, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields.idea).toBe('请至少填写一项');
    const early = await as.a1!.post(`/api/activities/${activity.id}/take-away`, { takeaway: '收获很多' });
    expect(early.statusCode).toBe(409);
    await ctx.database.db.execute(sql`update activities set starts_at = now() - interval '1 hour', ends_at = now() - interval '1 minute' where id = ${activity.id}`);
    expect((await as.a1!.post(`/api/activities/${activity.id}/take-away`, { takeaway: '更理解预算工作的意义' })).statusCode).toBe(200);
    const list = (await secretaryA.get(`/api/activities/${activity.id}/contributions`)).json().items;
    expect(list).toEqual([expect.objectContaining({ name: '张伟', idea: '建立学习打卡群', volunteerProposal: '社区义诊', takeaway: '更理解预算工作的意义' })]);
    const file = await secretaryA.get(`/api/activities/${activity.id}/contributions.xlsx`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('三带来三带走')!;
    expect(sheet.getRow(2).getCell(1).value).toBe('张伟');
    expect(sheet.getRow(2).getCell(5).value).toBe('更理解预算工作的意义');
    expect((await as.a1!.get(`/api/activities/${activity.id}/contributions`)).statusCode).toBe(404);
  });
});

describe('三会一课 compliance', () => {
  async function heldOn(org: OrgFixture, type: string, day: string) {
    const res = await admin.post('/api/activities', { orgId: org.id, type, title: type, startsAt: `${day}T06:00:00Z`, endsAt: `${day}T08:00:00Z`, participants: { orgIds: [org.id] } });
    expect(res.statusCode).toBe(201);
    expect((await admin.post(`/api/activities/${res.json().id}/publish`)).statusCode).toBe(200);
  }

  it('reports per branch and group what is done, due soon and overdue', async () => {
    await heldOn(branchA, 'branch_general_meeting', '2030-04-10');
    await heldOn(branchA, 'branch_committee_meeting', '2030-04-15');
    await heldOn(groupA, 'group_meeting', '2030-05-05');
    await heldOn(branchA, 'party_lesson', '2030-07-01'); // after the report day: not yet held
    const res = await bureauAdmin.get(`/api/activities/compliance?orgId=${bureau.id}&asOf=2030-05-25`);
    expect(res.statusCode).toBe(200);
    const report = res.json();
    const status = (org: OrgFixture, type: string) => report.items.find((i: { orgId: string; type: string }) => i.orgId === org.id && i.type === type);
    expect(status(branchA, 'branch_general_meeting')).toMatchObject({ status: 'done', periodStart: '2030-04-01', periodEnd: '2030-06-30', heldThisPeriod: 1 });
    expect(status(branchA, 'branch_committee_meeting')).toMatchObject({ status: 'due_soon', periodStart: '2030-05-01', heldLastPeriod: 1 });
    expect(status(branchA, 'party_lesson')).toMatchObject({ status: 'overdue', heldThisPeriod: 0, heldLastPeriod: 0 });
    expect(status(groupA, 'group_meeting')).toMatchObject({ status: 'done' });
    expect(status(groupA, 'party_lesson')).toBeUndefined();
    expect(status(branchB, 'branch_committee_meeting')).toMatchObject({ status: 'overdue' });
    expect(report.summary).toEqual({ done: 2, pending: 0, dueSoon: 1, overdue: 4, units: { total: 3, allHeld: 1, noneDueYet: 0, dueSoon: 0, overdue: 2 } });
    expect((await bureauAdmin.get(`/api/activities/compliance?orgId=${bureau.id}&asOf=2030-05-25&status=overdue`)).json().items).toHaveLength(4);
  });

  it('pages the report with what needs attention first, the summary always over the whole subtree', async () => {
    const url = (q: string) => `/api/activities/compliance?orgId=${bureau.id}&asOf=2030-05-25&${q}`;
    const all = (await bureauAdmin.get(url('pageSize=200'))).json();
    const rank = { overdue: 0, due_soon: 1, pending: 2, done: 3 } as const;
    const ranks = all.items.map((i: { status: keyof typeof rank }) => rank[i.status]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(all.total).toBe(all.items.length);
    const pages = [];
    for (let page = 1; page <= Math.ceil(all.total / 3); page++) {
      const res = (await bureauAdmin.get(url(`pageSize=3&page=${page}`))).json();
      expect(res).toMatchObject({ total: all.total, page, pageSize: 3, summary: all.summary });
      pages.push(...res.items);
    }
    expect(pages).toEqual(all.items);
    const overdue = (await bureauAdmin.get(url('status=overdue&pageSize=2&page=2'))).json();
    expect(overdue).toMatchObject({ total: all.summary.overdue, summary: all.summary });
    expect(overdue.items.every((i: { status: string }) => i.status === 'overdue')).toBe(true);
    const bad = await bureauAdmin.get(url('pageSize=500'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty('pageSize');
  });

  it('places activities in periods by China Standard Time, up to the last minute of the report day', async () => {
    const at = async (org: OrgFixture, type: string, startsAt: string) => {
      const res = await admin.post('/api/activities', { orgId: org.id, type, title: type, startsAt, endsAt: new Date(Date.parse(startsAt) + 3600_000).toISOString(), participants: { orgIds: [org.id] } });
      expect(res.statusCode).toBe(201);
      expect((await admin.post(`/api/activities/${res.json().id}/publish`)).statusCode).toBe(200);
    };
    await at(branchB, 'branch_general_meeting', '2031-03-31T15:30:00Z'); // 2031-03-31 23:30 in Beijing: the first quarter
    await at(branchB, 'party_lesson', '2031-03-31T16:30:00Z'); // 2031-04-01 00:30 in Beijing: the second quarter
    await at(branchB, 'branch_committee_meeting', '2031-05-25T15:30:00Z'); // 23:30 on the report day: held
    await at(branchB, 'branch_committee_meeting', '2031-05-25T16:30:00Z'); // 00:30 the next day: not yet
    const report = (await bureauAdmin.get(`/api/activities/compliance?orgId=${branchB.id}&asOf=2031-05-25`)).json();
    const item = (type: string) => report.items.find((i: { orgId: string; type: string }) => i.orgId === branchB.id && i.type === type);
    expect(item('branch_general_meeting')).toMatchObject({ heldThisPeriod: 0, heldLastPeriod: 1, status: 'pending', lastHeldAt: '2031-03-31T15:30:00.000Z' });
    expect(item('party_lesson')).toMatchObject({ heldThisPeriod: 1, heldLastPeriod: 0, status: 'done' });
    expect(item('branch_committee_meeting')).toMatchObject({ heldThisPeriod: 1, status: 'done', lastHeldAt: '2031-05-25T15:30:00.000Z' });
  });

  it('follows the rules set for the tree, the nearest org winning', async () => {
    const set = await bureauAdmin.post(`/api/activities/compliance-rules/${bureau.id}`, { rules: [{ type: 'branch_committee_meeting', periodMonths: 3 }] });
    expect(set.statusCode).toBe(200);
    expect((await secretaryA.get(`/api/activities/compliance-rules/${branchA.id}`)).json().rules).toContainEqual({ type: 'branch_committee_meeting', periodMonths: 3, source: 'inherited' });
    const report = (await secretaryA.get(`/api/activities/compliance?orgId=${branchA.id}&asOf=2030-05-25`)).json();
    expect(report.items.find((i: { type: string; orgId: string }) => i.orgId === branchA.id && i.type === 'branch_committee_meeting')).toMatchObject({ status: 'done', periodMonths: 3 });
    const bad = await bureauAdmin.post(`/api/activities/compliance-rules/${bureau.id}`, { rules: [{ type: 'branch_committee_meeting', periodMonths: 5 }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty('rules.0.periodMonths');
    expect((await secretaryA.post(`/api/activities/compliance-rules/${bureau.id}`, { rules: [{ type: 'party_lesson', periodMonths: 1 }] })).statusCode).toBe(404);
    expect((await secretaryA.get(`/api/activities/compliance?orgId=${bureau.id}`)).statusCode).toBe(404);
  });
});

describe('political birthdays', () => {
  it('lists members whose political birthday is this month and invites them in one step', async () => {
    const month = todayInChina().slice(0, 7);
    const birthday = (await makeMember(ctx.database.db, branchB, { name: '吴敏', joinedOn: `2001-${month.slice(5)}-01` })).id;
    const list = (await bureauAdmin.get(`/api/activities/party-birthdays?orgId=${bureau.id}&month=${month}`)).json().items;
    expect(list).toEqual([expect.objectContaining({ memberId: birthday, name: '吴敏', years: Number(month.slice(0, 4)) - 2001 })]);
    const created = await bureauAdmin.post('/api/activities/party-birthdays', { orgId: branchB.id, month, startsAt: minutes(600), endsAt: minutes(660) });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ type: 'party_birthday', attendance: { total: 1 } });
    expect((await bureauAdmin.get(`/api/activities/party-birthdays?orgId=${bureau.id}&month=2026-13`)).json().error.fields.month).toBe('月份格式应为 YYYY-MM');
  });
});

describe('calendar and iCalendar feed', () => {
  it('shows a member their activities and serves a personal feed at a secret URL', async () => {
    const activity = await publishedActivity({ title: '日历测试, 含逗号; 与分号', place: '三楼会议室' }, 60 * 24 * 3);
    const from = minutes(60 * 24 * 2), to = minutes(60 * 24 * 5);
    const cal = (await as.a1!.get(`/api/calendar?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).json();
    expect(cal.items.map((i: { id: string }) => i.id)).toContain(activity.id);
    expect((await as.o1!.get(`/api/calendar?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).json().items.map((i: { id: string }) => i.id)).not.toContain(activity.id);
    const bad = await as.a1!.get(`/api/calendar?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`);
    expect(bad.statusCode).toBe(400);
    expect((await as.a1!.get('/api/calendar/feed')).json()).toEqual({ exists: false, issuedAt: null });
    const { url } = (await as.a1!.post('/api/calendar/feed')).json();
    // only whether a feed exists can be read back, never its secret address
    const status = await as.a1!.get('/api/calendar/feed');
    expect(status.json()).toMatchObject({ exists: true, issuedAt: expect.any(String) });
    expect(status.body).not.toContain(url.split('/').pop().replace('.ics', ''));
    expect((await as.a2!.get('/api/calendar/feed')).json().exists).toBe(false);
    const feed = await ctx.app.inject({ method: 'GET', url });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('text/calendar');
    expect(feed.body).toContain(`UID:activity-${activity.id}@dangjian-cloud`);
    expect(feed.body.replace(/\r\n /g, '')).toContain('SUMMARY:【主题党日】日历测试\\, 含逗号\\; 与分号');
    expect(feed.body.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    // a new URL revokes the old one
    await as.a1!.post('/api/calendar/feed');
    expect((await ctx.app.inject({ method: 'GET', url })).statusCode).toBe(404);
  });
});
