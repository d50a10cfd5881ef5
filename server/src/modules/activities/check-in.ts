import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import {
  CHECK_IN_CLOCK_SKEW_SECONDS, CHECK_IN_CODE_MAX_FAILURES, CHECK_IN_GRACE_SECONDS, CHECK_IN_WINDOW_SECONDS, OFFLINE_CHECK_IN_DELIVERY_HOURS,
  type AttendanceState, type CheckIn, type CheckInResult, type MarkAttendance,
} from '../../../../contracts/activities.js';
import type { Actor } from '../../platform/actor.js';
import type { Db } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { AppError, conflict, forbidden, invalidField, notFound } from '../../platform/errors.js';
import type { PersonalDataCipher } from '../../platform/personal-data.js';
import { findManagedActivity, isoOf, newCheckInCode } from './service.js';
import { canManageActivity } from './policy.js';
import { chinaDateTime } from '../../../../contracts/china-time.js';

/*
 * Sign-in design.
 * - QR: the organizer's screen shows a token `<window>.<mac>` where window = floor(unix time / 30 s) and
 *   mac = HMAC-SHA256 keyed by the server's data key (through the cipher's blind-index key) over
 *   "activity-check-in:<activityId>:<window>", truncated to 128 bits. It is stateless: checking it needs
 *   no database read. The current window is accepted, and the previous one for the first
 *   CHECK_IN_GRACE_SECONDS of a new window (a phone that scanned just before the code changed), so a
 *   token lives 30–40 s; a copied older code is refused as expired.
 * - The 6-digit code is fixed per activity (random at creation; the organizer may reset it) because it
 *   is read out in the room and typed by hand; it works only inside the sign-in window, only for
 *   invited members, and after CHECK_IN_CODE_MAX_FAILURES wrong codes a member must scan or be marked.
 * - Offline (a basement meeting room): the phone keeps the scanned token or the typed code with the time
 *   it was made (`madeAt`) and sends it when it is back online. The proof is the same as online, judged
 *   at `madeAt` instead of now: a QR token pins the sign-in to its signed 30-second slot (the phone's
 *   clock is believed only within CHECK_IN_CLOCK_SKEW_SECONDS of it), the code to the sign-in window.
 *   It must arrive within OFFLINE_CHECK_IN_DELIVERY_HOURS of the window's close and before the record
 *   is closed (closing marks absentees and awards points). A second delivery answers the first result.
 * - The happy path is one statement: an UPDATE of the member's participant row guarded by every rule
 *   (published, inside the window, not yet signed in, right code) with its audit row inserted by the
 *   same statement (a data-modifying CTE). Only a refused sign-in pays for a second query that finds
 *   the reason.
 */

const WINDOW_MS = CHECK_IN_WINDOW_SECONDS * 1000;

export function checkInWindowOf(now = Date.now()): number {
  return Math.floor(now / WINDOW_MS);
}

export function checkInToken(cipher: PersonalDataCipher, activityId: string, window: number): string {
  return `${window}.${cipher.blindIndex(`activity-check-in:${activityId}:${window}`).slice(0, 22)}`;
}

/** 'ok', or why the token is refused. */
export function verifyCheckInToken(cipher: PersonalDataCipher, activityId: string, token: string, now = Date.now()): 'ok' | 'invalid' | 'expired' {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match) return 'invalid';
  const window = Number(match[1]);
  const expected = Buffer.from(checkInToken(cipher, activityId, window));
  const given = Buffer.from(token);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return 'invalid';
  const current = checkInWindowOf(now);
  if (window === current) return 'ok';
  if (window === current - 1 && now - current * WINDOW_MS < CHECK_IN_GRACE_SECONDS * 1000) return 'ok';
  return 'expired';
}

/** What the organizer's screen shows; polled every few seconds. */
export async function issueCheckInCode(db: Db, cipher: PersonalDataCipher, actor: Actor, id: string) {
  const activity = await findManagedActivity(db, actor, id, false);
  const code = (await db.execute<{ check_in_code: string } & Record<string, unknown>>(sql`select check_in_code from activities where id = ${id}`)).rows[0]!.check_in_code;
  const window = checkInWindowOf();
  const token = checkInToken(cipher, id, window);
  return {
    token,
    url: `/check-in/${id}?token=${encodeURIComponent(token)}`,
    expiresAt: new Date((window + 1) * WINDOW_MS).toISOString(),
    windowSeconds: CHECK_IN_WINDOW_SECONDS,
    code,
    opensAt: activity.checkInOpensAt.toISOString(),
    closesAt: activity.checkInClosesAt.toISOString(),
  };
}

