import { sql } from 'drizzle-orm';
import { chinaDateOf } from '../../platform/china-time.js';
import { indicatorQueries, periodInstants } from '../../platform/indicator-query.js';
import type { IndicatorSource } from '../../platform/indicators.js';
import { partyMembersOnRoll } from '../members/counts.js';

/**
 * 学习参与率: of the party members of the subtree on the roll on the period's last day, those who
 * finished a course (course_completions) or clocked in (clock_ins) on a day of the period. One record
 * per member, counted when they studied; its date the last day they did.
 */
export const learningIndicators: IndicatorSource[] = [
  {
    code: 'learning.study_participation',
    module: 'learning',
    unit: 'rate',
    name: { zh: '学习参与率', zhHant: '學習參與率', en: 'Study participation' },
    formula: '期内完成至少一门课程或学习打卡一次的党员数 ÷ 期末在册党员数（含下级组织）',
    ...indicatorQueries({
      hasDenominator: true,
      source: (period) => {
        const { start, end } = periodInstants(period);
        return sql`
          select r.org_id, 'member' as kind, r.member_id::text as id, r.member_name as title, r.member_org_id as rec_org_id, r.member_org as rec_org,
                 s.last_day::text as on_date, s.member_id is not null as counts, 1::numeric as amount, 1 as denom,
                 '/members/' || r.member_id as link
            from (${partyMembersOnRoll(sql`asked`, period.to)}) r
            left join (
              select x.member_id, max(x.day) as last_day from (
                select c.member_id, c.day from clock_ins c where c.day between ${period.from}::date and ${period.to}::date
                union all
                select cc.member_id, ${chinaDateOf(sql`cc.completed_at`)} from course_completions cc where cc.completed_at >= ${start} and cc.completed_at < ${end}
              ) x group by x.member_id
            ) s on s.member_id = r.member_id`;
      },
    }),
  },
];
