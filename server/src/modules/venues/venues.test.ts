import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { chinaDate } from '../../../../contracts/china-time.js';

let ctx: TestContext;
let root: OrgFixture, centreOrg: OrgFixture, branchA: OrgFixture, otherBureau: OrgFixture;
let admin: Client, centreAdmin: Client, secretaryA: Client, visitor: Client, otherAdmin: Client;
let venueId: string, otherVenueId: string;
const hall: Record<string, string> = {};

/** A day `n` days from today in China Standard Time. */
const day = (n: number) => chinaDate(Date.now() + n * 86_400_000);

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  centreOrg = await makeOrg(db, root, { name: '党性教育基地党支部' });
  const bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branchA = await makeOrg(db, bureau, { name: '预算处党支部' });
  otherBureau = await makeOrg(db, root, { name: '市教育局机关党委', type: 'organ_committee' });
  admin = await login(ctx.app, await makeUser(db, [{ role: 'platform_admin' }]));
  centreAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: centreOrg }]));
  secretaryA = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchA }]));
  visitor = await login(ctx.app, await makeUser(db, [{ role: 'member' }]));
  otherAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: otherBureau }]));

  const venue = await centreAdmin.post('/api/venues', { orgId: centreOrg.id, name: '市党性锤炼中心', kind: 'tempering_centre', address: '人民路 1 号', opensAt: '08:30', closesAt: '17:30' });
  expect(venue.statusCode).toBe(201);
  venueId = venue.json().id;
  for (const [key, body] of [
    ['prelude', { name: '序厅', capacity: 50 }],
    ['main', { name: '主展厅', capacity: 30 }],
    ['oath', { name: '宣誓厅', capacity: 100, opensAt: '13:00', closesAt: '17:00' }],
  ] as const) {
    const res = await centreAdmin.post(`/api/venues/${venueId}/halls`, body);
    expect(res.statusCode).toBe(201);
    hall[key] = res.json().halls.find((h: { name: string }) => h.name === body.name).id;
  }
  const other = await otherAdmin.post('/api/venues', { orgId: otherBureau.id, name: '教育局党群服务中心', kind: 'service_centre' });
  otherVenueId = other.json().id;
  hall.elsewhere = (await otherAdmin.post(`/api/venues/${otherVenueId}/halls`, { name: '活动室', capacity: 20 })).json().halls[0].id;
});
afterAll(async () => ctx?.close());

const booking = (patch: Record<string, unknown> = {}) => ({
  venueId, hallIds: [hall.prelude], date: day(7), startTime: '09:00', endTime: '10:30', expectedHeadcount: 20, purpose: 'visit',
  unitName: '市审计局机关党委', contactName: '刘敏', contactPhone: '0571-88001234', ...patch,
});

async function unchanged<T>(action: () => Promise<T>): Promise<T> {
  const tables = ['venue_bookings', 'venue_booking_halls', 'audit_log'];
  const before = await Promise.all(tables.map((t) => countRows(ctx.database.db, t)));
  const result = await action();
  expect(await Promise.all(tables.map((t) => countRows(ctx.database.db, t)))).toEqual(before);
  return result;
}

