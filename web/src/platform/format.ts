import dayjs, { type Dayjs } from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Times are shown in China time whatever the browser's zone (the records are kept for Chinese orgs). */
export function formatTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).tz('Asia/Shanghai').format('YYYY-MM-DD HH:mm') : '—';
}

export function toDay(value: string | null | undefined): Dayjs | null {
  return value ? dayjs(value) : null;
}

export function isoDay(value: Dayjs | null | undefined): string | null {
  return value ? value.format('YYYY-MM-DD') : null;
}

export function todayInChina(): Dayjs {
  return dayjs(dayjs().tz('Asia/Shanghai').format('YYYY-MM-DD'));
}
