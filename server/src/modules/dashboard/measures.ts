import { sql, type SQL } from 'drizzle-orm';
import type { Measure } from '../../../../contracts/dashboard.js';
import { chinaDateOf, chinaDayStartsAt } from '../../platform/china-time.js';
import type { EpochSource } from '../../platform/epochs.js';

/**
 * The records each measure counts, as one SQL source per measure. The figure is `count(*)` and `sum(value)`
 * of this source grouped by `bucket`; the drill-down list is a page of the same source (filtered to one
 * bucket): a figure and its list can never disagree. Every source yields the same columns:
 *
 *   id, name, org_name, bucket, bucket_label, on_date, value, detail
 *
 * Personal data appears only masked (the phone's masked copy); ID numbers never.
 */
export interface MeasureScope {
  rootId: string;
  rootPath: string;
  /** The period's first and last day (China time), inclusive. */
  from: string;
  to: string;
  /** The first day of the twelve trend months. */
  trendFrom: string;
  /** The day "now" measures are computed for. */
  asOf: string;
}

/** Which epochs (platform/epochs.ts) a measure's records depend on. */
export type Source = EpochSource;

interface MeasureDefinition {
  sources: readonly Source[];
  /** The records, with the columns above. */
  records(s: MeasureScope): SQL;
  /** The list's order (a unique tiebreaker last). */
  order: SQL;
}

export const PARTY_MEMBER = sql`m.stage in ('probationary', 'full') and m.left_at is null`;
const periodStart = (s: MeasureScope) => chinaDayStartsAt(sql`${s.from}::date`);
const periodEnd = (s: MeasureScope) => chinaDayStartsAt(sql`${s.to}::date + 1`);
const byDate = sql`on_date desc nulls last, id`;

/** Party members of the subtree on the roll today, with one bucket expression. */
const partyMembers = (bucket: SQL) => (s: MeasureScope) => sql`
  select m.id::text as id, m.name, o.name as org_name, ${bucket} as bucket, null::text as bucket_label,
         m.joined_on::text as on_date, null::numeric as value, m.phone_masked as detail
    from members m join orgs o on o.id = m.org_id
   where m.org_path <@ ${s.rootPath}::ltree and ${PARTY_MEMBER}`;

/**
 * Members of the subtree who did something in the period: one record per member, the value how many times.
 * Grouped by member first and joined to names after (left joins on primary keys), so that the figure's
 * count, which reads none of the names, lets the planner drop the joins.
 */
const participants = (table: SQL, day: SQL) => (s: MeasureScope) => sql`
  select x.member_id::text as id, coalesce(m.name, '') as name, o.name as org_name, 'participants' as bucket, null::text as bucket_label,
         x.last_day::text as on_date, x.times::numeric as value, m.phone_masked as detail
    from (select t.member_id, max(${day}) as last_day, count(*) as times from ${table} t
           where t.org_path <@ ${s.rootPath}::ltree and ${day} between ${s.from}::date and ${s.to}::date
           group by t.member_id) x
    left join members m on m.id = x.member_id left join orgs o on o.id = m.org_id`;

