import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { CalendarEventSchema } from '../../../../contracts/activities.js';
import type { Actor } from '../../platform/actor.js';
import type { Db } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { listBookingsBetween } from '../venues/service.js';
import { ACTIVITY_TYPE_NAMES } from './messages.js';
import { visibleActivities } from './policy.js';
import { CHINA_TIME_ZONE } from '../../../../contracts/china-time.js';

type CalendarEvent = z.infer<typeof CalendarEventSchema>;

/** Month or week view: the activities the viewer may see and the venue bookings in scope, not cancelled. */
export async function calendar(db: Db, actor: Actor, from: string, to: string): Promise<{ items: CalendarEvent[] }> {
  const [activities, bookings] = await Promise.all([
    db.execute<{ id: string; title: string; type: CalendarEvent['activityType']; starts_at: Date; ends_at: Date; place: string | null; status: string } & Record<string, unknown>>(sql`
      select a.id::text, a.title, a.type, a.starts_at, a.ends_at, a.place, a.status from activities a
       where a.starts_at < ${to}::timestamptz and a.ends_at > ${from}::timestamptz and a.status <> 'cancelled' and ${visibleActivities(actor)}
       order by a.starts_at, a.id limit 2000`),
    listBookingsBetween(db, actor, from, to),
  ]);
  const items: CalendarEvent[] = [
    ...activities.rows.map((a) => ({ kind: 'activity' as const, id: a.id, title: a.title, startsAt: new Date(a.starts_at).toISOString(),
      endsAt: new Date(a.ends_at).toISOString(), place: a.place, status: a.status, activityType: a.type })),
    ...bookings.map((b) => ({ kind: 'booking' as const, id: b.id, title: b.title, startsAt: new Date(b.starts_at).toISOString(),
      endsAt: new Date(b.ends_at).toISOString(), place: b.place, status: b.status, activityType: null })),
  ];
  items.sort((x, y) => x.startsAt.localeCompare(y.startsAt));
  return { items };
}

const hashOf = (token: string) => crypto.createHash('sha256').update(token).digest('base64url');

/**
 * A personal iCalendar feed: a secret URL the member adds to a phone's calendar. Only the hash of
 * the secret is stored; issuing a new URL revokes the old one.
 */
export async function issueCalendarFeed(db: Db, actor: Actor): Promise<{ url: string }> {
  const token = crypto.randomBytes(24).toString('base64url');
  await db.transaction(async (tx) => {
    await tx.execute(sql`insert into calendar_feeds (user_id, token_hash) values (${actor.userId}, ${hashOf(token)})
      on conflict (user_id) do update set token_hash = excluded.token_hash, created_at = now()`);
    await audit(tx, actor, { action: 'calendar.issue_feed', targetType: 'user', targetId: actor.userId });
  });
  return { url: `/api/calendar/feed/${token}.ics` };
}

/** Whether the user has a feed; its address cannot be shown again (only the secret's hash is kept). */
export async function calendarFeedStatus(db: Db, actor: Actor): Promise<{ exists: boolean; issuedAt: string | null }> {
  const row = (await db.execute<{ created_at: Date | string } & Record<string, unknown>>(sql`select created_at from calendar_feeds where user_id = ${actor.userId}`)).rows[0];
  return { exists: !!row, issuedAt: row ? new Date(row.created_at).toISOString() : null };
}

/** The feed's events: the member's activities (published, closed or cancelled) and the user's own bookings. Null for an unknown token. */
export async function calendarFeed(db: Db, token: string): Promise<string | null> {
  const owner = (await db.execute<{ user_id: string; member_id: string | null } & Record<string, unknown>>(sql`
    select f.user_id::text, u.member_id::text from calendar_feeds f join users u on u.id = f.user_id and u.disabled_at is null
     where f.token_hash = ${hashOf(token)}`)).rows[0];
  if (!owner) return null;
  const [activities, bookings] = await Promise.all([
    owner.member_id ? db.execute<{ id: string; title: string; type: string; starts_at: Date; ends_at: Date; place: string | null; status: string;
      topic: string | null; stream_url: string | null; updated_at: Date } & Record<string, unknown>>(sql`
      select a.id::text, a.title, a.type, a.starts_at, a.ends_at, a.place, a.status, a.topic, a.stream_url, a.updated_at
        from activity_participants p join activities a on a.id = p.activity_id
       where p.member_id = ${owner.member_id} and a.status <> 'draft'
         and a.starts_at > now() - interval '90 days' and a.starts_at < now() + interval '400 days'
       order by a.starts_at limit 1000`) : Promise.resolve({ rows: [] }),
    db.execute<{ id: string; title: string; starts_at: Date; ends_at: Date; place: string; status: string; created_at: Date } & Record<string, unknown>>(sql`
      select b.id::text, b.unit_name || '·' || v.name as title, b.starts_at, b.ends_at, v.name || coalesce('（' || v.address || '）', '') as place, b.status, b.created_at
        from venue_bookings b join venues v on v.id = b.venue_id
       where b.requested_by = ${owner.user_id} and b.starts_at > now() - interval '90 days' and b.status in ('pending', 'confirmed', 'visited', 'cancelled', 'declined')
       order by b.starts_at limit 1000`),
  ]);
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//dangjian-cloud//activities//ZH', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', 'X-WR-CALNAME:党建云·我的组织生活', `X-WR-TIMEZONE:${CHINA_TIME_ZONE}`];
  const stamp = icsTime(new Date());
  for (const a of activities.rows) {
    lines.push('BEGIN:VEVENT', `UID:activity-${a.id}@dangjian-cloud`, `DTSTAMP:${stamp}`, `LAST-MODIFIED:${icsTime(a.updated_at)}`,
      `DTSTART:${icsTime(a.starts_at)}`, `DTEND:${icsTime(a.ends_at)}`, `SUMMARY:${icsText(`【${ACTIVITY_TYPE_NAMES[a.type] ?? a.type}】${a.title}`)}`,
      `STATUS:${a.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'}`);
    if (a.place) lines.push(`LOCATION:${icsText(a.place)}`);
    const description = [a.topic, a.stream_url].filter(Boolean).join('\n');
    if (description) lines.push(`DESCRIPTION:${icsText(description)}`);
    lines.push('END:VEVENT');
  }
  for (const b of bookings.rows) {
    lines.push('BEGIN:VEVENT', `UID:booking-${b.id}@dangjian-cloud`, `DTSTAMP:${stamp}`, `DTSTART:${icsTime(b.starts_at)}`, `DTEND:${icsTime(b.ends_at)}`,
      `SUMMARY:${icsText(`【阵地预约】${b.title}`)}`, `LOCATION:${icsText(b.place)}`,
      `STATUS:${b.status === 'cancelled' || b.status === 'declined' ? 'CANCELLED' : b.status === 'pending' ? 'TENTATIVE' : 'CONFIRMED'}`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}

const icsTime = (d: Date | string) => new Date(d).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const icsText = (s: string) => s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

/** RFC 5545 §3.1: lines longer than 75 octets are folded (CRLF + space), never inside a UTF-8 character. */
function fold(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    if (octets + size > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}
