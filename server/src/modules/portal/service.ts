import { sql } from 'drizzle-orm';
import type {
  Portal, PortalOpenLesson, PublicLessonRegistration, PublicNews, PublicNewsPage, PublicNewsSummary,
} from '../../../../contracts/news.js';
import type { SearchQuery, SearchResult } from '../../../../contracts/search.js';
import type { Db, Queryable } from '../../platform/db.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { pageLimit, type PageRequest } from '../../platform/sql.js';
import { findPublicCover } from '../news/service.js';
import { searchPublic } from '../search/service.js';
import { findTree, maskPersonalPatterns } from '../service_projects/public.js';
import { publicLessonsOf, publicNewsOf, REGISTRATIONS_PER_HOUR } from './policy.js';

type Row = Record<string, unknown>;
const iso = (v: Date | string) => new Date(v).toISOString();

type NewsRow = { id: string; title: string; summary: string | null; column_name: string; org_name: string; published_at: Date | string; has_cover: boolean } & Row;
const newsColumns = sql`n.id::text, n.title, n.summary, c.name as column_name, o.name as org_name, n.published_at, n.cover_key is not null as has_cover`;
const newsFrom = sql`news_items n join news_columns c on c.id = n.column_id join orgs o on o.id = n.org_id`;

const toPublicNews = (rootId: string, r: NewsRow): PublicNewsSummary => ({
  id: r.id, title: r.title, summary: maskPersonalPatterns(r.summary), columnName: r.column_name, orgName: r.org_name, publishedAt: iso(r.published_at),
  coverUrl: r.has_cover ? `/api/public/portal/${rootId}/news/${r.id}/cover` : null,
});

async function openLessons(q: Queryable, rootPath: string, id?: string): Promise<PortalOpenLesson[]> {
  const rows = await q.execute<{
    id: string; title: string; topic: string | null; org_name: string; host_name: string | null; starts_at: Date | string; ends_at: Date | string;
    place: string | null; stream_url: string | null; registrations: number; attended: number;
  } & Row>(sql`
    select a.id::text, a.title, a.topic, o.name as org_name, a.host_name, a.starts_at, a.ends_at, a.place, a.stream_url,
           (select count(*)::int from activity_participants p where p.activity_id = a.id and p.state in ('registered', 'present', 'late'))
             + (select count(*)::int from open_lesson_registrations r where r.activity_id = a.id) as registrations,
           (select count(*)::int from activity_participants p where p.activity_id = a.id and p.state in ('present', 'late')) as attended
      from activities a join orgs o on o.id = a.org_id
     where ${publicLessonsOf(rootPath)}${id ? sql` and a.id = ${id}` : sql``}
     order by a.starts_at, a.id limit 50`);
  return rows.rows.map((r) => ({
    id: r.id, title: r.title, topic: r.topic, orgName: r.org_name, hostName: r.host_name, startsAt: iso(r.starts_at), endsAt: iso(r.ends_at),
    place: r.place, streamUrl: r.stream_url, registrations: Number(r.registrations), attended: Number(r.attended),
  }));
}

export async function getPortal(db: Db, rootId: string): Promise<Portal> {
  const tree = await findTree(db, rootId);
  const [news, lessons] = await Promise.all([
    db.execute<NewsRow>(sql`select ${newsColumns} from ${newsFrom} where ${publicNewsOf(tree.path)} order by n.published_at desc, n.id desc limit 6`),
    openLessons(db, tree.path),
  ]);
  return { tree: { id: tree.id, name: tree.name }, news: news.rows.map((r) => toPublicNews(tree.id, r)), openLessons: lessons };
}

export async function listPublicNews(db: Db, rootId: string, query: PageRequest): Promise<PublicNewsPage> {
  const tree = await findTree(db, rootId);
  const [rows, total] = await Promise.all([
    db.execute<NewsRow>(sql`select ${newsColumns} from ${newsFrom} where ${publicNewsOf(tree.path)} order by n.published_at desc, n.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from news_items n where ${publicNewsOf(tree.path)}`),
  ]);
  return { items: rows.rows.map((r) => toPublicNews(tree.id, r)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

export async function getPublicNews(db: Db, rootId: string, id: string): Promise<PublicNews> {
  const tree = await findTree(db, rootId);
  const row = (await db.execute<NewsRow & { body_html: string }>(sql`select ${newsColumns}, n.body_html from ${newsFrom} where n.id = ${id} and ${publicNewsOf(tree.path)}`)).rows[0];
  if (!row) throw notFound('news.not_found');
  return { ...toPublicNews(tree.id, row), bodyHtml: row.body_html };
}

export async function publicCover(db: Db, rootId: string, id: string): Promise<{ key: string; mime: string }> {
  const tree = await findTree(db, rootId);
  return findPublicCover(db, tree.path, id);
}

export async function searchPortal(db: Db, rootId: string, query: SearchQuery): Promise<SearchResult> {
  const tree = await findTree(db, rootId);
  const result = await searchPublic(db, tree.path, query);
  return { ...result, items: result.items.map((hit) => ({ ...hit, title: maskPersonalPatterns(hit.title), excerpt: maskPersonalPatterns(hit.excerpt) })) };
}

/**
 * A visitor registers for an open lesson with a name (and optionally the unit they come from). The
 * address is kept only to limit registrations per hour; the same name twice from one address is
 * one registration.
 */
export async function registerForLesson(db: Db, rootId: string, id: string, input: PublicLessonRegistration, ip: string): Promise<{ registrations: number }> {
  const tree = await findTree(db, rootId);
  await db.transaction(async (tx) => {
    const lesson = (await tx.execute<{ id: string } & Row>(sql`select a.id::text from activities a
      where a.id = ${id} and ${publicLessonsOf(tree.path)} and a.status = 'published' and a.ends_at > now() for share`)).rows[0];
    if (!lesson) throw notFound('portal.lesson_not_found');
    // one address at a time, so parallel posts cannot pass the limit together
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('open_lesson_registration:' || ${ip}))`);
    const recent = (await tx.execute<{ n: number; same: number; retry: number | null } & Row>(sql`
      select count(*)::int as n, count(*) filter (where activity_id = ${id} and name = ${input.name})::int as same,
             extract(epoch from min(created_at) + interval '1 hour' - now())::int as retry
        from open_lesson_registrations where ip = ${ip} and created_at > now() - interval '1 hour'`)).rows[0]!;
    if (Number(recent.same) > 0) throw conflict('portal.already_registered');
    if (Number(recent.n) >= REGISTRATIONS_PER_HOUR) {
      const seconds = Math.max(1, Number(recent.retry ?? 60));
      throw new AppError(429, 'portal.too_many_registrations', { seconds }, undefined, { 'retry-after': String(seconds) });
    }
    await tx.execute(sql`insert into open_lesson_registrations (activity_id, name, unit, ip) values (${id}, ${input.name}, ${input.unit ?? null}, ${ip})`);
  });
  const lesson = (await openLessons(db, tree.path, id))[0];
  return { registrations: lesson?.registrations ?? 0 };
}
