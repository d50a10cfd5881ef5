import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../../../contracts/china-time.js';
import { countRows, login, makeMember, makeOrg, makeUser, startTestApp, type Client, type TestContext } from '../../../test/harness.js';

/** A venue's statistics count the activities held there, by type, with or without a booking. */
let ctx: TestContext;
let centreAdmin: Client, secretary: Client, otherAdmin: Client;
let venueId: string, otherVenueId: string, bookingId: string, branchId: string;
const held: Record<string, string> = {};

const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();
const day = (n: number) => chinaDate(Date.now() + n * 86_400_000);

async function activity(fields: Record<string, unknown>, options: { publish?: boolean; cancel?: boolean; startsIn?: number } = {}): Promise<string> {
  const startsIn = options.startsIn ?? -120;
  // planned and published ahead, as a branch does; then the clock reaches its start
  const res = await secretary.post('/api/activities', { orgId: branchId, type: 'theme_day', title: '主题党日', startsAt: minutes(30), endsAt: minutes(90), participants: { orgIds: [branchId] }, ...fields });
  expect(res.statusCode, res.body).toBe(201);
  const id = (res.json() as { id: string }).id;
  if (options.publish ?? true) expect((await secretary.post(`/api/activities/${id}/publish`)).statusCode).toBe(200);
  if (options.cancel) expect((await secretary.post(`/api/activities/${id}/cancel`, { reason: '天气原因' })).statusCode).toBe(200);
  await ctx.database.db.execute(sql`update activities set starts_at = ${minutes(startsIn)}::timestamptz, ends_at = ${minutes(startsIn + 60)}::timestamptz,
    check_in_opens_at = ${minutes(startsIn - 30)}::timestamptz, check_in_closes_at = ${minutes(startsIn + 60)}::timestamptz where id = ${id}`);
  return id;
}

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  const root = await makeOrg(db, null, { name: '市直机关工委' });
  const centreOrg = await makeOrg(db, root, { name: '党性教育基地党支部' });
  const bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  const branch = await makeOrg(db, bureau, { name: '预算处党支部' });
  branchId = branch.id;
  await makeMember(db, branch);
  const otherBureau = await makeOrg(db, root, { name: '市教育局机关党委', type: 'organ_committee' });
  centreAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: centreOrg }]));
  secretary = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branch }]));
  otherAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: otherBureau }]));
  venueId = (await centreAdmin.post('/api/venues', { orgId: centreOrg.id, name: '市党性锤炼中心', kind: 'tempering_centre', opensAt: '08:00', closesAt: '20:00' })).json().id;
  const hallId = (await centreAdmin.post(`/api/venues/${venueId}/halls`, { name: '宣誓厅', capacity: 100 })).json().halls[0].id;
  otherVenueId = (await otherAdmin.post('/api/venues', { orgId: otherBureau.id, name: '教育局党群服务中心', kind: 'service_centre' })).json().id;
  const booking = await secretary.post('/api/venue-bookings', {
    venueId, hallIds: [hallId], date: day(7), startTime: '09:00', endTime: '11:30', expectedHeadcount: 20, purpose: 'oath_ceremony',
    unitName: '市财政局预算处党支部', contactName: '刘敏', contactPhone: '0571-88001234',
  });
  expect(booking.statusCode, booking.body).toBe(201);
  bookingId = booking.json().id;

  // two activities on one booking, one at the venue without a booking
  held.themeOnBooking = await activity({ venueBookingId: bookingId });
  held.oathOnBooking = await activity({ type: 'oath_ceremony', title: '新党员入党宣誓', venueBookingId: bookingId });
  held.birthday = await activity({ type: 'party_birthday', title: '政治生日', venueId });
  // these did not happen there (yet)
  await activity({ venueId }, { cancel: true });
  await activity({ venueId }, { publish: false });
  await activity({ venueId }, { startsIn: 24 * 60 });
  await activity({ venueId: otherVenueId });
});
afterAll(async () => ctx?.close());

