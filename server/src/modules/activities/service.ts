import crypto from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type {
  Activity, ActivityFile, ActivityListQuery, ActivityPage, ActivityStatus, ActivityType, AttendanceState, CreateActivity, ParticipantSelection,
  Participant, RecordActivity, UpdateActivity,
} from '../../../../contracts/activities.js';
import type { Actor } from '../../platform/actor.js';
import { managedOrg } from '../../platform/org-scope.js';
import type { Db, Queryable } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { conflict, invalidField, notFound } from '../../platform/errors.js';
import { simplify } from '../../platform/i18n.js';
import { findBookingForActivity, findVenueForActivity } from '../venues/service.js';
import { canManageActivity, invitableIn, publicLessonsOf, visibleActivities } from './policy.js';
import { awardPoints } from '../points/service.js';
import { deliverRows } from '../inbox/deliver.js';
import { chinaDate } from '../../../../contracts/china-time.js';
import { likeContaining, pageLimit, partialUpdate, textArray } from '../../platform/sql.js';

/** Sign-in opens this long before the start by default, and closes at the end. */
const CHECK_IN_OPENS_BEFORE_MS = 30 * 60_000;
/** 四落实 "people": more than half of those expected attended (the quorum of a branch general meeting). */
const PEOPLE_QUORUM = 0.5;

/**
 * The venue an activity is held at: the one named, else the booked one. A booking and a venue named
 * together must agree.
 */
async function heldAt(tx: Queryable, actor: Actor, input: { venueId?: string | null; venueBookingId?: string | null }): Promise<string | null> {
  const booked = input.venueBookingId ? await findBookingForActivity(tx, actor, input.venueBookingId, 'venueBookingId') : null;
  if (input.venueId) {
    await findVenueForActivity(tx, actor, input.venueId, 'venueId');
    if (booked && booked.venueId !== input.venueId) throw invalidField('venueId', 'activity.venue_not_booked');
    return input.venueId;
  }
  return booked?.venueId ?? null;
}

/** Which org types may hold which meetings; every other kind may be held by any org. */
const ORG_TYPES_FOR: Partial<Record<ActivityType, readonly string[]>> = {
  branch_general_meeting: ['branch', 'temporary_branch', 'general_branch'],
  branch_committee_meeting: ['branch', 'temporary_branch', 'general_branch'],
  group_meeting: ['group'],
  // 组织生活会 is a branch's; 民主生活会 and 中心组学习 are a leading group's (a committee's)
  org_life_meeting: ['branch', 'temporary_branch', 'general_branch'],
  democratic_life_meeting: ['work_committee', 'party_committee', 'organ_committee'],
  study_group: ['work_committee', 'party_committee', 'organ_committee'],
};

export type ActivityRow = {
  id: string; org_id: string; org_name: string; org_path: string; type: ActivityType; title: string; topic: string | null;
  agenda: string | null; starts_at: Date | string; ends_at: Date | string; place: string | null; venue_id: string | null; venue_booking_id: string | null;
  host_name: string | null; stream_url: string | null; series_id: string | null; is_public: boolean; asks_bring_and_take: boolean; is_first_topic: boolean;
  status: ActivityStatus; check_in_opens_at: Date | string; check_in_closes_at: Date | string; minutes: string | null;
  resolutions: string | null; summary: string | null; recording_url: string | null; attachments: unknown;
  published_at: Date | string | null; closed_at: Date | string | null; cancelled_at: Date | string | null; cancel_reason: string | null;
  n_invited: number; n_registered: number; n_leave: number; n_present: number; n_late: number; n_absent: number; n_total: number;
  my_state: AttendanceState | null;
} & Record<string, unknown>;

export const iso = (v: Date | string | null | undefined): string | null => (v == null ? null : new Date(v).toISOString());
export const isoOf = (v: Date | string): string => new Date(v).toISOString();

/** A Postgres array literal of validated tokens (ids, enum values, ltree paths): one parameter, not one per element. */

