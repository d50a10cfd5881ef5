import type { Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'drizzle-orm';
import type { AttendanceExportQuery, AttendanceState } from '../../../../contracts/activities.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db } from '../../platform/db.js';
import { managedOrg } from '../../platform/org-scope.js';
import { streamSheet } from '../../platform/xlsx-stream.js';
import { ACTIVITY_TYPE_NAMES } from './messages.js';

type AttendanceRow = {
  activity_id: string; starts_key: string; starts: string; title: string; type: string; org_name: string; member_id: string; member_name: string;
  state: AttendanceState; checked_in: string | null; check_in_method: 'qr' | 'code' | 'organizer' | null; leave_reason: string | null;
} & Record<string, unknown>;

const STATE_NAMES: Record<AttendanceState, string> = { invited: '未报名', registered: '已报名', leave: '请假', present: '出席', late: '迟到', absent: '缺席' };
const METHOD_NAMES = { qr: '扫码', code: '签到码', organizer: '组织者登记' } as const;

const COLUMNS = [
  { header: '活动时间', key: 'startsAt', width: 18 }, { header: '活动', key: 'title', width: 36 }, { header: '类型', key: 'type', width: 14 },
  { header: '组织', key: 'org', width: 24 }, { header: '姓名', key: 'name', width: 12 }, { header: '出勤', key: 'state', width: 8 },
  { header: '签到时间', key: 'checkedInAt', width: 18 }, { header: '签到方式', key: 'method', width: 12 }, { header: '请假事由', key: 'leaveReason', width: 30 },
] as const;

/**
 * 出勤记录 of a year: every participant of every published or closed activity of the org's
 * subtree that started in that calendar year (China's time), as a streamed .xlsx, by activity
 * time then member. For the org's admins; audited before any row leaves, with the row count (once
 * the download has started).
 */
export async function exportAttendance(db: Db, actor: Actor, query: AttendanceExportQuery, log: FastifyBaseLogger): Promise<{ stream: Readable; fileName: string }> {
  const org = await managedOrg(db, actor, query.orgId, { allowDissolved: true, notFoundKey: 'activity.org_not_found' });
  const inYear = sql`a.org_path <@ ${org.path}::ltree and a.status in ('published', 'closed')
    and a.starts_at >= make_timestamptz(${query.year}::int, 1, 1, 0, 0, 0, 'Asia/Shanghai')
    and a.starts_at < make_timestamptz(${query.year + 1}::int, 1, 1, 0, 0, 0, 'Asia/Shanghai')`;
  const stream = streamSheet<AttendanceRow, (typeof COLUMNS)[number]['key']>({
    label: 'activity.attendance_export',
    // counted once the download has started, before the first batch
    beforeRows: async () => {
      const count = await db.execute<{ n: number } & Record<string, unknown>>(sql`
        select count(*)::int as n from activities a join activity_participants p on p.activity_id = a.id where ${inYear}`);
      await audit(db, actor, {
        action: 'activity.attendance_export', targetType: 'org', targetId: org.id, orgPath: org.path,
        detail: { year: query.year, rowCount: Number(count.rows[0]?.n ?? 0) },
      });
    },
    sheetName: `${query.year}年出勤记录`,
    columns: COLUMNS,
    // keyset on (start, activity, member), the start as PostgreSQL's own text so no microsecond is lost
    nextBatch: async (after, batchRows) => (await db.execute<AttendanceRow>(sql`
      select a.id::text as activity_id, a.starts_at::text as starts_key, to_char(a.starts_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') as starts,
             a.title, a.type, o.name as org_name, p.member_id::text, m.name as member_name, p.state,
             to_char(p.checked_in_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') as checked_in, p.check_in_method, p.leave_reason
        from activities a join orgs o on o.id = a.org_id
        join activity_participants p on p.activity_id = a.id join members m on m.id = p.member_id
       where ${inYear} and ${after ? sql`(a.starts_at, a.id, p.member_id) > (${after.starts_key}::timestamptz, ${after.activity_id}::bigint, ${after.member_id}::bigint)` : sql`true`}
       order by a.starts_at, a.id, p.member_id limit ${batchRows}`)).rows,
    cellsOf: (r) => ({
      startsAt: r.starts, title: r.title, type: ACTIVITY_TYPE_NAMES[r.type] ?? r.type, org: r.org_name, name: r.member_name, state: STATE_NAMES[r.state],
      checkedInAt: r.checked_in, method: r.check_in_method ? METHOD_NAMES[r.check_in_method] : null, leaveReason: r.leave_reason,
    }),
  }, log);
  return { stream, fileName: `出勤记录-${org.name}-${query.year}.xlsx` };
}
