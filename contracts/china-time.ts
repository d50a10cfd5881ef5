/**
 * Days and clock times as they are in Beijing, whatever the zone of the server or the browser: the
 * records are kept for Chinese orgs. China keeps one zone, UTC+8, without daylight saving (since
 * 1991), so its calendar is UTC's moved eight hours on. Pure, so the server, the web and the data
 * generators count days alike (the database counts them in the same zone: platform/db.ts).
 */
export const CHINA_TIME_ZONE = 'Asia/Shanghai';
export const CHINA_UTC_OFFSET_MS = 8 * 3600_000;

/** An instant as a Date, an ISO string or epoch milliseconds. */
type Instant = Date | string | number;

/** What a clock on a wall in Beijing reads at an instant: 'YYYY-MM-DDTHH:mm:ss.sss', without a zone. */
export function chinaWallClock(at: Instant): string {
  return new Date(new Date(at).getTime() + CHINA_UTC_OFFSET_MS).toISOString().slice(0, 23);
}

/** The calendar day in Beijing at an instant, 'YYYY-MM-DD'. */
export function chinaDate(at: Instant): string {
  return chinaWallClock(at).slice(0, 10);
}

/** Today in Beijing, 'YYYY-MM-DD'. */
export function todayInChina(now: Instant = Date.now()): string {
  return chinaDate(now);
}

/** 'YYYY-MM-DD HH:mm' in Beijing at an instant, for messages and pickers. */
export function chinaDateTime(at: Instant): string {
  return chinaWallClock(at).slice(0, 16).replace('T', ' ');
}

/** 'HH:mm' in Beijing at an instant. */
export function chinaTimeOfDay(at: Instant): string {
  return chinaWallClock(at).slice(11, 16);
}

/** The instant a Beijing calendar day ('YYYY-MM-DD') reaches a time of day ('HH:mm'). */
export function chinaInstant(date: string, time: string): Date {
  return new Date(`${date}T${time}:00+08:00`);
}

/** The first instant of a Beijing calendar day ('YYYY-MM-DD'). */
export function startOfChinaDay(date: string): Date {
  return chinaInstant(date, '00:00');
}
