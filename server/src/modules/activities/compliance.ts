import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import {
  DEFAULT_CADENCE_MONTHS, DUE_SOON_DAYS, THREE_MEETINGS_ONE_LESSON, type CadenceType, type ComplianceItem, type ComplianceQuerySchema, type ComplianceReportSchema,
  type ComplianceRulesSchema, type SetComplianceRulesSchema,
} from '../../../../contracts/activities.js';
import type { Actor } from '../../platform/actor.js';
import { managedOrg } from '../../platform/org-scope.js';
import { reportableUnits } from './policy.js';
import type { Db, Queryable } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { conflict } from '../../platform/errors.js';
import { createActivity } from './service.js';
import { todayInChina } from '../../../../contracts/china-time.js';
import { chinaDateOf, chinaDayStartsAt } from '../../platform/china-time.js';
import { pageOffset } from '../../platform/sql.js';
import { PARTY_MEMBER_STAGES } from '../../../../contracts/members.js';

/*
 * 三会一课 cadence. Each requirement has a period of N months (1 = monthly, 3 = quarterly) aligned to
 * the calendar (months, quarters, half-years, years, in China Standard Time). A requirement is
 *   done      – an activity of that type was held (announced or closed, not cancelled, started on or
 *               before the report day) in the current period;
 *   overdue   – not done this period and none was held in the whole previous period either (the
 *               rule was broken and has not been put right; orgs founded during this period excepted);
 *   due_soon  – not done and the current period ends within DUE_SOON_DAYS;
 *   pending   – not done yet, time remains.
 * 支部党员大会, 支委会 and 党课 are required of every branch (and temporary branch); 党小组会 of every
 * party group. The rule of the nearest org (the unit itself or an ancestor) wins over the default, so a
 * work committee sets the rules of its whole tree and a bureau may tighten them for its own.
 */

const UNIT_TYPES = sql`('branch', 'temporary_branch', 'group')`;

/** The org whose rules or report are asked for; a dissolved one keeps its history readable. */
const managedComplianceOrg = (q: Queryable, actor: Actor, orgId: string) => managedOrg(q, actor, orgId, { allowDissolved: true, notFoundKey: 'activity.org_not_found' });

const cadenceValues = sql.raw(`(values ${THREE_MEETINGS_ONE_LESSON.map((t) => `('${t}', ${DEFAULT_CADENCE_MONTHS[t]}, ${t === 'group_meeting'})`).join(', ')})`);

/**
 * Every unit (alias `u`) meeting `units` × its 三会一课 requirements with the period in months the nearest
 * rule sets: (id, name, path, created_at, type, period_months). Also the 考核 indicator's requirements.
 */
export function cadenceRequirementsOf(units: SQL): SQL {
  return sql`select u.id, u.name, u.path, u.created_at, t.type,
             coalesce((select cr.period_months from compliance_rules cr join orgs ro on ro.id = cr.org_id
                        where cr.activity_type = t.type and u.path <@ ro.path order by nlevel(ro.path) desc limit 1), t.default_months) as period_months
        from orgs u join ${cadenceValues} as t(type, default_months, for_group) on (u.type = 'group') = t.for_group
       where u.dissolved_at is null and u.type in ${UNIT_TYPES} and ${units}`;
}

/** An activity (alias `a`) that counts as held for 三会一课: announced or closed, not cancelled. */
export const HELD_ACTIVITY = sql`a.status <> 'cancelled' and a.status in ('published', 'closed')`;

/** The report's order: what needs attention first. */
const ATTENTION: Record<ComplianceItem['status'], number> = { overdue: 0, due_soon: 1, pending: 2, done: 3 };

type ComplianceSummary = z.infer<typeof ComplianceReportSchema>['summary'];
/** A report over the whole subtree: every row in the report's order, and the summary. */
interface FullReport { items: readonly ComplianceItem[]; summary: ComplianceSummary }

/*
 * Cache of whole reports, per database handle and (root org, admin scope, report day, epoch). The epoch is a
 * counter that triggers bump in the same transaction as any write to activities, orgs or compliance_rules
 * (migration 20261123121000), so it is read in the database, never in process memory: a write through any
 * process, or psql, changes the number every process reads next, and a report computed after reading epoch
 * E has seen every write counted in E. Concurrent misses share one computation; failures are not kept.
 */