export const MEASURE_DEFINITIONS: Record<Exclude<Measure, 'compliance'>, MeasureDefinition> = {
  // the tree as it is: every org of the subtree that is not dissolved (the root included)
  orgs_by_type: {
    sources: ['orgs'],
    records: (s) => sql`
      select o.id::text as id, o.name, p.name as org_name, o.type as bucket, null::text as bucket_label,
             o.founded_on::text as on_date, null::numeric as value, o.secretary_name as detail
        from orgs o left join orgs p on p.id = o.parent_id
       where o.path <@ ${s.rootPath}::ltree and o.dissolved_at is null`,
    order: sql`bucket, name, id`,
  },
  // everyone on the roll, the pipeline's stages included
  members_by_stage: {
    sources: ['orgs', 'members'],
    records: (s) => sql`
      select m.id::text as id, m.name, o.name as org_name, m.stage as bucket, null::text as bucket_label,
             coalesce(m.joined_on, m.candidate_on, m.activist_on, m.applied_on)::text as on_date, null::numeric as value, m.phone_masked as detail
        from members m join orgs o on o.id = m.org_id
       where m.org_path <@ ${s.rootPath}::ltree and m.left_at is null`,
    order: sql`bucket, name, id`,
  },
  members_by_gender: { sources: ['orgs', 'members'], records: partyMembers(sql`m.gender`), order: sql`bucket, name, id` },
  // age on the report day, in the bands the organization department's statistics use
  members_by_age: {
    sources: ['orgs', 'members'],
    records: (s) => partyMembers(sql`(case when m.birth_date is null then 'unknown'
      when m.birth_date > (${s.asOf}::date - interval '31 years') then 'to_30'
      when m.birth_date > (${s.asOf}::date - interval '41 years') then '31_40'
      when m.birth_date > (${s.asOf}::date - interval '51 years') then '41_50'
      when m.birth_date > (${s.asOf}::date - interval '61 years') then '51_60'
      else 'over_60' end)`)(s),
    order: sql`bucket, name, id`,
  },
  members_by_education: { sources: ['orgs', 'members'], records: partyMembers(sql`coalesce(nullif(m.education, ''), 'unknown')`), order: sql`bucket, name, id` },
  members_by_ethnicity: { sources: ['orgs', 'members'], records: partyMembers(sql`m.ethnicity`), order: sql`bucket, name, id` },
  // 党员类别 as the dues module records it: the category of the member's dues base of the period's year — the
  // one in force at the period's end, or the year's first when it starts later (migration 20261206100200)
  members_by_category: {
    sources: ['orgs', 'members', 'dues'],
    records: (s) => sql`
      select m.id::text as id, m.name, o.name as org_name, coalesce(b.category, 'unregistered') as bucket, null::text as bucket_label,
             b.effective_month::text as on_date, null::numeric as value, m.phone_masked as detail
        from members m join orgs o on o.id = m.org_id
        left join lateral (
          select d.category, d.effective_month from dues_bases d
           where d.member_id = m.id and d.year = ${Number(s.from.slice(0, 4))}
           order by d.effective_month > ${s.to}::date, abs(d.effective_month - ${s.to}::date)
           limit 1) b on true
       where m.org_path <@ ${s.rootPath}::ltree and ${PARTY_MEMBER}`,
    order: sql`bucket, name, id`,
  },
  // the ranking of the child orgs by party members (each child's whole subtree)
  members_by_child: {
    sources: ['orgs', 'members'],
    records: (s) => sql`
      select m.id::text as id, m.name, o.name as org_name, c.id::text as bucket, c.name as bucket_label,
             m.joined_on::text as on_date, null::numeric as value, m.phone_masked as detail
        from members m join orgs o on o.id = m.org_id
        join orgs c on c.id = ltree2text(subpath(m.org_path, nlevel(${s.rootPath}::ltree), 1))::bigint
       where m.org_path <@ ${s.rootPath}::ltree and m.org_path <> ${s.rootPath}::ltree and ${PARTY_MEMBER}`,
    order: sql`bucket, name, id`,
  },
  // the development pipeline's flow: stage steps taken in the period by members now in the subtree
  pipeline_flow: {
    sources: ['orgs', 'members'],
    records: (s) => sql`
      select e.id::text as id, m.name, o.name as org_name, e.stage as bucket, null::text as bucket_label,
             e.occurred_on::text as on_date, null::numeric as value, m.phone_masked as detail
        from member_stage_events e join members m on m.id = e.member_id join orgs o on o.id = m.org_id
       where m.org_path <@ ${s.rootPath}::ltree and e.occurred_on between ${s.from}::date and ${s.to}::date`,
    order: byDate,
  },
  // 换届: terms that ended (overdue) or end within 90 days of the report day
  terms_due: {
    sources: ['orgs'],
    records: (s) => sql`
      select o.id::text as id, o.name, p.name as org_name,
             case when o.term_end < ${s.asOf}::date then 'overdue' else 'due_90' end as bucket, null::text as bucket_label,
             o.term_end::text as on_date, null::numeric as value, o.secretary_name as detail
        from orgs o left join orgs p on p.id = o.parent_id
       where o.path <@ ${s.rootPath}::ltree and o.dissolved_at is null and o.term_end is not null and o.term_end <= ${s.asOf}::date + 90`,
    order: sql`on_date, id`,
  },
  quiz_participation: { sources: ['orgs', 'members', 'quiz'], records: participants(sql`daily_quiz_submissions`, sql`t.quiz_date`), order: sql`value desc, id` },
  study_participation: { sources: ['orgs', 'members', 'learning'], records: participants(sql`clock_ins`, sql`t.day`), order: sql`value desc, id` },
  // exam attempts handed in during the period, by members of the subtree's exam rolls
  exam_participation: {
    sources: ['orgs', 'members', 'exams'],
    records: (s) => sql`
      select a.id::text as id, m.name, o.name as org_name, case when a.is_passed then 'passed' else 'failed' end as bucket, null::text as bucket_label,
             ${chinaDateOf(sql`a.submitted_at`)}::text as on_date, a.score::numeric as value, e.title as detail
        from exam_attempts a
        -- the attempt's roll entry probed by both keys: as a join, with the rolls' statistics not yet gathered (a new
        -- exam of 5,000; PGlite never gathers them), the planner probed by the exam alone and filtered 5,000 entries
        -- for every attempt (4.3 s for a district's year instead of 22 ms)
        cross join lateral (select 1 from exam_participants ep where ep.exam_id = a.exam_id and ep.member_id = a.member_id
                             and ep.org_path <@ ${s.rootPath}::ltree limit 1) ep
        join exams e on e.id = a.exam_id
        join members m on m.id = a.member_id join orgs o on o.id = m.org_id
       where a.submitted_at >= ${periodStart(s)} and a.submitted_at < ${periodEnd(s)}`,
    order: byDate,
  },
  // child orgs ranked by the points their members earned in the period's months (the points module's monthly totals)
  org_points: {
    sources: ['orgs', 'points'],
    records: (s) => sql`
      select c.id::text as id, c.name, null::text as org_name, 'ranked' as bucket, null::text as bucket_label,
             null::text as on_date, sum(t.points)::numeric as value, null::text as detail
        from orgs c
        join points_totals t on t.period = 'month' and t.period_start between ${s.from}::date and ${s.to}::date
                            and t.path >= c.path::text || '.' and t.path < c.path::text || '/'
       where c.parent_id = ${s.rootId} and c.dissolved_at is null
       group by c.id, c.name
      having sum(t.points) > 0`,
    order: sql`value desc, id`,
  },
  // 办实事 under way in the period: started by its end and not completed before its start; value = progress %
  service_projects: {
    sources: ['orgs', 'service'],
    records: (s) => sql`
      select p.id::text as id, p.title as name, o.name as org_name, p.status as bucket, null::text as bucket_label,
             p.planned_completion::text as on_date, p.progress::numeric as value, p.owner_name as detail
        from service_projects p join orgs o on o.id = p.org_id
       where p.org_path <@ ${s.rootPath}::ltree and p.started_on <= ${s.to}::date and (p.completed_on is null or p.completed_on >= ${s.from}::date)`,
    order: sql`bucket, on_date, id`,
  },
  // satisfaction: the people's approved ratings given in the period (value = stars; the average is sum / count)
  service_satisfaction: {
    sources: ['orgs', 'service'],
    records: (s) => sql`
      select f.id::text as id, p.title as name, o.name as org_name, f.rating::text as bucket, null::text as bucket_label,
             ${chinaDateOf(sql`f.created_at`)}::text as on_date, f.rating::numeric as value, f.comment as detail
        from service_project_feedback f join service_projects p on p.id = f.project_id join orgs o on o.id = p.org_id
       where p.org_path <@ ${s.rootPath}::ltree and f.status = 'approved'
         and f.created_at >= ${periodStart(s)} and f.created_at < ${periodEnd(s)}`,
    order: byDate,
  },
  // hours confirmed in the period for the subtree's volunteer projects (value in tenths of an hour)
  volunteer_hours: {
    sources: ['orgs', 'members', 'volunteering'],
    records: (s) => sql`
      select su.id::text as id, m.name, o.name as org_name, 'confirmed' as bucket, null::text as bucket_label,
             ${chinaDateOf(sql`su.confirmed_at`)}::text as on_date, su.hours_tenths::numeric as value, vp.title as detail
        from volunteer_signups su join volunteer_projects vp on vp.id = su.project_id
        join members m on m.id = su.member_id join orgs o on o.id = m.org_id
       where vp.org_path <@ ${s.rootPath}::ltree and su.attended and su.hours_tenths > 0
         and su.confirmed_at >= ${periodStart(s)} and su.confirmed_at < ${periodEnd(s)}`,
    order: byDate,
  },
  // visits recorded at the subtree's venues (as the venues statistics count them); value = people
  venue_visits: {
    sources: ['orgs', 'venues'],
    records: (s) => sql`
      select b.id::text as id, b.unit_name as name, v.name as org_name, b.purpose as bucket, null::text as bucket_label,
             b.visit_date::text as on_date, b.actual_headcount::numeric as value, null::text as detail
        from venue_bookings b join venues v on v.id = b.venue_id
       where v.org_path <@ ${s.rootPath}::ltree and b.status = 'visited' and b.visit_date between ${s.from}::date and ${s.to}::date`,
    order: byDate,
  },
  // trend: activities held (announced or closed, not cancelled) per month over the twelve months
  activities_by_month: {
    sources: ['orgs', 'activities'],
    records: (s) => sql`
      select a.id::text as id, a.title as name, o.name as org_name, to_char(${chinaDateOf(sql`a.starts_at`)}, 'YYYY-MM') as bucket, null::text as bucket_label,
             ${chinaDateOf(sql`a.starts_at`)}::text as on_date, null::numeric as value, a.type as detail
        from activities a join orgs o on o.id = a.org_id
       where a.org_path <@ ${s.rootPath}::ltree and a.status in ('published', 'closed')
         and a.starts_at >= ${chinaDayStartsAt(sql`${s.trendFrom}::date`)} and a.starts_at < ${periodEnd(s)}`,
    order: byDate,
  },
  // trend: members admitted (预备党员 from the day they joined) per month, now on the subtree's roll
  new_members_by_month: {
    sources: ['orgs', 'members'],
    records: (s) => sql`
      select m.id::text as id, m.name, o.name as org_name, to_char(m.joined_on, 'YYYY-MM') as bucket, null::text as bucket_label,
             m.joined_on::text as on_date, null::numeric as value, m.phone_masked as detail
        from members m join orgs o on o.id = m.org_id
       where m.org_path <@ ${s.rootPath}::ltree and m.left_at is null and m.joined_on between ${s.trendFrom}::date and ${s.to}::date`,
    order: byDate,
  },
};

/** The sources of every measure, compliance (activities, orgs and rules) included. */
export function sourcesOf(measure: Measure): readonly Source[] {
  return measure === 'compliance' ? ['orgs', 'activities'] : MEASURE_DEFINITIONS[measure].sources;
}
