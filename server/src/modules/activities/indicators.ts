import { sql, type SQL } from 'drizzle-orm';
import { THREE_MEETINGS_ONE_LESSON, type CadenceType } from '../../../../contracts/activities.js';
import type { Queryable } from '../../platform/db.js';
import type { IndicatorOrg, IndicatorPeriod, IndicatorRecord, IndicatorSource } from '../../platform/indicators.js';
import { chinaDateOf, chinaDayStartsAt } from '../../platform/china-time.js';
import { textArray } from '../../platform/sql.js';
import { cadenceRequirementsOf, HELD_ACTIVITY } from './compliance.js';
import { ACTIVITY_TYPE_NAMES } from './messages.js';
import { ATTENDANCE_COUNTS, isIncompleteSql } from './service.js';

/*
 * The 考核 indicators of organizational life. Each is one query: grouped by the assessed org for the
 * values, listed for one org's drill-down, so the records opened are the ones counted.
 */

const CADENCE_TYPES = sql.raw(`('${THREE_MEETINGS_ONE_LESSON.join("', '")}')`);

const idsOf = (orgs: readonly IndicatorOrg[]) => textArray(orgs.map((o) => o.id));
const pathsOf = (orgs: readonly IndicatorOrg[]) => textArray(orgs.map((o) => o.path));

/**
 * 三会一课 requirements of the units under `paths`: each calendar-aligned cadence period (the nearest
 * rule's, as in the compliance report) lying within the assessment period is one requirement, due once
 * it has ended — or earlier when already met; met when such a meeting was held in it.
 */
function requirementsSql(paths: string, period: IndicatorPeriod): SQL {
  return sql`with units as materialized (
      ${cadenceRequirementsOf(sql`u.path <@ ${paths}::ltree[]`)}
    ), reqs as (
      select un.id, un.name, un.path, un.type, s::date as period_start,
             (s + make_interval(months => un.period_months::int) - interval '1 day')::date as period_end
        from units un
        cross join lateral generate_series(date_trunc('year', ${period.from}::date)::timestamp, ${period.to}::date::timestamp,
                                           make_interval(months => un.period_months::int)) s
    ), judged as (
      select r.*, exists (
               select 1 from activities a
                where a.org_id = r.id and a.type = r.type and ${HELD_ACTIVITY} and a.starts_at < now()
                  and a.starts_at >= ${chinaDayStartsAt(sql`r.period_start`)} and a.starts_at < ${chinaDayStartsAt(sql`(r.period_end + 1)`)}) as met
        from reqs r
       where r.period_start >= ${period.from}::date and r.period_end <= ${period.to}::date
    ), requirements as (
      select * from judged where met or period_end < ${chinaDateOf(sql`now()`)}
    )`;
}

const threeMeetingsCompletion: IndicatorSource = {
  code: 'activities.three_meetings_completion',
  module: 'activities',
  unit: 'rate',
  name: { zh: '三会一课完成率', zhHant: '三會一課完成率', en: '"Three meetings and one lesson" completion' },
  formula: '期内已按期召开的三会一课要求数 ÷ 期内应召开的要求数（支部党员大会、党课按季，支委会、党小组会按月，以上级规则为准；每个周期内召开一次即为完成）',
  async values(q, orgs, period) {
    if (orgs.length === 0) return [];
    const rows = await q.execute<{ org_id: string; numerator: number; denominator: number } & Record<string, unknown>>(sql`
      ${requirementsSql(pathsOf(orgs), period)}
      select o.id::text as org_id, count(r.id) filter (where r.met)::int as numerator, count(r.id)::int as denominator
        from unnest(${idsOf(orgs)}::bigint[], ${pathsOf(orgs)}::ltree[]) as o(id, path)
        left join requirements r on r.path <@ o.path
       group by o.id`);
    return rows.rows.map((r) => ({ orgId: r.org_id, numerator: Number(r.numerator), denominator: Number(r.denominator) }));
  },
  async records(q, org, period, page) {
    const rows = await q.execute<{ org_id: string; org_name: string; type: CadenceType; period_start: string; period_end: string; met: boolean; total: number } & Record<string, unknown>>(sql`
      ${requirementsSql(textArray([org.path]), period)}
      select r.id::text as org_id, r.name as org_name, r.type, r.period_start::text, r.period_end::text, r.met, count(*) over ()::int as total
        from requirements r
       where ${page.onlyCounted ? sql`r.met` : sql`true`}
       order by r.path, r.type, r.period_start
       limit ${page.limit} offset ${page.offset}`);
    const items: IndicatorRecord[] = rows.rows.map((r) => ({
      kind: 'compliance_requirement', id: `${r.org_id}-${r.type}-${r.period_start}`,
      title: `${ACTIVITY_TYPE_NAMES[r.type] ?? r.type}（${r.period_start} 至 ${r.period_end}）`, orgId: r.org_id, orgName: r.org_name, date: r.period_end,
      counts: r.met, amount: r.met ? 1 : 0, link: `/activities/compliance?orgId=${r.org_id}&asOf=${r.period_end}`,
    }));
    return { items, total: rows.rows[0]?.total ?? (page.offset > 0 ? await countRequirements(q, org, period, page.onlyCounted) : 0) };
  },
};

