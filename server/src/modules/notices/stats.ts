import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db.js';

export interface NoticeReadRate {
  noticeId: string;
  title: string;
  orgId: string;
  recipients: number;
  read: number;
}

/** How far back the 工作台 looks at read rates. */
export const READ_RATE_DAYS = 90;

/**
 * Per published notice of the subtree at `orgPath` in the last 90 days: how many were asked and how
 * many have read — the same rows the notice's receipts page counts (notice_recipients), newest first.
 */
export async function noticeReadRates(db: Queryable, orgPath: string): Promise<NoticeReadRate[]> {
  const rows = await db.execute<{ notice_id: string; title: string; org_id: string; recipients: number; read: number } & Record<string, unknown>>(sql`
    select n.id::text as notice_id, n.title, n.org_id::text,
           count(r.user_id)::int as recipients, count(r.read_at)::int as read
    from notices n left join notice_recipients r on r.notice_id = n.id
    where n.org_path <@ ${orgPath}::ltree and n.status = 'published'
      and n.published_at >= now() - ${`${READ_RATE_DAYS} days`}::interval
    group by n.id
    order by n.published_at desc, n.id desc`);
  return rows.rows.map((r) => ({ noticeId: r.notice_id, title: r.title, orgId: r.org_id, recipients: Number(r.recipients), read: Number(r.read) }));
}
