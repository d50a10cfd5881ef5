import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { sql, type SQL } from 'drizzle-orm';
import type { ActivityType } from '../../../../contracts/activities.js';
import type { BookingPurpose, StatisticsQuery, VenueActivitiesQuery, VenueActivityPage, VenueStatistics } from '../../../../contracts/venues.js';
import { chinaDayStartsAt } from '../../platform/china-time.js';
import { pageLimit } from '../../platform/sql.js';
import { translate } from '../../platform/i18n.js';
import type { Actor } from '../../platform/actor.js';
import type { Db } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { notFound } from '../../platform/errors.js';
import { PURPOSE_NAMES } from './messages.js';
import { canManageVenue, managedVenues } from './policy.js';
import { safeRow } from '../../platform/spreadsheet-cells.js';

/**
 * Visits of the venues the actor runs, in a date range: only bookings whose visit was recorded
 * ('visited') count, with their actual headcount. Each figure is one GROUP BY.
 */
function scopeOf(actor: Actor, query: StatisticsQuery): SQL {
  return sql`b.status = 'visited' and b.visit_date between ${query.from}::date and ${query.to}::date
    and ${managedVenues(actor)} ${query.venueId ? sql`and b.venue_id = ${query.venueId}` : sql``}`;
}

/**
 * Activities held at the venues the actor runs in a date range (Beijing days): published or closed
 * ones that have started — a cancelled or draft plan did not happen. Held with or without a booking;
 * several on one booking each count. The figures and the list they open share this condition.
 */
function heldActivities(actor: Actor, query: { venueId?: string; from: string; to: string; type?: ActivityType }): SQL {
  return sql`a.venue_id is not null and a.status in ('published', 'closed') and a.starts_at <= now()
    and a.starts_at >= ${chinaDayStartsAt(sql`${query.from}::date`)} and a.starts_at < ${chinaDayStartsAt(sql`${query.to}::date + 1`)}
    and ${managedVenues(actor)} ${query.venueId ? sql`and a.venue_id = ${query.venueId}` : sql``} ${query.type ? sql`and a.type = ${query.type}` : sql``}`;
}
const heldFrom = sql`activities a join venues v on v.id = a.venue_id`;

async function assertVenueManaged(db: Db, actor: Actor, venueId: string | undefined) {
  if (!venueId) return;
  const row = (await db.execute<{ org_path: string } & Record<string, unknown>>(sql`select org_path::text from venues where id = ${venueId}`)).rows[0];
  if (!row || !canManageVenue(actor, { orgPath: row.org_path })) throw notFound('venue.not_found');
}

type N = number | string;

export async function venueStatistics(db: Db, actor: Actor, query: StatisticsQuery): Promise<VenueStatistics> {
  await assertVenueManaged(db, actor, query.venueId);
  const where = scopeOf(actor, query);
  const from = sql`venue_bookings b join venues v on v.id = b.venue_id`;
  const [totals, byPurpose, byHall, byMonth, byActivityType] = await Promise.all([
    db.execute<{ units: N; batches: N; person_times: N } & Record<string, unknown>>(sql`
      select count(distinct b.unit_key) as units, count(*) as batches, coalesce(sum(b.actual_headcount), 0) as person_times from ${from} where ${where}`),
    db.execute<{ purpose: BookingPurpose; batches: N; person_times: N } & Record<string, unknown>>(sql`
      select b.purpose, count(*) as batches, coalesce(sum(b.actual_headcount), 0) as person_times from ${from} where ${where}
       group by b.purpose order by count(*) desc, b.purpose`),
    db.execute<{ hall_id: string; hall_name: string; venue_name: string; batches: N; person_times: N } & Record<string, unknown>>(sql`
      select h.id::text as hall_id, h.name as hall_name, v.name as venue_name, count(*) as batches, coalesce(sum(b.actual_headcount), 0) as person_times
        from ${from} join venue_booking_halls bh on bh.booking_id = b.id join venue_halls h on h.id = bh.hall_id
       where ${where} group by h.id, h.name, v.name order by v.name, h.id`),
    db.execute<{ month: string; batches: N; person_times: N } & Record<string, unknown>>(sql`
      select to_char(b.visit_date, 'YYYY-MM') as month, count(*) as batches, coalesce(sum(b.actual_headcount), 0) as person_times
        from ${from} where ${where} group by 1 order by 1`),
    db.execute<{ type: ActivityType; activities: N } & Record<string, unknown>>(sql`
      select a.type, count(*) as activities from ${heldFrom} where ${heldActivities(actor, query)} group by a.type order by count(*) desc, a.type`),
  ]);
  const t = totals.rows[0];
  return {
    from: query.from,
    to: query.to,
    venueId: query.venueId ?? null,
    units: Number(t?.units ?? 0),
    batches: Number(t?.batches ?? 0),
    personTimes: Number(t?.person_times ?? 0),
    byPurpose: byPurpose.rows.map((r) => ({ purpose: r.purpose, batches: Number(r.batches), personTimes: Number(r.person_times) })),
    byHall: byHall.rows.map((r) => ({ hallId: r.hall_id, hallName: r.hall_name, venueName: r.venue_name, batches: Number(r.batches), personTimes: Number(r.person_times) })),
    byMonth: byMonth.rows.map((r) => ({ month: r.month, batches: Number(r.batches), personTimes: Number(r.person_times) })),
    activities: byActivityType.rows.reduce((sum, r) => sum + Number(r.activities), 0),
    byActivityType: byActivityType.rows.map((r) => ({ type: r.type, activities: Number(r.activities) })),
  };
}

