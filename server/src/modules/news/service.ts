import { sql, type SQL } from 'drizzle-orm';
import type {
  CreateNewsColumn, CreateNewsItem, NewsColumn, NewsColumnList, NewsItem, NewsItemPage, NewsItemQuery, NewsItemSummary, NewsStatus,
  ReturnNewsItem, UpdateNewsColumn, UpdateNewsItem,
} from '../../../../contracts/news.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable, Tx } from '../../platform/db.js';
import { conflict, forbidden, invalidField, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { sanitizeRichText } from '../../platform/rich-text.js';
import { pageLimit, partialUpdate, type PageRequest } from '../../platform/sql.js';
import { removeUpload, storeUpload, type Upload } from '../../platform/uploads.js';
import { indexText, removeText } from '../search/index-text.js';
import { readerOrgPaths } from '../search/policy.js';
import {
  awaitingReviewBy, canEditItem, canManageColumn, canReviewItem, canWithdrawItem, canWriteInColumn, isOwnItem, managedItems, publicNewsOf, visibleColumns, visibleItems,
} from './policy.js';

type Row = Record<string, unknown>;
const iso = (v: Date | string | null) => (v == null ? null : new Date(v).toISOString());

// ---------- columns ----------

type ColumnRow = { id: string; org_id: string; org_path: string; org_name: string; name: string; description: string | null; archived: boolean; published_count: number } & Row;

const toColumn = (actor: Actor, r: ColumnRow): NewsColumn => ({
  id: r.id, orgId: r.org_id, orgName: r.org_name, name: r.name, description: r.description, archived: r.archived, publishedCount: Number(r.published_count),
  canWrite: !r.archived && canWriteInColumn(actor, { orgPath: r.org_path }), canManage: canManageColumn(actor, { orgPath: r.org_path }),
});

const columnSelect = sql`select c.id::text, c.org_id::text, c.org_path::text, o.name as org_name, c.name, c.description, c.archived_at is not null as archived,
  (select count(*)::int from news_items i where i.column_id = c.id and i.status = 'published') as published_count
  from news_columns c join orgs o on o.id = c.org_id`;

export async function listColumns(db: Db, actor: Actor): Promise<NewsColumnList> {
  const paths = await readerOrgPaths(db, actor);
  const rows = await db.execute<ColumnRow>(sql`${columnSelect} where ${visibleColumns(actor, paths, 'c')}
    order by c.archived_at is not null, nlevel(c.org_path), c.org_path, c.id limit 500`);
  return { items: rows.rows.map((r) => toColumn(actor, r)) };
}

async function findColumn(q: Queryable, actor: Actor, id: string, field?: string, lock = false): Promise<ColumnRow> {
  const paths = await readerOrgPaths(q, actor);
  const row = (await q.execute<ColumnRow>(sql`${columnSelect} where c.id = ${id} and ${visibleColumns(actor, paths, 'c')}${lock ? sql` for update of c` : sql``}`)).rows[0];
  if (!row) throw field ? invalidField(field, 'news.column_not_found') : notFound('news.column_not_found');
  return row;
}

export async function createColumn(db: Db, actor: Actor, input: CreateNewsColumn): Promise<NewsColumn> {
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share' });
    const row = (await tx.execute<{ id: string } & Row>(sql`
      insert into news_columns (org_id, org_path, name, description, created_by)
      values (${org.id}, ${org.path}::ltree, ${input.name}, ${input.description ?? null}, ${actor.userId}) returning id::text`)).rows[0]!;
    await audit(tx, actor, { action: 'news.create_column', targetType: 'news_column', targetId: row.id, orgPath: org.path, detail: { name: input.name } });
    return row.id;
  });
  return toColumn(actor, await findColumn(db, actor, id));
}

export async function updateColumn(db: Db, actor: Actor, id: string, input: UpdateNewsColumn): Promise<NewsColumn> {
  await db.transaction(async (tx) => {
    const column = await findColumn(tx, actor, id, undefined, true);
    if (!canManageColumn(actor, { orgPath: column.org_path })) throw notFound('news.column_not_found');
    const update = partialUpdate();
    update.set('name', input.name);
    update.set('description', input.description);
    if (input.archived !== undefined) update.add(input.archived ? sql`archived_at = coalesce(archived_at, now())` : sql`archived_at = null`);
    if (update.isEmpty) return;
    await tx.execute(sql`update news_columns set ${update.toSql()} where id = ${id}`);
    await audit(tx, actor, { action: 'news.update_column', targetType: 'news_column', targetId: id, orgPath: column.org_path, detail: { ...input } });
  });
  return toColumn(actor, await findColumn(db, actor, id));
}

// ---------- items ----------

