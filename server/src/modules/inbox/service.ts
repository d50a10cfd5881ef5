import { sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import type { Db, Queryable } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import type { InboxItem, InboxKind, InboxPage, InboxQuery } from '../../../../contracts/inbox.js';
import { ownItems } from './policy.js';

interface ItemRow extends Record<string, unknown> {
  id: string; kind: InboxKind; title: string; body: string | null; link: string; source_type: string; source_id: string;
  created_at: Date | string; read_at: Date | string | null;
}

const iso = (v: Date | string) => new Date(v).toISOString();

function itemOf(r: ItemRow): InboxItem {
  return {
    id: r.id, kind: r.kind, title: r.title, body: r.body, link: r.link, sourceType: r.source_type, sourceId: r.source_id,
    createdAt: iso(r.created_at), readAt: r.read_at === null ? null : iso(r.read_at),
  };
}

/** The user's items, newest first, a page at a time (keyset on id over the (user_id, id) index). */
export async function listInbox(db: Db, actor: Actor, query: InboxQuery): Promise<InboxPage> {
  const rows = (await db.execute<ItemRow>(sql`
    select i.id::text, i.kind, i.title, i.body, i.link, i.source_type, i.source_id, i.created_at, i.read_at
      from inbox_items i
     where ${ownItems(actor)}
       ${query.unread ? sql`and i.read_at is null` : sql``}
       ${query.kind ? sql`and i.kind = ${query.kind}` : sql``}
       ${query.before ? sql`and i.id < ${query.before}` : sql``}
     order by i.id desc
     limit ${query.limit + 1}`)).rows;
  const page = rows.slice(0, query.limit);
  return { items: page.map(itemOf), nextCursor: rows.length > query.limit ? page.at(-1)!.id : null };
}

/** How many unread items a user has (the header's bell, the member's home page). */
export async function unreadCount(db: Db, userId: string): Promise<number> {
  const r = await db.execute<{ n: number } & Record<string, unknown>>(sql`
    select count(*)::int as n from inbox_items where user_id = ${userId} and read_at is null`);
  return Number(r.rows[0]!.n);
}

export async function markRead(db: Db, actor: Actor, id: string): Promise<InboxItem> {
  const r = await db.execute<ItemRow>(sql`
    update inbox_items i set read_at = coalesce(i.read_at, now())
     where i.id = ${id} and ${ownItems(actor)}
    returning i.id::text, i.kind, i.title, i.body, i.link, i.source_type, i.source_id, i.created_at, i.read_at`);
  const row = r.rows[0];
  if (!row) throw notFound('inbox.not_found');
  return itemOf(row);
}

export async function markAllRead(db: Db, actor: Actor, kind?: InboxKind): Promise<number> {
  const r = await db.execute<{ n: number } & Record<string, unknown>>(sql`
    with marked as (
      update inbox_items i set read_at = now()
       where ${ownItems(actor)} and i.read_at is null ${kind ? sql`and i.kind = ${kind}` : sql``}
      returning 1)
    select count(*)::int as n from marked`);
  return Number(r.rows[0]!.n);
}

/**
 * Marks read the items a user's visit to their source settles (opening a notice marks its inbox item
 * and its reminders read): for the modules that own the source.
 */
export async function markSourceRead(db: Queryable, userId: string, sourceType: string, sourceId: string): Promise<void> {
  await db.execute(sql`update inbox_items set read_at = now()
    where user_id = ${userId} and source_type = ${sourceType} and source_id = ${sourceId} and read_at is null`);
}
