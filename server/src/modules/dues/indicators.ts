import { sql } from 'drizzle-orm';
import { indicatorQueries } from '../../platform/indicator-query.js';
import type { IndicatorPeriod, IndicatorSource } from '../../platform/indicators.js';
import { memberNamed } from '../members/counts.js';

/**
 * 党费按时交纳率: 党员应当每月交纳党费 (2008 regulation), so a month's bill is due by the month's last
 * day. The bills of the subtree (org_path, the collecting org) whose month ends on a day of the period
 * and that have something to pay (an exemption makes a month's due 0: not counted either way); on time
 * when the payments dated by that day (paid_on), not reversed since, cover it in full. One record per bill.
 */
export const duesIndicators: IndicatorSource[] = [
  {
    code: 'dues.paid_on_time_rate',
    module: 'dues',
    unit: 'rate',
    name: { zh: '党费按时交纳率', zhHant: '黨費按時交納率', en: 'Dues paid on time' },
    formula: '当月月底前（含）交足的月度党费账单数 ÷ 月底在期内的应交账单数（不含免交月份，含下级组织）',
    ...indicatorQueries({
      hasDenominator: true,
      source: (period, labels) => {
        const { first, last } = billMonths(period);
        const months = sql`b.due_fen > 0 and b.month between ${first}::date and ${last}::date`;
        // what was paid on each bill of the period by its deadline, summed once per bill (not once per asked org above it)
        return sql`
          with on_time as (
            select l.bill_id, sum(l.amount_fen) as fen
              from dues_bills b
              join dues_payment_lines l on l.bill_id = b.id
              join dues_payments p on p.id = l.payment_id
             where ${months} and exists (select 1 from asked a where b.org_path <@ a.org_path)
               and p.kind = 'payment' and p.paid_on <= (b.month + interval '1 month' - interval '1 day')::date
               and not exists (select 1 from dues_payments r where r.reverses_id = p.id)
             group by l.bill_id)
          select a.org_id, 'dues_bill' as kind, b.id::text as id, coalesce(mm.member_name, '') || ' · ' || to_char(b.month, 'YYYY-MM') as title,
                 b.org_id::text as rec_org_id, o.name as rec_org, (b.month + interval '1 month' - interval '1 day')::date::text as on_date,
                 (b.paid_fen >= b.due_fen and coalesce(t.fen, 0) >= b.due_fen) as counts, 1::numeric as amount, 1 as denom,
                 '/dues?org=' || b.org_id || '&tab=bills&month=' || to_char(b.month, 'YYYY-MM') as link
            from asked a
            join dues_bills b on b.org_path <@ a.org_path
            join orgs o on o.id = b.org_id
            left join on_time t on t.bill_id = b.id
            ${labels ? sql`left join lateral ${memberNamed(sql`b.member_id`)} mm on true` : sql`left join (select null::text as member_name) mm on true`}
           where ${months}`;
      },
    }),
  },
];

/**
 * The bill months whose last day falls in the period, as constants for the planner: from the month of
 * the period's first day, to the month before the one holding the day after the period.
 */
export function billMonths(period: IndicatorPeriod): { first: string; last: string } {
  const after = new Date(`${period.to}T00:00:00Z`);
  after.setUTCDate(after.getUTCDate() + 1);
  const last = new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth() - 1, 1));
  return { first: `${period.from.slice(0, 7)}-01`, last: last.toISOString().slice(0, 10) };
}
