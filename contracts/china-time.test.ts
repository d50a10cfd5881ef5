import { describe, expect, it } from 'vitest';
import { chinaDate, chinaDateTime, chinaInstant, chinaTimeOfDay, chinaWallClock, startOfChinaDay, todayInChina } from './china-time.js';

describe('Beijing days and clock times', () => {
  it('turns the day at midnight Beijing time, not at midnight UTC', () => {
    // 16:30 UTC is half past midnight in Beijing, the next calendar day there
    expect(chinaDate('2026-11-23T15:59:59.999Z')).toBe('2026-11-23');
    expect(chinaDate('2026-11-23T16:00:00Z')).toBe('2026-11-24');
    expect(chinaDate(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01');
    expect(todayInChina(Date.parse('2026-02-28T16:30:00Z'))).toBe('2026-03-01');
  });

  it('reads the clock in Beijing whatever the instant is given as', () => {
    const at = '2026-11-23T06:30:05.250Z';
    expect(chinaWallClock(at)).toBe('2026-11-23T14:30:05.250');
    expect(chinaWallClock(Date.parse(at))).toBe('2026-11-23T14:30:05.250');
    expect(chinaDateTime(new Date(at))).toBe('2026-11-23 14:30');
    expect(chinaTimeOfDay(at)).toBe('14:30');
  });

  it('places a Beijing day and time of day on the time line', () => {
    expect(chinaInstant('2026-11-24', '09:15').toISOString()).toBe('2026-11-24T01:15:00.000Z');
    expect(startOfChinaDay('2026-11-24').toISOString()).toBe('2026-11-23T16:00:00.000Z');
    expect(chinaDate(startOfChinaDay('2026-11-24'))).toBe('2026-11-24');
  });
});