/** The attendance counts (alias `c`) of the activity `a`, from the participants' primary key. */
export const ATTENDANCE_COUNTS = sql`cross join lateral (select
        count(*) filter (where p.state = 'invited')::int as n_invited, count(*) filter (where p.state = 'registered')::int as n_registered,
        count(*) filter (where p.state = 'leave')::int as n_leave, count(*) filter (where p.state = 'present')::int as n_present,
        count(*) filter (where p.state = 'late')::int as n_late, count(*) filter (where p.state = 'absent')::int as n_absent,
        count(*)::int as n_total
      from activity_participants p where p.activity_id = a.id) c`;

// Attendance counts per activity come from the participants' primary key, one probe per row of the page.
function activityFrom(actor: Actor): SQL {
  const me = actor.memberId ? sql`me.member_id = ${actor.memberId}` : sql`false`;
  return sql`activities a join orgs o on o.id = a.org_id
    ${ATTENDANCE_COUNTS}
    left join activity_participants me on me.activity_id = a.id and ${me}`;
}

const activityColumns = sql`a.id::text, a.org_id::text, o.name as org_name, a.org_path::text, a.type, a.title, a.topic, a.agenda, a.starts_at, a.ends_at,
  a.place, a.venue_id::text, a.venue_booking_id::text, a.host_name, a.stream_url, a.series_id::text, a.is_public, a.asks_bring_and_take, a.is_first_topic, a.status,
  a.check_in_opens_at, a.check_in_closes_at, a.minutes, a.resolutions, a.summary, a.recording_url, a.attachments,
  a.published_at, a.closed_at, a.cancelled_at, a.cancel_reason,
  c.n_invited, c.n_registered, c.n_leave, c.n_present, c.n_late, c.n_absent, c.n_total, me.state as my_state`;

/** The SQL twin of `fourEnsuredOf(...).isIncomplete`, for the list filter. */
export const isIncompleteSql = sql`(a.status <> 'cancelled' and a.ends_at < now() and (coalesce(a.minutes, '') = '' or coalesce(a.summary, '') = ''
  or (c.n_total - c.n_leave) = 0 or (c.n_present + c.n_late) <= ${PEOPLE_QUORUM}::numeric * (c.n_total - c.n_leave)))`;

export function fourEnsuredOf(row: Pick<ActivityRow, 'status' | 'starts_at' | 'ends_at' | 'minutes' | 'summary' | 'n_total' | 'n_leave' | 'n_present' | 'n_late'>, now = Date.now()) {
  const expected = Number(row.n_total) - Number(row.n_leave);
  const attended = Number(row.n_present) + Number(row.n_late);
  const attendanceRate = expected > 0 ? Math.round((attended / expected) * 10_000) / 10_000 : null;
  const fourEnsured = {
    people: attendanceRate !== null && attendanceRate > PEOPLE_QUORUM,
    time: row.status !== 'cancelled' && new Date(row.starts_at).getTime() <= now,
    content: !!row.minutes?.trim(),
    effect: !!row.summary?.trim(),
    attendanceRate,
  };
  const isComplete = fourEnsured.people && fourEnsured.time && fourEnsured.content && fourEnsured.effect;
  return { fourEnsured, isIncomplete: row.status !== 'cancelled' && new Date(row.ends_at).getTime() < now && !isComplete };
}

function toActivity(row: ActivityRow, actor: Actor, files: ReadonlyMap<string, ActivityFile[]>): Activity {
  const canManage = canManageActivity(actor, { orgPath: row.org_path });
  return {
    id: row.id,
    orgId: row.org_id,
    orgName: row.org_name,
    orgPath: row.org_path,
    type: row.type,
    title: row.title,
    topic: row.topic,
    agenda: row.agenda,
    startsAt: isoOf(row.starts_at),
    endsAt: isoOf(row.ends_at),
    place: row.place,
    venueId: row.venue_id,
    venueBookingId: row.venue_booking_id,
    hostName: row.host_name,
    streamUrl: row.stream_url,
    seriesId: row.series_id,
    isPublic: row.is_public,
    asksBringAndTake: row.asks_bring_and_take,
    isFirstTopic: row.is_first_topic,
    status: row.status,
    checkInOpensAt: isoOf(row.check_in_opens_at),
    checkInClosesAt: isoOf(row.check_in_closes_at),
    minutes: row.minutes,
    resolutions: row.resolutions,
    summary: row.summary,
    recordingUrl: row.recording_url,
    attachments: (typeof row.attachments === 'string' ? JSON.parse(row.attachments) : row.attachments) as Activity['attachments'],
    // the files follow the download rule: the activity's managers and participants
    files: canManage || row.my_state !== null ? files.get(row.id) ?? [] : [],
    publishedAt: iso(row.published_at),
    closedAt: iso(row.closed_at),
    cancelledAt: iso(row.cancelled_at),
    cancelReason: row.cancel_reason,
    attendance: {
      invited: row.n_invited, registered: row.n_registered, leave: row.n_leave, present: row.n_present,
      late: row.n_late, absent: row.n_absent, total: row.n_total,
    },
    ...fourEnsuredOf(row),
    canManage,
    myState: row.my_state,
  };
}

