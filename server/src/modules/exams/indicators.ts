import { sql } from 'drizzle-orm';
import { chinaDateOf } from '../../platform/china-time.js';
import { indicatorQueries, periodInstants } from '../../platform/indicator-query.js';
import type { IndicatorSource } from '../../platform/indicators.js';
import { memberNamed } from '../members/counts.js';

/**
 * 考试参考率: the participants assigned to the exams that closed on a day of the period (not cancelled;
 * a make-up exam is part of the exam it makes up, not an exam of its own), those who handed in an
 * attempt — in the exam or in its make-up. A participant belongs to the org it was assigned from
 * (exam_participants.org_path). One record per (exam, participant), its date the exam's closing day.
 */
export const examIndicators: IndicatorSource[] = [
  {
    code: 'exams.participation',
    module: 'exams',
    unit: 'rate',
    name: { zh: '考试参考率', zhHant: '考試參考率', en: 'Exam participation' },
    formula: '期内截止的考试中已交卷的应考人次（补考交卷计入原考试） ÷ 应考人次（含下级组织，不含已取消的考试）',
    ...indicatorQueries({
      hasDenominator: true,
      source: (period, labels) => {
        const { start, end } = periodInstants(period);
        return sql`
          select a.org_id, 'exam_participant' as kind, e.id || ':' || p.member_id as id, e.title || ' · ' || coalesce(mm.member_name, '') as title,
                 mm.member_org_id as rec_org_id, mm.member_org as rec_org, ${chinaDateOf(sql`e.closes_at`)}::text as on_date,
                 exists (select 1 from exam_attempts t
                          where t.member_id = p.member_id and t.submitted_at is not null
                            and (t.exam_id = e.id or t.exam_id = (select mu.id from exams mu where mu.make_up_of = e.id and mu.cancelled_at is null))) as counts,
                 1::numeric as amount, 1 as denom, '/exams/' || e.id as link
            from exams e
            join exam_participants p on p.exam_id = e.id
            join asked a on p.org_path <@ a.org_path
            ${labels ? sql`left join lateral ${memberNamed(sql`p.member_id`)} mm on true` : sql`left join (select null::text as member_name, null::text as member_org_id, null::text as member_org) mm on true`}
           where e.closes_at >= ${start} and e.closes_at < ${end} and e.cancelled_at is null and e.make_up_of is null`;
      },
    }),
  },
];
