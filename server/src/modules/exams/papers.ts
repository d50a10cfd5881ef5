import { sql, type SQL } from 'drizzle-orm';
import type { CreatePaper, Paper, Quota } from '../../../../contracts/exams.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable } from '../../platform/db.js';
import { invalidField, invalidFields, notFound, type FieldProblem } from '../../platform/errors.js';
import { simplify } from '../../platform/i18n.js';
import { newSeed, shuffled, type QuestionSnapshot } from './grading.js';
import { canManage, usableByAdmin } from './policy.js';
import { managedOrg } from '../../platform/org-scope.js';
import { questionColumns, snapshotOf, type QuestionRow } from './questions.js';
import { pageLimit } from '../../platform/sql.js';

type N = number | string;
type PageQuery = { page: number; pageSize: number };
type PaperRow = { id: string; org_id: string; org_path: string; title: string; mode: 'fixed' | 'random'; quotas: Quota[] | string; created_at: Date | string; question_count: N; total_score: N; total?: N } & Record<string, unknown>;
const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

/** Random papers draw from the questions of the paper's org, its subtree and the orgs above it. */
const poolOf = (paperPath: string) => sql`(q.org_path @> ${paperPath}::ltree or q.org_path <@ ${paperPath}::ltree) and q.archived_at is null`;

function quotaCondition(quota: Quota): SQL {
  const c: SQL[] = [];
  if (quota.tag) c.push(sql`${simplify(quota.tag)} = any(q.tags)`);
  if (quota.difficulty) c.push(sql`q.difficulty = ${quota.difficulty}`);
  if (quota.type) c.push(sql`q.type = ${quota.type}`);
  return c.length ? sql.join(c, sql` and `) : sql`true`;
}
const quotaMatches = (quota: Quota, q: QuestionRow) =>
  (!quota.tag || q.tags.includes(simplify(quota.tag))) && (!quota.difficulty || q.difficulty === quota.difficulty) && (!quota.type || q.type === quota.type);

const paperColumns = sql`p.id::text, p.org_id::text, p.org_path::text, p.title, p.mode, p.quotas, p.created_at,
  case when p.mode = 'fixed' then (select count(*) from paper_questions pq where pq.paper_id = p.id)
       else (select coalesce(sum((x->>'count')::int), 0) from jsonb_array_elements(p.quotas) x) end::int as question_count,
  case when p.mode = 'fixed' then (select coalesce(sum(score), 0) from paper_questions pq where pq.paper_id = p.id)
       else (select coalesce(sum((x->>'count')::int * (x->>'score')::int), 0) from jsonb_array_elements(p.quotas) x) end::int as total_score`;

const toPaperSummary = (r: PaperRow) => ({
  id: r.id, orgId: r.org_id, title: r.title, mode: r.mode, quotas: json(r.quotas), questionCount: Number(r.question_count),
  totalScore: Number(r.total_score), createdAt: new Date(r.created_at).toISOString(),
});

export async function listPapers(db: Db, actor: Actor, query: PageQuery) {
  const r = await db.execute<PaperRow>(sql`select ${paperColumns}, count(*) over () as total from papers p where ${usableByAdmin(actor, sql`p.org_path`)}
    order by p.id desc ${pageLimit(query)}`);
  return { items: r.rows.map(toPaperSummary), total: Number(r.rows[0]?.total ?? 0), page: query.page, pageSize: query.pageSize };
}

export async function findUsablePaper(q: Queryable, actor: Actor, id: string, field?: string): Promise<PaperRow> {
  const r = await q.execute<PaperRow>(sql`select ${paperColumns} from papers p where p.id = ${id} and ${usableByAdmin(actor, sql`p.org_path`)}`);
  const row = r.rows[0];
  if (!row) throw field ? invalidField(field, 'paper.not_found') : notFound('paper.not_found');
  return row;
}

export async function getPaper(db: Queryable, actor: Actor, id: string): Promise<Paper> {
  const row = await findUsablePaper(db, actor, id);
  const questions = await db.execute<{ question_id: string; score: N; stem: string } & Record<string, unknown>>(sql`
    select pq.question_id::text, pq.score, q.stem from paper_questions pq join questions q on q.id = pq.question_id where pq.paper_id = ${id} order by pq.position`);
  return { ...toPaperSummary(row), questions: questions.rows.map((x) => ({ questionId: x.question_id, score: Number(x.score), stem: x.stem })) };
}

