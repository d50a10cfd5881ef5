import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestContext } from '../../test/harness.js';
import { isEmbedded, SITE_TIME_ZONE } from './db.js';
import { todayInChina } from '../../../contracts/china-time.js';

let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => { await ctx?.close(); });

describe('the database counts days in China', () => {
  it('runs every connection in Asia/Shanghai', async () => {
    expect(SITE_TIME_ZONE).toBe('Asia/Shanghai');
    // several at once, so that a pool opens more than one connection
    const zones = await Promise.all(Array.from({ length: 8 }, () =>
      ctx.database.db.execute<{ zone: string }>(sql`select current_setting('TimeZone') as zone, pg_sleep(0.02)`)));
    expect(zones.map((r) => r.rows[0]!.zone)).toEqual(Array(8).fill('Asia/Shanghai'));
  });

  it('turns the day at midnight Beijing time, not at 08:00', async () => {
    // 16:30 UTC is half past midnight in Beijing: the next calendar day there
    const row = (await ctx.database.db.execute<{ day: string; week: string; at: Date | string }>(sql`
      select ('2026-11-23T16:30:00Z'::timestamptz)::date::text as day,
             date_trunc('week', '2026-11-29T16:30:00Z'::timestamptz)::date::text as week,
             '2026-11-23T16:30:00Z'::timestamptz as at`)).rows[0]!;
    expect(row.day).toBe('2026-11-24');
    expect(row.week).toBe('2026-11-30');
    // instants are unchanged by the zone: they come back as the same moment
    expect(new Date(row.at).toISOString()).toBe('2026-11-23T16:30:00.000Z');
  });

  it('has current_date equal to today in China', async () => {
    const before = todayInChina();
    const today = (await ctx.database.db.execute<{ today: string }>(sql`select current_date::text as today`)).rows[0]!.today;
    const after = todayInChina();
    expect([before, after]).toContain(today);
  });
});

describe('the embedded database is told by its handle', () => {
  it('knows PGlite by the handle and by a transaction on it (the demo seed calls services with its transaction), PostgreSQL by neither', async () => {
    const embedded = ctx.database.kind === 'pglite';
    expect(isEmbedded(ctx.database.db)).toBe(embedded);
    await ctx.database.db.transaction(async (tx) => {
      expect(isEmbedded(tx)).toBe(embedded);
      await tx.transaction(async (nested) => { expect(isEmbedded(nested)).toBe(embedded); });
    });
  });
});
