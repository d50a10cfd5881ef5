import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db.js';
import { cancelJob, enqueueJob, type JobDefinition } from '../../platform/scheduler.js';
import { deliverRows } from '../inbox/deliver.js';

/**
 * An exam's opening reaches its participants when it opens: the exams module queues one run per
 * exam at its opening time (queued again when the time changes, dropped when the exam is cancelled),
 * and the run fans out to every participant in one statement.
 */
export const EXAM_OPENING = 'exams.opening';

export async function scheduleExamOpening(tx: Queryable, examId: string, opensAt: string | Date): Promise<void> {
  await enqueueJob(tx, EXAM_OPENING, new Date(opensAt), { examId }, examId);
}

export async function unscheduleExamOpening(tx: Queryable, examId: string): Promise<void> {
  await cancelJob(tx, EXAM_OPENING, examId);
}

/** Tells the participants (members with an account) of an exam that is open now; a cancelled or closed exam tells nobody. */
export async function announceExamOpening(db: Queryable, examId: string, now: Date): Promise<number> {
  return deliverRows(db, sql`
    select u.id, 'exam', '考试已开放：' || e.title,
           '请于 ' || to_char(e.closes_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') || ' 前完成，限时 ' || e.time_limit_minutes || ' 分钟',
           '/me/exams', 'exam', e.id::text, 'exam_open:' || e.id
      from exams e
      join exam_participants p on p.exam_id = e.id
      join members m on m.id = p.member_id and m.left_at is null
      join users u on u.member_id = p.member_id
     where e.id = ${examId} and e.cancelled_at is null and e.opens_at <= ${now} and e.closes_at > ${now}`);
}

export const examOpeningJob: JobDefinition = {
  kind: EXAM_OPENING,
  async run({ db, now, payload, log }) {
    const { examId } = payload as { examId: string };
    const delivered = await announceExamOpening(db, examId, now);
    log.info({ examId, delivered }, 'exam opening delivered');
  },
};
