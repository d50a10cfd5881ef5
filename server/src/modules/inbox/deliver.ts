import { sql, type SQL } from 'drizzle-orm';
import type { Db, Queryable } from '../../platform/db.js';
import { activeChannelNames, channelFor, type ChannelMessage, type ChannelName } from '../../platform/channels.js';
import { retryDelayMs, type JobDefinition, type JobLog } from '../../platform/scheduler.js';
import { textArray } from '../../platform/sql.js';

export type InboxKind = 'notice' | 'notice_reminder' | 'activity' | 'exam' | 'reminder';

export interface Delivery {
  kind: InboxKind;
  title: string;
  body?: string;
  /** Where the item opens in the console, e.g. `/activities/12`. */
  link: string;
  sourceType: string;
  sourceId: string;
  /** Same key, same recipient: delivered once (a daily reminder names its period in the key). */
  dedupeKey: string;
  /** SQL selecting one column user_id (bigint) */
  recipients: SQL;
  /** Also queue the item for the active outside channels (SMS, WeChat, e-mail); default true. */
  channels?: boolean;
}

/**
 * Delivers one item to every recipient in one statement (insert … select, however many there are),
 * once per recipient and dedupe key; disabled accounts get nothing. The outside channels' messages
 * are queued in the same statement, for the items actually delivered. Returns how many were delivered.
 */
export async function deliver(tx: Queryable, d: Delivery): Promise<number> {
  return deliverRows(tx, sql`
    select r.user_id, ${d.kind}::text, ${d.title}::text, ${d.body ?? null}::text, ${d.link}::text, ${d.sourceType}::text, ${d.sourceId}::text, ${d.dedupeKey}::text
      from (${d.recipients}) r (user_id)`, { channels: d.channels });
}

/**
 * Delivers items that differ per row (a reminder per org, an exam's own title) in one statement:
 * `rows` selects (user_id, kind, title, body, link, source_type, source_id, dedupe_key), in that order.
 * A job fans out to thousands of recipients this way, not one statement per recipient.
 */
export async function deliverRows(tx: Queryable, rows: SQL, options: { channels?: boolean } = {}): Promise<number> {
  const channels = options.channels === false ? [] : activeChannelNames();
  const r = await tx.execute<{ n: number } & Record<string, unknown>>(sql`
    with delivered as (
      insert into inbox_items (user_id, kind, title, body, link, source_type, source_id, dedupe_key)
      select distinct on (u.id, x.dedupe_key) u.id, x.kind, x.title, x.body, x.link, x.source_type, x.source_id, x.dedupe_key
        from (${rows}) x (user_id, kind, title, body, link, source_type, source_id, dedupe_key)
        join users u on u.id = x.user_id and u.disabled_at is null
      on conflict (user_id, dedupe_key) do nothing
      returning id, user_id),
    queued as (
      insert into channel_outbox (inbox_item_id, user_id, channel)
      select d.id, d.user_id, c.channel from delivered d cross join unnest(${textArray(channels)}::text[]) c (channel)
      returning 1),
    -- sent soon after the transaction commits, by whichever process polls first; one pending drain
    -- serves every delivery (do nothing: concurrent deliveries do not queue behind each other's lock)
    drain as (
      insert into scheduled_jobs (kind, key, run_at, payload)
      select ${DRAIN_OUTBOX}, 'next', now(), 'null'::jsonb where exists (select 1 from queued)
      on conflict (kind, key) where state = 'pending' do nothing)
    select (select count(*)::int from delivered) as n`);
  return Number(r.rows[0]!.n);
}

export const DRAIN_OUTBOX = 'channels.drain';
/** Messages claimed per batch: one job sends many, a provider's batch API takes hundreds at a time. */
const OUTBOX_BATCH = 500;
const OUTBOX_MAX_ATTEMPTS = 5;
/** A claimed batch is the claimer's for this long; a process that dies mid-send leaves it to another. */
const OUTBOX_LEASE_MS = 5 * 60_000;

