import { sql } from 'drizzle-orm';
import type {
  Portal, PortalOpenLesson, PublicLessonRegistration, PublicNews, PublicNewsPage, PublicNewsSummary,
} from '../../../../contracts/news.js';
import type { SearchQuery, SearchResult } from '../../../../contracts/search.js';
import type { Db, Queryable } from '../../platform/db.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { textArray, type PageRequest } from '../../platform/sql.js';
import { isOpenForPublicRegistration, publicOpenLessons } from '../activities/service.js';
import { findPublicCover, findPublicNewsOfTree, listPublicNewsOfTree, type PublicNewsItem } from '../news/service.js';
import { searchPublic } from '../search/service.js';
import { findTree, maskPersonalPatterns } from '../service_projects/public.js';
import { REGISTRATIONS_PER_HOUR } from './policy.js';

type Row = Record<string, unknown>;

const toPublicNews = (rootId: string, { hasCover, summary, ...item }: PublicNewsItem): PublicNewsSummary => ({
  ...item, summary: maskPersonalPatterns(summary), coverUrl: hasCover ? `/api/public/portal/${rootId}/news/${item.id}/cover` : null,
});

/** The tree's public open lessons (the activities module's), each with its members' and its visitors' registrations. */
async function openLessons(q: Queryable, rootPath: string, id?: string): Promise<PortalOpenLesson[]> {
  const lessons = await publicOpenLessons(q, rootPath, id);
  if (!lessons.length) return [];
  const visitors = await q.execute<{ activity_id: string; n: number } & Row>(sql`
    select activity_id::text, count(*)::int as n from open_lesson_registrations
     where activity_id = any(${textArray(lessons.map((l) => l.id))}::bigint[]) group by activity_id`);
  const visitorsOf = new Map(visitors.rows.map((r) => [r.activity_id, Number(r.n)]));
  return lessons.map(({ registeredMembers, ...lesson }) => ({ ...lesson, registrations: registeredMembers + (visitorsOf.get(lesson.id) ?? 0) }));
}

export async function getPortal(db: Db, rootId: string): Promise<Portal> {
  const tree = await findTree(db, rootId);
  const [news, lessons] = await Promise.all([
    listPublicNewsOfTree(db, tree.path, { page: 1, pageSize: 6 }),
    openLessons(db, tree.path),
  ]);
  return { tree: { id: tree.id, name: tree.name }, news: news.items.map((r) => toPublicNews(tree.id, r)), openLessons: lessons };
}

export async function listPublicNews(db: Db, rootId: string, query: PageRequest): Promise<PublicNewsPage> {
  const tree = await findTree(db, rootId);
  const { items, total } = await listPublicNewsOfTree(db, tree.path, query);
  return { items: items.map((r) => toPublicNews(tree.id, r)), total, page: query.page, pageSize: query.pageSize };
}

export async function getPublicNews(db: Db, rootId: string, id: string): Promise<PublicNews> {
  const tree = await findTree(db, rootId);
  const item = await findPublicNewsOfTree(db, tree.path, id);
  if (!item) throw notFound('news.not_found');
  return { ...toPublicNews(tree.id, item), bodyHtml: item.bodyHtml };
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
    if (!(await isOpenForPublicRegistration(tx, tree.path, id))) throw notFound('portal.lesson_not_found');
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