export async function createPaper(db: Db, actor: Actor, input: CreatePaper): Promise<Paper> {
  const id = await db.transaction(async (tx) => {
    const { path: orgPath } = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share', notFoundKey: 'question.org_not_found', dissolvedKey: 'question.org_not_found' });
    if (input.mode === 'fixed') {
      const ids = input.questions!.map((q) => q.questionId);
      const found = await tx.execute<{ id: string } & Record<string, unknown>>(sql`select q.id::text from questions q
        where q.id in (${sql.join(ids.map((x) => sql`${x}`), sql`, `)}) and q.archived_at is null and ${usableByAdmin(actor, sql`q.org_path`)}`);
      const usable = new Set(found.rows.map((x) => x.id));
      const problems: Record<string, FieldProblem> = {};
      ids.forEach((qid, i) => { if (!usable.has(qid)) problems[`questions.${i}.questionId`] = { key: 'paper.question_unavailable' }; });
      if (Object.keys(problems).length) throw invalidFields(problems);
    } else {
      // every quota must be fillable, after earlier quotas took their share
      const pool = await tx.execute<QuestionRow>(sql`select ${questionColumns} from questions q where ${poolOf(orgPath)}`);
      const taken = new Set<string>();
      const problems: Record<string, FieldProblem> = {};
      input.quotas!.forEach((quota, i) => {
        const candidates = pool.rows.filter((q) => !taken.has(q.id) && quotaMatches(quota, q));
        if (candidates.length < quota.count) problems[`quotas.${i}.count`] = { key: 'paper.quota_short', params: { available: candidates.length } };
        candidates.slice(0, quota.count).forEach((q) => taken.add(q.id));
      });
      if (Object.keys(problems).length) throw invalidFields(problems);
    }
    const inserted = await tx.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into papers (org_id, org_path, title, mode, quotas, created_by)
      values (${input.orgId}, ${orgPath}::ltree, ${input.title}, ${input.mode}, ${JSON.stringify(input.quotas ?? [])}::jsonb, ${actor.userId}) returning id::text`);
    const paperId = inserted.rows[0]!.id;
    if (input.mode === 'fixed') {
      await tx.execute(sql`insert into paper_questions (paper_id, question_id, position, score) values
        ${sql.join(input.questions!.map((q, i) => sql`(${paperId}, ${q.questionId}, ${i + 1}, ${q.score})`), sql`, `)}`);
    }
    await audit(tx, actor, { action: 'paper.create', targetType: 'paper', targetId: paperId, orgPath, detail: { title: input.title, mode: input.mode } });
    return paperId;
  });
  return getPaper(db, actor, id);
}

/** Random papers: this many different draws per exam, so neighbours rarely share a paper. */
const RANDOM_VARIANTS = 10;

/**
 * Draws the papers an exam's attempts will use, as snapshots. Done once when the exam is
 * published, so that thousands of members starting together each cost one insert.
 */
export async function drawVariants(q: Queryable, paperId: string): Promise<QuestionSnapshot[][]> {
  const paper = (await q.execute<PaperRow>(sql`select ${paperColumns} from papers p where p.id = ${paperId}`)).rows[0];
  if (!paper) throw notFound('paper.not_found');
  if (paper.mode === 'fixed') {
    const r = await q.execute<QuestionRow & { score: N }>(sql`select ${questionColumns}, pq.score from paper_questions pq join questions q on q.id = pq.question_id
      where pq.paper_id = ${paperId} order by pq.position`);
    return [r.rows.map((row) => snapshotOf(row, Number(row.score)))];
  }
  const quotas = json(paper.quotas);
  const pool = await q.execute<QuestionRow>(sql`select ${questionColumns} from questions q where ${poolOf(paper.org_path)}
    and (${sql.join(quotas.map(quotaCondition), sql` or `)})`);
  return Array.from({ length: RANDOM_VARIANTS }, () => {
    const taken = new Set<string>();
    const drawn: QuestionSnapshot[] = [];
    for (const quota of quotas) {
      const candidates = shuffled(pool.rows.filter((row) => !taken.has(row.id) && quotaMatches(quota, row)), newSeed()).slice(0, quota.count);
      for (const row of candidates) { taken.add(row.id); drawn.push(snapshotOf(row, quota.score)); }
    }
    return drawn;
  });
}

export const canManagePaper = (actor: Actor, paper: { org_path: string }) => canManage(actor, { orgPath: paper.org_path });