interface OutboxRow extends Record<string, unknown> {
  id: string; user_id: string; channel: ChannelName; attempts: number; title: string; body: string | null; link: string;
}

/**
 * Sends what the outbox holds, a batch per channel at a time, until it is empty or `maxBatches` is
 * reached. A batch is claimed (skip locked, with a lease) so processes draining together never send
 * a message twice; a sent message is deleted, a failed one retried later and kept after the last attempt.
 */
export async function drainOutbox(db: Db, now: Date, log: JobLog, maxBatches = 20): Promise<number> {
  const active = new Set(activeChannelNames());
  let sent = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const lease = new Date(now.getTime() + OUTBOX_LEASE_MS);
    const rows = (await db.execute<OutboxRow>(sql`
      with claimed as (
        update channel_outbox o set attempts = o.attempts + 1, next_attempt_at = ${lease}
         where o.id in (select id from channel_outbox where state = 'pending' and next_attempt_at <= ${now}
                         order by next_attempt_at, id limit ${OUTBOX_BATCH} for update skip locked)
        returning o.id, o.user_id, o.channel, o.attempts, o.inbox_item_id)
      select c.id::text, c.user_id::text, c.channel, c.attempts, i.title, i.body, i.link
        from claimed c join inbox_items i on i.id = c.inbox_item_id order by c.id`)).rows;
    if (!rows.length) break;
    const done: string[] = [];
    let dropped = 0;
    const failed = new Map<string, string>();
    for (const channel of new Set(rows.map((r) => r.channel))) {
      const batchRows = rows.filter((r) => r.channel === channel);
      // a channel turned off since the message was queued: dropped, not sent
      if (!active.has(channel)) {
        log.info({ channel, dropped: batchRows.length }, 'outbox messages for an inactive channel dropped');
        done.push(...batchRows.map((r) => r.id));
        dropped += batchRows.length;
        continue;
      }
      const messages: ChannelMessage[] = batchRows.map((r) => ({ outboxId: r.id, userId: r.user_id, title: r.title, body: r.body, link: r.link }));
      try {
        const failures = await channelFor(channel).send(messages, log);
        for (const m of messages) {
          const reason = failures.get(m.outboxId);
          if (reason === undefined) done.push(m.outboxId);
          else failed.set(m.outboxId, reason);
        }
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        log.error({ err: error, channel, messages: messages.length }, 'channel send failed');
        for (const m of messages) failed.set(m.outboxId, reason);
      }
    }
    sent += done.length - dropped;
    if (done.length) await db.execute(sql`delete from channel_outbox where id = any(${textArray(done)}::bigint[])`);
    if (failed.size) {
      const ids = [...failed.keys()];
      const reasons = ids.map((id) => failed.get(id)!.slice(0, 1000));
      const attemptsById = new Map(rows.map((r) => [r.id, Number(r.attempts)]));
      const retryAt = ids.map((id) => new Date(now.getTime() + retryDelayMs(attemptsById.get(id)!)).toISOString());
      await db.execute(sql`
        update channel_outbox o set last_error = f.reason, next_attempt_at = f.retry_at,
               state = case when o.attempts >= ${OUTBOX_MAX_ATTEMPTS} then 'failed' else 'pending' end
          from unnest(${textArray(ids)}::bigint[], ${textArray(reasons)}::text[], ${textArray(retryAt)}::timestamptz[]) f (id, reason, retry_at)
         where o.id = f.id`);
    }
    if (rows.length < OUTBOX_BATCH) break;
  }
  return sent;
}

/** Drains the outbox: queued right after a delivery, and every minute for retries. */
export const drainOutboxJob: JobDefinition = {
  kind: DRAIN_OUTBOX,
  everySeconds: 60,
  async run({ db, now, log }) {
    const sent = await drainOutbox(db, now, log);
    if (sent) log.info({ sent }, 'channel messages sent');
  },
};
