import { sql } from 'drizzle-orm';
import { chinaDateOf } from '../../platform/china-time.js';
import { indicatorQueries, periodInstants } from '../../platform/indicator-query.js';
import type { IndicatorSource } from '../../platform/indicators.js';

/**
 * 办实事 indicators of the subtree's service projects (org_path <@ on service_projects_org_path).
 *
 * 按期办结率: the projects whose planned completion falls on a day of the period, those completed
 * (status done) on or before it. 群众满意率: the people's ratings approved by moderation and given
 * in the period, those of 4 or 5 stars (满意, 非常满意) — a rate in [0, 1] as the other indicators,
 * rather than a mean of stars.
 */
export const serviceProjectIndicators: IndicatorSource[] = [
  {
    code: 'service_projects.completion_rate',
    module: 'service_projects',
    unit: 'rate',
    name: { zh: '办实事按期办结率', zhHant: '辦實事按期辦結率', en: 'Service projects completed on time' },
    formula: '计划完成日期在期内、且在计划完成日期前（含当日）办结的项目数 ÷ 计划完成日期在期内的项目数（含下级组织）',
    ...indicatorQueries({
      hasDenominator: true,
      source: (period) => sql`
        select a.org_id, 'service_project' as kind, p.id::text as id, p.title, p.org_id::text as rec_org_id, o.name as rec_org,
               p.planned_completion::text as on_date,
               (p.status = 'done' and p.completed_on <= p.planned_completion) as counts, 1::numeric as amount, 1 as denom,
               '/service/projects/' || p.id as link
          from asked a
          join service_projects p on p.org_path <@ a.org_path
          join orgs o on o.id = p.org_id
         where p.planned_completion between ${period.from}::date and ${period.to}::date`,
    }),
  },
  {
    code: 'service_projects.satisfaction',
    module: 'service_projects',
    unit: 'rate',
    name: { zh: '群众满意率', zhHant: '群眾滿意率', en: 'Residents’ satisfaction' },
    formula: '期内审核通过的群众评价中 4 星、5 星（满意、非常满意）的条数 ÷ 期内审核通过的评价条数（含下级组织的项目）',
    ...indicatorQueries({
      hasDenominator: true,
      source: (period) => {
        const { start, end } = periodInstants(period);
        return sql`
          select a.org_id, 'feedback' as kind, f.id::text as id, p.title || ' · ' || f.rating || '★' as title, p.org_id::text as rec_org_id, o.name as rec_org,
                 ${chinaDateOf(sql`f.created_at`)}::text as on_date, f.rating >= 4 as counts, 1::numeric as amount, 1 as denom,
                 '/service/projects/' || p.id as link
            from asked a
            join service_projects p on p.org_path <@ a.org_path
            join service_project_feedback f on f.project_id = p.id and f.status = 'approved'
            join orgs o on o.id = p.org_id
           where f.created_at >= ${start} and f.created_at < ${end}`;
      },
    }),
  },
];
