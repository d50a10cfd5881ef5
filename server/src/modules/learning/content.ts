// What the kinds of published content (courses, articles, study plans, and the members' clock-ins and shares) share.
import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import type { Queryable } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import { loadMemberContext, type MemberContext } from '../points/member-context.js';
import { canPublish } from './policy.js';

export type N = number | string;
export type Time = Date | string;
export type PageArgs = { page: number; pageSize: number };
export const iso = (v: Time | null) => (v == null ? null : new Date(v).toISOString());

/** The viewer's member record (for "addressed to me" and progress), or null for an account without one. */
export const viewerOf = async (db: Queryable, actor: Actor): Promise<MemberContext | null> => (actor.memberId ? loadMemberContext(db, actor.memberId) : null);

export type Change = [column: string, value: unknown];
export const present = (changes: [string, unknown][]): Change[] => changes.filter(([, v]) => v !== undefined);
export const setList = (changes: Change[]): SQL => sql.join(changes.map(([column, value]) => sql`${sql.identifier(column)} = ${value}`), sql`, `);
export const ms = (v: Date | string | null) => (v == null ? null : new Date(v).getTime());

/**
 * Corrections of published content by the admins of the publishing org (or above): the fields sent
 * change, the rest stay; members' progress, reads and points are kept. Removing a course or an article
 * archives it (its records stay for the ledger); a plan is corrected, not removed, because its chapters
 * carry the members' progress.
 *
 * The row of a table the actor may correct, locked; another org's or a missing row is the same 404.
 */
export async function lockOwned<R extends Record<string, unknown>>(tx: Queryable, actor: Actor, query: SQL, notFoundKey: string): Promise<R & { org_path: string }> {
  const row = (await tx.execute<R & { org_path: string }>(query)).rows[0];
  if (!row || !canPublish(actor, row.org_path)) throw notFound(notFoundKey);
  return row;
}
