import { sql } from 'drizzle-orm';
import { indicatorQueries } from '../../platform/indicator-query.js';
import type { IndicatorSource } from '../../platform/indicators.js';
import { partyMembersOnRoll } from '../members/counts.js';

/**
 * 双报到率: of the party members of the subtree on the roll on the period's last day, those who had
 * reported to the community where they live (community_reports, one per member) by that day. One
 * record per member; a reported one opens its community's page, the others the member's.
 */
export const communityIndicators: IndicatorSource[] = [
  {
    code: 'communities.dual_report_rate',
    module: 'communities',
    unit: 'rate',
    name: { zh: '双报到率', zhHant: '雙報到率', en: 'Reported to residence community' },
    formula: '截至期末已到居住地社区报到的党员数 ÷ 期末在册党员数（含下级组织）',
    ...indicatorQueries({
      hasDenominator: true,
      source: (period) => sql`
        select r.org_id, 'member' as kind, r.member_id::text as id, r.member_name as title, r.member_org_id as rec_org_id, r.member_org as rec_org,
               cr.reported_on::text as on_date, cr.id is not null as counts, 1::numeric as amount, 1 as denom,
               case when cr.id is null then '/members/' || r.member_id else '/service/communities/' || cr.community_id end as link
          from (${partyMembersOnRoll(sql`asked`, period.to)}) r
          left join community_reports cr on cr.member_id = r.member_id and cr.reported_on <= ${period.to}::date`,
    }),
  },
];
