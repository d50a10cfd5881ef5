import { sql, type SQL } from 'drizzle-orm';
import { chinaDayStartsAt } from './china-time.js';
import type { Queryable } from './db.js';
import type { IndicatorOrg, IndicatorPeriod, IndicatorRecord, IndicatorSource, IndicatorValue } from './indicators.js';
import { textArray } from './sql.js';

/**
 * The one SQL source behind an indicator (platform/indicators.ts), counted for `values` and paged for
 * `records`, so that a value's numerator is always the sum of the records it opens.
 *
 * A source reads the orgs asked about from the relation `asked (org_id bigint, org_path ltree)` and
 * yields one row per record and asked org (an org's value covers its whole subtree, so a record of a
 * branch is a row of the branch and of every asked org above it), with the columns:
 *
 *   org_id      bigint   the asked org the row belongs to
 *   kind        text     what the record is ('member', 'bill', …)
 *   id          text     the record's id (unique within its kind)
 *   title       text
 *   rec_org_id  text     the record's own org
 *   rec_org     text     that org's name
 *   on_date     text     YYYY-MM-DD or null
 *   counts      boolean  counted in the numerator
 *   amount      numeric  what it adds to the numerator when counted (1 for a count; hours …)
 *   denom       int      what it adds to the denominator (1 for a member or a bill, 0 for a record that only adds to the numerator)
 *   link        text     the console page where the record opens
 */
export interface IndicatorQuery {
  /**
   * `labels` false (for `values`): the same rows, but title and rec_org may be null, so a source may skip
   * the joins that only name its records.
   */
  source(period: IndicatorPeriod, labels: boolean): SQL;
  /** 'rate' and 'per_member' have a denominator; a plain 'count' has none. */
  hasDenominator: boolean;
}

/** The asked orgs as the relation `asked`, one parameter per column. */
function askedOrgs(orgs: readonly IndicatorOrg[]): SQL {
  return sql`asked (org_id, org_path) as (
    select t.org_id, t.org_path::ltree from unnest(${textArray(orgs.map((o) => o.id))}::bigint[], ${textArray(orgs.map((o) => o.path))}::text[]) as t (org_id, org_path))`;
}

type ValueRow = { org_id: string; numerator: string | number | null; denominator: string | number | null } & Record<string, unknown>;
type RecordRow = {
  kind: string; id: string; title: string | null; rec_org_id: string | null; rec_org: string | null; on_date: string | null; counts: boolean;
  amount: string | number | null; link: string;
} & Record<string, unknown>;

const num = (v: unknown) => Number(v ?? 0);

/** `values` and `records` of an IndicatorSource from its one SQL source. */
export function indicatorQueries(query: IndicatorQuery): Pick<IndicatorSource, 'values' | 'records'> {
  return {
    async values(q: Queryable, orgs: IndicatorOrg[], period: IndicatorPeriod): Promise<IndicatorValue[]> {
      if (orgs.length === 0) return [];
      const rows = (await q.execute<ValueRow>(sql`with ${askedOrgs(orgs)}, facts as (${query.source(period, false)})
        select a.org_id::text as org_id,
               coalesce(sum(f.amount) filter (where f.counts), 0)::float8 as numerator,
               coalesce(sum(f.denom), 0)::float8 as denominator
          from asked a left join facts f on f.org_id = a.org_id
         group by a.org_id`)).rows;
      const byId = new Map(rows.map((r) => [String(r.org_id), r]));
      return orgs.map((o) => {
        const r = byId.get(o.id);
        return { orgId: o.id, numerator: round(num(r?.numerator)), denominator: query.hasDenominator ? num(r?.denominator) : null };
      });
    },
    async records(q: Queryable, org: IndicatorOrg, period: IndicatorPeriod, page: { offset: number; limit: number; onlyCounted?: boolean }) {
      const facts = (labels: boolean) => sql`with ${askedOrgs([org])}, facts as (${query.source(period, labels)})`;
      const where = page.onlyCounted ? sql`where f.counts` : sql``;
      const rows = (await q.execute<RecordRow>(sql`${facts(true)}
        select f.kind, f.id, f.title, f.rec_org_id, f.rec_org, f.on_date, f.counts, f.amount::float8 as amount, f.link
          from facts f ${where}
         order by f.counts desc, f.on_date desc nulls last, f.kind, length(f.id), f.id
         limit ${Math.max(0, Math.floor(page.limit))} offset ${Math.max(0, Math.floor(page.offset))}`)).rows;
      const total = (await q.execute<{ n: number } & Record<string, unknown>>(sql`${facts(false)} select count(*)::int as n from facts f ${where}`)).rows[0]!.n;
      const items: IndicatorRecord[] = rows.map((r) => ({
        kind: r.kind, id: String(r.id), title: r.title ?? '', orgId: r.rec_org_id ?? '', orgName: r.rec_org ?? '', date: r.on_date, counts: r.counts,
        amount: round(num(r.amount)), link: r.link,
      }));
      return { items, total: Number(total) };
    },
  };
}

/** Sums of tenths and fen stay exact; float noise from the database's float8 is cut. */
const round = (v: number) => Math.round(v * 1e6) / 1e6;

/** The first instant of the period (Beijing) and the first instant after it, as timestamptz expressions. */
export function periodInstants(period: IndicatorPeriod): { start: SQL; end: SQL } {
  return { start: chinaDayStartsAt(sql`${period.from}::date`), end: chinaDayStartsAt(sql`${period.to}::date + 1`) };
}