describe('venues and halls', () => {
  it('lists a venue with its halls to every signed-in user, editable only by its org', async () => {
    const list = (await visitor.get('/api/venues')).json().items;
    const venue = list.find((v: { id: string }) => v.id === venueId);
    expect(venue).toMatchObject({ name: '市党性锤炼中心', opensAt: '08:30', closesAt: '17:30', canManage: false });
    expect(venue.halls.map((h: { name: string; capacity: number }) => [h.name, h.capacity])).toEqual([['序厅', 50], ['主展厅', 30], ['宣誓厅', 100]]);
    expect((await secretaryA.patch(`/api/venues/${venueId}`, { name: '改名' })).statusCode).toBe(404);
    expect((await centreAdmin.patch(`/api/venues/${venueId}`, { description: '市直机关党员教育基地' })).json().description).toBe('市直机关党员教育基地');
  });

  it.each([
    ['closing before opening', { opensAt: '18:00', closesAt: '09:00' }, 'closesAt', '关闭时间必须晚于开放时间'],
    ['a bad time', { opensAt: '8点' }, 'opensAt', '时间格式应为 HH:MM'],
    ['an org outside the scope', { orgId: '999999' }, 'orgId', '党组织不存在或不在您的管理范围内'],
    ['an unknown kind', { kind: 'museum' }, 'kind', '必须是以下之一'],
  ])('refuses a venue with %s', async (_case, patch, field, message) => {
    const before = await countRows(ctx.database.db, 'venues');
    const res = await centreAdmin.post('/api/venues', { orgId: centreOrg.id, name: '新阵地', kind: 'other', ...patch });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect(await countRows(ctx.database.db, 'venues')).toBe(before);
  });

  it('refuses a hall open outside the venue hours', async () => {
    const res = await centreAdmin.post(`/api/venues/${venueId}/halls`, { name: '夜间厅', capacity: 10, opensAt: '18:00', closesAt: '21:00' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.opensAt).toBe('展厅开放时间须在阵地开放时间（08:30–17:30）之内');
  });
});

describe('booking a batch', () => {
  it('books halls for a slot, pending until the venue decides', async () => {
    const res = await visitor.post('/api/venue-bookings', booking({ hallIds: [hall.prelude, hall.main], startTime: '09:00', endTime: '10:00' }));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'pending', venueName: '市党性锤炼中心', unitName: '市审计局机关党委', canDecide: false });
    expect(res.json().startsAt).toBe(`${day(7)}T01:00:00.000Z`);
    expect(res.json().halls.map((h: { name: string }) => h.name)).toEqual(['序厅', '主展厅']);
  });

  it('refuses an overlapping booking of the same hall with the reason, and books the next slot', async () => {
    const res = await unchanged(() => visitor.post('/api/venue-bookings', booking({ hallIds: [hall.main], startTime: '09:30', endTime: '11:00' })));
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'booking.overlap', message: '“主展厅”在 09:00–10:00 已被预约，请另选时段' });
    const adjacent = await visitor.post('/api/venue-bookings', booking({ hallIds: [hall.main], startTime: '10:00', endTime: '11:00' }));
    expect(adjacent.statusCode).toBe(201);
  });

  it('books a contested slot once when two units ask at the same moment', async () => {
    const results = await Promise.all([visitor, secretaryA].map((c) => c.post('/api/venue-bookings', booking({ hallIds: [hall.main], date: day(11), startTime: '14:00', endTime: '15:00' }))));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const held = await ctx.database.db.execute(sql`select 1 from venue_booking_halls where hall_id = ${hall.main} and is_holding and starts_at = ${`${day(11)}T06:00:00Z`}::timestamptz`);
    expect(held.rows).toHaveLength(1);
  });

  it('refuses more people than a hall holds', async () => {
    const res = await unchanged(() => visitor.post('/api/venue-bookings', booking({ hallIds: [hall.prelude, hall.main], date: day(8), expectedHeadcount: 45 })));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.expectedHeadcount).toBe('预计人数超过“主展厅”的容量（30 人）');
  });

  it.each([
    ['an end before the start', { startTime: '11:00', endTime: '10:00' }, 'endTime', '结束时间必须晚于开始时间'],
    ['a slot outside the hall hours', { hallIds: ['$oath'], startTime: '10:00', endTime: '11:00' }, 'startTime', '“宣誓厅”的开放时间为 13:00–17:00'],
    ['a slot after the venue closes', { startTime: '17:00', endTime: '18:00' }, 'endTime', '“序厅”的开放时间为 08:30–17:30'],
    ['a hall of another venue', { hallIds: ['$elsewhere'] }, 'hallIds', '所选展厅/功能区不属于该阵地或已停用'],
    ['a day in the past', { date: day(-1) }, 'date', '不能预约已过去的时间'],
    ['no hall', { hallIds: [] }, 'hallIds', '不能为空'],
    ['no unit', { unitName: undefined }, 'unitName', '请填写来访单位'],
    ['a unit org not administered', { unitName: undefined, unitOrgId: '$branchA' }, 'unitOrgId', '来访单位须为您管理的党组织'],
    ['zero people', { expectedHeadcount: 0 }, 'expectedHeadcount', '不能小于 1'],
    ['an unknown purpose', { purpose: 'party' }, 'purpose', '必须是以下之一'],
  ])('answers 400 for %s and books nothing', async (_case, patch, field, message) => {
    // fixtures exist only once beforeAll has run: '$name' stands for a hall or org id
    const resolve = (v: string) => (v === '$branchA' ? branchA.id : v.startsWith('$') ? hall[v.slice(1)]! : v);
    const resolved = Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, Array.isArray(v) ? v.map(resolve) : typeof v === 'string' ? resolve(v) : v]));
    const res = await unchanged(() => visitor.post('/api/venue-bookings', booking({ date: day(9), ...resolved })));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
  });

  it('lets the venue confirm or decline; a declined booking frees its slot', async () => {
    const first = (await secretaryA.post('/api/venue-bookings', booking({ hallIds: [hall.oath], date: day(10), startTime: '14:00', endTime: '15:00', unitName: undefined, unitOrgId: branchA.id, purpose: 'oath_ceremony' }))).json();
    expect(first.unitName).toBe('预算处党支部');
    expect((await secretaryA.post(`/api/venue-bookings/${first.id}/confirm`, {})).statusCode).toBe(404);
    expect((await visitor.get(`/api/venue-bookings/${first.id}`)).statusCode).toBe(404);
    const declined = await centreAdmin.post(`/api/venue-bookings/${first.id}/decline`, { note: '当日闭馆维护' });
    expect(declined.json()).toMatchObject({ status: 'declined', decisionNote: '当日闭馆维护', canDecide: true });
    expect((await centreAdmin.post(`/api/venue-bookings/${first.id}/confirm`, {})).statusCode).toBe(409);
    const second = await visitor.post('/api/venue-bookings', booking({ hallIds: [hall.oath], date: day(10), startTime: '14:00', endTime: '15:00' }));
    expect(second.statusCode).toBe(201);
    expect((await centreAdmin.post(`/api/venue-bookings/${second.json().id}/confirm`, { note: '请提前 10 分钟到达' })).json().status).toBe('confirmed');
    const early = await centreAdmin.post(`/api/venue-bookings/${second.json().id}/visit`, { actualHeadcount: 18 });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toBe('参观日期未到，不能登记实到人数');
    expect((await centreAdmin.post(`/api/venue-bookings/${first.id}/decline`, {})).json().error.fields.note).toBe('必填');
  });

  it('lists bookings to the venue staff and each requester their own', async () => {
    const staff = (await centreAdmin.get(`/api/venue-bookings?venueId=${venueId}&pageSize=200`)).json();
    const mine = (await visitor.get('/api/venue-bookings?pageSize=200')).json();
    expect(staff.total).toBeGreaterThan(mine.total);
    expect(mine.items.every((b: { unitName: string }) => b.unitName === '市审计局机关党委')).toBe(true);
    expect((await otherAdmin.get(`/api/venue-bookings?venueId=${venueId}`)).json().total).toBe(0);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/venue-bookings' })).statusCode).toBe(401);
  });
});