export async function resetCheckInCode(db: Db, cipher: PersonalDataCipher, actor: Actor, id: string) {
  await db.transaction(async (tx) => {
    const activity = await findManagedActivity(tx, actor, id);
    await tx.execute(sql`update activities set check_in_code = ${newCheckInCode()}, updated_at = now() where id = ${id}`);
    await tx.execute(sql`update activity_participants set code_failures = 0 where activity_id = ${id} and code_failures > 0`);
    await audit(tx, actor, { action: 'activity.reset_check_in_code', targetType: 'activity', targetId: id, orgPath: activity.orgPath });
  });
  return issueCheckInCode(db, cipher, actor, id);
}

type CheckInRow = { state: AttendanceState; checked_in_at: Date | string } & Record<string, unknown>;

/** A member who signed in and opens the link of a code that has rotated since is told they are signed in, not that the code expired. */
async function hasCheckedIn(db: Db, activityId: string, memberId: string): Promise<boolean> {
  const r = await db.execute(sql`select 1 from activity_participants where activity_id = ${activityId} and member_id = ${memberId} and checked_in_at is not null`);
  return r.rows.length > 0;
}

/** A member signs in with the QR token or the 6-digit code. */
export async function checkIn(db: Db, cipher: PersonalDataCipher, actor: Actor, id: string, input: CheckIn): Promise<{ state: AttendanceState; checkedInAt: string }> {
  if (!actor.memberId) throw forbidden('activity.not_a_member');
  if (input.madeAt !== undefined) return checkInDeliveredLater(db, cipher, actor, id, input, Date.parse(input.madeAt));
  const method = input.token !== undefined ? 'qr' : 'code';
  if (input.token !== undefined) {
    const verdict = verifyCheckInToken(cipher, id, input.token);
    if (verdict === 'expired' && await hasCheckedIn(db, id, actor.memberId)) throw conflict('activity.already_checked_in');
    if (verdict !== 'ok') throw invalidField('token', verdict === 'expired' ? 'activity.check_in_token_expired' : 'activity.check_in_token_invalid');
  }
  const codeMatches = input.code !== undefined ? sql`and a.check_in_code = ${input.code} and p.code_failures < ${CHECK_IN_CODE_MAX_FAILURES}` : sql``;
  const done = await db.execute<CheckInRow>(sql`
    with done as (
      update activity_participants p
         set state = case when now() > a.starts_at then 'late' else 'present' end, checked_in_at = now(), check_in_method = ${method}
        from activities a
       where p.activity_id = ${id} and p.member_id = ${actor.memberId} and a.id = p.activity_id
         and a.status = 'published' and now() >= a.check_in_opens_at and now() < a.check_in_closes_at
         and p.checked_in_at is null ${codeMatches}
      returning p.state, p.checked_in_at, a.org_path),
    logged as (
      insert into audit_log (user_id, username, ip, action, target_type, target_id, org_path, detail)
      select ${actor.userId}, ${actor.username}, ${actor.ip}, 'activity.check_in', 'activity', ${id}, org_path,
             jsonb_build_object('memberId', ${actor.memberId}::text, 'method', ${method}::text, 'state', state)
        from done)
    select state, checked_in_at from done`);
  const row = done.rows[0];
  if (row) return { state: row.state, checkedInAt: isoOf(row.checked_in_at) };
  return refuseOrCheckInOpenLesson(db, actor, id, input, method);
}

type SignInFacts = {
  status: string; type: string; opens_at: Date | string; closes_at: Date | string; is_open: boolean; is_closed: boolean; org_path: string; code_ok: boolean; in_tree: boolean;
  is_participant: boolean; p_state: AttendanceState | null; p_checked_in_at: Date | string | null; p_failures: number | null;
} & Record<string, unknown>;

/**
 * The activity and the member's row in it, as both sign-in paths judge them (online now, offline at the
 * time it was made). Refuses what neither may pass: an unknown activity, a draft, a member not invited
 * (an open class admits any member of the organizing subtree as a walk-in guest).
 */
async function signInFacts(db: Db, actor: Actor, id: string, input: CheckIn): Promise<SignInFacts & { isOpenLessonGuest: boolean }> {
  const found = (await db.execute<SignInFacts>(sql`
    select a.status, a.type, a.check_in_opens_at as opens_at, a.check_in_closes_at as closes_at,
           now() >= a.check_in_opens_at as is_open, now() >= a.check_in_closes_at as is_closed, a.org_path::text,
           a.check_in_code = ${input.code ?? ''} as code_ok,
           exists (select 1 from members m where m.id = ${actor.memberId} and m.org_path <@ a.org_path and m.left_at is null) as in_tree,
           p.member_id is not null as is_participant, p.state as p_state, p.checked_in_at as p_checked_in_at, p.code_failures as p_failures
      from activities a left join activity_participants p on p.activity_id = a.id and p.member_id = ${actor.memberId}
     where a.id = ${id}`)).rows[0];
  if (!found) throw notFound('activity.not_found');
  const isOpenLessonGuest = !found.is_participant && found.type === 'open_lesson' && found.in_tree;
  if (!found.is_participant && !isOpenLessonGuest) {
    if (found.status === 'draft' && !canManageActivity(actor, { orgPath: found.org_path })) throw notFound('activity.not_found');
    throw forbidden('activity.not_invited');
  }
  if (found.status === 'draft') throw notFound('activity.not_found');
  return { ...found, isOpenLessonGuest };
}

