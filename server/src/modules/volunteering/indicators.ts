import { sql } from 'drizzle-orm';
import { chinaDateOf } from '../../platform/china-time.js';
import { indicatorQueries, periodInstants } from '../../platform/indicator-query.js';
import type { IndicatorSource } from '../../platform/indicators.js';
import { partyMembersOnRoll } from '../members/counts.js';

/**
 * 人均志愿服务时长: the hours confirmed in the period (attended, hours set, confirmed_at on a day of the
 * period) of the party members of the subtree on the roll on the period's last day, per such member.
 * The records: each confirmed sign-up (counted, its hours) and each member (the denominator).
 */
export const volunteeringIndicators: IndicatorSource[] = [
  {
    code: 'volunteering.hours_per_member',
    module: 'volunteering',
    unit: 'per_member',
    name: { zh: '人均志愿服务时长', zhHant: '人均志願服務時長', en: 'Volunteer hours per member' },
    formula: '期内确认的党员志愿服务时长（小时）之和 ÷ 期末在册党员数（含下级组织）',
    ...indicatorQueries({
      hasDenominator: true,
      source: (period) => {
        const { start, end } = periodInstants(period);
        return sql`
          with roll as (${partyMembersOnRoll(sql`asked`, period.to)})
          select r.org_id, 'member' as kind, r.member_id::text as id, r.member_name as title, r.member_org_id as rec_org_id, r.member_org as rec_org,
                 null::text as on_date, false as counts, 0::numeric as amount, 1 as denom, '/members/' || r.member_id as link
            from roll r
          union all
          select r.org_id, 'volunteer_signup' as kind, su.id::text as id, vp.title || ' · ' || r.member_name as title, r.member_org_id as rec_org_id, r.member_org as rec_org,
                 ${chinaDateOf(sql`su.confirmed_at`)}::text as on_date, true as counts, su.hours_tenths / 10.0 as amount, 0 as denom,
                 '/service/volunteering/' || vp.id as link
            from roll r
            join volunteer_signups su on su.member_id = r.member_id
            join volunteer_projects vp on vp.id = su.project_id
           where su.attended and su.hours_tenths > 0 and su.confirmed_at >= ${start} and su.confirmed_at < ${end}`;
      },
    }),
  },
];
