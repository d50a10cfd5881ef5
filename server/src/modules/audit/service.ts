import { sql, type SQL } from 'drizzle-orm';
import { AUDIT_COUNT_CAP, type AuditEntry, type AuditPage, type AuditQuery } from '../../../../contracts/audit.js';
import type { Actor } from '../../platform/actor.js';
import type { Db } from '../../platform/db.js';
import { forbidden } from '../../platform/errors.js';
import { hasMessage, translate, type Lang } from '../../platform/i18n.js';
import { canBrowseAudit, visibleAuditEntries } from './policy.js';
import { actionLabelKey } from './messages.js';
import { chinaDayStartsAt } from '../../platform/china-time.js';
import { escapeLike, likeContaining, pageLimit } from '../../platform/sql.js';

type AuditRow = {
  id: string; at: Date | string; user_id: string | null; username: string | null; ip: string | null; action: string;
  target_type: string; target_id: string | null; target_name: string | null; org_path: string | null; org_name: string | null; detail: Record<string, unknown> | string;
} & Record<string, unknown>;

export async function listAudit(db: Db, actor: Actor, query: AuditQuery, lang: Lang): Promise<AuditPage> {
  if (!canBrowseAudit(actor)) throw forbidden();
  const conditions: SQL[] = [visibleAuditEntries(actor)];
  if (query.action) conditions.push(sql`a.action like ${escapeLike(query.action) + '%'}`);
  if (query.targetType) conditions.push(sql`a.target_type = ${query.targetType}`);
  if (query.targetId) conditions.push(sql`a.target_id = ${query.targetId}`);
  if (query.username) conditions.push(sql`a.username ilike ${likeContaining(query.username)}`);
  if (query.ip) conditions.push(sql`a.ip = ${query.ip}`);
  if (query.from) conditions.push(sql`a.at >= ${chinaDayStartsAt(sql`${query.from}::date`)}`);
  if (query.to) conditions.push(sql`a.at < ${chinaDayStartsAt(sql`${query.to}::date + 1`)}`);
  const where = sql.join(conditions, sql` and `);
  // the org by its current name: an ltree path ends in the org's own id, which survives moves
  const [rows, total] = await Promise.all([
    db.execute<AuditRow>(sql`
      select a.id::text, a.at, a.user_id::text, a.username, a.ip, a.action, a.target_type, a.target_id, a.org_path::text, o.name as org_name, a.detail,
             coalesce(${currentTargetName}, ${recordedTargetName}) as target_name
        from audit_log a
        left join orgs o on o.id = case when ltree2text(subpath(a.org_path, -1)) ~ '^[0-9]{1,18}$' then ltree2text(subpath(a.org_path, -1))::bigint end
       where ${where}
       order by a.at desc, a.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from (select 1 from audit_log a where ${where} limit ${AUDIT_COUNT_CAP + 1}) capped`),
  ]);
  const counted = Number(total.rows[0]?.n ?? 0);
  return {
    items: rows.rows.map((r) => toEntry(r, lang)),
    total: Math.min(counted, AUDIT_COUNT_CAP),
    isTotalCapped: counted > AUDIT_COUNT_CAP,
    page: query.page,
    pageSize: query.pageSize,
  };
}

/** The target's id as a key of its table, or null when it is not a bigint id (a point rule's code, a job's name). */
const targetKey = sql`case when a.target_id ~ '^[0-9]{1,18}$' then a.target_id::bigint end`;

/** The tables whose rows an entry may name, by `target_type`, and the column a person would call the row by. */
const NAMED_TARGETS: Record<string, { table: string; column: string }> = {
  member: { table: 'members', column: 'name' },
  org: { table: 'orgs', column: 'name' },
  user: { table: 'users', column: 'display_name' },
  activity: { table: 'activities', column: 'title' },
  exam: { table: 'exams', column: 'title' },
  paper: { table: 'papers', column: 'title' },
  question: { table: 'questions', column: 'stem' },
  course: { table: 'courses', column: 'title' },
  article: { table: 'articles', column: 'title' },
  study_plan: { table: 'study_plans', column: 'title' },
  venue: { table: 'venues', column: 'name' },
  venue_hall: { table: 'venue_halls', column: 'name' },
  service_station: { table: 'service_stations', column: 'name' },
  community: { table: 'communities', column: 'name' },
  co_building_agreement: { table: 'co_building_agreements', column: 'title' },
  micro_wish: { table: 'micro_wishes', column: 'title' },
  service_project: { table: 'service_projects', column: 'title' },
  volunteer_project: { table: 'volunteer_projects', column: 'title' },
  donation_campaign: { table: 'donation_campaigns', column: 'title' },
  learning_video: { table: 'learning_videos', column: 'file_name' },
  notice: { table: 'notices', column: 'title' },
  news_column: { table: 'news_columns', column: 'name' },
  news_item: { table: 'news_items', column: 'title' },
  responsibility_template: { table: 'responsibility_templates', column: 'title' },
  responsibility_item: { table: 'responsibility_items', column: 'task' },
  duty_review_round: { table: 'duty_review_rounds', column: 'title' },
  assessment_indicator: { table: 'assessment_indicators', column: 'name' },
  assessment_scheme: { table: 'assessment_schemes', column: 'name' },
  ranking_campaign: { table: 'ranking_campaigns', column: 'name' },
  ranking_period: { table: 'ranking_periods', column: 'label' },
  ranking_event: { table: 'ranking_events', column: 'title' },
  judging_panel: { table: 'judging_panels', column: 'title' },
  judging_entry: { table: 'judging_entries', column: 'title' },
  liaison_sit_in: { table: 'liaison_sit_ins', column: 'activity_title' },
  grading_scheme: { table: 'grading_schemes', column: 'name' },
  grading_rectification: { table: 'grading_rectifications', column: 'task' },
};

/**
 * The target by its current name, in the list query itself: one primary-key probe of the one
 * table the entry's type names (a CASE evaluates only its matching branch), so a page of 50
 * entries costs no extra round trips. A transfer is named by the member it moves.
 */
const currentTargetName: SQL = sql`case a.target_type
  ${sql.join(Object.entries(NAMED_TARGETS).map(([type, { table, column }]) =>
    sql`when ${type} then (select t.${sql.raw(column)} from ${sql.raw(table)} t where t.id = ${targetKey})`), sql`
  `)}
  when 'transfer' then (select m.name from transfers t join members m on m.id = t.member_id where t.id = ${targetKey})
  when 'point_rule' then (select r.name from point_rules r where r.code = a.target_id)
  end`;

/** When the object is gone (or was never a row), the name the entry recorded when it was written. */
const recordedTargetName: SQL = sql`coalesce(a.detail->>'name', a.detail->>'title', a.detail->>'displayName', a.detail->>'memberName', a.detail->>'username', a.detail->>'fileName')`;

function toEntry(row: AuditRow, lang: Lang): AuditEntry {
  const key = actionLabelKey(row.action);
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    userId: row.user_id,
    username: row.username,
    action: row.action,
    actionLabel: hasMessage(key) ? translate(key, lang) : row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    targetName: row.target_name,
    orgPath: row.org_path,
    orgName: row.org_name,
    ip: row.ip,
    detail: typeof row.detail === 'string' ? (JSON.parse(row.detail) as Record<string, unknown>) : row.detail,
  };
}
