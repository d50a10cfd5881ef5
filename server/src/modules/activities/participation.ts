import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { AttendanceState, ContributionSchema, InboxSchema, MakeUpTaskPageSchema, MakeUpTaskListQuerySchema } from '../../../../contracts/activities.js';
import type { Actor } from '../../platform/actor.js';
import type { Db } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { conflict, forbidden, invalidField, notFound } from '../../platform/errors.js';
import { findManagedActivity, iso, isoOf } from './service.js';
import { makeUpTasksInScope, visibleActivities } from './policy.js';
import { pageLimit } from '../../platform/sql.js';
import { safeRow } from '../../platform/spreadsheet-cells.js';

type Contribution = z.infer<typeof ContributionSchema>;

interface MyParticipation {
  orgPath: string; type: string; status: string; startsAt: Date; asksBringAndTake: boolean; inTree: boolean;
  state: AttendanceState | null; checkedIn: boolean;
}

/** The activity as the signed-in member sees it, with their participant row; 404 when not visible. */
async function myParticipation(db: Db, actor: Actor, id: string): Promise<MyParticipation> {
  if (!actor.memberId) throw forbidden('activity.not_a_member');
  const row = (await db.execute<{
    org_path: string; type: string; status: string; starts_at: Date | string; asks_bring_and_take: boolean; in_tree: boolean;
    state: AttendanceState | null; checked_in_at: Date | null;
  } & Record<string, unknown>>(sql`
    select a.org_path::text, a.type, a.status, a.starts_at, a.asks_bring_and_take, p.state, p.checked_in_at,
           exists (select 1 from members m where m.id = ${actor.memberId} and m.org_path <@ a.org_path and m.left_at is null) as in_tree
      from activities a left join activity_participants p on p.activity_id = a.id and p.member_id = ${actor.memberId}
     where a.id = ${id} and ${visibleActivities(actor)}`)).rows[0];
  if (!row) throw notFound('activity.not_found');
  return {
    orgPath: row.org_path, type: row.type, status: row.status, startsAt: new Date(row.starts_at), asksBringAndTake: row.asks_bring_and_take,
    inTree: row.in_tree, state: row.state, checkedIn: row.checked_in_at !== null,
  };
}

/** 报名: an invited member confirms; a member of the tree joins an open class. */
export async function register(db: Db, actor: Actor, id: string) {
  const me = await myParticipation(db, actor, id);
  if (me.status !== 'published') throw conflict('activity.not_published');
  if (me.startsAt.getTime() <= Date.now()) throw conflict('activity.registration_closed');
  if (me.state === null && !(me.type === 'open_lesson' && me.inTree)) throw forbidden('activity.not_invited');
  if (me.checkedIn) throw conflict('activity.already_checked_in');
  await db.transaction(async (tx) => {
    await tx.execute(sql`insert into activity_participants (activity_id, member_id, state, registered_at, read_at)
      values (${id}, ${actor.memberId}, 'registered', now(), now())
      on conflict (activity_id, member_id) do update set state = 'registered', registered_at = now(), leave_reason = null`);
    await audit(tx, actor, { action: 'activity.register', targetType: 'activity', targetId: id, orgPath: me.orgPath, detail: { memberId: actor.memberId } });
  });
  return { state: 'registered' as const };
}

/** 请假: before the activity starts, with a reason. */
export async function requestLeave(db: Db, actor: Actor, id: string, reason: string) {
  const me = await myParticipation(db, actor, id);
  if (me.state === null) throw forbidden('activity.not_invited');
  if (me.status !== 'published') throw conflict('activity.not_published');
  if (me.checkedIn) throw conflict('activity.already_attended');
  if (me.startsAt.getTime() <= Date.now()) throw conflict('activity.leave_too_late');
  await db.transaction(async (tx) => {
    await tx.execute(sql`update activity_participants set state = 'leave', leave_reason = ${reason}, read_at = coalesce(read_at, now())
      where activity_id = ${id} and member_id = ${actor.memberId}`);
    await audit(tx, actor, { action: 'activity.request_leave', targetType: 'activity', targetId: id, orgPath: me.orgPath, detail: { memberId: actor.memberId, reason } });
  });
  return { state: 'leave' as const };
}

/**
 * The in-app notices: one query over the member's participant rows (no per-user fan-out job).
 * A notice is unread until the member opens it; read receipts are not audited (they are the member's own view).
 */