type ItemRow = {
  id: string; column_id: string; column_name: string; org_path: string; org_name: string; title: string; summary: string | null; status: NewsStatus;
  is_public: boolean; author_user_id: string; author_name: string; has_cover: boolean; submitted_at: Date | string | null; published_at: Date | string | null;
  updated_at: Date | string; reviewer_name: string | null; reviewed_at: Date | string | null; return_reason: string | null;
} & Row;

const itemColumns = sql`n.id::text, n.column_id::text, c.name as column_name, n.org_path::text, o.name as org_name, n.title, n.summary, n.status, n.is_public,
  n.author_user_id::text, n.author_name, n.cover_key is not null as has_cover, n.submitted_at, n.published_at, n.updated_at, n.reviewer_name, n.reviewed_at, n.return_reason`;
const itemFrom = sql`news_items n join news_columns c on c.id = n.column_id join orgs o on o.id = n.org_id`;

const policyItem = (r: ItemRow) => ({ orgPath: r.org_path, authorUserId: r.author_user_id, status: r.status });

function toSummary(r: ItemRow): NewsItemSummary {
  return {
    id: r.id, columnId: r.column_id, columnName: r.column_name, orgName: r.org_name, title: r.title, summary: r.summary, status: r.status, isPublic: r.is_public,
    authorName: r.author_name, coverUrl: r.has_cover ? `/api/news/items/${r.id}/cover` : null, submittedAt: iso(r.submitted_at), publishedAt: iso(r.published_at),
    updatedAt: iso(r.updated_at)!,
  };
}