describe('bookings in activities and the calendar', () => {
  it('lets an activity take place in the planner\'s own booking, not in someone else\'s', async () => {
    const own = (await secretaryA.post('/api/venue-bookings', booking({ hallIds: [hall.prelude], date: day(12), startTime: '09:00', endTime: '10:00', purpose: 'org_life' }))).json();
    const other = (await visitor.post('/api/venue-bookings', booking({ hallIds: [hall.main], date: day(12), startTime: '09:00', endTime: '10:00' }))).json();
    const plan = (venueBookingId: string) => secretaryA.post('/api/activities', {
      orgId: branchA.id, type: 'theme_day', title: '基地里的主题党日', startsAt: own.startsAt, endsAt: own.endsAt, venueBookingId,
    });
    const ok = await plan(own.id);
    expect(ok.statusCode).toBe(201);
    expect(ok.json().venueBookingId).toBe(own.id);
    const refused = await plan(other.id);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields.venueBookingId).toBe('阵地预约不存在、未确认或无权使用');
  });

  it('shows the venue staff its bookings in the calendar, and a requester their own', async () => {
    const from = encodeURIComponent(`${day(12)}T00:00:00+08:00`), to = encodeURIComponent(`${day(13)}T00:00:00+08:00`);
    const staff = (await centreAdmin.get(`/api/calendar?from=${from}&to=${to}`)).json().items.filter((i: { kind: string }) => i.kind === 'booking');
    const mine = (await visitor.get(`/api/calendar?from=${from}&to=${to}`)).json().items.filter((i: { kind: string }) => i.kind === 'booking');
    expect(staff).toHaveLength(2);
    expect(mine).toHaveLength(1);
    expect(mine[0].title).toBe('市审计局机关党委·市党性锤炼中心');
  });
});

