import { sql, type SQL } from 'drizzle-orm';
import { CHINA_TIME_ZONE } from '../../../contracts/china-time.js';

/*
 * Beijing days in SQL, written out rather than left to the connection's zone (platform/db.ts sets it
 * to the same one) so a query reads the same wherever it runs. The pure helpers for JavaScript values
 * are in contracts/china-time.ts, shared with the web.
 */
const zone = sql.raw(`'${CHINA_TIME_ZONE}'`);

/** The Beijing calendar day of a timestamptz expression, as a date. */
export function chinaDateOf(instant: SQL): SQL {
  return sql`(${instant} at time zone ${zone})::date`;
}

/** The first instant of a Beijing calendar day (a date expression), as a timestamptz. */
export function chinaDayStartsAt(day: SQL): SQL {
  return sql`(${day})::timestamp at time zone ${zone}`;
}
