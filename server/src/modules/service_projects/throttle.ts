import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';

/** Anonymous submissions allowed per address in a window (citizens' feedback, wish posts). */
export const PUBLIC_LIMITS = {
  'service_project.feedback': { max: 5, windowMinutes: 60 },
  'micro_wish.post': { max: 3, windowMinutes: 60 },
  'pledge.rate': { max: 10, windowMinutes: 60 },
  'public_notice.objection': { max: 5, windowMinutes: 60 },
} as const;
export type PublicAction = keyof typeof PUBLIC_LIMITS;

/**
 * Counts the address's submissions in the window (like login_failures) and answers 429 with the
 * wait until the oldest counted one ages out; otherwise records this submission. Called inside
 * the write's transaction so a refused write records nothing.
 */
export async function throttlePublicSubmission(q: Queryable, ip: string, action: PublicAction): Promise<void> {
  const { max, windowMinutes } = PUBLIC_LIMITS[action];
  const window = `${windowMinutes} minutes`;
  const row = (await q.execute<{ n: number; retry: number | null } & Record<string, unknown>>(sql`
    select count(*)::int as n,
           extract(epoch from (select at from public_submissions where ip = ${ip} and action = ${action} and at > now() - ${window}::interval
                                order by at desc offset ${max - 1} limit 1) + ${window}::interval - now())::int as retry
      from public_submissions where ip = ${ip} and action = ${action} and at > now() - ${window}::interval`)).rows[0];
  if (row && Number(row.n) >= max) {
    const seconds = Math.max(1, Number(row.retry ?? 60));
    throw new AppError(429, 'public.too_many_submissions', { seconds }, undefined, { 'retry-after': String(seconds) });
  }
  await q.execute(sql`insert into public_submissions (ip, action) values (${ip}, ${action})`);
}