/** A typed code must be right, and a member who typed CHECK_IN_CODE_MAX_FAILURES wrong ones must scan or be marked. */
async function requireRightCode(db: Db, found: SignInFacts, id: string, memberId: string, code: string | undefined): Promise<void> {
  if (code === undefined) return;
  const failures = Number(found.p_failures ?? 0);
  if (failures >= CHECK_IN_CODE_MAX_FAILURES) throw new AppError(429, 'activity.code_locked');
  if (!found.code_ok) {
    // counting wrong codes is the one change a refused sign-in makes: it stops guessing 10^6 codes
    if (found.is_participant) await db.execute(sql`update activity_participants set code_failures = code_failures + 1 where activity_id = ${id} and member_id = ${memberId}`);
    throw invalidField('code', 'activity.code_wrong', { left: Math.max(CHECK_IN_CODE_MAX_FAILURES - failures - 1, 0) });
  }
}

/** The slow path: find out why the guarded update touched nothing (or sign a tree member into an open class). */
async function refuseOrCheckInOpenLesson(db: Db, actor: Actor, id: string, input: CheckIn, method: 'qr' | 'code') {
  const memberId = actor.memberId!;
  const found = await signInFacts(db, actor, id, input);
  const { isOpenLessonGuest } = found;
  if (found.status !== 'published' || found.is_closed) throw conflict('activity.check_in_closed');
  if (!found.is_open) throw conflict('activity.check_in_not_open', { opensAt: chinaDateTime(found.opens_at) });
  if (found.p_checked_in_at) throw conflict('activity.already_checked_in');
  await requireRightCode(db, found, id, memberId, input.code);
  if (!isOpenLessonGuest) throw conflict('activity.already_checked_in'); // lost a race with a concurrent sign-in
  // an open class: any member of the organizing org's subtree may walk in
  const inserted = await db.transaction(async (tx) => {
    const r = (await tx.execute<CheckInRow>(sql`
      insert into activity_participants (activity_id, member_id, state, checked_in_at, check_in_method)
      select a.id, ${memberId}, case when now() > a.starts_at then 'late' else 'present' end, now(), ${method}
        from activities a where a.id = ${id} and a.status = 'published' and now() >= a.check_in_opens_at and now() < a.check_in_closes_at
      on conflict do nothing returning state, checked_in_at`)).rows[0];
    if (!r) throw conflict('activity.already_checked_in');
    await audit(tx, actor, { action: 'activity.check_in', targetType: 'activity', targetId: id, orgPath: found.org_path, detail: { memberId, method, state: r.state, walkIn: true } });
    return r;
  });
  return { state: inserted.state, checkedInAt: isoOf(inserted.checked_in_at) };
}

/** When a QR token was valid: its signed 30-second slot plus the grace, or null when it was not signed by this server for this activity. */
function tokenSlotOf(cipher: PersonalDataCipher, activityId: string, token: string): { from: number; to: number } | null {
  const window = Number(/^(\d{1,12})\./.exec(token)?.[1] ?? Number.NaN);
  if (!Number.isSafeInteger(window) || verifyCheckInToken(cipher, activityId, token, window * WINDOW_MS) !== 'ok') return null;
  return { from: window * WINDOW_MS, to: (window + 1) * WINDOW_MS + CHECK_IN_GRACE_SECONDS * 1000 };
}