async function countRequirements(q: Queryable, org: IndicatorOrg, period: IndicatorPeriod, onlyCounted?: boolean): Promise<number> {
  const rows = await q.execute<{ n: number } & Record<string, unknown>>(sql`
    ${requirementsSql(textArray([org.path]), period)}
    select count(*)::int as n from requirements r where ${onlyCounted ? sql`r.met` : sql`true`}`);
  return Number(rows.rows[0]?.n ?? 0);
}

/** 三会一课 meetings of the subtrees under `paths` held (and ended) within the period, each with its 四落实 completeness. */
function heldMeetingsSql(paths: string, period: IndicatorPeriod): SQL {
  return sql`select a.id, a.org_id, a.org_path, a.title, a.starts_at, not ${isIncompleteSql} as complete
      from activities a ${ATTENDANCE_COUNTS}
     where a.org_path <@ ${paths}::ltree[] and a.type in ${CADENCE_TYPES} and ${HELD_ACTIVITY} and a.ends_at < now()
       and a.starts_at >= ${chinaDayStartsAt(sql`${period.from}::date`)} and a.starts_at < ${chinaDayStartsAt(sql`(${period.to}::date + 1)`)}`;
}

const fourImplementationsRate: IndicatorSource = {
  code: 'activities.four_implementations_rate',
  module: 'activities',
  unit: 'rate',
  name: { zh: '四落实达标率', zhHant: '四落實達標率', en: 'Meetings with all four records ("four implementations")' },
  formula: '期内已召开的三会一课中，人员（到会过半）、时间、内容（会议记录）、效果（会议小结）均已落实的会议数 ÷ 期内已召开的会议数',
  async values(q, orgs, period) {
    if (orgs.length === 0) return [];
    const rows = await q.execute<{ org_id: string; numerator: number; denominator: number } & Record<string, unknown>>(sql`
      select o.id::text as org_id, count(m.id) filter (where m.complete)::int as numerator, count(m.id)::int as denominator
        from unnest(${idsOf(orgs)}::bigint[], ${pathsOf(orgs)}::ltree[]) as o(id, path)
        left join (${heldMeetingsSql(pathsOf(orgs), period)}) m on m.org_path <@ o.path
       group by o.id`);
    return rows.rows.map((r) => ({ orgId: r.org_id, numerator: Number(r.numerator), denominator: Number(r.denominator) }));
  },
  async records(q, org, period, page) {
    const rows = await q.execute<{ id: string; org_id: string; org_name: string; title: string; day: string; complete: boolean; total: number } & Record<string, unknown>>(sql`
      select m.id::text, m.org_id::text, o.name as org_name, m.title, ${chinaDateOf(sql`m.starts_at`)}::text as day, m.complete, count(*) over ()::int as total
        from (${heldMeetingsSql(textArray([org.path]), period)}) m join orgs o on o.id = m.org_id
       where ${page.onlyCounted ? sql`m.complete` : sql`true`}
       order by m.starts_at, m.id
       limit ${page.limit} offset ${page.offset}`);
    let total = rows.rows[0]?.total;
    if (total === undefined && page.offset > 0) {
      const n = await q.execute<{ n: number } & Record<string, unknown>>(sql`
        select count(*)::int as n from (${heldMeetingsSql(textArray([org.path]), period)}) m where ${page.onlyCounted ? sql`m.complete` : sql`true`}`);
      total = n.rows[0]?.n;
    }
    const items: IndicatorRecord[] = rows.rows.map((r) => ({
      kind: 'activity', id: r.id, title: r.title, orgId: r.org_id, orgName: r.org_name, date: r.day,
      counts: r.complete, amount: r.complete ? 1 : 0, link: `/activities/${r.id}`,
    }));
    return { items, total: Number(total ?? 0) };
  },
};

export const activityIndicators: IndicatorSource[] = [threeMeetingsCompletion, fourImplementationsRate];