export async function listActivities(db: Db, actor: Actor, query: ActivityListQuery): Promise<ActivityPage> {
  const conditions: SQL[] = [visibleActivities(actor)];
  if (query.orgId) conditions.push(sql`a.org_path <@ (select path from orgs where id = ${query.orgId})`);
  if (query.type) conditions.push(sql`a.type = ${query.type}`);
  if (query.status) conditions.push(sql`a.status = ${query.status}`);
  if (query.from) conditions.push(sql`a.ends_at > ${query.from}::timestamptz`);
  if (query.to) conditions.push(sql`a.starts_at < ${query.to}::timestamptz`);
  if (query.q) conditions.push(sql`a.search_text like ${likeContaining(simplify(query.q))}`);
  if (query.incomplete) conditions.push(isIncompleteSql);
  if (query.firstTopic) conditions.push(sql`a.is_first_topic = ${query.firstTopic === '1' || query.firstTopic === 'true'}`);
  if (query.mine) conditions.push(actor.memberId ? sql`me.member_id is not null and a.status <> 'draft'` : sql`false`);
  const where = sql.join(conditions, sql` and `);
  const from = activityFrom(actor);
  const [rows, total] = await Promise.all([
    db.execute<ActivityRow>(sql`select ${activityColumns} from ${from} where ${where}
      order by a.starts_at desc, a.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from ${from} where ${where}`),
  ]);
  const files = await filesOf(db, rows.rows.filter((r) => r.my_state !== null || canManageActivity(actor, { orgPath: r.org_path })).map((r) => r.id));
  return { items: rows.rows.map((r) => toActivity(r, actor, files)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

export async function getActivity(db: Queryable, actor: Actor, id: string): Promise<Activity> {
  const result = await db.execute<ActivityRow>(sql`select ${activityColumns} from ${activityFrom(actor)} where a.id = ${id} and ${visibleActivities(actor)}`);
  const row = result.rows[0];
  if (!row) throw notFound('activity.not_found');
  const files = row.my_state !== null || canManageActivity(actor, { orgPath: row.org_path }) ? await filesOf(db, [row.id]) : new Map<string, ActivityFile[]>();
  return toActivity(row, actor, files);
}

/** The uploaded files of some activities (one query for a page), oldest first. */
async function filesOf(db: Queryable, activityIds: string[]): Promise<Map<string, ActivityFile[]>> {
  const byActivity = new Map<string, ActivityFile[]>();
  if (activityIds.length === 0) return byActivity;
  const rows = await db.execute<{ id: string; activity_id: string; kind: ActivityFile['kind']; file_name: string; mime_type: string; size_bytes: number; created_at: Date | string } & Record<string, unknown>>(sql`
    select id::text, activity_id::text, kind, file_name, mime_type, size_bytes, created_at from activity_files
     where activity_id = any(${textArray(activityIds)}::bigint[]) order by activity_id, id`);
  for (const r of rows.rows) {
    const file: ActivityFile = { id: r.id, kind: r.kind, fileName: r.file_name, mimeType: r.mime_type, sizeBytes: Number(r.size_bytes),
      uploadedAt: isoOf(r.created_at), url: `/api/activities/${r.activity_id}/attachments/${r.id}` };
    byActivity.set(r.activity_id, [...(byActivity.get(r.activity_id) ?? []), file]);
  }
  return byActivity;
}

export interface ManagedActivity {
  id: string; orgId: string; orgPath: string; type: ActivityType; status: ActivityStatus; startsAt: Date; endsAt: Date;
  checkInOpensAt: Date; checkInClosesAt: Date; asksBringAndTake: boolean;
}

/**
 * An activity the actor manages, 404 otherwise (also when only visible). Writes pass a transaction and
 * get the row locked for the rest of it; reads pass `lock = false`.
 */
export async function findManagedActivity(q: Queryable, actor: Actor, id: string, lock = true): Promise<ManagedActivity> {
  const row = (await q.execute<{
    id: string; org_id: string; org_path: string; type: ActivityType; status: ActivityStatus; starts_at: Date | string; ends_at: Date | string;
    check_in_opens_at: Date | string; check_in_closes_at: Date | string; asks_bring_and_take: boolean;
  } & Record<string, unknown>>(sql`select id::text, org_id::text, org_path::text, type, status, starts_at, ends_at, check_in_opens_at,
      check_in_closes_at, asks_bring_and_take from activities where id = ${id} ${lock ? sql`for update` : sql``}`)).rows[0];
  if (!row || !canManageActivity(actor, { orgPath: row.org_path })) throw notFound('activity.not_found');
  return {
    id: row.id, orgId: row.org_id, orgPath: row.org_path, type: row.type, status: row.status, startsAt: new Date(row.starts_at),
    endsAt: new Date(row.ends_at), checkInOpensAt: new Date(row.check_in_opens_at), checkInClosesAt: new Date(row.check_in_closes_at),
    asksBringAndTake: row.asks_bring_and_take,
  };
}

export const newCheckInCode = () => String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');

export async function createActivity(db: Db, actor: Actor, input: CreateActivity): Promise<Activity> {
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share', notFoundKey: 'activity.org_not_found', dissolvedKey: 'activity.org_not_found' });
    const allowed = ORG_TYPES_FOR[input.type];
    if (allowed && !allowed.includes(org.type)) throw invalidField('type', 'activity.type_not_for_org', { org: `org_type.${org.type}`, type: `activity_type.${input.type}` });
    if (input.type === 'live_lesson' && !input.streamUrl) throw invalidField('streamUrl', 'activity.stream_url_required');
    if (input.isPublic && input.type !== 'open_lesson') throw invalidField('isPublic', 'activity.public_only_open');
    const copies = input.repeatWeeks ?? 1;
    if (copies > 1 && input.type !== 'live_lesson') throw invalidField('repeatWeeks', 'activity.repeat_only_live');
    const venueId = await heldAt(tx, actor, input);
    const startsAt = Date.parse(input.startsAt);
    const endsAt = Date.parse(input.endsAt);
    const opensAt = input.checkInOpensAt ? Date.parse(input.checkInOpensAt) : startsAt - CHECK_IN_OPENS_BEFORE_MS;
    const closesAt = input.checkInClosesAt ? Date.parse(input.checkInClosesAt) : endsAt;
    if (closesAt <= opensAt) throw invalidField('checkInClosesAt', 'activity.check_in_window_order');
    const selection = input.participants;
    // each weekly copy of a live class is its own activity (own sign-in, own record), one week apart
    const inserted = await tx.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into activities (org_id, org_path, type, title, topic, agenda, starts_at, ends_at, place, venue_id, venue_booking_id, host_name, stream_url,
                              is_public, asks_bring_and_take, is_first_topic, check_in_opens_at, check_in_closes_at, check_in_code, selection, search_text, created_by)
      select ${org.id}, ${org.path}::ltree, ${input.type}, ${input.title}, ${input.topic ?? null}, ${input.agenda ?? null},
             ${new Date(startsAt).toISOString()}::timestamptz + make_interval(weeks => g), ${new Date(endsAt).toISOString()}::timestamptz + make_interval(weeks => g),
             ${input.place ?? null}, ${venueId ?? null}::bigint, ${input.venueBookingId ?? null}::bigint, ${input.hostName ?? null}, ${input.streamUrl ?? null},
             ${input.isPublic ?? false}, ${input.asksBringAndTake ?? false}, ${input.isFirstTopic ?? false},
             ${new Date(opensAt).toISOString()}::timestamptz + make_interval(weeks => g), ${new Date(closesAt).toISOString()}::timestamptz + make_interval(weeks => g),
             lpad((floor(random() * 1000000))::int::text, 6, '0'), ${JSON.stringify(selection ?? {})}::jsonb,
             ${simplify(`${input.title} ${input.topic ?? ''} ${input.hostName ?? ''}`)}, ${actor.userId}
        from generate_series(0, ${copies - 1}::int) g order by g
      returning id::text`);
    const ids = inserted.rows.map((r) => r.id).sort((x, y) => Number(x) - Number(y));
    if (ids.length > 1) await tx.execute(sql`update activities set series_id = ${ids[0]} where id = any(${textArray(ids)}::bigint[])`);
    const invited = selection ? await inviteParticipants(tx, actor, ids, selection) : 0;
    await audit(tx, actor, { action: 'activity.create', targetType: 'activity', targetId: ids[0], orgPath: org.path, detail: { ...input, ids, invited } });
    return ids[0]!;
  });
  return getActivity(db, actor, id);
}

/**
 * Invites the members an organizer selected, in one INSERT … SELECT per call (set-based: a
 * selection of a whole subtree is one statement however many members it holds). Returns how
 * many new participant rows were created.
 */
export async function inviteParticipants(tx: Queryable, actor: Actor, activityIds: string[], selection: ParticipantSelection): Promise<number> {
  const orgs = selection.orgIds.length === 0 ? [] : (await tx.execute<{ id: string; path: string } & Record<string, unknown>>(sql`
    select id::text, path::text from orgs where id = any(${textArray(selection.orgIds)}::bigint[]) and ${invitableIn(actor, sql.raw('path'))}`)).rows;
  if (orgs.length !== new Set(selection.orgIds).size) throw invalidField('participants.orgIds', 'activity.participant_orgs_out_of_scope');
  if (selection.memberIds.length > 0) {
    const found = (await tx.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from members m
      where m.id = any(${textArray(selection.memberIds)}::bigint[]) and m.left_at is null and ${invitableIn(actor, sql.raw('m.org_path'))}`)).rows[0]!.n;
    const missing = new Set(selection.memberIds).size - Number(found);
    if (missing > 0) throw invalidField('participants.memberIds', 'activity.participant_members_out_of_scope', { count: missing });
  }
  const inOrgs = orgs.length === 0 ? sql`false`
    : selection.includeSubOrgs ? sql`m.org_path <@ any(${textArray(orgs.map((o) => o.path))}::ltree[])`
      : sql`m.org_id = any(${textArray(orgs.map((o) => o.id))}::bigint[])`;
  const result = await tx.execute(sql`
    insert into activity_participants (activity_id, member_id)
    select a.id, m.id
      from unnest(${textArray(activityIds)}::bigint[]) as a(id)
     cross join members m
     where m.left_at is null
       and ((${inOrgs} and m.stage = any(${textArray(selection.stages)}::text[])) or m.id = any(${textArray(selection.memberIds)}::bigint[]))
    on conflict do nothing
    returning member_id`);
  return result.rows.length;
}

