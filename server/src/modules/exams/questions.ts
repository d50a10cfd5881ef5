import { sql, type SQL } from 'drizzle-orm';
import type { AnswerKey, CreateQuestion, Option, Question, QuestionListQuery, QuestionPage, UpdateQuestion } from '../../../../contracts/exams.js';
import type { Actor } from '../../platform/actor.js';
import { managedOrg } from '../../platform/org-scope.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable } from '../../platform/db.js';
import { invalidField, notFound } from '../../platform/errors.js';
import { simplify } from '../../platform/i18n.js';
import type { QuestionSnapshot } from './grading.js';
import { canFlagDaily, canManage, usableByAdmin } from './policy.js';
import { likeContaining, pageLimit } from '../../platform/sql.js';

type N = number | string;
export type QuestionRow = {
  id: string; org_id: string; org_path: string; type: Question['type']; stem: string; options: Option[] | string; answer: string;
  tags: string[]; difficulty: Question['difficulty']; explanation: string | null; is_daily: boolean; created_at: Date | string; updated_at: Date | string; total?: N;
} & Record<string, unknown>;

// jsonb arrays arrive parsed from both drivers; scalar jsonb (an answer "A") is selected as text and parsed here
const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

export const questionColumns = sql`q.id::text, q.org_id::text, q.org_path::text, q.type, q.stem, q.options, q.answer::text as answer, q.tags, q.difficulty, q.explanation, q.is_daily, q.created_at, q.updated_at`;

export function toQuestion(r: QuestionRow): Question {
  return {
    id: r.id, orgId: r.org_id, type: r.type, stem: r.stem, options: json(r.options), answer: JSON.parse(r.answer) as AnswerKey, tags: r.tags, difficulty: r.difficulty,
    explanation: r.explanation, isDaily: r.is_daily, createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export function snapshotOf(r: QuestionRow, score: number): QuestionSnapshot {
  return { id: r.id, type: r.type, stem: r.stem, options: json(r.options), answer: JSON.parse(r.answer) as AnswerKey, explanation: r.explanation, score };
}

export async function listQuestions(db: Db, actor: Actor, query: QuestionListQuery): Promise<QuestionPage> {
  const conditions: SQL[] = [usableByAdmin(actor, sql`q.org_path`), sql`q.archived_at is null`];
  if (query.type) conditions.push(sql`q.type = ${query.type}`);
  if (query.difficulty) conditions.push(sql`q.difficulty = ${query.difficulty}`);
  if (query.tag) conditions.push(sql`${query.tag} = any(q.tags)`);
  if (query.q) conditions.push(sql`q.stem ilike ${likeContaining(query.q)}`);
  const r = await db.execute<QuestionRow>(sql`select ${questionColumns}, count(*) over () as total from questions q
    where ${sql.join(conditions, sql` and `)} order by q.id desc ${pageLimit(query)}`);
  return { items: r.rows.map(toQuestion), total: Number(r.rows[0]?.total ?? 0), page: query.page, pageSize: query.pageSize };
}

/** A question the actor may use (read, put on a paper); 404 — or 400 naming `field` — otherwise. */
export async function findUsableQuestion(q: Queryable, actor: Actor, id: string): Promise<QuestionRow> {
  const r = await q.execute<QuestionRow>(sql`select ${questionColumns} from questions q where q.id = ${id} and q.archived_at is null and ${usableByAdmin(actor, sql`q.org_path`)}`);
  const row = r.rows[0];
  if (!row) throw notFound('question.not_found');
  return row;
}

async function findManagedQuestion(q: Queryable, actor: Actor, id: string): Promise<QuestionRow> {
  const r = await q.execute<QuestionRow>(sql`select ${questionColumns} from questions q where q.id = ${id} and q.archived_at is null for update`);
  const row = r.rows[0];
  if (!row || !canManage(actor, { orgPath: row.org_path })) throw notFound('question.not_found');
  return row;
}

export async function getQuestion(db: Db, actor: Actor, id: string): Promise<Question> {
  return toQuestion(await findUsableQuestion(db, actor, id));
}

export async function insertQuestion(q: Queryable, actor: Actor, input: CreateQuestion, orgPath: string): Promise<string> {
  const r = await q.execute<{ id: string } & Record<string, unknown>>(sql`
    insert into questions (org_id, org_path, type, stem, options, answer, tags, difficulty, explanation, is_daily, created_by)
    values (${input.orgId}, ${orgPath}::ltree, ${input.type}, ${input.stem}, ${JSON.stringify(input.options)}::jsonb, ${JSON.stringify(input.answer)}::jsonb,
            ${sql`array[${sql.join(input.tags.map((t) => sql`${simplify(t)}`), sql`, `)}]::text[]`}, ${input.difficulty}, ${input.explanation ?? null},
            ${input.isDaily}, ${actor.userId})
    returning id::text`);
  return r.rows[0]!.id;
}

export async function createQuestion(db: Db, actor: Actor, input: CreateQuestion): Promise<Question> {
  if (input.isDaily && !canFlagDaily(actor)) throw invalidField('isDaily', 'question.daily_admin_only');
  const id = await db.transaction(async (tx) => {
    const { path: orgPath } = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share', notFoundKey: 'question.org_not_found', dissolvedKey: 'question.org_not_found' });
    const newId = await insertQuestion(tx, actor, input, orgPath);
    await audit(tx, actor, { action: 'question.create', targetType: 'question', targetId: newId, orgPath, detail: { type: input.type, stem: input.stem } });
    return newId;
  });
  return getQuestion(db, actor, id);
}

export async function updateQuestion(db: Db, actor: Actor, id: string, input: UpdateQuestion): Promise<Question> {
  await db.transaction(async (tx) => {
    const before = await findManagedQuestion(tx, actor, id);
    if (input.isDaily !== before.is_daily && !canFlagDaily(actor)) throw invalidField('isDaily', 'question.daily_admin_only');
    await tx.execute(sql`update questions set type = ${input.type}, stem = ${input.stem}, options = ${JSON.stringify(input.options)}::jsonb,
      answer = ${JSON.stringify(input.answer)}::jsonb, tags = ${sql`array[${sql.join(input.tags.map((t) => sql`${simplify(t)}`), sql`, `)}]::text[]`},
      difficulty = ${input.difficulty}, explanation = ${input.explanation ?? null}, is_daily = ${input.isDaily}, updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'question.update', targetType: 'question', targetId: id, orgPath: before.org_path, detail: { before: toQuestion(before), after: input } });
  });
  return getQuestion(db, actor, id);
}

/** Archived, not deleted: exams already published keep their own snapshot of it. */
export async function archiveQuestion(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await findManagedQuestion(tx, actor, id);
    await tx.execute(sql`update questions set archived_at = now(), updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'question.archive', targetType: 'question', targetId: id, orgPath: before.org_path });
  });
}

// ---------- for the daily quiz and contests ----------

/** Ids of the questions offered in the daily quiz, in id order. */
export async function listDailyQuestionIds(q: Queryable): Promise<string[]> {
  const r = await q.execute<{ id: string } & Record<string, unknown>>(sql`select id::text from questions where is_daily and archived_at is null order by id`);
  return r.rows.map((x) => x.id);
}

/** Current content of the given questions (archived ones included: a day already drawn keeps them). */
export async function loadSnapshots(q: Queryable, ids: string[], score = 1): Promise<Map<string, QuestionSnapshot>> {
  if (ids.length === 0) return new Map();
  const r = await q.execute<QuestionRow>(sql`select ${questionColumns} from questions q where q.id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`);
  return new Map(r.rows.map((row) => [row.id, snapshotOf(row, score)]));
}