/** A sign-in made offline at `madeAt` and delivered now (see the design note at the top). */
async function checkInDeliveredLater(db: Db, cipher: PersonalDataCipher, actor: Actor, id: string, input: CheckIn, madeAt: number): Promise<CheckInResult> {
  const memberId = actor.memberId!;
  const now = Date.now();
  const skew = CHECK_IN_CLOCK_SKEW_SECONDS * 1000;
  if (madeAt > now + skew) throw invalidField('madeAt', 'activity.made_at_in_future');
  const method = input.token !== undefined ? 'qr' : 'code';
  let signedAt = madeAt;
  if (input.token !== undefined) {
    const slot = tokenSlotOf(cipher, id, input.token);
    if (!slot) throw invalidField('token', 'activity.check_in_token_invalid');
    if (madeAt < slot.from - skew || madeAt > slot.to + skew) throw invalidField('madeAt', 'activity.made_at_outside_token');
    // the signed slot is the proof of when the member was in the room; the phone's clock only places it inside
    signedAt = Math.min(Math.max(madeAt, slot.from), slot.to, now);
  }
  const found = await signInFacts(db, actor, id, input);
  const { isOpenLessonGuest } = found;
  await requireRightCode(db, found, id, memberId, input.code);
  const opensAt = new Date(found.opens_at).getTime();
  const closesAt = new Date(found.closes_at).getTime();
  if (signedAt < opensAt || signedAt >= closesAt) {
    throw invalidField('madeAt', 'activity.made_at_outside_window', { opensAt: chinaDateTime(found.opens_at), closesAt: chinaDateTime(found.closes_at) });
  }
  // a phone resending what already arrived (the answer was lost with the connection) gets the same answer
  if (found.p_checked_in_at) return { state: found.p_state!, checkedInAt: isoOf(found.p_checked_in_at), deliveredOffline: true };
  if (found.status !== 'published') throw conflict('activity.check_in_closed');
  if (now > closesAt + OFFLINE_CHECK_IN_DELIVERY_HOURS * 3_600_000) throw invalidField('madeAt', 'activity.offline_check_in_too_late', { hours: OFFLINE_CHECK_IN_DELIVERY_HOURS });

  const at = new Date(signedAt).toISOString();
  return db.transaction(async (tx) => {
    const row = (await tx.execute<CheckInRow>(isOpenLessonGuest
      ? sql`insert into activity_participants (activity_id, member_id, state, checked_in_at, check_in_method)
            select a.id, ${memberId}, case when ${at}::timestamptz > a.starts_at then 'late' else 'present' end, ${at}::timestamptz, ${method}
              from activities a where a.id = ${id} and a.status = 'published'
            on conflict do nothing returning state, checked_in_at`
      : sql`update activity_participants p
               set state = case when ${at}::timestamptz > a.starts_at then 'late' else 'present' end, checked_in_at = ${at}::timestamptz, check_in_method = ${method}
              from activities a
             where p.activity_id = ${id} and p.member_id = ${memberId} and a.id = p.activity_id and a.status = 'published' and p.checked_in_at is null
            returning p.state, p.checked_in_at`)).rows[0];
    if (!row) {
      // a concurrent delivery of the same sign-in won, or the record was closed meanwhile
      const current = (await tx.execute<CheckInRow>(sql`select state, checked_in_at from activity_participants
        where activity_id = ${id} and member_id = ${memberId} and checked_in_at is not null`)).rows[0];
      if (!current) throw conflict('activity.check_in_closed');
      return { state: current.state, checkedInAt: isoOf(current.checked_in_at), deliveredOffline: true };
    }
    await audit(tx, actor, {
      action: 'activity.check_in', targetType: 'activity', targetId: id, orgPath: found.org_path,
      detail: { memberId, method, state: row.state, offline: true, madeAt: new Date(madeAt).toISOString(), ...(isOpenLessonGuest ? { walkIn: true } : {}) },
    });
    return { state: row.state, checkedInAt: isoOf(row.checked_in_at), deliveredOffline: true };
  });
}

/** The organizer marks attendance (someone without a phone, a late leave request, a correction). */
export async function markAttendance(db: Db, actor: Actor, id: string, input: MarkAttendance) {
  return db.transaction(async (tx) => {
    const activity = await findManagedActivity(tx, actor, id);
    if (activity.status !== 'published') throw conflict('activity.not_published');
    const attended = input.state === 'present' || input.state === 'late';
    const updated = (await tx.execute<CheckInRow>(sql`
      update activity_participants set state = ${input.state},
             checked_in_at = ${attended ? sql`coalesce(checked_in_at, now())` : sql`null`},
             check_in_method = ${attended ? sql`coalesce(check_in_method, 'organizer')` : sql`null`},
             leave_reason = ${input.state === 'leave' ? (input.leaveReason ?? null) : sql`leave_reason`}
       where activity_id = ${id} and member_id = ${input.memberId}
      returning state, checked_in_at`)).rows[0];
    if (!updated) throw invalidField('memberId', 'activity.not_participant');
    await audit(tx, actor, { action: 'activity.mark_attendance', targetType: 'activity', targetId: id, orgPath: activity.orgPath, detail: { ...input } });
    return { state: updated.state, checkedInAt: updated.checked_in_at ? isoOf(updated.checked_in_at) : null };
  });
}