interface CachedReport { epoch: bigint; report: Promise<FullReport>; rows: number }
const reportCaches = new WeakMap<Db, Map<string, CachedReport>>();
// measured at city scale (bench/seed-scale): a district's report is ~1,900 rows (~0.7 MB), the whole city's
// ~29,000 (~10 MB); bounded by rows as well as by entries, the cache stays under ~20 MB of a 256 MB heap
const CACHE_ENTRIES = 64;
const CACHE_ROWS = 60_000;

function cachedReport(db: Db, key: string, epoch: bigint, compute: () => Promise<FullReport>): Promise<FullReport> {
  let cache = reportCaches.get(db);
  if (!cache) reportCaches.set(db, cache = new Map());
  const found = cache.get(key);
  // an entry of a later epoch is as good: it has seen at least the writes this request's epoch counts
  if (found && found.epoch >= epoch) {
    cache.delete(key);
    cache.set(key, found);
    return found.report;
  }
  const entry: CachedReport = { epoch, report: compute(), rows: 0 };
  cache.set(key, entry);
  void entry.report.then((report) => {
    entry.rows = report.items.length;
    if (cache.get(key) !== entry) return;
    let rows = 0;
    for (const e of cache.values()) rows += e.rows;
    for (const [k, e] of cache) {
      if (cache.size <= CACHE_ENTRIES && rows <= CACHE_ROWS) break;
      cache.delete(k);
      rows -= e.rows;
    }
  }, () => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  return entry.report;
}

/** The report's org, with the compliance epoch read before the report is computed. */
async function findReportRoot(db: Db, actor: Actor, orgId: string) {
  const org = await managedComplianceOrg(db, actor, orgId);
  const epoch = (await db.execute<{ n: string } & Record<string, unknown>>(sql`select n::text from compliance_epoch`)).rows[0];
  return { id: org.id, path: org.path, epoch: epoch?.n ?? null };
}

/** The report of the subtree, for a page of it and the summary over all of it. */
export async function computeCompliance(db: Db, actor: Actor, query: z.infer<typeof ComplianceQuerySchema>): Promise<z.infer<typeof ComplianceReportSchema>> {
  const root = await findReportRoot(db, actor, query.orgId);
  const asOf = query.asOf ?? todayInChina();
  // the scope decides which rows the SQL lets through, so two scopes never share an entry
  const scope = actor.isPlatformAdmin ? '*' : [...new Set(actor.adminPaths)].sort().join(',');
  const compute = () => computeFullReport(db, actor, root.path, asOf);
  const full = await (root.epoch === null ? compute() : cachedReport(db, `${root.id}|${asOf}|${scope}`, BigInt(root.epoch), compute));
  const items = query.status ? full.items.filter((i) => i.status === query.status) : full.items;
  const start = pageOffset(query);
  return { asOf, items: items.slice(start, start + query.pageSize), total: items.length, page: query.page, pageSize: query.pageSize, summary: full.summary };
}

/**
 * Every unit × requirement of the subtree with its counts in the current and previous period, looked up
 * per pair on the (org_id, type, starts_at) index (`status <> 'cancelled'` is that index's predicate,
 * written out so the planner can use it); what needs attention first, the summary over all.
 */
async function computeFullReport(db: Db, actor: Actor, rootPath: string, asOf: string): Promise<FullReport> {
  // held on or before the report day, in China Standard Time: starts before the next day's first instant
  const reportEnd = chinaDayStartsAt(sql`(${asOf}::date + 1)`);
  const rows = await db.execute<{
    org_id: string; org_name: string; org_path: string; type: CadenceType; period_months: number; period_start: string; period_end: string;
    held_this: number; held_last: number; last_held_at: Date | string | null; founded_this_period: boolean;
  } & Record<string, unknown>>(sql`
    with pairs as materialized (
      ${cadenceRequirementsOf(sql`u.path <@ ${rootPath}::ltree and ${reportableUnits(actor)}`)}
    ), periods as (
      select p.*, make_date(extract(year from ${asOf}::date)::int, ((extract(month from ${asOf}::date)::int - 1) / p.period_months) * p.period_months + 1, 1) as period_start
        from pairs p
    ), bounds as (
      -- the periods' first days as instants (China Standard Time), so the activities are found by range on
      -- the (org_id, type, starts_at) index instead of computing a local date for every activity
      select pr.*, ${chinaDayStartsAt(sql`pr.period_start`)} as this_from,
             ${chinaDayStartsAt(sql`(pr.period_start - make_interval(months => pr.period_months))::date`)} as last_from
        from periods pr
    )
    select b.id::text as org_id, b.name as org_name, b.path::text as org_path, b.type, b.period_months,
           b.period_start::text, (b.period_start + make_interval(months => b.period_months) - interval '1 day')::date::text as period_end,
           h.held_this, h.held_last, l.last_held_at, ${chinaDateOf(sql`b.created_at`)} >= b.period_start as founded_this_period
      from bounds b
      cross join lateral (
        select count(*) filter (where a.starts_at >= b.this_from)::int as held_this,
               count(*) filter (where a.starts_at < b.this_from)::int as held_last
          from activities a
         where a.org_id = b.id and a.type = b.type and ${HELD_ACTIVITY}
           and a.starts_at >= b.last_from and a.starts_at < ${reportEnd}
      ) h
      cross join lateral (
        select max(a.starts_at) as last_held_at
          from activities a
         where a.org_id = b.id and a.type = b.type and ${HELD_ACTIVITY} and a.starts_at < ${reportEnd}
      ) l
     order by b.path, b.type`);
  const dayMs = 86_400_000;
  const items: ComplianceItem[] = rows.rows.map((r) => {
    const daysLeft = (Date.parse(r.period_end) - Date.parse(asOf)) / dayMs;
    const status: ComplianceItem['status'] = r.held_this > 0 ? 'done'
      : r.held_last === 0 && !r.founded_this_period ? 'overdue'
        : daysLeft <= DUE_SOON_DAYS ? 'due_soon' : 'pending';
    return {
      orgId: r.org_id, orgName: r.org_name, orgPath: r.org_path, type: r.type, periodMonths: Number(r.period_months), periodStart: r.period_start,
      periodEnd: r.period_end, heldThisPeriod: r.held_this, heldLastPeriod: r.held_last,
      lastHeldAt: r.last_held_at ? new Date(r.last_held_at).toISOString() : null, status,
    };
  });
  const summary = {
    done: items.filter((i) => i.status === 'done').length, pending: items.filter((i) => i.status === 'pending').length,
    dueSoon: items.filter((i) => i.status === 'due_soon').length, overdue: items.filter((i) => i.status === 'overdue').length,
    units: summarizeUnits(items),
  };
  // stable: tree order (the SQL's) within each status
  items.sort((a, b) => ATTENTION[a.status] - ATTENTION[b.status]);
  return { items, summary };
}

/**
 * Each unit once, by its most pressing requirement: any overdue, else any due soon, else every requirement
 * held this period (all held), else some not held yet with time left (none due yet). "Nothing urgent" is
 * not "all held": a branch that has held nothing in the first week of a quarter is none due yet.
 */
function summarizeUnits(items: readonly ComplianceItem[]): ComplianceSummary['units'] {
  const worst = new Map<string, ComplianceItem['status']>();
  for (const i of items) {
    const seen = worst.get(i.orgId);
    if (seen === undefined || ATTENTION[i.status] < ATTENTION[seen]) worst.set(i.orgId, i.status);
  }
  const units = { total: worst.size, allHeld: 0, noneDueYet: 0, dueSoon: 0, overdue: 0 };
  for (const status of worst.values()) {
    if (status === 'done') units.allHeld++;
    else if (status === 'pending') units.noneDueYet++;
    else if (status === 'due_soon') units.dueSoon++;
    else units.overdue++;
  }
  return units;
}

export async function getComplianceRules(db: Queryable, actor: Actor, orgId: string): Promise<z.infer<typeof ComplianceRulesSchema>> {
  const org = await managedComplianceOrg(db, actor, orgId);
  const rows = await db.execute<{ activity_type: CadenceType; period_months: number; is_own: boolean } & Record<string, unknown>>(sql`
    select distinct on (cr.activity_type) cr.activity_type, cr.period_months, cr.org_id = ${org.id} as is_own
      from compliance_rules cr join orgs ro on ro.id = cr.org_id where ${org.path}::ltree <@ ro.path
     order by cr.activity_type, nlevel(ro.path) desc`);
  const found = new Map(rows.rows.map((r) => [r.activity_type, r]));
  return {
    orgId: org.id,
    rules: THREE_MEETINGS_ONE_LESSON.map((type) => {
      const r = found.get(type);
      return { type, periodMonths: r ? Number(r.period_months) : DEFAULT_CADENCE_MONTHS[type], source: r ? (r.is_own ? 'own' : 'inherited') : 'default' };
    }),
  };
}

/** Sets (or, with null, removes) this org's own rules; its subtree follows them unless it has its own. */
export async function setComplianceRules(db: Db, actor: Actor, orgId: string, input: z.infer<typeof SetComplianceRulesSchema>) {
  await db.transaction(async (tx) => {
    const org = await managedComplianceOrg(tx, actor, orgId);
    for (const rule of input.rules) {
      if (rule.periodMonths === null) await tx.execute(sql`delete from compliance_rules where org_id = ${org.id} and activity_type = ${rule.type}`);
      else await tx.execute(sql`insert into compliance_rules (org_id, activity_type, period_months) values (${org.id}, ${rule.type}, ${rule.periodMonths})
        on conflict (org_id, activity_type) do update set period_months = excluded.period_months, updated_at = now()`);
    }
    await audit(tx, actor, { action: 'activity.set_compliance_rules', targetType: 'org', targetId: org.id, orgPath: org.path, detail: { ...input } });
  });
  return getComplianceRules(db, actor, orgId);
}

// ---------- political birthdays ----------

const thisMonth = () => todayInChina().slice(0, 7);

/** Party members (full and probationary) of the subtree whose joining day falls in the month. */
export async function listPartyBirthdays(db: Db, actor: Actor, orgId: string, month = thisMonth()) {
  const org = await managedComplianceOrg(db, actor, orgId);
  const [year, mon] = month.split('-').map(Number) as [number, number];
  const rows = await db.execute<{ member_id: string; name: string; org_name: string; joined_on: string } & Record<string, unknown>>(sql`
    select m.id::text as member_id, m.name, o.name as org_name, m.joined_on::text
      from members m join orgs o on o.id = m.org_id
     where m.org_path <@ ${org.path}::ltree and m.left_at is null and m.stage in ('probationary', 'full')
       and m.joined_on is not null and extract(month from m.joined_on) = ${mon} and extract(year from m.joined_on) < ${year}
     order by extract(day from m.joined_on), m.id`);
  return rows.rows.map((r) => ({ memberId: r.member_id, name: r.name, orgName: r.org_name, joinedOn: r.joined_on, years: year - Number(r.joined_on.slice(0, 4)) }));
}

/** One step: a 政治生日 activity of the org inviting every member whose political birthday is in the month. */
export async function createPartyBirthdayActivity(db: Db, actor: Actor, input: {
  orgId: string; month: string; title?: string; startsAt: string; endsAt: string; place?: string | null; hostName?: string | null;
}) {
  const members = await listPartyBirthdays(db, actor, input.orgId, input.month);
  if (members.length === 0) throw conflict('activity.no_birthdays');
  return createActivity(db, actor, {
    orgId: input.orgId, type: 'party_birthday', title: input.title ?? `${input.month.replace('-', '年')}月政治生日会`,
    startsAt: input.startsAt, endsAt: input.endsAt, place: input.place, hostName: input.hostName, topic: null, agenda: null,
    participants: { orgIds: [], includeSubOrgs: false, stages: [...PARTY_MEMBER_STAGES], memberIds: members.map((m) => m.memberId) },
  });
}
