import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { deliverRows } from '../modules/inbox/deliver.js';
import { remindMakeUp, remindOrgTodos } from '../modules/reminders/jobs.js';
import { EXAM_OPENING } from '../modules/reminders/exam-opening.js';
import type { DemoContext } from './context.js';

/**
 * The demo accounts' inboxes, filled the way the running site fills them: the notices of the activities
 * they were invited to (the activities demo writes its activities directly, not through publishing), the
 * openings of the exams open now (and those to come queued for their opening), and today's reminders from the reminder jobs themselves (三会一课, 换届,
 * 预备党员 for the administrators, 补学 for the members). Closed activities' notices are read. The same
 * dedupe keys as the site's, so the scheduler's first run after start repeats none of them.
 */
export async function seedInboxDemo(context: DemoContext): Promise<void> {
  const { tx } = context;
  await deliverRows(tx, sql`
    select u.id, 'activity', '活动通知：' || a.title,
           to_char(a.starts_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') || coalesce(' · ' || a.place, '') || ' · ' || o.name,
           '/me/activities/' || a.id, 'activity', a.id::text, 'activity:' || a.id
      from activities a
      join orgs o on o.id = a.org_id
      join activity_participants p on p.activity_id = a.id
      join users u on u.member_id = p.member_id
     where a.status in ('published', 'closed')`, { channels: false });
  await deliverRows(tx, sql`
    select u.id, 'exam', '考试已开放：' || e.title,
           '请于 ' || to_char(e.closes_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') || ' 前完成，限时 ' || e.time_limit_minutes || ' 分钟',
           '/me/exams', 'exam', e.id::text, 'exam_open:' || e.id
      from exams e
      join exam_participants p on p.exam_id = e.id
      join users u on u.member_id = p.member_id
     where e.cancelled_at is null and e.opens_at <= now() and e.closes_at > now()`, { channels: false });
  // the exams still to open are announced when they open, as the exams module queues them
  await tx.execute(sql`insert into scheduled_jobs (kind, key, run_at, payload)
    select ${EXAM_OPENING}, e.id::text, e.opens_at, jsonb_build_object('examId', e.id::text)
      from exams e where e.cancelled_at is null and e.opens_at > now()`);
  // the reminder jobs read through the modules' services, which take the database handle: the demo's transaction stands for it
  const db = tx as unknown as Db;
  const now = new Date();
  await remindOrgTodos(db, now);
  await remindMakeUp(db, now);
  await tx.execute(sql`update inbox_items i set read_at = a.ends_at from activities a
    where i.source_type = 'activity' and a.id = i.source_id::bigint and a.status = 'closed'`);
}