export async function addParticipants(db: Db, actor: Actor, id: string, selection: ParticipantSelection): Promise<{ added: number }> {
  return db.transaction(async (tx) => {
    const activity = await findManagedActivity(tx, actor, id);
    if (activity.status === 'closed' || activity.status === 'cancelled') throw conflict('activity.not_editable');
    const added = await inviteParticipants(tx, actor, [id], selection);
    await audit(tx, actor, { action: 'activity.invite', targetType: 'activity', targetId: id, orgPath: activity.orgPath, detail: { ...selection, added } });
    return { added };
  });
}

export async function updateActivity(db: Db, actor: Actor, id: string, input: UpdateActivity): Promise<Activity> {
  await db.transaction(async (tx) => {
    const activity = await findManagedActivity(tx, actor, id);
    if (activity.status === 'closed' || activity.status === 'cancelled') throw conflict('activity.not_editable');
    const startsAt = input.startsAt ? new Date(input.startsAt) : activity.startsAt;
    const endsAt = input.endsAt ? new Date(input.endsAt) : activity.endsAt;
    if (endsAt <= startsAt) throw invalidField('endsAt', 'activity.end_before_start');
    // a new time moves the default sign-in window with it unless a window is given
    const timesMoved = input.startsAt !== undefined || input.endsAt !== undefined;
    const opensAt = input.checkInOpensAt ? new Date(input.checkInOpensAt) : timesMoved ? new Date(startsAt.getTime() - CHECK_IN_OPENS_BEFORE_MS) : activity.checkInOpensAt;
    const closesAt = input.checkInClosesAt ? new Date(input.checkInClosesAt) : timesMoved ? endsAt : activity.checkInClosesAt;
    if (closesAt <= opensAt) throw invalidField('checkInClosesAt', 'activity.check_in_window_order');
    if (activity.type === 'live_lesson' && input.streamUrl === null) throw invalidField('streamUrl', 'activity.stream_url_required');
    if (input.isPublic && activity.type !== 'open_lesson') throw invalidField('isPublic', 'activity.public_only_open');
    // a booking kept from before names the venue: another one is refused, clearing it keeps the booked one
    const keptBooking = input.venueId !== undefined && input.venueBookingId === undefined ? (await tx.execute<{ venue_id: string } & Record<string, unknown>>(
      sql`select b.venue_id::text from activities a join venue_bookings b on b.id = a.venue_booking_id where a.id = ${id}`)).rows[0]?.venue_id : undefined;
    if (keptBooking && input.venueId && input.venueId !== keptBooking) throw invalidField('venueId', 'activity.venue_not_booked');
    const venueId = keptBooking ?? (input.venueId !== undefined || input.venueBookingId ? await heldAt(tx, actor, input) : undefined);
    const update = partialUpdate();
    update.set('title', input.title);
    update.set('topic', input.topic);
    update.set('agenda', input.agenda);
    update.set('place', input.place);
    update.set('venue_id', venueId);
    update.set('venue_booking_id', input.venueBookingId);
    update.set('host_name', input.hostName);
    update.set('stream_url', input.streamUrl);
    update.set('is_public', input.isPublic);
    update.set('asks_bring_and_take', input.asksBringAndTake);
    update.set('is_first_topic', input.isFirstTopic);
    update.add(sql`starts_at = ${startsAt.toISOString()}::timestamptz, ends_at = ${endsAt.toISOString()}::timestamptz`);
    update.add(sql`check_in_opens_at = ${opensAt.toISOString()}::timestamptz, check_in_closes_at = ${closesAt.toISOString()}::timestamptz`);
    await tx.execute(sql`update activities set ${update.toSql()}, updated_at = now() where id = ${id}`);
    const saved = (await tx.execute<{ title: string; topic: string | null; host_name: string | null } & Record<string, unknown>>(
      sql`select title, topic, host_name from activities where id = ${id}`)).rows[0]!;
    await tx.execute(sql`update activities set search_text = ${simplify(`${saved.title} ${saved.topic ?? ''} ${saved.host_name ?? ''}`)} where id = ${id}`);
    await audit(tx, actor, { action: 'activity.update', targetType: 'activity', targetId: id, orgPath: activity.orgPath, detail: { ...input } });
  });
  return getActivity(db, actor, id);
}

