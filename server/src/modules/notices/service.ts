import { sql, type SQL } from 'drizzle-orm';
import {
  NOTICE_REMINDER_DAYS, type MyNotice, type MyNoticeDetail, type MyNoticePage, type Notice, type NoticeFile, type NoticeInput, type NoticeListQuery,
  type NoticePage, type NoticeReceiptPeople, type NoticeReceiptPeopleQuery, type NoticeReceipts, type NoticeStatus, type NoticeSummary, type PublishNotice,
  type RemindResult,
} from '../../../../contracts/notices.js';
import type { Actor } from '../../platform/actor.js';
import type { Db, Queryable } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { conflict, invalidField, notFound } from '../../platform/errors.js';
import { pageLimit } from '../../platform/sql.js';
import { sanitizeRichText } from '../../platform/rich-text.js';
import { removeUpload, storeUpload, type Upload } from '../../platform/uploads.js';
import { cancelJob, enqueueJob } from '../../platform/scheduler.js';
import { textArray } from '../../platform/sql.js';
import { deliver } from '../inbox/deliver.js';
import { markSourceRead } from '../inbox/service.js';
import { indexText, removeText } from '../search/index-text.js';
import { canManageNotice, managedNotices, readableByRecipient } from './policy.js';

type Row = Record<string, unknown>;
type Time = Date | string | null;
type NoticeRow = {
  id: string; org_id: string; org_path: string; org_name: string; title: string; body_html: string; body_text: string;
  target_kind: Notice['targetKind']; to_members: boolean; to_org_admins: boolean; must_read: boolean; read_deadline: Time;
  status: NoticeStatus; publish_at: Time; published_at: Time; withdrawn_at: Time; last_reminded_at: Time;
  recipients: number; read: number; created_at: Time; updated_at: Time;
} & Row;

export const PUBLISH_JOB = 'notices.publish';
export const REMIND_JOB = 'notices.remind_unread';
const EXCERPT = 120;

const iso = (v: Time) => (v == null ? null : new Date(v).toISOString());
const fileUrl = (noticeId: string, fileId: string) => `/api/notices/${noticeId}/files/${fileId}`;
const memberLink = (id: string) => `/me/notices/${id}`;

const noticeColumns = sql`n.id::text, n.org_id::text, n.org_path::text, o.name as org_name, n.title, n.body_html, n.body_text, n.target_kind,
  n.to_members, n.to_org_admins, n.must_read, n.read_deadline, n.status, n.publish_at, n.published_at, n.withdrawn_at, n.last_reminded_at,
  (select count(*)::int from notice_recipients r where r.notice_id = n.id) as recipients,
  (select count(r.read_at)::int from notice_recipients r where r.notice_id = n.id) as read,
  n.created_at, n.updated_at`;
const noticeFrom = sql`notices n join orgs o on o.id = n.org_id`;

function toSummary(row: NoticeRow): NoticeSummary {
  return {
    id: row.id, orgId: row.org_id, orgName: row.org_name, title: row.title, targetKind: row.target_kind, toMembers: row.to_members,
    toOrgAdmins: row.to_org_admins, mustRead: row.must_read, readDeadline: iso(row.read_deadline), status: row.status, publishAt: iso(row.publish_at),
    publishedAt: iso(row.published_at), withdrawnAt: iso(row.withdrawn_at), lastRemindedAt: iso(row.last_reminded_at),
    recipients: Number(row.recipients), read: Number(row.read), createdAt: iso(row.created_at)!, updatedAt: iso(row.updated_at)!,
  };
}

async function filesOf(q: Queryable, noticeId: string): Promise<NoticeFile[]> {
  const rows = await q.execute<{ id: string; kind: 'photo' | 'document'; file_name: string; mime_type: string; size_bytes: number } & Row>(sql`
    select id::text, kind, file_name, mime_type, size_bytes from notice_files where notice_id = ${noticeId} order by id`);
  return rows.rows.map((f) => ({ id: f.id, kind: f.kind, fileName: f.file_name, mimeType: f.mime_type, sizeBytes: Number(f.size_bytes), url: fileUrl(noticeId, f.id) }));
}

