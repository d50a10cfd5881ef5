// Courses (课程): single videos, links, live broadcasts and series of lessons, and members' progress through them.
import { sql } from 'drizzle-orm';
import type { ContentListQuery, Course, CourseDetail, CreateCourse, ProgressPage, UpdateCourse } from '../../../../contracts/learning.js';
import type { Actor } from '../../platform/actor.js';
import { managedOrg } from '../../platform/org-scope.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable } from '../../platform/db.js';
import { forbidden, invalidField, notFound } from '../../platform/errors.js';
import { type MemberContext, requireMember } from '../points/member-context.js';
import { awardPoints } from '../points/service.js';
import { isAddressedTo, visibleContent, canPublish } from './policy.js';
import { assertUsableVideos, videoUrl } from './videos.js';
import { likeContaining, pageLimit } from '../../platform/sql.js';
import { iso, viewerOf, lockOwned, present, setList, ms, type N, type Time } from './content.js';
import { indexText, removeText } from '../search/index-text.js';

/** Keeps the course findable (search, issue #14): its title, description and lesson titles. */
async function reindexCourse(tx: Queryable, id: string): Promise<void> {
  const c = (await tx.execute<{ org_path: string; title: string; text: string; created_at: Time } & Record<string, unknown>>(sql`
    select org_path::text, title, concat_ws(E'\n', description, (select string_agg(l.title, E'\n' order by l.position) from course_lessons l where l.course_id = courses.id)) as text,
           created_at from courses where id = ${id}`)).rows[0]!;
  await indexText(tx, { sourceType: 'course', sourceId: id, orgPath: c.org_path, title: c.title, text: c.text, visibility: 'tree', publishedAt: new Date(c.created_at) });
}

type CourseRow = {
  id: string; org_id: string; org_name: string; org_path: string; title: string; description: string | null; kind: Course['kind']; url: string | null;
  live_starts_at: Time | null; live_ends_at: Time | null; lesson_count: N; completed_lessons: N; is_completed: boolean; created_at: Time; total?: N;
} & Record<string, unknown>;

const courseColumns = (memberId: string | null) => sql`c.id::text, c.org_id::text, o.name as org_name, c.org_path::text, c.title, c.description, c.kind, c.url,
  c.live_starts_at, c.live_ends_at, c.created_at,
  (select count(*) from course_lessons l where l.course_id = c.id)::int as lesson_count,
  (select count(*) from lesson_progress p where p.course_id = c.id and p.member_id = ${memberId})::int as completed_lessons,
  exists (select 1 from course_completions cc where cc.course_id = c.id and cc.member_id = ${memberId}) as is_completed`;

const toCourse = (r: CourseRow): Course => ({
  id: r.id, orgId: r.org_id, orgName: r.org_name, title: r.title, description: r.description, kind: r.kind, url: r.url, liveStartsAt: iso(r.live_starts_at),
  liveEndsAt: iso(r.live_ends_at), lessonCount: Number(r.lesson_count), completedLessons: Number(r.completed_lessons), isCompleted: r.is_completed, createdAt: iso(r.created_at)!,
});

export async function listCourses(db: Db, actor: Actor, query: ContentListQuery) {
  const me = await viewerOf(db, actor);
  const search = query.q ? sql` and c.title ilike ${likeContaining(query.q)}` : sql``;
  const r = await db.execute<CourseRow>(sql`select ${courseColumns(me?.id ?? null)}, count(*) over () as total
    from courses c join orgs o on o.id = c.org_id where c.archived_at is null and ${visibleContent(actor, me, sql`c.org_path`)}${search}
    order by coalesce(c.live_starts_at, c.created_at) desc, c.id desc ${pageLimit(query)}`);
  return { items: r.rows.map(toCourse), total: Number(r.rows[0]?.total ?? 0), page: query.page, pageSize: query.pageSize };
}

async function findCourse(db: Queryable, actor: Actor, me: MemberContext | null, id: string): Promise<CourseRow> {
  const r = await db.execute<CourseRow>(sql`select ${courseColumns(me?.id ?? null)} from courses c join orgs o on o.id = c.org_id
    where c.id = ${id} and c.archived_at is null and ${visibleContent(actor, me, sql`c.org_path`)}`);
  const row = r.rows[0];
  if (!row) throw notFound('learning.course_not_found');
  return row;
}