/** Each participant with an account gets the notice in their inbox (and the active channels), in the publishing transaction. */
async function deliverActivityNotice(tx: Queryable, id: string): Promise<void> {
  await deliverRows(tx, sql`
    select u.id, 'activity', '活动通知：' || a.title,
           to_char(a.starts_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') || coalesce(' · ' || a.place, '') || ' · ' || o.name,
           '/me/activities/' || a.id, 'activity', a.id::text, 'activity:' || a.id
      from activities a
      join orgs o on o.id = a.org_id
      join activity_participants p on p.activity_id = a.id
      join users u on u.member_id = p.member_id
     where a.id = ${id}`);
}

/** Notify: the activity appears in every participant's inbox (unread) and becomes open for registration and sign-in. */
export async function publishActivity(db: Db, actor: Actor, id: string): Promise<Activity> {
  await db.transaction(async (tx) => {
    const activity = await findManagedActivity(tx, actor, id);
    if (activity.status !== 'draft') throw conflict('activity.not_draft');
    const count = (await tx.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from activity_participants where activity_id = ${id}`)).rows[0]!.n;
    if (Number(count) === 0 && activity.type !== 'open_lesson') throw conflict('activity.no_participants');
    await tx.execute(sql`update activities set status = 'published', published_at = now(), updated_at = now() where id = ${id}`);
    await deliverActivityNotice(tx, id);
    await audit(tx, actor, { action: 'activity.publish', targetType: 'activity', targetId: id, orgPath: activity.orgPath, detail: { participants: Number(count) } });
  });
  return getActivity(db, actor, id);
}

export async function cancelActivity(db: Db, actor: Actor, id: string, reason: string): Promise<Activity> {
  await db.transaction(async (tx) => {
    const activity = await findManagedActivity(tx, actor, id);
    if (activity.status === 'closed' || activity.status === 'cancelled') throw conflict('activity.not_editable');
    await tx.execute(sql`update activities set status = 'cancelled', cancelled_at = now(), cancel_reason = ${reason}, updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'activity.cancel', targetType: 'activity', targetId: id, orgPath: activity.orgPath, detail: { reason } });
  });
  return getActivity(db, actor, id);
}