export async function inbox(db: Db, actor: Actor): Promise<z.infer<typeof InboxSchema>> {
  if (!actor.memberId) return { items: [], unread: 0 };
  const rows = await db.execute<{
    activity_id: string; title: string; type: string; org_name: string; starts_at: Date | string; place: string | null; status: string;
    state: AttendanceState; is_read: boolean;
  } & Record<string, unknown>>(sql`
    select a.id::text as activity_id, a.title, a.type, o.name as org_name, a.starts_at, a.place, a.status, p.state, p.read_at is not null as is_read
      from activity_participants p join activities a on a.id = p.activity_id join orgs o on o.id = a.org_id
     where p.member_id = ${actor.memberId} and a.status <> 'draft'
     order by (p.read_at is null and a.status = 'published') desc, a.starts_at desc limit 100`);
  const unread = await db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n
      from activity_participants p join activities a on a.id = p.activity_id
     where p.member_id = ${actor.memberId} and p.read_at is null and a.status = 'published'`);
  return {
    items: rows.rows.map((r) => ({
      activityId: r.activity_id, title: r.title, type: r.type as never, orgName: r.org_name, startsAt: isoOf(r.starts_at), place: r.place,
      status: r.status as never, myState: r.state, isRead: r.is_read,
    })),
    unread: Number(unread.rows[0]?.n ?? 0),
  };
}

export async function markRead(db: Db, actor: Actor, id: string) {
  const me = await myParticipation(db, actor, id);
  if (me.state === null) throw forbidden('activity.not_invited');
  await db.execute(sql`update activity_participants set read_at = now() where activity_id = ${id} and member_id = ${actor.memberId} and read_at is null`);
  return { ok: true as const };
}

/** 三带来: before the activity, a suggestion (金点子), an opinion on the party work, a volunteer project proposal. */
export async function bring(db: Db, actor: Actor, id: string, input: { idea?: string | null; opinion?: string | null; volunteerProposal?: string | null }) {
  const me = await myParticipation(db, actor, id);
  if (me.state === null) throw forbidden('activity.not_invited');
  if (!me.asksBringAndTake) throw conflict('activity.bring_and_take_off');
  if (me.status !== 'published' || me.startsAt.getTime() <= Date.now()) throw conflict('activity.bring_too_late');
  if (!input.idea && !input.opinion && !input.volunteerProposal) throw invalidField('idea', 'activity.bring_empty');
  await db.transaction(async (tx) => {
    await tx.execute(sql`update activity_participants set idea = ${input.idea ?? null}, opinion = ${input.opinion ?? null},
        volunteer_proposal = ${input.volunteerProposal ?? null}, brought_at = now()
      where activity_id = ${id} and member_id = ${actor.memberId}`);
    await audit(tx, actor, { action: 'activity.bring', targetType: 'activity', targetId: id, orgPath: me.orgPath, detail: { memberId: actor.memberId } });
  });
  return { ok: true as const };
}

/** 三带走: once the activity has started (and after it is closed), what the member took away. */
export async function takeAway(db: Db, actor: Actor, id: string, takeaway: string) {
  const me = await myParticipation(db, actor, id);
  if (me.state === null) throw forbidden('activity.not_invited');
  if (!me.asksBringAndTake) throw conflict('activity.bring_and_take_off');
  if ((me.status !== 'published' && me.status !== 'closed') || me.startsAt.getTime() > Date.now()) throw conflict('activity.take_away_too_early');
  await db.transaction(async (tx) => {
    await tx.execute(sql`update activity_participants set takeaway = ${takeaway}, took_away_at = now()
      where activity_id = ${id} and member_id = ${actor.memberId}`);
    await audit(tx, actor, { action: 'activity.take_away', targetType: 'activity', targetId: id, orgPath: me.orgPath, detail: { memberId: actor.memberId } });
  });
  return { ok: true as const };
}

export async function listContributions(db: Db, actor: Actor, id: string): Promise<Contribution[]> {
  await findManagedActivity(db, actor, id, false);
  const rows = await db.execute<{
    member_id: string; name: string; idea: string | null; opinion: string | null; volunteer_proposal: string | null;
    brought_at: Date | null; takeaway: string | null; took_away_at: Date | null;
  } & Record<string, unknown>>(sql`
    select p.member_id::text, m.name, p.idea, p.opinion, p.volunteer_proposal, p.brought_at, p.takeaway, p.took_away_at
      from activity_participants p join members m on m.id = p.member_id
     where p.activity_id = ${id} and (p.brought_at is not null or p.took_away_at is not null)
     order by m.id`);
  return rows.rows.map((r) => ({
    memberId: r.member_id, name: r.name, idea: r.idea, opinion: r.opinion, volunteerProposal: r.volunteer_proposal,
    broughtAt: iso(r.brought_at), takeaway: r.takeaway, tookAwayAt: iso(r.took_away_at),
  }));
}

/** The 三带来三带走 sheet of one activity, streamed as .xlsx. */
export async function exportContributions(db: Db, actor: Actor, id: string): Promise<{ stream: PassThrough; filename: string }> {
  const items = await listContributions(db, actor, id);
  const title = (await db.execute<{ title: string } & Record<string, unknown>>(sql`select title from activities where id = ${id}`)).rows[0]!.title;
  await db.transaction(async (tx) => {
    const activity = await findManagedActivity(tx, actor, id);
    await audit(tx, actor, { action: 'activity.export_contributions', targetType: 'activity', targetId: id, orgPath: activity.orgPath, detail: { rows: items.length } });
  });
  const stream = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false });
  const sheet = workbook.addWorksheet('三带来三带走');
  sheet.columns = [
    { header: '姓名', key: 'name', width: 12 }, { header: '金点子', key: 'idea', width: 40 }, { header: '意见建议', key: 'opinion', width: 40 },
    { header: '志愿服务项目', key: 'volunteerProposal', width: 40 }, { header: '带走收获', key: 'takeaway', width: 40 },
  ];
  for (const item of items) sheet.addRow(safeRow({ ...item })).commit();
  sheet.commit();
  void workbook.commit();
  return { stream, filename: `${title}-三带来三带走.xlsx` };
}

// ---------- 补学 make-up study ----------

type MakeUpPage = z.infer<typeof MakeUpTaskPageSchema>;

export async function listMakeUpTasks(db: Db, actor: Actor, query: z.infer<typeof MakeUpTaskListQuerySchema>): Promise<MakeUpPage> {
  const conditions: SQL[] = [];
  if (query.orgId) {
    conditions.push(sql`t.org_path <@ (select path from orgs where id = ${query.orgId})`, makeUpTasksInScope(actor));
  } else {
    conditions.push(actor.memberId ? sql`t.member_id = ${actor.memberId}` : sql`false`);
  }
  if (query.activityId) conditions.push(sql`t.activity_id = ${query.activityId}`);
  if (query.status) conditions.push(sql`t.status = ${query.status}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<{
      id: string; activity_id: string; title: string; type: string; starts_at: Date | string; member_id: string; member_name: string;
      reason: 'absent' | 'leave'; status: 'open' | 'done'; note: string | null; done_at: Date | null; has_recording: boolean;
    } & Record<string, unknown>>(sql`
      select t.id::text, t.activity_id::text, a.title, a.type, a.starts_at, t.member_id::text, m.name as member_name, t.reason, t.status, t.note,
             t.done_at, a.recording_url is not null as has_recording
        from make_up_tasks t join activities a on a.id = t.activity_id join members m on m.id = t.member_id
       where ${where} order by t.status, t.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from make_up_tasks t where ${where}`),
  ]);
  return {
    items: rows.rows.map((r) => ({
      id: r.id, activityId: r.activity_id, activityTitle: r.title, activityType: r.type as never, startsAt: isoOf(r.starts_at), memberId: r.member_id,
      memberName: r.member_name, reason: r.reason, status: r.status, note: r.note, doneAt: iso(r.done_at), hasRecording: r.has_recording,
    })),
    total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize,
  };
}

/** The member confirms having read the minutes or watched the recording. */
export async function completeMakeUp(db: Db, actor: Actor, taskId: string, note: string | null | undefined) {
  return db.transaction(async (tx) => {
    const task = (await tx.execute<{ status: string; org_path: string; activity_id: string } & Record<string, unknown>>(sql`
      select status, org_path::text, activity_id::text from make_up_tasks where id = ${taskId} and member_id = ${actor.memberId ?? null}::bigint for update`)).rows[0];
    if (!task) throw notFound('make_up.not_found');
    if (task.status === 'done') throw conflict('make_up.already_done');
    await tx.execute(sql`update make_up_tasks set status = 'done', done_at = now(), note = ${note ?? null} where id = ${taskId}`);
    await audit(tx, actor, { action: 'activity.complete_make_up', targetType: 'make_up_task', targetId: taskId, orgPath: task.org_path, detail: { activityId: task.activity_id } });
    return { ok: true as const };
  });
}
