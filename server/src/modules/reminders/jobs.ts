import { sql } from 'drizzle-orm';
import { todayInChina } from '../../../../contracts/china-time.js';
import type { Todo, TodoKind } from '../../../../contracts/home.js';
import type { Db } from '../../platform/db.js';
import type { JobDefinition } from '../../platform/scheduler.js';
import { computeTodos } from '../home/todos.js';
import { deliverRows } from '../inbox/deliver.js';
import { examOpeningJob } from './exam-opening.js';
import { adminsNearest } from './policy.js';

/*
 * Reminders: recurring jobs, each one run across all server processes per slot (scheduler.ts), each
 * fanning out to all its recipients in one statement per tree. What is due comes from the owning
 * modules (the 工作台's to-dos of the home module, which take 三会一课 from the activities module's
 * compliance report), so a reminder and the to-do it points to never disagree. An item's dedupe key
 * names the record, the severity and the period, so the daily run repeats nothing and a reminder
 * comes again only when the situation changes (due soon → overdue, a new period, a new term).
 */

const DAY_SECONDS = 86_400;

/** The 工作台 kinds that become reminders to an org's administrators. */
export const ORG_REMINDER_KINDS = ['three_meetings', 'term_due', 'probation_ending'] as const satisfies readonly TodoKind[];

const MEETINGS = '三会一课';

/** The reminder's title: what is due, where, and by when. */
export function reminderTitle(todo: Todo): string {
  const { orgName: org, count, dueDate: due, severity } = todo;
  switch (todo.kind) {
    case 'three_meetings':
      return severity === 'overdue'
        ? `${MEETINGS}逾期：${org}有 ${count} 项上期和本期均未召开`
        : `${MEETINGS}即将到期：${org}有 ${count} 项本期尚未召开（${due} 前）`;
    case 'term_due':
      return severity === 'overdue'
        ? `换届已到期：${org}届期已于 ${due} 届满，请及时换届`
        : `换届提醒：${org}届期将于 ${due} 届满（${severity === 'due_soon' ? '30' : '90'} 天内）`;
    case 'probation_ending':
      return severity === 'overdue'
        ? `预备期已满：${org}有 ${count} 名预备党员预备期已满，尚未讨论转正`
        : `预备期将满：${org}有 ${count} 名预备党员预备期将于 ${due} 起陆续届满`;
    default:
      return `${org}：待办事项 ${count} 项`;
  }
}

/**
 * 三会一课 due or overdue per branch, 换届 in 90 / 30 days or overdue, 预备党员 whose probation ends
 * within 30 days → the administrators of the org (adminsNearest). One statement per tree.
 */
export async function remindOrgTodos(db: Db, now: Date): Promise<number> {
  const today = todayInChina(now);
  const roots = (await db.execute<{ path: string } & Record<string, unknown>>(sql`
    select path::text from orgs where parent_id is null and dissolved_at is null order by id`)).rows;
  let delivered = 0;
  for (const root of roots) {
    const todos = await computeTodos(db, { orgPath: root.path }, { kinds: ORG_REMINDER_KINDS, today, per: 'org' });
    if (!todos.length) continue;
    const items = todos.map((t) => ({
      org_id: t.orgId, title: reminderTitle(t), link: t.link,
      // the period: a requirement's period end, a term's end, the first probation end of the group
      dedupe_key: `todo:${t.kind}:${t.orgId}:${t.severity}:${t.dueDate ?? ''}`,
    }));
    delivered += await deliverRows(db, sql`
      select a.user_id, 'reminder', t.title, null, t.link, 'org', t.org_id::text, t.dedupe_key
        from jsonb_to_recordset(${JSON.stringify(items)}::jsonb) as t (org_id bigint, title text, link text, dedupe_key text)
        cross join lateral (${adminsNearest(sql`t.org_id`)}) a`);
  }
  return delivered;
}

/** The Monday (China time) of the week `today` falls in: make-up reminders come once a week. */
export function weekStartOf(today: string): string {
  const day = new Date(`${today}T00:00:00Z`);
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * DAY_SECONDS * 1000).toISOString().slice(0, 10);
}

/** 补学 still open → the member, one item a week while any is open (the count of open tasks in the title). */
export async function remindMakeUp(db: Db, now: Date): Promise<number> {
  const week = weekStartOf(todayInChina(now));
  return deliverRows(db, sql`
    select u.id, 'reminder', '补学提醒：您有 ' || count(*) || ' 项补学任务待完成', '参加活动缺席或请假后，请阅读会议记录或观看录像完成补学',
           '/me/activities?tab=make-up', 'make_up', t.member_id::text, 'make_up:' || t.member_id || ':' || ${week}
      from make_up_tasks t
      join members m on m.id = t.member_id and m.left_at is null
      join users u on u.member_id = t.member_id
     where t.status = 'open'
     group by u.id, t.member_id`);
}

export const reminderJobs: JobDefinition[] = [
  {
    // once a day; the slot starts at 00:00 UTC, 08:00 in China: the reminders greet the working day
    kind: 'reminders.org_todos',
    everySeconds: DAY_SECONDS,
    async run({ db, now, log }) {
      const delivered = await remindOrgTodos(db, now);
      log.info({ delivered }, 'org reminders delivered');
    },
  },
  {
    kind: 'reminders.make_up',
    everySeconds: DAY_SECONDS,
    async run({ db, now, log }) {
      const delivered = await remindMakeUp(db, now);
      log.info({ delivered }, 'make-up reminders delivered');
    },
  },
  examOpeningJob,
];
