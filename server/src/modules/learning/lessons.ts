import { sql } from 'drizzle-orm';
import type { CreateLesson, CourseDetail, RemoveLessonQuery, ReorderLessons, UpdateLesson } from '../../../../contracts/learning.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db, Tx } from '../../platform/db.js';
import { conflict, invalidField, notFound } from '../../platform/errors.js';
import { getCourse } from './courses.js';
import { canPublish } from './policy.js';
import { assertUsableVideos } from './videos.js';

/**
 * The lessons of a published series, corrected by the admins of the publishing org (or above).
 * Course completions are never touched: a member who completed the course keeps it and its points
 * when lessons are added or removed (the completion row is the source of the award).
 */

type CourseLock = { org_path: string; kind: string; title: string } & Record<string, unknown>;

/** The course, locked against concurrent lesson changes; another org's or a missing course is the same 404. */
async function lockSeries(tx: Tx, actor: Actor, courseId: string): Promise<CourseLock> {
  const course = (await tx.execute<CourseLock>(sql`select org_path::text, kind, title from courses where id = ${courseId} and archived_at is null for update`)).rows[0];
  if (!course || !canPublish(actor, course.org_path)) throw notFound('learning.course_not_found');
  // a single video, link or broadcast is one lesson mirroring the course: it is corrected through the course
  if (course.kind !== 'series') throw conflict('learning.lessons_series_only');
  return course;
}

async function lessonIdsOf(tx: Tx, courseId: string): Promise<string[]> {
  return (await tx.execute<{ id: string } & Record<string, unknown>>(sql`select id::text from course_lessons where course_id = ${courseId} order by position`)).rows.map((r) => r.id);
}

/** Positions 1..n in the given order; two steps, because (course_id, position) is unique at every row. */
async function renumber(tx: Tx, courseId: string, orderedIds: string[]): Promise<void> {
  await tx.execute(sql`update course_lessons set position = -position where course_id = ${courseId}`);
  await tx.execute(sql`update course_lessons l set position = v.position
    from (values ${sql.join(orderedIds.map((id, i) => sql`(${id}::bigint, ${i + 1}::int)`), sql`, `)}) as v (id, position)
    where l.id = v.id and l.course_id = ${courseId}`);
}

export async function addLesson(db: Db, actor: Actor, courseId: string, input: CreateLesson): Promise<CourseDetail> {
  await db.transaction(async (tx) => {
    const course = await lockSeries(tx, actor, courseId);
    const ids = await lessonIdsOf(tx, courseId);
    const position = input.position ?? ids.length + 1;
    if (position > ids.length + 1) throw invalidField('position', 'learning.position_range', { max: ids.length + 1 });
    if (input.videoId) await assertUsableVideos(tx, course.org_path, [{ field: 'videoId', id: input.videoId }]);
    const inserted = await tx.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into course_lessons (course_id, position, title, url, video_id, duration_minutes)
      values (${courseId}, ${ids.length + 1}, ${input.title}, ${input.url ?? null}, ${input.videoId ?? null}::bigint, ${input.durationMinutes ?? null})
      returning id::text`);
    const lessonId = inserted.rows[0]!.id;
    if (position <= ids.length) await renumber(tx, courseId, [...ids.slice(0, position - 1), lessonId, ...ids.slice(position - 1)]);
    await audit(tx, actor, { action: 'course.lesson_add', targetType: 'course', targetId: courseId, orgPath: course.org_path,
      detail: { lessonId, title: input.title, position } });
  });
  return getCourse(db, actor, courseId);
}

export async function updateLesson(db: Db, actor: Actor, courseId: string, lessonId: string, input: UpdateLesson): Promise<CourseDetail> {
  await db.transaction(async (tx) => {
    const course = await lockSeries(tx, actor, courseId);
    const lesson = (await tx.execute(sql`select 1 from course_lessons where id = ${lessonId} and course_id = ${courseId}`)).rows[0];
    if (!lesson) throw notFound('learning.lesson_not_found');
    if (input.videoId) await assertUsableVideos(tx, course.org_path, [{ field: 'videoId', id: input.videoId }]);
    const changes = Object.entries({ title: input.title, url: input.url, video_id: input.videoId, duration_minutes: input.durationMinutes })
      .filter(([, v]) => v !== undefined);
    if (changes.length === 0) return;
    await tx.execute(sql`update course_lessons set ${sql.join(changes.map(([column, value]) => sql`${sql.identifier(column)} = ${value}`), sql`, `)}
      where id = ${lessonId}`);
    await audit(tx, actor, { action: 'course.lesson_update', targetType: 'course', targetId: courseId, orgPath: course.org_path,
      detail: { lessonId, fields: changes.map(([c]) => c) } });
  });
  return getCourse(db, actor, courseId);
}

export async function reorderLessons(db: Db, actor: Actor, courseId: string, input: ReorderLessons): Promise<CourseDetail> {
  await db.transaction(async (tx) => {
    const course = await lockSeries(tx, actor, courseId);
    const ids = await lessonIdsOf(tx, courseId);
    const given = new Set(input.lessonIds);
    if (given.size !== input.lessonIds.length || input.lessonIds.length !== ids.length || ids.some((id) => !given.has(id))) {
      throw invalidField('lessonIds', 'learning.lesson_order_mismatch', { count: ids.length });
    }
    await renumber(tx, courseId, input.lessonIds);
    await audit(tx, actor, { action: 'course.lesson_reorder', targetType: 'course', targetId: courseId, orgPath: course.org_path,
      detail: { before: ids, after: input.lessonIds } });
  });
  return getCourse(db, actor, courseId);
}

/** Removes a lesson; when members have studied it, only with `confirmProgressLoss` (their progress on it goes with it). */
export async function removeLesson(db: Db, actor: Actor, courseId: string, lessonId: string, query: RemoveLessonQuery): Promise<CourseDetail> {
  await db.transaction(async (tx) => {
    const course = await lockSeries(tx, actor, courseId);
    const ids = await lessonIdsOf(tx, courseId);
    if (!ids.includes(lessonId)) throw notFound('learning.lesson_not_found');
    if (ids.length === 1) throw conflict('learning.last_lesson');
    const studied = Number((await tx.execute<{ n: number } & Record<string, unknown>>(sql`
      select count(*)::int as n from lesson_progress where lesson_id = ${lessonId}`)).rows[0]!.n);
    if (studied > 0 && !query.confirmProgressLoss) throw conflict('learning.lesson_has_progress', { count: studied });
    await tx.execute(sql`delete from lesson_progress where lesson_id = ${lessonId}`);
    const removed = (await tx.execute<{ title: string } & Record<string, unknown>>(sql`delete from course_lessons where id = ${lessonId} returning title`)).rows[0]!;
    await renumber(tx, courseId, ids.filter((id) => id !== lessonId));
    await audit(tx, actor, { action: 'course.lesson_remove', targetType: 'course', targetId: courseId, orgPath: course.org_path,
      detail: { lessonId, title: removed.title, progressRemoved: studied } });
  });
  return getCourse(db, actor, courseId);
}
