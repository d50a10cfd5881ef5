import { sql, type SQL } from 'drizzle-orm';
import type { UpdateArticle, UpdateCourse, UpdateStudyPlan } from '../../../../contracts/learning.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable } from '../../platform/db.js';
import { invalidField, notFound } from '../../platform/errors.js';
import { getCourse } from './courses.js';
import { getArticle, getPlan } from './reading.js';
import { canPublish } from './policy.js';

/**
 * Corrections of published content by the admins of the publishing org (or above): the fields sent
 * change, the rest stay; members' progress, reads and points are kept. Removing a course or an article
 * archives it (its records stay for the ledger); a plan is corrected, not removed, because its chapters
 * carry the members' progress.
 */

type Change = [column: string, value: unknown];
const present = (changes: [string, unknown][]): Change[] => changes.filter(([, v]) => v !== undefined);
const setList = (changes: Change[]): SQL => sql.join(changes.map(([column, value]) => sql`${sql.identifier(column)} = ${value}`), sql`, `);
const ms = (v: Date | string | null) => (v == null ? null : new Date(v).getTime());

/** The row of a table the actor may correct, locked; another org's or a missing row is the same 404. */
async function lockOwned<R extends Record<string, unknown>>(tx: Queryable, actor: Actor, query: SQL, notFoundKey: string): Promise<R & { org_path: string }> {
  const row = (await tx.execute<R & { org_path: string }>(query)).rows[0];
  if (!row || !canPublish(actor, row.org_path)) throw notFound(notFoundKey);
  return row;
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
  });
  return getCourse(db, actor, id);
}

export async function archiveCourse(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const course = await lockOwned<{ title: string }>(tx, actor, sql`select title, org_path::text from courses where id = ${id} and archived_at is null for update`, 'learning.course_not_found');
    await tx.execute(sql`update courses set archived_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'course.archive', targetType: 'course', targetId: id, orgPath: course.org_path, detail: { title: course.title } });
  });
}

export async function updateArticle(db: Db, actor: Actor, id: string, input: UpdateArticle) {
  await db.transaction(async (tx) => {
    const article = await lockOwned(tx, actor, sql`select org_path::text from articles where id = ${id} and archived_at is null for update`, 'learning.article_not_found');
    const changes = present([['title', input.title], ['body', input.body], ['source', input.source]]);
    if (changes.length === 0) return;
    await tx.execute(sql`update articles set ${setList(changes)} where id = ${id}`);
    await audit(tx, actor, { action: 'article.update', targetType: 'article', targetId: id, orgPath: article.org_path, detail: { fields: changes.map(([c]) => c) } });
  });
  return getArticle(db, actor, id);
}

export async function archiveArticle(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const article = await lockOwned<{ title: string }>(tx, actor, sql`select title, org_path::text from articles where id = ${id} and archived_at is null for update`, 'learning.article_not_found');
    await tx.execute(sql`update articles set archived_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'article.archive', targetType: 'article', targetId: id, orgPath: article.org_path, detail: { title: article.title } });
  });
}

/** New dates must still hold every chapter's date. */
export async function updatePlan(db: Db, actor: Actor, id: string, input: UpdateStudyPlan) {
  await db.transaction(async (tx) => {
    const plan = await lockOwned<{ starts_on: string; ends_on: string; first_due: string; last_due: string }>(tx, actor, sql`
      select p.org_path::text, p.starts_on::text, p.ends_on::text,
             (select min(i.due_on) from study_plan_items i where i.plan_id = p.id)::text as first_due,
             (select max(i.due_on) from study_plan_items i where i.plan_id = p.id)::text as last_due
        from study_plans p where p.id = ${id} for update`, 'learning.plan_not_found');
    const startsOn = input.startsOn ?? plan.starts_on;
    const endsOn = input.endsOn ?? plan.ends_on;
    if (endsOn < startsOn) throw invalidField(input.endsOn ? 'endsOn' : 'startsOn', 'learning.ends_before_starts');
    if (startsOn > plan.first_due) throw invalidField('startsOn', 'learning.item_outside_plan');
    if (endsOn < plan.last_due) throw invalidField('endsOn', 'learning.item_outside_plan');
    const changes = present([['title', input.title], ['description', input.description], ['starts_on', input.startsOn], ['ends_on', input.endsOn]]);
    if (changes.length === 0) return;
    await tx.execute(sql`update study_plans set ${setList(changes)} where id = ${id}`);
    await audit(tx, actor, { action: 'study_plan.update', targetType: 'study_plan', targetId: id, orgPath: plan.org_path, detail: { fields: changes.map(([c]) => c) } });
  });
  return getPlan(db, actor, id);
}
