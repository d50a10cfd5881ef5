import { sql, type SQL } from 'drizzle-orm';
import type { IndicatorOrg, IndicatorPeriod, IndicatorRecord, IndicatorSource, IndicatorValue } from '../../platform/indicators.js';
import type { Queryable } from '../../platform/db.js';
import { textArray } from '../../platform/sql.js';

/**
 * The terms that ended in the period under the given org paths, each with `on_time`: the org elected
 * its next term on or before the end date. `values` groups these rows and `records` lists them, so a
 * rate's numerator is always the count of the records it opens.
 */
function endedTerms(period: IndicatorPeriod): SQL {
  return sql`select t.id, t.org_id, t.org_path, t.elected_on, t.ends_on,
      exists (select 1 from org_terms n where n.org_id = t.org_id and n.elected_on > t.elected_on and n.elected_on <= t.ends_on) as on_time
    from org_terms t where t.ends_on between ${period.from}::date and ${period.to}::date`;
}

export const electionIndicators: IndicatorSource[] = [
  {
    code: 'elections.on_time_rate',
    module: 'elections',
    unit: 'rate',
    name: { zh: '按期换届率', zhHant: '按期換屆率', en: 'Elections held on time' },
    formula: '期间内届满的届次中，在届满之日或之前选出下一届的个数 ÷ 期间内届满的届次数',
    async values(q: Queryable, orgs: IndicatorOrg[], period: IndicatorPeriod): Promise<IndicatorValue[]> {
      if (orgs.length === 0) return [];
      const rows = await q.execute<{ org_id: string; numerator: number; denominator: number } & Record<string, unknown>>(sql`
        with roots (org_id, path) as (select * from unnest(${textArray(orgs.map((o) => o.id))}::bigint[], ${textArray(orgs.map((o) => o.path))}::ltree[])),
             ended as (${endedTerms(period)})
        select r.org_id::text, count(e.id) filter (where e.on_time)::int as numerator, count(e.id)::int as denominator
          from roots r left join ended e on e.org_path <@ r.path group by r.org_id`);
      return rows.rows.map((r) => ({ orgId: r.org_id, numerator: Number(r.numerator), denominator: Number(r.denominator) }));
    },
    async records(q: Queryable, org: IndicatorOrg, period: IndicatorPeriod, page: { offset: number; limit: number; onlyCounted?: boolean }) {
      const where = sql`e.org_path <@ ${org.path}::ltree${page.onlyCounted ? sql` and e.on_time` : sql``}`;
      const [rows, total] = await Promise.all([
        q.execute<{ id: string; org_id: string; org_name: string; elected_on: string; ends_on: string; on_time: boolean } & Record<string, unknown>>(sql`
          with ended as (${endedTerms(period)})
          select e.id::text, e.org_id::text, o.name as org_name, e.elected_on::text, e.ends_on::text, e.on_time
            from ended e join orgs o on o.id = e.org_id where ${where} order by e.ends_on, e.id limit ${page.limit} offset ${page.offset}`),
        q.execute<{ n: number } & Record<string, unknown>>(sql`with ended as (${endedTerms(period)}) select count(*)::int as n from ended e where ${where}`),
      ]);
      const items: IndicatorRecord[] = rows.rows.map((r) => ({
        kind: 'org_term', id: r.id, title: `${r.org_name} ${r.elected_on} 至 ${r.ends_on} 届`, orgId: r.org_id, orgName: r.org_name, date: r.ends_on,
        counts: r.on_time, amount: r.on_time ? 1 : 0, link: `/elections/terms?orgId=${r.org_id}`,
      }));
      return { items, total: Number(total.rows[0]?.n ?? 0) };
    },
  },
];
