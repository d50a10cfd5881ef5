import { sql } from 'drizzle-orm';
import { indicatorQueries } from '../../platform/indicator-query.js';
import type { IndicatorSource } from '../../platform/indicators.js';
import { partyMembersOnRoll } from '../members/counts.js';

/**
 * 每日答题参与率: of the party members of the subtree on the roll on the period's last day, those who
 * handed in the daily quiz on at least one day of the period. A rate, as a branch reads it ("how many
 * of us take part"), not days per member: a member answering every day and one answering once both
 * took part. One record per member, its date the last quiz day in the period.
 */
export const dailyQuizIndicators: IndicatorSource[] = [
  {
    code: 'daily_quiz.participation',
    module: 'daily_quiz',
    unit: 'rate',
    name: { zh: '每日答题参与率', zhHant: '每日答題參與率', en: 'Daily quiz participation' },
    formula: '期内至少完成一次每日答题的党员数 ÷ 期末在册党员数（含下级组织）',
    ...indicatorQueries({
      hasDenominator: true,
      // the period's submissions by daily_quiz_submissions_date, one row per member, hashed against the roll
      source: (period) => sql`
        select r.org_id, 'member' as kind, r.member_id::text as id, r.member_name as title, r.member_org_id as rec_org_id, r.member_org as rec_org,
               s.last_day::text as on_date, s.member_id is not null as counts, 1::numeric as amount, 1 as denom,
               '/members/' || r.member_id as link
          from (${partyMembersOnRoll(sql`asked`, period.to)}) r
          left join (
            select d.member_id, max(d.quiz_date) as last_day from daily_quiz_submissions d
             where d.quiz_date between ${period.from}::date and ${period.to}::date group by d.member_id
          ) s on s.member_id = r.member_id`,
    }),
  },
];
