import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeMember, makeOrg, makeUser, startTestApp, testKey, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { createCipher } from '../../platform/personal-data.js';
import { checkInToken, checkInWindowOf } from './check-in.js';
import { CHECK_IN_WINDOW_SECONDS } from '../../../../contracts/activities.js';

/** Sign-ins made on a phone without a connection and delivered when it comes back (check-in.ts, "Offline"). */

let ctx: TestContext;
let branch: OrgFixture;
let secretary: Client;
const m: Record<string, string> = {};
const as: Record<string, Client> = {};
const cipher = createCipher(testKey);

const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  const root = await makeOrg(db, null, { name: '市直机关工委' });
  branch = await makeOrg(db, root, { name: '档案处党支部' });
  const other = await makeOrg(db, root, { name: '信访处党支部' });
  for (const [key, org] of [['a1', branch], ['a2', branch], ['a3', branch], ['a4', branch], ['a5', branch], ['o1', other]] as const) {
    m[key] = (await makeMember(db, org, { name: `党员${key}`, joinedOn: '2012-07-01' })).id;
    as[key] = await login(ctx.app, await makeUser(db, [{ role: 'member' }], { memberId: m[key] }));
  }
  secretary = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branch }]));
});
afterAll(async () => ctx?.close());

/** A published meeting of the branch, everyone invited; times in minutes from now. */
async function meeting(startsIn: number, lasts: number, window?: { opensIn: number; closesIn: number }) {
  const created = await secretary.post('/api/activities', {
    orgId: branch.id, type: 'theme_day', title: '主题党日：学习新修订的条例', startsAt: minutes(startsIn), endsAt: minutes(startsIn + lasts),
    participants: { orgIds: [branch.id] },
    ...(window ? { checkInOpensAt: minutes(window.opensIn), checkInClosesAt: minutes(window.closesIn) } : {}),
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  expect((await secretary.post(`/api/activities/${id}/publish`)).statusCode).toBe(200);
  const code = (await secretary.get(`/api/activities/${id}/check-in-code`)).json().code as string;
  return { id, code };
}

async function participant(activityId: string, memberId: string) {
  return (await ctx.database.db.execute<{ state: string; checked_in_at: Date | null; check_in_method: string | null; code_failures: number } & Record<string, unknown>>(sql`
    select state, checked_in_at, check_in_method, code_failures from activity_participants where activity_id = ${activityId} and member_id = ${memberId}`)).rows[0];
}

async function checkInAudits(activityId: string) {
  return (await ctx.database.db.execute<{ detail: Record<string, unknown> } & Record<string, unknown>>(sql`
    select detail from audit_log where action = 'activity.check_in' and target_id = ${activityId} order by id`)).rows.map((r) => r.detail);
}

const wrongCodeFor = (code: string) => (code === '000000' ? '111111' : '000000');

describe('a sign-in made offline and delivered later', () => {
  it('is accepted with the code when it was made inside the window, recorded at the time it was made', async () => {
    const { id, code } = await meeting(-90, 60, { opensIn: -100, closesIn: -20 });
    const madeAt = minutes(-95); // before the start: on time, though it arrives over an hour later
    const res = await as.a1!.post(`/api/activities/${id}/check-in`, { code, madeAt });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ state: 'present', checkedInAt: madeAt, deliveredOffline: true });
    const row = await participant(id, m.a1!);
    expect(row).toMatchObject({ state: 'present', check_in_method: 'code' });
    expect(new Date(row!.checked_in_at!).toISOString()).toBe(madeAt);
    expect(await checkInAudits(id)).toEqual([expect.objectContaining({ memberId: m.a1, method: 'code', offline: true, madeAt })]);
  });

  it('counts one made after the start as late', async () => {
    const { id, code } = await meeting(-90, 60, { opensIn: -100, closesIn: -20 });
    const res = await as.a2!.post(`/api/activities/${id}/check-in`, { code, madeAt: minutes(-60) });
    expect(res.statusCode).toBe(200);
    expect(res.json().state).toBe('late');
  });

  it('accepts a scanned QR token made in its 30-second slot, and places the time inside that slot', async () => {
    const { id } = await meeting(-30, 90);
    const window = checkInWindowOf() - 20; // scanned ten minutes ago
    const slotStart = window * CHECK_IN_WINDOW_SECONDS * 1000;
    const token = checkInToken(cipher, id, window);
    const res = await as.a3!.post(`/api/activities/${id}/check-in`, { token, madeAt: new Date(slotStart + 5_000).toISOString() });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ state: 'late', checkedInAt: new Date(slotStart + 5_000).toISOString(), deliveredOffline: true });
    expect((await participant(id, m.a3!))!.check_in_method).toBe('qr');

    // a phone clock a minute fast is believed only as far as the signed slot
    const a4 = await as.a4!.post(`/api/activities/${id}/check-in`, { token, madeAt: new Date(slotStart + 90_000).toISOString() });
    expect(a4.statusCode).toBe(200);
    expect(a4.json().checkedInAt).toBe(new Date(slotStart + 40_000).toISOString());
  });

  it('refuses a QR token whose slot does not match the recorded time, and one not signed for this activity', async () => {
    const { id } = await meeting(-30, 90);
    const window = checkInWindowOf() - 20;
    const token = checkInToken(cipher, id, window);
    const madeLater = await as.a5!.post(`/api/activities/${id}/check-in`, { token, madeAt: minutes(-1) });
    expect(madeLater.statusCode).toBe(400);
    expect(madeLater.json().error.fields.madeAt).toBe('签到时间与所扫二维码的时段不符，请检查手机时间');
    const forged = await as.a5!.post(`/api/activities/${id}/check-in`, { token: `${window}.${checkInToken(cipher, '999999', window).split('.')[1]}`, madeAt: minutes(-10) });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.fields.token).toBe('签到二维码无效');
    expect(await participant(id, m.a5!)).toMatchObject({ state: 'invited', checked_in_at: null });
    expect(await checkInAudits(id)).toEqual([]);
  });

  it('refuses a recorded time outside the sign-in window, naming madeAt, and changes nothing', async () => {
    const { id, code } = await meeting(-90, 60, { opensIn: -100, closesIn: -20 });
    for (const madeAt of [minutes(-110), minutes(-10)]) {
      const res = await as.a1!.post(`/api/activities/${id}/check-in`, { code, madeAt });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields.madeAt).toMatch(/^签到时间不在签到时段内（\d{4}-\d\d-\d\d \d\d:\d\d – \d{4}-\d\d-\d\d \d\d:\d\d）$/);
    }
    expect(await participant(id, m.a1!)).toMatchObject({ state: 'invited', checked_in_at: null, code_failures: 0 });
    expect(await checkInAudits(id)).toEqual([]);
  });

  it('refuses a recorded time in the future', async () => {
    const { id, code } = await meeting(-10, 120, { opensIn: -20, closesIn: 100 });
    const res = await as.a1!.post(`/api/activities/${id}/check-in`, { code, madeAt: minutes(30) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.madeAt).toBe('签到时间晚于当前时间，请检查手机时间');
    expect(await participant(id, m.a1!)).toMatchObject({ checked_in_at: null });
  });

  it('refuses a wrong code, naming the code, and counts it like an online attempt', async () => {
    const { id, code } = await meeting(-90, 60, { opensIn: -100, closesIn: -20 });
    const res = await as.a2!.post(`/api/activities/${id}/check-in`, { code: wrongCodeFor(code), madeAt: minutes(-95) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.code).toBe('签到码不正确（还可尝试 4 次）');
    expect(await participant(id, m.a2!)).toMatchObject({ state: 'invited', checked_in_at: null, code_failures: 1 });
  });

  it('refuses a sign-in delivered more than 24 hours after the window closed', async () => {
    const { id, code } = await meeting(-60 * 30, 60, { opensIn: -60 * 30 - 10, closesIn: -60 * 25 });
    const res = await as.a1!.post(`/api/activities/${id}/check-in`, { code, madeAt: minutes(-60 * 30 + 5) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.madeAt).toBe('离线签到须在签到截止后 24 小时内联网提交，已超时，请联系组织者标记');
    expect(await participant(id, m.a1!)).toMatchObject({ state: 'invited', checked_in_at: null });

    // 23 hours after the close is still in time
    const recent = await meeting(-60 * 25, 60, { opensIn: -60 * 25 - 10, closesIn: -60 * 23 });
    const ok = await as.a1!.post(`/api/activities/${recent.id}/check-in`, { code: recent.code, madeAt: minutes(-60 * 25 + 5) });
    expect(ok.statusCode).toBe(200);
  });

  it('answers a second delivery of the same sign-in with the first result and records it once', async () => {
    const { id, code } = await meeting(-90, 60, { opensIn: -100, closesIn: -20 });
    const madeAt = minutes(-92);
    const first = await as.a4!.post(`/api/activities/${id}/check-in`, { code, madeAt });
    const again = await as.a4!.post(`/api/activities/${id}/check-in`, { code, madeAt });
    const concurrent = await Promise.all([as.a5!.post(`/api/activities/${id}/check-in`, { code, madeAt }), as.a5!.post(`/api/activities/${id}/check-in`, { code, madeAt })]);
    expect(first.statusCode).toBe(200);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(concurrent.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(concurrent[1]!.json()).toEqual(concurrent[0]!.json());
    expect((await checkInAudits(id)).map((d) => d.memberId).sort()).toEqual([m.a4, m.a5].sort());
  });

  it('is refused once the record is closed (absentees and points are settled then)', async () => {
    const { id, code } = await meeting(-90, 60, { opensIn: -100, closesIn: -20 });
    expect((await secretary.post(`/api/activities/${id}/record`, { minutes: '会议学习了条例全文。' })).statusCode).toBeLessThan(300);
    expect((await secretary.post(`/api/activities/${id}/close`)).statusCode).toBe(200);
    const res = await as.a3!.post(`/api/activities/${id}/check-in`, { code, madeAt: minutes(-95) });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('activity.check_in_closed');
    expect(await participant(id, m.a3!)).toMatchObject({ state: 'absent', checked_in_at: null });
  });

  it('refuses a member who was not invited, and an activity outside the member\'s reach', async () => {
    const { id, code } = await meeting(-90, 60, { opensIn: -100, closesIn: -20 });
    const res = await as.o1!.post(`/api/activities/${id}/check-in`, { code, madeAt: minutes(-95) });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('activity.not_invited');
    const missing = await as.a1!.post('/api/activities/987654321/check-in', { code, madeAt: minutes(-95) });
    expect(missing.statusCode).toBe(404);
  });

  it('refuses a malformed recorded time, naming madeAt', async () => {
    const { id, code } = await meeting(-90, 60, { opensIn: -100, closesIn: -20 });
    const res = await as.a1!.post(`/api/activities/${id}/check-in`, { code, madeAt: '昨天下午' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.madeAt).toBeTruthy();
  });
});