describe('statistics', () => {
  /** Books through the API, then moves the booking into the past (as if the days had gone by) and records the visit. */
  async function visited(daysAgo: number, patch: Record<string, unknown>, actual: number | null, decide: 'confirm' | 'decline' = 'confirm') {
    const created = await secretaryA.post('/api/venue-bookings', booking({ date: day(30), ...patch }));
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect((await centreAdmin.post(`/api/venue-bookings/${id}/${decide}`, { note: '已处理' })).statusCode).toBe(200);
    const shift = `${30 + daysAgo} days`;
    await ctx.database.db.execute(sql`update venue_bookings set visit_date = visit_date - ${shift}::interval, starts_at = starts_at - ${shift}::interval, ends_at = ends_at - ${shift}::interval where id = ${id}`);
    await ctx.database.db.execute(sql`update venue_booking_halls set starts_at = starts_at - ${shift}::interval, ends_at = ends_at - ${shift}::interval where booking_id = ${id}`);
    if (actual !== null) expect((await centreAdmin.post(`/api/venue-bookings/${id}/visit`, { actualHeadcount: actual })).json().status).toBe('visited');
    return id;
  }

  it('counts units, batches, person-times, purposes and halls exactly', async () => {
    await visited(3, { hallIds: [hall.prelude, hall.main], unitName: undefined, unitOrgId: branchA.id, purpose: 'visit', startTime: '09:00', endTime: '10:00' }, 25);
    await visited(3, { hallIds: [hall.oath], unitName: '市税务局机关党委', purpose: 'oath_ceremony', startTime: '14:00', endTime: '15:00' }, 40);
    // the same unit written in traditional characters and with a space counts once
    await visited(2, { hallIds: [hall.prelude], unitName: '市税务局 機關黨委', purpose: 'lecture', startTime: '10:00', endTime: '11:00' }, 10);
    await visited(2, { hallIds: [hall.main], unitName: '市统计局机关党委', purpose: 'visit', startTime: '13:00', endTime: '14:00' }, null); // confirmed, never visited
    await visited(2, { hallIds: [hall.main], unitName: '市统计局机关党委', purpose: 'seminar', startTime: '14:00', endTime: '15:00' }, null, 'decline');
    await visited(60, { hallIds: [hall.prelude], unitName: '市商务局机关党委', purpose: 'visit', startTime: '09:00', endTime: '10:00' }, 33); // before the period
    const from = day(-10), to = day(0);
    const res = await centreAdmin.get(`/api/venues/statistics?venueId=${venueId}&from=${from}&to=${to}`);
    expect(res.statusCode).toBe(200);
    const stats = res.json();
    expect(stats).toMatchObject({ units: 2, batches: 3, personTimes: 75 });
    expect(stats.byPurpose).toEqual([
      { purpose: 'lecture', batches: 1, personTimes: 10 },
      { purpose: 'oath_ceremony', batches: 1, personTimes: 40 },
      { purpose: 'visit', batches: 1, personTimes: 25 },
    ]);
    expect(stats.byHall.map((h: { hallName: string; batches: number; personTimes: number }) => [h.hallName, h.batches, h.personTimes]))
      .toEqual([['序厅', 2, 35], ['主展厅', 1, 25], ['宣誓厅', 1, 40]]);
    expect(stats.byMonth.reduce((n: number, m: { personTimes: number }) => n + m.personTimes, 0)).toBe(75);
    // the wider period takes in the visit of 60 days ago
    expect((await centreAdmin.get(`/api/venues/statistics?from=${day(-90)}&to=${to}`)).json()).toMatchObject({ units: 3, batches: 4, personTimes: 108 });

    const file = await centreAdmin.get(`/api/venues/statistics.xlsx?venueId=${venueId}&from=${from}&to=${to}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const overview = workbook.getWorksheet('概览')!;
    expect([2, 3, 4, 5].map((r) => overview.getRow(r).getCell(2).value)).toEqual([`${from} 至 ${to}`, 2, 3, 75]);
    expect(workbook.getWorksheet('接待明细')!.rowCount).toBe(4);
  });

  it('answers 404 for a venue outside the scope and 400 for a reversed period', async () => {
    expect((await otherAdmin.get(`/api/venues/statistics?venueId=${venueId}&from=${day(-10)}&to=${day(0)}`)).statusCode).toBe(404);
    expect((await otherAdmin.get(`/api/venues/statistics?from=${day(-10)}&to=${day(0)}`)).json()).toMatchObject({ units: 0, batches: 0, personTimes: 0 });
    const reversed = await centreAdmin.get(`/api/venues/statistics?from=${day(0)}&to=${day(-10)}`);
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.fields.to).toBe('结束日期不能早于开始日期');
  });
});

describe('service stations', () => {
  it('keeps a register that every member can browse and search', async () => {
    const created = await centreAdmin.post('/api/service-stations', {
      orgId: centreOrg.id, name: '人民路党群服务站', address: '人民路 8 号', longitude: 120.155, latitude: 30.274, hours: '周一至周五 9:00–17:00', contactName: '陈静', contactPhone: '0571-88001111',
    });
    expect(created.statusCode).toBe(201);
    const found = (await visitor.get(`/api/service-stations?q=${encodeURIComponent('人民路')}`)).json().items;
    expect(found).toEqual([expect.objectContaining({ name: '人民路党群服务站', longitude: 120.155, latitude: 30.274, canManage: false })]);
    expect((await visitor.patch(`/api/service-stations/${created.json().id}`, { hours: '全天' })).statusCode).toBe(404);
    expect((await centreAdmin.patch(`/api/service-stations/${created.json().id}`, { isActive: false })).json().isActive).toBe(false);
    expect((await visitor.get(`/api/service-stations/${created.json().id}`)).statusCode).toBe(404);
  });

  it('refuses coordinates without their pair', async () => {
    const before = await countRows(ctx.database.db, 'service_stations');
    const res = await admin.post('/api/service-stations', { orgId: centreOrg.id, name: '半个坐标站', address: '某路', longitude: 120.1 });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.latitude).toBe('经度和纬度须同时填写');
    expect(await countRows(ctx.database.db, 'service_stations')).toBe(before);
  });
});
