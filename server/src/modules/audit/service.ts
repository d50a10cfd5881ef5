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
  target_type: string; target_id: string | null; org_path: string | null; org_name: string | null; detail: Record<string, unknown> | string;
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
      select a.id::text, a.at, a.user_id::text, a.username, a.ip, a.action, a.target_type, a.target_id, a.org_path::text, o.name as org_name, a.detail
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
    orgPath: row.org_path,
    orgName: row.org_name,
    ip: row.ip,
    detail: typeof row.detail === 'string' ? (JSON.parse(row.detail) as Record<string, unknown>) : row.detail,
  };
}