describe('activities held at a venue', () => {
  it('records the venue of an activity held under a booking', async () => {
    const res = await secretary.get(`/api/activities/${held.themeOnBooking}`);
    expect(res.json()).toMatchObject({ venueId, venueBookingId: bookingId });
  });

  it('counts them by type: with or without a booking, several on one booking, not cancelled, draft, future or elsewhere', async () => {
    const res = await centreAdmin.get(`/api/venues/statistics?venueId=${venueId}&from=${day(-1)}&to=${day(1)}`);
    expect(res.statusCode, res.body).toBe(200);
    const stats = res.json() as { activities: number; byActivityType: { type: string; activities: number }[] };
    expect(stats.activities).toBe(3);
    expect(stats.byActivityType).toEqual([
      { type: 'oath_ceremony', activities: 1 },
      { type: 'party_birthday', activities: 1 },
      { type: 'theme_day', activities: 1 },
    ]);
  });

  it('opens the very activities each figure counts', async () => {
    const stats = (await centreAdmin.get(`/api/venues/statistics?venueId=${venueId}&from=${day(-1)}&to=${day(1)}`)).json() as { activities: number; byActivityType: { type: string; activities: number }[] };
    const all = (await centreAdmin.get(`/api/venues/statistics/activities?venueId=${venueId}&from=${day(-1)}&to=${day(1)}`)).json() as { total: number; items: { id: string; venueBookingId: string | null }[] };
    expect(all.total).toBe(stats.activities);
    expect(all.items.map((a) => a.id).sort()).toEqual(Object.values(held).sort());
    for (const figure of stats.byActivityType) {
      const list = (await centreAdmin.get(`/api/venues/statistics/activities?venueId=${venueId}&from=${day(-1)}&to=${day(1)}&type=${figure.type}`)).json() as { total: number; items: unknown[] };
      expect(list.total).toBe(figure.activities);
      expect(list.items).toHaveLength(figure.activities);
    }
  });

  it('counts nothing outside the period', async () => {
    const stats = (await centreAdmin.get(`/api/venues/statistics?venueId=${venueId}&from=${day(-30)}&to=${day(-2)}`)).json() as { activities: number };
    expect(stats.activities).toBe(0);
  });

  it('answers 404 to an administrator who does not run the venue, and 400 for a bad type', async () => {
    expect((await otherAdmin.get(`/api/venues/statistics/activities?venueId=${venueId}&from=${day(-1)}&to=${day(1)}`)).statusCode).toBe(404);
    expect((await otherAdmin.get(`/api/venues/statistics?venueId=${venueId}&from=${day(-1)}&to=${day(1)}`)).statusCode).toBe(404);
    expect((await otherAdmin.get(`/api/venues/statistics.xlsx?venueId=${venueId}&from=${day(-1)}&to=${day(1)}`)).statusCode).toBe(404);
    const other = (await otherAdmin.get(`/api/venues/statistics?from=${day(-1)}&to=${day(1)}`)).json() as { byActivityType: { type: string; activities: number }[] };
    expect(other.byActivityType).toEqual([{ type: 'theme_day', activities: 1 }]);
    const bad = await centreAdmin.get(`/api/venues/statistics/activities?from=${day(-1)}&to=${day(1)}&type=party`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty('type');
  });

  it('refuses a venue other than the booked one, naming venueId, and creates nothing', async () => {
    const before = await countRows(ctx.database.db, 'activities');
    const res = await secretary.post('/api/activities', { orgId: branchId, type: 'theme_day', title: '错配', startsAt: minutes(60), endsAt: minutes(120), venueBookingId: bookingId, venueId: otherVenueId });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toHaveProperty('venueId');
    const unknown = await secretary.post('/api/activities', { orgId: branchId, type: 'theme_day', title: '未知阵地', startsAt: minutes(60), endsAt: minutes(120), venueId: '999999' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields.venueId).toContain('阵地');
    expect(await countRows(ctx.database.db, 'activities')).toBe(before);
  });

  it('keeps the booked venue when a plan with a booking is edited: another venue is refused, clearing keeps it', async () => {
    const id = await activity({ venueBookingId: bookingId }, { publish: false });
    const other = await secretary.patch(`/api/activities/${id}`, { venueId: otherVenueId });
    expect(other.statusCode).toBe(400);
    expect(other.json().error.fields).toHaveProperty('venueId');
    expect((await secretary.patch(`/api/activities/${id}`, { venueId: null })).json()).toMatchObject({ venueId, venueBookingId: bookingId });
    const plain = await activity({}, { publish: false });
    expect((await secretary.patch(`/api/activities/${plain}`, { venueId })).json()).toMatchObject({ venueId, venueBookingId: null });
    expect((await secretary.patch(`/api/activities/${plain}`, { venueId: null })).json()).toMatchObject({ venueId: null });
  });
});
