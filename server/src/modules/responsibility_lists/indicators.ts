import { sql } from 'drizzle-orm';
import { chinaDateOf } from '../../platform/china-time.js';
import { indicatorQueries } from '../../platform/indicator-query.js';
import type { IndicatorSource } from '../../platform/indicators.js';

/**
 * 责任清单 indicators of the subtree's lists (org_path <@ on responsibility_lists_org_path).
 *
 * 责任事项按期销号率: the items whose deadline falls on a day of the period, those closed by the level
 * above on or before their deadline (a Beijing day). 党员 lists count under the member's org.
 */
export const responsibilityIndicators: IndicatorSource[] = [
  {
    code: 'responsibility_lists.closed_on_time_rate',
    module: 'responsibility_lists',
    unit: 'rate',
    name: { zh: '责任事项按期销号率', zhHant: '責任事項按期銷號率', en: 'Duty items closed on time' },
    formula: '完成时限在期内、且在时限前（含当日）经上级检查销号的责任事项数 ÷ 完成时限在期内的责任事项数（含下级组织及党员清单）',
    ...indicatorQueries({
      hasDenominator: true,
      source: (period) => sql`
        select a.org_id, 'responsibility_item' as kind, i.id::text as id, i.task as title, l.org_id::text as rec_org_id, o.name as rec_org,
               i.deadline::text as on_date,
               (i.status = 'closed' and ${chinaDateOf(sql`i.closed_at`)} <= i.deadline) as counts, 1::numeric as amount, 1 as denom,
               '/responsibility/items/' || i.id as link
          from asked a
          join responsibility_lists l on l.org_path <@ a.org_path
          join responsibility_items i on i.list_id = l.id
          join orgs o on o.id = l.org_id
         where i.deadline between ${period.from}::date and ${period.to}::date`,
    }),
  },
];