export async function listItems(db: Db, actor: Actor, query: NewsItemQuery): Promise<NewsItemPage> {
  const paths = await readerOrgPaths(db, actor);
  const conditions: SQL[] = [visibleItems(actor, paths)];
  if (query.view === 'published') conditions.push(sql`n.status = 'published'`);
  if (query.view === 'review') conditions.push(awaitingReviewBy(actor));
  if (query.view === 'mine') conditions.push(sql`n.author_user_id = ${actor.userId}`);
  if (query.view === 'manage') conditions.push(managedItems(actor));
  if (query.columnId) conditions.push(sql`n.column_id = ${query.columnId}`);
  if (query.status) conditions.push(sql`n.status = ${query.status}`);
  const where = sql.join(conditions, sql` and `);
  // published: newest first; the review queue: oldest submission first; drafts: last edited first
  const order = query.view === 'published' ? sql`n.published_at desc, n.id desc`
    : query.view === 'review' ? sql`n.submitted_at, n.id` : sql`n.updated_at desc, n.id desc`;
  const [rows, total] = await Promise.all([
    db.execute<ItemRow>(sql`select ${itemColumns} from ${itemFrom} where ${where} order by ${order} ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from news_items n where ${where}`),
  ]);
  return { items: rows.rows.map(toSummary), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

async function findItem(q: Queryable, actor: Actor, id: string, lock = false): Promise<ItemRow & { body_html: string }> {
  const paths = await readerOrgPaths(q, actor);
  const row = (await q.execute<ItemRow & { body_html: string }>(sql`select ${itemColumns}, n.body_html from ${itemFrom}
    where n.id = ${id} and ${visibleItems(actor, paths)}${lock ? sql` for update of n` : sql``}`)).rows[0];
  if (!row) throw notFound('news.not_found');
  return row;
}

export async function getItem(db: Queryable, actor: Actor, id: string): Promise<NewsItem> {
  const r = await findItem(db, actor, id);
  const item = policyItem(r);
  return {
    ...toSummary(r), bodyHtml: r.body_html, reviewerName: r.reviewer_name, reviewedAt: iso(r.reviewed_at), returnReason: r.return_reason,
    canEdit: canEditItem(actor, item), canSubmit: canEditItem(actor, item), canReview: canReviewItem(actor, item), canWithdraw: canWithdrawItem(actor, item),
  };
}

function cleanBody(bodyHtml: string): { html: string; text: string } {
  const body = sanitizeRichText(bodyHtml);
  if (body.text.length === 0 && !body.html.includes('<img')) throw invalidField('bodyHtml', 'news.body_empty');
  return body;
}

export async function createItem(db: Db, actor: Actor, input: CreateNewsItem): Promise<NewsItem> {
  const body = cleanBody(input.bodyHtml);
  const id = await db.transaction(async (tx) => {
    const column = await findColumn(tx, actor, input.columnId, 'columnId');
    if (!canWriteInColumn(actor, { orgPath: column.org_path })) throw invalidField('columnId', 'news.column_not_found');
    if (column.archived) throw invalidField('columnId', 'news.column_archived');
    const row = (await tx.execute<{ id: string } & Row>(sql`
      insert into news_items (column_id, org_id, org_path, title, summary, body_html, body_text, is_public, author_user_id, author_name)
      select c.id, c.org_id, c.org_path, ${input.title}, ${input.summary ?? null}, ${body.html}, ${body.text}, ${input.isPublic}, ${actor.userId}, ${actor.displayName}
        from news_columns c where c.id = ${column.id}
      returning id::text`)).rows[0]!;
    await audit(tx, actor, { action: 'news.create', targetType: 'news_item', targetId: row.id, orgPath: column.org_path, detail: { title: input.title } });
    return row.id;
  });
  return getItem(db, actor, id);
}

export async function updateItem(db: Db, actor: Actor, id: string, input: UpdateNewsItem): Promise<NewsItem> {
  const body = input.bodyHtml === undefined ? undefined : cleanBody(input.bodyHtml);
  await db.transaction(async (tx) => {
    const r = await findItem(tx, actor, id, true);
    if (!canEditItem(actor, policyItem(r))) throw conflict('news.not_editable');
    const update = partialUpdate();
    update.set('title', input.title);
    update.set('summary', input.summary);
    update.set('is_public', input.isPublic);
    if (body) { update.set('body_html', body.html); update.set('body_text', body.text); }
    update.add(sql`updated_at = now()`);
    await tx.execute(sql`update news_items set ${update.toSql()} where id = ${id}`);
    await audit(tx, actor, { action: 'news.update', targetType: 'news_item', targetId: id, orgPath: r.org_path, detail: { title: input.title ?? r.title } });
  });
  return getItem(db, actor, id);
}

/** The author (or an admin) sends a draft, a returned or a withdrawn item for review. */
export async function submitItem(db: Db, actor: Actor, id: string): Promise<NewsItem> {
  await db.transaction(async (tx) => {
    const r = await findItem(tx, actor, id, true);
    if (!canEditItem(actor, policyItem(r))) throw conflict('news.not_editable');
    await tx.execute(sql`update news_items set status = 'submitted', submitted_at = now(), return_reason = null, updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'news.submit', targetType: 'news_item', targetId: id, orgPath: r.org_path, detail: { title: r.title } });
  });
  return getItem(db, actor, id);
}

async function reviewable(tx: Tx, actor: Actor, id: string): Promise<ItemRow> {
  const r = await findItem(tx, actor, id, true);
  if (r.status !== 'submitted') throw conflict('news.not_submitted');
  if (isOwnItem(actor, policyItem(r))) throw forbidden('news.own_item');
  if (!canReviewItem(actor, policyItem(r))) throw forbidden('news.not_reviewer');
  return r;
}

/** Publishing makes the item findable (search) and, when public, shows it on the tree's portal. */
export async function approveItem(db: Db, actor: Actor, id: string): Promise<NewsItem> {
  await db.transaction(async (tx) => {
    const r = await reviewable(tx, actor, id);
    const published = (await tx.execute<{ published_at: Date | string; body_text: string } & Row>(sql`
      update news_items set status = 'published', published_at = now(), reviewed_by = ${actor.userId}, reviewer_name = ${actor.displayName},
             reviewed_at = now(), withdrawn_at = null, updated_at = now()
       where id = ${id} returning published_at, body_text`)).rows[0]!;
    await indexText(tx, {
      sourceType: 'news', sourceId: id, orgPath: r.org_path, title: r.title, text: [r.summary ?? '', published.body_text].join('\n'),
      visibility: r.is_public ? 'public' : 'tree', publishedAt: new Date(published.published_at),
    });
    await audit(tx, actor, { action: 'news.approve', targetType: 'news_item', targetId: id, orgPath: r.org_path, detail: { title: r.title } });
  });
  return getItem(db, actor, id);
}

export async function returnItem(db: Db, actor: Actor, id: string, input: ReturnNewsItem): Promise<NewsItem> {
  await db.transaction(async (tx) => {
    const r = await reviewable(tx, actor, id);
    await tx.execute(sql`update news_items set status = 'returned', return_reason = ${input.reason}, reviewed_by = ${actor.userId},
      reviewer_name = ${actor.displayName}, reviewed_at = now(), updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'news.return', targetType: 'news_item', targetId: id, orgPath: r.org_path, detail: { title: r.title, reason: input.reason } });
  });
  return getItem(db, actor, id);
}

export async function withdrawItem(db: Db, actor: Actor, id: string): Promise<NewsItem> {
  await db.transaction(async (tx) => {
    const r = await findItem(tx, actor, id, true);
    if (r.status !== 'published') throw conflict('news.not_published');
    if (!canWithdrawItem(actor, policyItem(r))) throw notFound('news.not_found');
    await tx.execute(sql`update news_items set status = 'withdrawn', withdrawn_at = now(), updated_at = now() where id = ${id}`);
    await removeText(tx, 'news', id);
    await audit(tx, actor, { action: 'news.withdraw', targetType: 'news_item', targetId: id, orgPath: r.org_path, detail: { title: r.title } });
  });
  return getItem(db, actor, id);
}

export async function setCover(db: Db, actor: Actor, dataDir: string, id: string, upload: Upload): Promise<NewsItem> {
  if (upload.kind !== 'photo') throw invalidField('file', 'news.cover_photo');
  const key = await storeUpload(dataDir, 'news', upload);
  let oldKey: string | null = null;
  try {
    await db.transaction(async (tx) => {
      const r = await findItem(tx, actor, id, true);
      if (!canEditItem(actor, policyItem(r))) throw conflict('news.not_editable');
      const old = (await tx.execute<{ cover_key: string | null } & Row>(sql`select cover_key from news_items where id = ${id}`)).rows[0];
      oldKey = old?.cover_key ?? null;
      await tx.execute(sql`update news_items set cover_key = ${key}, cover_mime = ${upload.mimeType}, updated_at = now() where id = ${id}`);
      await audit(tx, actor, { action: 'news.set_cover', targetType: 'news_item', targetId: id, orgPath: r.org_path, detail: { fileName: upload.fileName } });
    });
  } catch (error) {
    await removeUpload(dataDir, key);
    throw error;
  }
  if (oldKey) await removeUpload(dataDir, oldKey);
  return getItem(db, actor, id);
}

export async function findCover(db: Queryable, actor: Actor, id: string): Promise<{ key: string; mime: string }> {
  await findItem(db, actor, id);
  return coverOf(db, sql`id = ${id}`);
}

/** The cover of a published public item of a tree (the portal). */
export async function findPublicCover(db: Queryable, rootPath: string, id: string): Promise<{ key: string; mime: string }> {
  return coverOf(db, sql`id = ${id} and status = 'published' and is_public and org_path <@ ${rootPath}::ltree`);
}

async function coverOf(db: Queryable, where: SQL): Promise<{ key: string; mime: string }> {
  const row = (await db.execute<{ cover_key: string | null; cover_mime: string | null } & Row>(sql`select cover_key, cover_mime from news_items where ${where}`)).rows[0];
  if (!row?.cover_key || !row.cover_mime) throw notFound('news.no_cover');
  return { key: row.cover_key, mime: row.cover_mime };
}

/** A published public item as the public portal shows it (the portal masks and links it). */
export interface PublicNewsItem { id: string; title: string; summary: string | null; columnName: string; orgName: string; publishedAt: string; hasCover: boolean }

type PublicNewsRow = { id: string; title: string; summary: string | null; column_name: string; org_name: string; published_at: Date | string; has_cover: boolean } & Row;
const publicNewsColumns = sql`n.id::text, n.title, n.summary, c.name as column_name, o.name as org_name, n.published_at, n.cover_key is not null as has_cover`;
const publicNewsFrom = sql`news_items n join news_columns c on c.id = n.column_id join orgs o on o.id = n.org_id`;
const toPublicNewsItem = (r: PublicNewsRow): PublicNewsItem => ({
  id: r.id, title: r.title, summary: r.summary, columnName: r.column_name, orgName: r.org_name, publishedAt: new Date(r.published_at).toISOString(), hasCover: r.has_cover,
});

/** The tree's published public news, newest first, one page of it and the total. */
export async function listPublicNewsOfTree(db: Queryable, rootPath: string, query: PageRequest): Promise<{ items: PublicNewsItem[]; total: number }> {
  const [rows, total] = await Promise.all([
    db.execute<PublicNewsRow>(sql`select ${publicNewsColumns} from ${publicNewsFrom} where ${publicNewsOf(rootPath)} order by n.published_at desc, n.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from news_items n where ${publicNewsOf(rootPath)}`),
  ]);
  return { items: rows.rows.map(toPublicNewsItem), total: Number(total.rows[0]?.n ?? 0) };
}

/** One published public item of the tree with its body, or null. */
export async function findPublicNewsOfTree(db: Queryable, rootPath: string, id: string): Promise<(PublicNewsItem & { bodyHtml: string }) | null> {
  const row = (await db.execute<PublicNewsRow & { body_html: string }>(sql`select ${publicNewsColumns}, n.body_html from ${publicNewsFrom} where n.id = ${id} and ${publicNewsOf(rootPath)}`)).rows[0];
  return row ? { ...toPublicNewsItem(row), bodyHtml: row.body_html } : null;
}