async function findManagedNotice(q: Queryable, actor: Actor, id: string, lock = false): Promise<NoticeRow> {
  const row = (await q.execute<NoticeRow>(sql`select ${noticeColumns} from ${noticeFrom}
    where n.id = ${id} and ${managedNotices(actor)} ${lock ? sql`for update of n` : sql``}`)).rows[0];
  if (!row) throw notFound('notice.not_found');
  return row;
}

async function toNotice(q: Queryable, row: NoticeRow): Promise<Notice> {
  const [files, targets] = await Promise.all([
    filesOf(q, row.id),
    q.execute<{ id: string; name: string } & Row>(sql`select o.id::text, o.name from notice_target_orgs t join orgs o on o.id = t.org_id
      where t.notice_id = ${row.id} order by o.path`),
  ]);
  return { ...toSummary(row), bodyHtml: row.body_html, bodyText: row.body_text, files, targetOrgs: targets.rows };
}

export async function getNotice(db: Queryable, actor: Actor, id: string): Promise<Notice> {
  return toNotice(db, await findManagedNotice(db, actor, id));
}

export async function listNotices(db: Db, actor: Actor, query: NoticeListQuery): Promise<NoticePage> {
  const conditions: SQL[] = [managedNotices(actor)];
  if (query.status) conditions.push(sql`n.status = ${query.status}`);
  if (query.orgId) conditions.push(sql`n.org_id = ${query.orgId}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<NoticeRow>(sql`select ${noticeColumns} from ${noticeFrom} where ${where}
      order by coalesce(n.published_at, n.publish_at, n.created_at) desc, n.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from notices n where ${where}`),
  ]);
  return { items: rows.rows.map(toSummary), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

/** The publishing org (in the actor's scope) and the chosen target orgs (in the publishing org's subtree). */
async function checkInput(q: Queryable, actor: Actor, input: NoticeInput): Promise<{ orgPath: string; targets: { id: string; path: string }[]; body: { html: string; text: string } }> {
  const org = (await q.execute<{ path: string } & Row>(sql`select path::text from orgs where id = ${input.orgId} and dissolved_at is null`)).rows[0];
  if (!org || !canManageNotice(actor, { orgPath: org.path })) throw invalidField('orgId', 'notice.org_not_found');
  const body = sanitizeRichText(input.body);
  if (body.text === '' && !body.html.includes('<img')) throw invalidField('body', 'notice.body_required');
  let targets: { id: string; path: string }[] = [];
  if (input.targetKind === 'orgs') {
    const ids = [...new Set(input.targetOrgIds)];
    targets = (await q.execute<{ id: string; path: string } & Row>(sql`select id::text, path::text from orgs
      where id = any(${textArray(ids)}::bigint[]) and dissolved_at is null and path <@ ${org.path}::ltree`)).rows;
    if (targets.length !== ids.length) throw invalidField('targetOrgIds', 'notice.target_outside');
  }
  return { orgPath: org.path, targets, body };
}

async function writeTargets(q: Queryable, noticeId: string, targets: { id: string; path: string }[]): Promise<void> {
  await q.execute(sql`delete from notice_target_orgs where notice_id = ${noticeId}`);
  if (!targets.length) return;
  await q.execute(sql`insert into notice_target_orgs (notice_id, org_id, org_path)
    select ${noticeId}, t.id, t.path::ltree from unnest(${textArray(targets.map((t) => t.id))}::bigint[], ${textArray(targets.map((t) => t.path))}::text[]) t (id, path)`);
}

export async function createNotice(db: Db, actor: Actor, input: NoticeInput): Promise<Notice> {
  const id = await db.transaction(async (tx) => {
    const { orgPath, targets, body } = await checkInput(tx, actor, input);
    const row = (await tx.execute<{ id: string } & Row>(sql`
      insert into notices (org_id, org_path, title, body_html, body_text, target_kind, to_members, to_org_admins, must_read, read_deadline, created_by)
      values (${input.orgId}, ${orgPath}::ltree, ${input.title}, ${body.html}, ${body.text}, ${input.targetKind}, ${input.toMembers}, ${input.toOrgAdmins},
              ${input.mustRead}, ${input.mustRead ? input.readDeadline ?? null : null}, ${actor.userId})
      returning id::text`)).rows[0]!;
    await writeTargets(tx, row.id, targets);
    await audit(tx, actor, { action: 'notice.create', targetType: 'notice', targetId: row.id, orgPath, detail: { title: input.title } });
    return row.id;
  });
  return getNotice(db, actor, id);
}

/** A draft, or a scheduled notice (which goes back to draft: its publication is cancelled and asked for again). */
export async function updateNotice(db: Db, actor: Actor, id: string, input: NoticeInput): Promise<Notice> {
  await db.transaction(async (tx) => {
    const current = await findManagedNotice(tx, actor, id, true);
    if (current.status !== 'draft' && current.status !== 'scheduled') throw conflict('notice.not_editable');
    const { orgPath, targets, body } = await checkInput(tx, actor, input);
    await tx.execute(sql`update notices set org_id = ${input.orgId}, org_path = ${orgPath}::ltree, title = ${input.title}, body_html = ${body.html},
      body_text = ${body.text}, target_kind = ${input.targetKind}, to_members = ${input.toMembers}, to_org_admins = ${input.toOrgAdmins},
      must_read = ${input.mustRead}, read_deadline = ${input.mustRead ? input.readDeadline ?? null : null}, status = 'draft', publish_at = null, updated_at = now()
      where id = ${id}`);
    await writeTargets(tx, id, targets);
    await cancelJob(tx, PUBLISH_JOB, `notice:${id}`);
    await audit(tx, actor, { action: 'notice.update', targetType: 'notice', targetId: id, orgPath, detail: { title: input.title } });
  });
  return getNotice(db, actor, id);
}

export async function deleteNotice(db: Db, actor: Actor, dataDir: string, id: string): Promise<void> {
  const keys = await db.transaction(async (tx) => {
    const current = await findManagedNotice(tx, actor, id, true);
    if (current.status !== 'draft') throw conflict('notice.draft_only');
    const files = await tx.execute<{ storage_key: string } & Row>(sql`select storage_key from notice_files where notice_id = ${id}`);
    await tx.execute(sql`delete from notices where id = ${id}`);
    await audit(tx, actor, { action: 'notice.delete', targetType: 'notice', targetId: id, orgPath: current.org_path, detail: { title: current.title } });
    return files.rows.map((f) => f.storage_key);
  });
  await Promise.all(keys.map((key) => removeUpload(dataDir, key)));
}

/**
 * Publishes now, or schedules the publication (a job keyed by the notice, replaced when it is
 * scheduled again, dropped when it is edited or withdrawn).
 */
export async function publishNotice(db: Db, actor: Actor, id: string, input: PublishNotice, now = new Date()): Promise<Notice> {
  await db.transaction(async (tx) => {
    const current = await findManagedNotice(tx, actor, id, true);
    if (current.status !== 'draft' && current.status !== 'scheduled') throw conflict('notice.not_publishable');
    const publishAt = input.publishAt ? new Date(input.publishAt) : null;
    const effective = publishAt && publishAt > now ? publishAt : now;
    if (current.must_read && current.read_deadline && new Date(current.read_deadline) <= effective) throw invalidField('publishAt', 'notice.deadline_before_publish');
    if (publishAt && publishAt > now) {
      await tx.execute(sql`update notices set status = 'scheduled', publish_at = ${publishAt}, updated_at = now() where id = ${id}`);
      await enqueueJob(tx, PUBLISH_JOB, publishAt, { noticeId: id }, `notice:${id}`);
      await audit(tx, actor, { action: 'notice.schedule', targetType: 'notice', targetId: id, orgPath: current.org_path, detail: { publishAt: publishAt.toISOString() } });
      return;
    }
    await cancelJob(tx, PUBLISH_JOB, `notice:${id}`);
    const recipients = await publishInTransaction(tx, id, now);
    if (recipients === 0) throw invalidField('toMembers', 'notice.no_recipients');
    await audit(tx, actor, { action: 'notice.publish', targetType: 'notice', targetId: id, orgPath: current.org_path, detail: { recipients } });
  });
  return getNotice(db, actor, id);
}

/** The users a notice reaches, as `(user_id, org_id)`, by its target orgs and audience. */
function recipientsOf(noticeId: string): SQL {
  const inTargets = (path: SQL) => sql`((n.target_kind = 'subtree' and ${path} <@ n.org_path)
    or (n.target_kind = 'orgs' and exists (select 1 from notice_target_orgs t where t.notice_id = n.id and ${path} <@ t.org_path)))`;
  // a member who also administers an org is asked once, as a member of their own org
  return sql`
    select distinct on (c.user_id) c.user_id, c.org_id from (
      select u.id as user_id, m.org_id, m.org_path, 0 as preference
        from notices n join members m on ${inTargets(sql`m.org_path`)} and m.left_at is null
        join users u on u.member_id = m.id and u.disabled_at is null
       where n.id = ${noticeId} and n.to_members
      union all
      select ur.user_id, o.id, o.path, 1
        from notices n join orgs o on ${inTargets(sql`o.path`)} and o.dissolved_at is null
        join user_roles ur on ur.org_id = o.id and ur.role = 'org_admin'
        join users u on u.id = ur.user_id and u.disabled_at is null
       where n.id = ${noticeId} and n.to_org_admins) c
    order by c.user_id, c.preference, c.org_path`;
}

/**
 * Publication: the recipients are fixed in one insert, each gets an inbox item in one more, and a
 * notice to the whole subtree's members becomes findable in search. Answers how many were asked.
 */
export async function publishInTransaction(tx: Queryable, id: string, now: Date): Promise<number> {
  const published = (await tx.execute<{ org_path: string; title: string; body_text: string; target_kind: string; to_members: boolean; to_org_admins: boolean } & Row>(sql`
    update notices set status = 'published', published_at = ${now}, publish_at = null, updated_at = now() where id = ${id}
    returning org_path::text, title, body_text, target_kind, to_members, to_org_admins`)).rows[0]!;
  const inserted = await tx.execute<{ n: number } & Row>(sql`
    with asked as (
      insert into notice_recipients (notice_id, user_id, org_id)
      select ${id}, r.user_id, r.org_id from (${recipientsOf(id)}) r
      on conflict do nothing returning 1)
    select count(*)::int as n from asked`);
  const recipients = Number(inserted.rows[0]!.n);
  await deliver(tx, {
    kind: 'notice', title: published.title, body: published.body_text.slice(0, EXCERPT), link: memberLink(id), sourceType: 'notice', sourceId: id,
    dedupeKey: `notice:${id}`, recipients: sql`select user_id from notice_recipients where notice_id = ${id}`,
  });
  // search shows a text to the signed-in users of its org's subtree: only a notice to all of them may be found there
  if (published.target_kind === 'subtree' && published.to_members && !published.to_org_admins) {
    await indexText(tx, { sourceType: 'notice', sourceId: id, orgPath: published.org_path, title: published.title, text: published.body_text, visibility: 'tree', publishedAt: now });
  }
  return recipients;
}

/** The scheduled publication's job: publishes a notice still scheduled and due at `now` (one edited or withdrawn meanwhile is left alone). */
export async function publishScheduledNotice(db: Db, noticeId: string, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const due = (await tx.execute<{ org_path: string } & Row>(sql`select org_path::text from notices
      where id = ${noticeId} and status = 'scheduled' and publish_at <= ${now} for update`)).rows[0];
    if (!due) return false;
    const recipients = await publishInTransaction(tx, noticeId, now);
    await audit(tx, null, { action: 'notice.publish', targetType: 'notice', targetId: noticeId, orgPath: due.org_path, detail: { recipients, scheduled: true } });
    return true;
  });
}

export async function withdrawNotice(db: Db, actor: Actor, id: string): Promise<Notice> {
  await db.transaction(async (tx) => {
    const current = await findManagedNotice(tx, actor, id, true);
    if (current.status !== 'published' && current.status !== 'scheduled') throw conflict('notice.not_withdrawable');
    await tx.execute(sql`update notices set status = 'withdrawn', withdrawn_at = now(), publish_at = null, updated_at = now() where id = ${id}`);
    await cancelJob(tx, PUBLISH_JOB, `notice:${id}`);
    await removeText(tx, 'notice', id);
    await audit(tx, actor, { action: 'notice.withdraw', targetType: 'notice', targetId: id, orgPath: current.org_path, detail: { title: current.title } });
  });
  return getNotice(db, actor, id);
}

// ---------- receipts ----------

/**
 * The one condition behind every receipt figure and every list it opens: the per-org counts are a
 * GROUP BY over the rows the list pages through, so a figure and its list cannot disagree.
 */
function receiptRows(noticeId: string, filter: { orgId?: string; state?: 'read' | 'unread' } = {}): SQL {
  const conditions: SQL[] = [sql`r.notice_id = ${noticeId}`];
  if (filter.orgId) conditions.push(sql`r.org_id = ${filter.orgId}`);
  if (filter.state === 'read') conditions.push(sql`r.read_at is not null`);
  if (filter.state === 'unread') conditions.push(sql`r.read_at is null`);
  return sql`notice_recipients r where ${sql.join(conditions, sql` and `)}`;
}

export async function noticeReceipts(db: Db, actor: Actor, id: string): Promise<NoticeReceipts> {
  const notice = await findManagedNotice(db, actor, id);
  const orgs = await db.execute<{ org_id: string; org_name: string; recipients: number; read: number } & Row>(sql`
    select g.org_id::text, o.name as org_name, g.recipients, g.read
    from (select r.org_id, count(*)::int as recipients, count(r.read_at)::int as read from ${receiptRows(id)} group by r.org_id) g
    join orgs o on o.id = g.org_id
    order by o.path`);
  const items = orgs.rows.map((r) => ({ orgId: r.org_id, orgName: r.org_name, recipients: Number(r.recipients), read: Number(r.read) }));
  return { noticeId: notice.id, recipients: items.reduce((s, r) => s + r.recipients, 0), read: items.reduce((s, r) => s + r.read, 0), orgs: items };
}

/** Who was asked, by name and org only (no personal data), unread first when both are listed. */
export async function noticeReceiptPeople(db: Db, actor: Actor, id: string, query: NoticeReceiptPeopleQuery): Promise<NoticeReceiptPeople> {
  await findManagedNotice(db, actor, id);
  const from = receiptRows(id, query);
  const [list, total] = await Promise.all([
    db.execute<{ user_id: string; name: string; org_id: string; org_name: string; read_at: Time } & Row>(sql`
      select p.user_id::text, coalesce(m.name, u.display_name) as name, p.org_id::text, o.name as org_name, p.read_at
      from (select r.user_id, r.org_id, r.read_at from ${from}) p
      join users u on u.id = p.user_id left join members m on m.id = u.member_id join orgs o on o.id = p.org_id
      order by (p.read_at is null) desc, o.path, name, p.user_id ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from ${from}`),
  ]);
  return {
    items: list.rows.map((r) => ({ userId: r.user_id, name: r.name, orgId: r.org_id, orgName: r.org_name, readAt: iso(r.read_at) })),
    total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize,
  };
}

/** Reminds every recipient who has not read the notice, in one delivery; a second click within the minute reaches nobody twice. */
export async function remindUnread(db: Db, actor: Actor, id: string, now = new Date()): Promise<RemindResult> {
  return db.transaction(async (tx) => {
    const notice = await findManagedNotice(tx, actor, id, true);
    if (notice.status !== 'published') throw conflict('notice.not_published');
    const minute = now.toISOString().slice(0, 16);
    const delivered = await deliverReminder(tx, notice, `manual:${minute}`);
    await tx.execute(sql`update notices set last_reminded_at = ${now} where id = ${id}`);
    await audit(tx, actor, { action: 'notice.remind', targetType: 'notice', targetId: id, orgPath: notice.org_path, detail: { delivered } });
    return { delivered };
  });
}

function deliverReminder(tx: Queryable, notice: { id: string; title: string; read_deadline: Time }, occasion: string): Promise<number> {
  const deadline = notice.read_deadline ? new Date(notice.read_deadline) : null;
  return deliver(tx, {
    kind: 'notice_reminder', title: `请阅读通知：${notice.title}`,
    body: deadline ? `阅读截止时间 ${deadline.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}` : undefined,
    link: memberLink(notice.id), sourceType: 'notice', sourceId: notice.id, dedupeKey: `notice:${notice.id}:remind:${occasion}`,
    recipients: sql`select r.user_id from ${receiptRows(notice.id, { state: 'unread' })}`,
  });
}

/**
 * The recurring reminder: a must-read notice whose deadline is within NOTICE_REMINDER_DAYS reminds
 * its unread recipients once per threshold (3 days, then 1 day before); the dedupe key names the
 * threshold, so every run of the hour and every process delivers it once.
 */
export async function remindMustReadNotices(db: Db, now: Date): Promise<number> {
  const furthest = Math.max(...NOTICE_REMINDER_DAYS);
  const due = await db.execute<{ id: string; title: string; read_deadline: Time } & Row>(sql`
    select n.id::text, n.title, n.read_deadline from notices n
    where n.must_read and n.status = 'published' and n.read_deadline > ${now}
      and n.read_deadline <= ${now}::timestamptz + ${`${furthest} days`}::interval
      and exists (select 1 from notice_recipients r where r.notice_id = n.id and r.read_at is null)
    order by n.read_deadline, n.id`);
  let delivered = 0;
  for (const notice of due.rows) {
    const daysLeft = (new Date(notice.read_deadline!).getTime() - now.getTime()) / 86_400_000;
    const threshold = [...NOTICE_REMINDER_DAYS].sort((a, b) => a - b).find((d) => daysLeft <= d)!;
    delivered += await db.transaction((tx) => deliverReminder(tx, notice, `${threshold}d`));
  }
  return delivered;
}

// ---------- files ----------

export async function addNoticeFile(db: Db, actor: Actor, dataDir: string, id: string, upload: Upload): Promise<NoticeFile> {
  const notice = await findManagedNotice(db, actor, id);
  // what the recipients were sent does not change after publication
  if (notice.status !== 'draft' && notice.status !== 'scheduled') throw conflict('notice.not_editable');
  const key = await storeUpload(dataDir, 'notices', upload);
  try {
    const row = (await db.execute<{ id: string } & Row>(sql`insert into notice_files (notice_id, kind, file_name, mime_type, size_bytes, storage_key)
      values (${id}, ${upload.kind}, ${upload.fileName}, ${upload.mimeType}, ${upload.bytes.length}, ${key}) returning id::text`)).rows[0]!;
    return { id: row.id, kind: upload.kind, fileName: upload.fileName, mimeType: upload.mimeType, sizeBytes: upload.bytes.length, url: fileUrl(id, row.id) };
  } catch (error) {
    await removeUpload(dataDir, key);
    throw error;
  }
}

export async function removeNoticeFile(db: Db, actor: Actor, dataDir: string, id: string, fileId: string): Promise<void> {
  const notice = await findManagedNotice(db, actor, id);
  if (notice.status !== 'draft' && notice.status !== 'scheduled') throw conflict('notice.not_editable');
  const removed = (await db.execute<{ storage_key: string } & Row>(sql`delete from notice_files where id = ${fileId} and notice_id = ${id} returning storage_key`)).rows[0];
  if (!removed) throw notFound('notice.file_not_found');
  await removeUpload(dataDir, removed.storage_key);
}

/** A file is served to the notice's managers and, once it is published, to its recipients. */
export async function findNoticeFile(db: Db, actor: Actor, id: string, fileId: string): Promise<{ fileName: string; mimeType: string; storageKey: string }> {
  const row = (await db.execute<{ file_name: string; mime_type: string; storage_key: string } & Row>(sql`
    select f.file_name, f.mime_type, f.storage_key from notice_files f join notices n on n.id = f.notice_id
    where f.id = ${fileId} and n.id = ${id} and (${managedNotices(actor)} or (${readableByRecipient(actor)}))`)).rows[0];
  if (!row) throw notFound('notice.file_not_found');
  return { fileName: row.file_name, mimeType: row.mime_type, storageKey: row.storage_key };
}

// ---------- the reader ----------

type MyRow = { id: string; org_name: string; title: string; body_text: string; must_read: boolean; read_deadline: Time; published_at: Time; read_at: Time } & Row;
const myColumns = sql`n.id::text, o.name as org_name, n.title, n.body_text, n.must_read, n.read_deadline, n.published_at, r.read_at`;
const toMine = (r: MyRow): MyNotice => ({
  id: r.id, orgName: r.org_name, title: r.title, excerpt: r.body_text.slice(0, EXCERPT), mustRead: r.must_read, readDeadline: iso(r.read_deadline),
  publishedAt: iso(r.published_at)!, readAt: iso(r.read_at),
});

/** The notices I was asked to read, unread first, then the newest. */
export async function listMyNotices(db: Db, actor: Actor, query: { page: number; pageSize: number }): Promise<MyNoticePage> {
  const from = sql`notice_recipients r join notices n on n.id = r.notice_id and n.status = 'published' join orgs o on o.id = n.org_id
    where r.user_id = ${actor.userId}`;
  const [rows, counts] = await Promise.all([
    db.execute<MyRow>(sql`select ${myColumns} from ${from} order by (r.read_at is null) desc, n.published_at desc, n.id desc ${pageLimit(query)}`),
    db.execute<{ total: number; unread: number } & Row>(sql`select count(*)::int as total, (count(*) - count(r.read_at))::int as unread from ${from}`),
  ]);
  return { items: rows.rows.map(toMine), total: Number(counts.rows[0]?.total ?? 0), unread: Number(counts.rows[0]?.unread ?? 0), page: query.page, pageSize: query.pageSize };
}

/** Opening a notice is reading it: the first opening is its receipt. */
export async function openMyNotice(db: Db, actor: Actor, id: string): Promise<MyNoticeDetail> {
  return db.transaction(async (tx) => {
    const row = await openForReading(tx, actor, id);
    // the inbox items that announced it (the notice and its reminders) are read with it
    await markSourceRead(tx, actor.userId, 'notice', id);
    return { ...toMine(row), bodyHtml: row.body_html, files: await filesOf(tx, id) };
  });
}

async function openForReading(q: Queryable, actor: Actor, id: string): Promise<MyRow & { body_html: string }> {
  const row = (await q.execute<MyRow & { body_html: string }>(sql`
    with opened as (
      update notice_recipients r set read_at = coalesce(r.read_at, now())
      from notices n where r.notice_id = n.id and n.id = ${id} and n.status = 'published' and r.user_id = ${actor.userId}
      returning r.notice_id, r.read_at)
    select ${sql.raw('n.id::text, o.name as org_name, n.title, n.body_text, n.body_html, n.must_read, n.read_deadline, n.published_at, r.read_at')}
    from opened r join notices n on n.id = r.notice_id join orgs o on o.id = n.org_id`)).rows[0];
  if (!row) throw notFound('notice.not_found');
  return row;
}
