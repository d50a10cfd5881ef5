import dayjs, { type Dayjs } from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import { CHINA_TIME_ZONE, chinaDate } from '../../../contracts/china-time.js';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Times are shown in China time whatever the browser's zone (the records are kept for Chinese orgs). */
export function formatTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).tz(CHINA_TIME_ZONE).format('YYYY-MM-DD HH:mm') : '—';
}

export function toDay(value: string | null | undefined): Dayjs | null {
  return value ? dayjs(value) : null;
}

export function isoDay(value: Dayjs | null | undefined): string | null {
  return value ? value.format('YYYY-MM-DD') : null;
}

/** Today in Beijing, as the date pickers hold a day. */
export function todayInChina(): Dayjs {
  return dayjs(chinaDate(Date.now()));
}