export async function recordActivity(db: Db, actor: Actor, id: string, input: RecordActivity): Promise<Activity> {
  await db.transaction(async (tx) => {
    const activity = await findManagedActivity(tx, actor, id);
    if (activity.status !== 'published' && activity.status !== 'closed') throw conflict('activity.not_recordable');
    const update = partialUpdate();
    update.set('minutes', input.minutes);
    update.set('resolutions', input.resolutions);
    update.set('summary', input.summary);
    update.set('recording_url', input.recordingUrl);
    if (input.attachments !== undefined) update.add(sql`attachments = ${JSON.stringify(input.attachments)}::jsonb`);
    if (update.isEmpty) return;
    await tx.execute(sql`update activities set ${update.toSql()}, updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'activity.record', targetType: 'activity', targetId: id, orgPath: activity.orgPath, detail: { fields: Object.keys(input) } });
  });
  return getActivity(db, actor, id);
}

/**
 * Close: whoever was invited and never signed in is absent; everyone absent or on leave gets a
 * make-up task (补学: read the minutes or watch the recording, then confirm). Two set-based statements.
 */
export async function closeActivity(db: Db, actor: Actor, id: string): Promise<Activity> {
  await db.transaction(async (tx) => {
    const activity = await findManagedActivity(tx, actor, id);
    if (activity.status !== 'published') throw conflict('activity.not_published');
    if (activity.startsAt.getTime() > Date.now()) throw conflict('activity.not_started');
    const absent = await tx.execute(sql`update activity_participants set state = 'absent'
      where activity_id = ${id} and state in ('invited', 'registered') returning member_id`);
    const tasks = await tx.execute(sql`insert into make_up_tasks (activity_id, member_id, org_path, reason)
      select p.activity_id, p.member_id, m.org_path, p.state from activity_participants p join members m on m.id = p.member_id
       where p.activity_id = ${id} and p.state in ('absent', 'leave')
      on conflict do nothing returning id`);
    await tx.execute(sql`update activities set status = 'closed', closed_at = now(), updated_at = now() where id = ${id}`);
    // attending earns points once the record is closed (rule activity_attend, capped per day by the points module)
    const attended = await tx.execute<{ member_id: string } & Record<string, unknown>>(sql`select member_id::text from activity_participants
      where activity_id = ${id} and state in ('present', 'late') order by member_id`);
    for (const { member_id: memberId } of attended.rows) {
      await awardPoints(tx, { memberId, rule: 'activity_attend', sourceType: 'activity_attendance', sourceId: `${id}:${memberId}`, occurredOn: chinaDate(activity.startsAt) });
    }
    await audit(tx, actor, { action: 'activity.close', targetType: 'activity', targetId: id, orgPath: activity.orgPath,
      detail: { markedAbsent: absent.rows.length, makeUpTasks: tasks.rows.length, pointsAwardedTo: attended.rows.length } });
  });
  return getActivity(db, actor, id);
}

type ParticipantRow = {
  member_id: string; name: string; org_name: string; state: AttendanceState; registered_at: Date | null; leave_reason: string | null;
  checked_in_at: Date | null; check_in_method: Participant['checkInMethod']; read_at: Date | null;
} & Record<string, unknown>;

export async function listParticipants(db: Db, actor: Actor, id: string): Promise<Participant[]> {
  await findManagedActivity(db, actor, id, false);
  const rows = await db.execute<ParticipantRow>(sql`select p.member_id::text, m.name, o.name as org_name, p.state, p.registered_at, p.leave_reason,
      p.checked_in_at, p.check_in_method, p.read_at
    from activity_participants p join members m on m.id = p.member_id join orgs o on o.id = m.org_id
    where p.activity_id = ${id} order by o.path, m.id`);
  return rows.rows.map((r) => ({
    memberId: r.member_id, name: r.name, orgName: r.org_name, state: r.state, registeredAt: iso(r.registered_at), leaveReason: r.leave_reason,
    checkedInAt: iso(r.checked_in_at), checkInMethod: r.check_in_method, readAt: iso(r.read_at),
  }));
}

/** Upcoming open classes their organizers chose to show to the public: no sign-in needed, nothing about participants. */
export async function listPublicOpenLessons(db: Db) {
  const rows = await db.execute<{
    id: string; title: string; topic: string | null; org_name: string; host_name: string | null; starts_at: Date | string; ends_at: Date | string;
    place: string | null; stream_url: string | null;
  } & Record<string, unknown>>(sql`
    select a.id::text, a.title, a.topic, o.name as org_name, a.host_name, a.starts_at, a.ends_at, a.place, a.stream_url
      from activities a join orgs o on o.id = a.org_id
     where a.type = 'open_lesson' and a.is_public and a.status = 'published' and a.ends_at > now()
     order by a.starts_at, a.id limit 100`);
  return rows.rows.map((r) => ({
    id: r.id, title: r.title, topic: r.topic, orgName: r.org_name, hostName: r.host_name, startsAt: isoOf(r.starts_at), endsAt: isoOf(r.ends_at),
    place: r.place, streamUrl: r.stream_url,
  }));
}

/** An open lesson as the public portal shows it: no participant's name, only how many registered (members) and attended. */
export interface PublicOpenLesson {
  id: string; title: string; topic: string | null; orgName: string; hostName: string | null; startsAt: string; endsAt: string;
  place: string | null; streamUrl: string | null; registeredMembers: number; attended: number;
}

/** The public open lessons of the tree (rootPath) not yet over, soonest first (at most 50); `id` picks one. */
export async function publicOpenLessons(q: Queryable, rootPath: string, id?: string): Promise<PublicOpenLesson[]> {
  const rows = await q.execute<{
    id: string; title: string; topic: string | null; org_name: string; host_name: string | null; starts_at: Date | string; ends_at: Date | string;
    place: string | null; stream_url: string | null; registered: number; attended: number;
  } & Record<string, unknown>>(sql`
    select a.id::text, a.title, a.topic, o.name as org_name, a.host_name, a.starts_at, a.ends_at, a.place, a.stream_url,
           (select count(*)::int from activity_participants p where p.activity_id = a.id and p.state in ('registered', 'present', 'late')) as registered,
           (select count(*)::int from activity_participants p where p.activity_id = a.id and p.state in ('present', 'late')) as attended
      from activities a join orgs o on o.id = a.org_id
     where ${publicLessonsOf(rootPath)}${id ? sql` and a.id = ${id}` : sql``}
     order by a.starts_at, a.id limit 50`);
  const iso = (v: Date | string) => new Date(v).toISOString();
  return rows.rows.map((r) => ({
    id: r.id, title: r.title, topic: r.topic, orgName: r.org_name, hostName: r.host_name, startsAt: iso(r.starts_at), endsAt: iso(r.ends_at),
    place: r.place, streamUrl: r.stream_url, registeredMembers: Number(r.registered), attended: Number(r.attended),
  }));
}

/**
 * Whether a visitor may still register for the open lesson `id` of the tree (public, published, not over).
 * In a transaction the lesson is locked for share, so it cannot be cancelled while the registration goes in.
 */
export async function isOpenForPublicRegistration(tx: Queryable, rootPath: string, id: string): Promise<boolean> {
  const rows = await tx.execute(sql`select a.id from activities a
    where a.id = ${id} and ${publicLessonsOf(rootPath)} and a.status = 'published' and a.ends_at > now() for share`);
  return rows.rows.length > 0;
}
