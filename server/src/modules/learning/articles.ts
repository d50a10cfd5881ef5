// Articles (学习文章): published to an org's subtree, read and counted per member, corrected or archived.
import { sql } from 'drizzle-orm';
import type { ContentListQuery, CreateArticle, UpdateArticle } from '../../../../contracts/learning.js';
import type { Actor } from '../../platform/actor.js';
import { managedOrg } from '../../platform/org-scope.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable } from '../../platform/db.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { type MemberContext, requireMember } from '../points/member-context.js';
import { awardPoints } from '../points/service.js';
import { isAddressedTo, visibleContent } from './policy.js';
import { likeContaining, pageLimit } from '../../platform/sql.js';
import { iso, viewerOf, lockOwned, present, setList, type N, type Time } from './content.js';
import { indexText, removeText } from '../search/index-text.js';

/** Keeps the article findable (search, issue #14) with its current title, body and org. */
async function reindexArticle(tx: Queryable, id: string): Promise<void> {
  const a = (await tx.execute<{ org_path: string; title: string; body: string; published_at: Time } & Record<string, unknown>>(sql`
    select org_path::text, title, body, published_at from articles where id = ${id}`)).rows[0]!;
  await indexText(tx, { sourceType: 'article', sourceId: id, orgPath: a.org_path, title: a.title, text: a.body, visibility: 'tree', publishedAt: new Date(a.published_at) });
}

type ArticleRow = { id: string; org_id: string; org_name: string; org_path: string; title: string; source: string | null; body?: string; published_at: Time; is_read: boolean; read_count: N; total?: N } & Record<string, unknown>;
const articleColumns = (memberId: string | null) => sql`a.id::text, a.org_id::text, o.name as org_name, a.org_path::text, a.title, a.source, a.published_at,
  exists (select 1 from article_reads r where r.article_id = a.id and r.member_id = ${memberId}) as is_read,
  (select count(*) from article_reads r where r.article_id = a.id)::int as read_count`;
const toArticle = (r: ArticleRow) => ({ id: r.id, orgId: r.org_id, orgName: r.org_name, title: r.title, source: r.source, publishedAt: iso(r.published_at)!, isRead: r.is_read, readCount: Number(r.read_count) });

export async function listArticles(db: Db, actor: Actor, query: ContentListQuery) {
  const me = await viewerOf(db, actor);
  const search = query.q ? sql` and a.title ilike ${likeContaining(query.q)}` : sql``;
  const r = await db.execute<ArticleRow>(sql`select ${articleColumns(me?.id ?? null)}, count(*) over () as total from articles a join orgs o on o.id = a.org_id
    where a.archived_at is null and ${visibleContent(actor, me, sql`a.org_path`)}${search}
    order by a.published_at desc, a.id desc ${pageLimit(query)}`);
  return { items: r.rows.map(toArticle), total: Number(r.rows[0]?.total ?? 0), page: query.page, pageSize: query.pageSize };
}

async function findArticle(db: Queryable, actor: Actor, me: MemberContext | null, id: string): Promise<ArticleRow> {
  const r = await db.execute<ArticleRow>(sql`select ${articleColumns(me?.id ?? null)}, a.body from articles a join orgs o on o.id = a.org_id
    where a.id = ${id} and a.archived_at is null and ${visibleContent(actor, me, sql`a.org_path`)}`);
  if (!r.rows[0]) throw notFound('learning.article_not_found');
  return r.rows[0];
}

export async function getArticle(db: Db, actor: Actor, id: string) {
  const row = await findArticle(db, actor, await viewerOf(db, actor), id);
  return { ...toArticle(row), body: row.body ?? '' };
}

export async function createArticle(db: Db, actor: Actor, input: CreateArticle) {
  const id = await db.transaction(async (tx) => {
    const { path: orgPath } = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share', notFoundKey: 'learning.org_not_found', dissolvedKey: 'learning.org_not_found' });
    const r = await tx.execute<{ id: string } & Record<string, unknown>>(sql`insert into articles (org_id, org_path, title, body, source, created_by)
      values (${input.orgId}, ${orgPath}::ltree, ${input.title}, ${input.body}, ${input.source ?? null}, ${actor.userId}) returning id::text`);
    await audit(tx, actor, { action: 'article.create', targetType: 'article', targetId: r.rows[0]!.id, orgPath, detail: { title: input.title } });
    await reindexArticle(tx, r.rows[0]!.id);
    return r.rows[0]!.id;
  });
  return getArticle(db, actor, id);
}

/** Reading is recorded once per member and article; the first read earns the rule's points. */
export async function markArticleRead(db: Db, actor: Actor, id: string) {
  const me = await requireMember(db, actor);
  const article = await findArticle(db, actor, me, id);
  if (!isAddressedTo(me, article.org_path)) throw forbidden('learning.not_addressed');
  return db.transaction(async (tx) => {
    const read = await tx.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into article_reads (article_id, member_id) values (${id}, ${me.id}) on conflict do nothing returning id::text`);
    if (!read.rows[0]) return { points: 0, isFirstRead: false };
    const award = await awardPoints(tx, { memberId: me.id, rule: 'article_read', sourceType: 'article_read', sourceId: read.rows[0].id });
    return { points: award.points, isFirstRead: true };
  });
}

export async function updateArticle(db: Db, actor: Actor, id: string, input: UpdateArticle) {
  await db.transaction(async (tx) => {
    const article = await lockOwned(tx, actor, sql`select org_path::text from articles where id = ${id} and archived_at is null for update`, 'learning.article_not_found');
    const changes = present([['title', input.title], ['body', input.body], ['source', input.source]]);
    if (changes.length === 0) return;
    await tx.execute(sql`update articles set ${setList(changes)} where id = ${id}`);
    await reindexArticle(tx, id);
    await audit(tx, actor, { action: 'article.update', targetType: 'article', targetId: id, orgPath: article.org_path, detail: { fields: changes.map(([c]) => c) } });
  });
  return getArticle(db, actor, id);
}

export async function archiveArticle(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const article = await lockOwned<{ title: string }>(tx, actor, sql`select title, org_path::text from articles where id = ${id} and archived_at is null for update`, 'learning.article_not_found');
    await tx.execute(sql`update articles set archived_at = now() where id = ${id}`);
    await removeText(tx, 'article', id);
    await audit(tx, actor, { action: 'article.archive', targetType: 'article', targetId: id, orgPath: article.org_path, detail: { title: article.title } });
  });
}
