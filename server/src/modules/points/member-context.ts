import { sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import { executePrepared, type Queryable } from '../../platform/db.js';
import { forbidden } from '../../platform/errors.js';

/** The signed-in member as the learning, points, exam and quiz modules need them. */
export interface MemberContext {
  id: string;
  name: string;
  orgId: string;
  orgPath: string;
  /** The member's branch (nearest branch at or above their org): what "my branch" means for shares and boards. */
  branchPath: string;
  branchId: string;
}

type Row = { id: string; name: string; org_id: string; org_path: string; branch_path: string | null; branch_id: string | null } & Record<string, unknown>;

/** One prepared statement (executePrepared): every self-service request runs it, and its plan is the same each time. */
export async function loadMemberContext(q: Queryable, memberId: string): Promise<MemberContext | null> {
  const [row] = await executePrepared<Row>(q, sql`
    select m.id::text, m.name, m.org_id::text, m.org_path::text, b.path::text as branch_path, b.id::text as branch_id
      from members m
      left join lateral (select o.id, o.path from orgs o where o.path @> m.org_path and o.type in ('branch', 'temporary_branch')
                          order by nlevel(o.path) desc limit 1) b on true
     where m.id = ${memberId} and m.left_at is null`);
  if (!row) return null;
  return { id: row.id, name: row.name, orgId: row.org_id, orgPath: row.org_path, branchPath: row.branch_path ?? row.org_path, branchId: row.branch_id ?? row.org_id };
}

/** Self-service routes need a member behind the account; an account without one gets 403. */
export async function requireMember(q: Queryable, actor: Actor): Promise<MemberContext> {
  const member = actor.memberId ? await loadMemberContext(q, actor.memberId) : null;
  if (!member) throw forbidden('points.not_a_member');
  return member;
}

const DAY_MS = 86_400_000;
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(date + 'T00:00:00Z') + days * DAY_MS).toISOString().slice(0, 10);
}
/** Monday of the ISO week containing `date`. */
export function weekStartOf(date: string): string {
  const dow = new Date(date + 'T00:00:00Z').getUTCDay();
  return addDays(date, -((dow + 6) % 7));
}
export function periodOf(period: 'week' | 'month' | 'year', date: string): { from: string; to: string } {
  if (period === 'week') { const from = weekStartOf(date); return { from, to: addDays(from, 6) }; }
  if (period === 'month') {
    const from = date.slice(0, 8) + '01';
    const next = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 1));
    return { from, to: addDays(next.toISOString().slice(0, 10), -1) };
  }
  return { from: date.slice(0, 4) + '-01-01', to: date.slice(0, 4) + '-12-31' };
}
