import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import type { Queryable } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { pageLimit, type PageRequest } from '../../platform/sql.js';

/*
 * The org's current term (orgs.term_start / term_end) for the elections module: the 工作台's 换届
 * to-dos, the reminders and the tree's due list read these columns, so an election sets them here.
 */

/** Sets the org's current term after an election was filed (or the newest term was recorded), audited as an org change. */
export async function setOrgTermDates(tx: Queryable, actor: Actor, org: { id: string; path: string }, termStart: string, termEnd: string, source: string): Promise<void> {
  await tx.execute(sql`update orgs set term_start = ${termStart}::date, term_end = ${termEnd}::date, updated_at = now() where id = ${org.id}`);
  await audit(tx, actor, { action: 'org.update', targetType: 'org', targetId: org.id, orgPath: org.path, detail: { termStart, termEnd, source } });
}

export interface TermDueOrg { id: string; name: string; type: string; termStart: string | null; termEnd: string; daysLeft: number }

/** `days` null: terms already ended; else terms ending from today to today + days. Live orgs only. */
function dueCondition(today: string, days: number | null): SQL {
  return days === null ? sql`o.term_end < ${today}::date`
    : sql`o.term_end between ${today}::date and ${today}::date + ${days}::int`;
}

/**
 * Orgs of the subtree `rootPath` (or of the whole `scope`) whose term is due within `days`, soonest
 * end first. `scope` is the caller's policy condition on `o.path`.
 */
export async function orgTermsDue(q: Queryable, scope: SQL, rootPath: string | null, today: string, days: number | null, page: PageRequest): Promise<{ items: TermDueOrg[]; total: number }> {
  const where = sql`${scope} and o.dissolved_at is null and ${dueCondition(today, days)}${rootPath ? sql` and o.path <@ ${rootPath}::ltree` : sql``}`;
  const [rows, total] = await Promise.all([
    q.execute<{ id: string; name: string; type: string; term_start: string | null; term_end: string; days_left: number } & Record<string, unknown>>(sql`
      select o.id::text, o.name, o.type, o.term_start::text, o.term_end::text, (o.term_end - ${today}::date)::int as days_left
        from orgs o where ${where} order by o.term_end, o.path ${pageLimit(page)}`),
    q.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from orgs o where ${where}`),
  ]);
  return {
    items: rows.rows.map((r) => ({ id: r.id, name: r.name, type: r.type, termStart: r.term_start, termEnd: r.term_end, daysLeft: Number(r.days_left) })),
    total: Number(total.rows[0]?.n ?? 0),
  };
}

/** The totals of the due lists, one statement: each is the total `orgTermsDue` answers for that window. */
export async function orgTermsDueCounts(q: Queryable, scope: SQL, rootPath: string | null, today: string): Promise<{ within90: number; within60: number; within30: number; overdue: number }> {
  const row = (await q.execute<{ d90: number; d60: number; d30: number; overdue: number } & Record<string, unknown>>(sql`
    select count(*) filter (where ${dueCondition(today, 90)})::int as d90, count(*) filter (where ${dueCondition(today, 60)})::int as d60,
           count(*) filter (where ${dueCondition(today, 30)})::int as d30, count(*) filter (where ${dueCondition(today, null)})::int as overdue
      from orgs o where ${scope} and o.dissolved_at is null and o.term_end < ${today}::date + 91
      ${rootPath ? sql` and o.path <@ ${rootPath}::ltree` : sql``}`)).rows[0];
  return { within90: Number(row?.d90 ?? 0), within60: Number(row?.d60 ?? 0), within30: Number(row?.d30 ?? 0), overdue: Number(row?.overdue ?? 0) };
}

/** The org's current term end (null when none is recorded), for an election that replaces it. */
export async function orgTermEnd(q: Queryable, orgId: string): Promise<string | null> {
  const row = (await q.execute<{ term_end: string | null } & Record<string, unknown>>(sql`select term_end::text from orgs where id = ${orgId}`)).rows[0];
  return row?.term_end ?? null;
}