export async function getCourse(db: Db, actor: Actor, id: string): Promise<CourseDetail> {
  const me = await viewerOf(db, actor);
  const course = await findCourse(db, actor, me, id);
  const lessons = await db.execute<{ id: string; position: N; title: string; url: string | null; video_id: string | null; duration_minutes: N | null; done: boolean } & Record<string, unknown>>(sql`
    select l.id::text, l.position, l.title, l.url, l.video_id::text, l.duration_minutes,
           exists (select 1 from lesson_progress p where p.lesson_id = l.id and p.member_id = ${me?.id ?? null}) as done
      from course_lessons l where l.course_id = ${id} order by l.position`);
  return {
    ...toCourse(course),
    lessons: lessons.rows.map((l) => ({ id: l.id, position: Number(l.position), title: l.title, url: l.url, videoUrl: l.video_id ? videoUrl(l.video_id) : null, durationMinutes: l.duration_minutes == null ? null : Number(l.duration_minutes), isCompleted: l.done })),
  };
}

export async function createCourse(db: Db, actor: Actor, input: CreateCourse): Promise<CourseDetail> {
  const id = await db.transaction(async (tx) => {
    const { path: orgPath } = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share', notFoundKey: 'learning.org_not_found', dissolvedKey: 'learning.org_not_found' });
    await assertUsableVideos(tx, orgPath, [
      ...(input.videoId ? [{ field: 'videoId', id: input.videoId }] : []),
      ...(input.lessons ?? []).flatMap((l, i) => (l.videoId ? [{ field: `lessons.${i}.videoId`, id: l.videoId }] : [])),
    ]);
    const r = await tx.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into courses (org_id, org_path, title, description, kind, url, live_starts_at, live_ends_at, created_by)
      values (${input.orgId}, ${orgPath}::ltree, ${input.title}, ${input.description ?? null}, ${input.kind}, ${input.url ?? null},
              ${input.liveStartsAt ?? null}::timestamptz, ${input.liveEndsAt ?? null}::timestamptz, ${actor.userId}) returning id::text`);
    const courseId = r.rows[0]!.id;
    // a single video, link or broadcast is a course of one lesson: progress works the same for all kinds
    const lessons = input.kind === 'series' ? input.lessons! : [{ title: input.title, url: input.url, videoId: input.videoId, durationMinutes: undefined }];
    await tx.execute(sql`insert into course_lessons (course_id, position, title, url, video_id, duration_minutes) values
      ${sql.join(lessons.map((l, i) => sql`(${courseId}, ${i + 1}, ${l.title}, ${l.url ?? null}, ${l.videoId ?? null}::bigint, ${l.durationMinutes ?? null})`), sql`, `)}`);
    await audit(tx, actor, { action: 'course.create', targetType: 'course', targetId: courseId, orgPath, detail: { title: input.title, kind: input.kind, lessons: lessons.length } });
    await reindexCourse(tx, courseId);
    return courseId;
  });
  return getCourse(db, actor, id);
}

/** A member finishes a lesson; finishing the last one completes the course and earns its points once. */
export async function completeLesson(db: Db, actor: Actor, courseId: string, lessonId: string) {
  const me = await requireMember(db, actor);
  const course = await findCourse(db, actor, me, courseId);
  if (!isAddressedTo(me, course.org_path)) throw forbidden('learning.not_addressed');
  return db.transaction(async (tx) => {
    const lesson = await tx.execute(sql`select 1 from course_lessons where id = ${lessonId} and course_id = ${courseId}`);
    if (lesson.rows.length === 0) throw notFound('learning.lesson_not_found');
    await tx.execute(sql`insert into lesson_progress (lesson_id, member_id, course_id) values (${lessonId}, ${me.id}, ${courseId}) on conflict do nothing`);
    const counts = (await tx.execute<{ done: N; total: N } & Record<string, unknown>>(sql`
      select (select count(*) from lesson_progress where course_id = ${courseId} and member_id = ${me.id})::int as done,
             (select count(*) from course_lessons where course_id = ${courseId})::int as total`)).rows[0]!;
    let points = 0;
    const isCompleted = Number(counts.done) >= Number(counts.total);
    if (isCompleted) {
      const completion = await tx.execute<{ id: string } & Record<string, unknown>>(sql`
        insert into course_completions (course_id, member_id) values (${courseId}, ${me.id}) on conflict do nothing returning id::text`);
      if (completion.rows[0]) points = (await awardPoints(tx, { memberId: me.id, rule: 'course_complete', sourceType: 'course_completion', sourceId: completion.rows[0].id })).points;
    }
    return { isCompleted, completedLessons: Number(counts.done), lessonCount: Number(counts.total), points };
  });
}

/** Each member of the publishing org's subtree: lessons done of the course. */
export async function courseProgress(db: Db, actor: Actor, courseId: string, page: { page: number; pageSize: number }): Promise<ProgressPage> {
  const course = await findCourse(db, actor, null, courseId);
  if (!canPublish(actor, course.org_path)) throw notFound('learning.course_not_found');
  const r = await db.execute<{ member_id: string; name: string; org_name: string; done: N; completed_at: Time | null; total: N } & Record<string, unknown>>(sql`
    select m.id::text as member_id, m.name, o.name as org_name,
           (select count(*) from lesson_progress p where p.course_id = ${courseId} and p.member_id = m.id)::int as done,
           (select cc.completed_at from course_completions cc where cc.course_id = ${courseId} and cc.member_id = m.id) as completed_at,
           count(*) over () as total
      from members m join orgs o on o.id = m.org_id
     where m.org_path <@ ${course.org_path}::ltree and m.left_at is null
     order by done desc, m.id ${pageLimit(page)}`);
  return {
    items: r.rows.map((x) => ({ memberId: x.member_id, memberName: x.name, orgName: x.org_name, done: Number(x.done), total: Number(course.lesson_count), overdue: 0, completedAt: iso(x.completed_at) })),
    total: Number(r.rows[0]?.total ?? 0), page: page.page, pageSize: page.pageSize,
  };
}

export async function updateCourse(db: Db, actor: Actor, id: string, input: UpdateCourse) {
  await db.transaction(async (tx) => {
    const course = await lockOwned<{ kind: string; live_starts_at: Date | string | null; live_ends_at: Date | string | null }>(tx, actor,
      sql`select kind, org_path::text, live_starts_at, live_ends_at from courses where id = ${id} and archived_at is null for update`, 'learning.course_not_found');
    if (input.url !== undefined && course.kind === 'series') throw invalidField('url', 'learning.url_not_for_series');
    if ((input.liveStartsAt !== undefined || input.liveEndsAt !== undefined) && course.kind !== 'live') throw invalidField('liveStartsAt', 'learning.live_only');
    const starts = input.liveStartsAt !== undefined ? Date.parse(input.liveStartsAt) : ms(course.live_starts_at);
    const ends = input.liveEndsAt !== undefined ? Date.parse(input.liveEndsAt) : ms(course.live_ends_at);
    if (course.kind === 'live' && starts !== null && ends !== null && ends <= starts) throw invalidField('liveEndsAt', 'learning.ends_before_starts');
    const changes = present([['title', input.title], ['description', input.description], ['url', input.url], ['live_starts_at', input.liveStartsAt], ['live_ends_at', input.liveEndsAt]]);
    if (changes.length === 0) return;
    await tx.execute(sql`update courses set ${setList(changes)} where id = ${id}`);
    // a single video, link or broadcast is a course of one lesson that mirrors the course
    if (course.kind !== 'series') {
      const lesson = present([['title', input.title], ['url', input.url]]);
      if (lesson.length) await tx.execute(sql`update course_lessons set ${setList(lesson)} where course_id = ${id}`);
    }
    await audit(tx, actor, { action: 'course.update', targetType: 'course', targetId: id, orgPath: course.org_path, detail: { fields: changes.map(([c]) => c) } });
    await reindexCourse(tx, id);
  });
  return getCourse(db, actor, id);
}

export async function archiveCourse(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const course = await lockOwned<{ title: string }>(tx, actor, sql`select title, org_path::text from courses where id = ${id} and archived_at is null for update`, 'learning.course_not_found');
    await tx.execute(sql`update courses set archived_at = now() where id = ${id}`);
    await removeText(tx, 'course', id);
    await audit(tx, actor, { action: 'course.archive', targetType: 'course', targetId: id, orgPath: course.org_path, detail: { title: course.title } });
  });
}