/** The activities a figure of venueStatistics counts (all types, or one), newest first. */
export async function listVenueActivities(db: Db, actor: Actor, query: VenueActivitiesQuery): Promise<VenueActivityPage> {
  await assertVenueManaged(db, actor, query.venueId);
  const where = heldActivities(actor, query);
  const [rows, total] = await Promise.all([
    db.execute<{ id: string; type: ActivityType; title: string; starts_at: Date | string; org_name: string; venue_name: string; venue_booking_id: string | null } & Record<string, unknown>>(sql`
      select a.id::text, a.type, a.title, a.starts_at, o.name as org_name, v.name as venue_name, a.venue_booking_id::text
        from ${heldFrom} join orgs o on o.id = a.org_id where ${where} order by a.starts_at desc, a.id desc ${pageLimit(query)}`),
    db.execute<{ n: N } & Record<string, unknown>>(sql`select count(*) as n from ${heldFrom} where ${where}`),
  ]);
  return {
    items: rows.rows.map((r) => ({ id: r.id, type: r.type, title: r.title, startsAt: new Date(r.starts_at).toISOString(), orgName: r.org_name,
      venueName: r.venue_name, venueBookingId: r.venue_booking_id })),
    total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize,
  };
}

/** The same figures and the list of visits as an .xlsx workbook, streamed. */
export async function exportVenueStatistics(db: Db, actor: Actor, query: StatisticsQuery): Promise<{ stream: PassThrough; filename: string }> {
  const stats = await venueStatistics(db, actor, query);
  const visits = await db.execute<{
    visit_date: string; venue_name: string; unit_name: string; purpose: string; expected_headcount: number; actual_headcount: number; halls: string;
  } & Record<string, unknown>>(sql`
    select b.visit_date::text, v.name as venue_name, b.unit_name, b.purpose, b.expected_headcount, b.actual_headcount,
           (select string_agg(h.name, '、' order by h.sort_order, h.id) from venue_booking_halls bh join venue_halls h on h.id = bh.hall_id where bh.booking_id = b.id) as halls
      from venue_bookings b join venues v on v.id = b.venue_id where ${scopeOf(actor, query)} order by b.starts_at, b.id`);
  await db.transaction(async (tx) => {
    await audit(tx, actor, { action: 'venue.export_statistics', targetType: 'venue', targetId: query.venueId ?? null, detail: { ...query, rows: visits.rows.length } });
  });
  const stream = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false });
  const overview = workbook.addWorksheet('概览');
  overview.columns = [{ header: '指标', key: 'k', width: 20 }, { header: '数值', key: 'v', width: 16 }];
  for (const [k, v] of [['统计期间', `${stats.from} 至 ${stats.to}`], ['来访单位数', stats.units], ['接待批次', stats.batches], ['参观人次', stats.personTimes]] as const) {
    overview.addRow({ k, v }).commit();
  }
  overview.commit();
  const purposes = workbook.addWorksheet('按用途');
  purposes.columns = [{ header: '用途', key: 'purpose', width: 16 }, { header: '批次', key: 'batches', width: 10 }, { header: '人次', key: 'personTimes', width: 10 }];
  for (const r of stats.byPurpose) purposes.addRow(safeRow({ ...r, purpose: PURPOSE_NAMES[r.purpose] ?? r.purpose })).commit();
  purposes.commit();
  const halls = workbook.addWorksheet('按展厅');
  halls.columns = [{ header: '阵地', key: 'venueName', width: 24 }, { header: '展厅/功能区', key: 'hallName', width: 20 },
    { header: '批次', key: 'batches', width: 10 }, { header: '人次', key: 'personTimes', width: 10 }];
  for (const r of stats.byHall) halls.addRow(safeRow({ ...r })).commit();
  halls.commit();
  const activityTypes = workbook.addWorksheet('按活动类型');
  activityTypes.columns = [{ header: '活动类型', key: 'type', width: 20 }, { header: '活动次数', key: 'activities', width: 10 }];
  for (const r of stats.byActivityType) activityTypes.addRow({ type: translate(`activity_type.${r.type}`, 'zh-Hans'), activities: r.activities }).commit();
  activityTypes.commit();
  const list = workbook.addWorksheet('接待明细');
  list.columns = [{ header: '日期', key: 'visit_date', width: 12 }, { header: '阵地', key: 'venue_name', width: 24 }, { header: '来访单位', key: 'unit_name', width: 28 },
    { header: '用途', key: 'purpose', width: 12 }, { header: '展厅/功能区', key: 'halls', width: 28 }, { header: '预计人数', key: 'expected_headcount', width: 10 },
    { header: '实到人数', key: 'actual_headcount', width: 10 }];
  for (const r of visits.rows) list.addRow(safeRow({ ...r, purpose: PURPOSE_NAMES[r.purpose] ?? r.purpose })).commit();
  list.commit();
  void workbook.commit();
  return { stream, filename: `阵地接待统计-${stats.from}-${stats.to}.xlsx` };
}
