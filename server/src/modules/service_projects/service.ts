import { sql, type SQL } from 'drizzle-orm';
import {
  DEFAULT_SERVICE_CATEGORIES, type Categories, type CreateServiceProject, type Evidence, type FeedbackPage, type FeedbackQuery, type Moderate,
  type ResubmitServiceProject, type ReviewServiceProject, type ServiceProject, type ServiceProjectDetail, type ServiceProjectListQuery,
  type ServiceProjectPage, type ServiceStatus, type SetCategories, type UpdateServiceProject,
} from '../../../../contracts/service_projects.js';
import type { Actor } from '../../platform/actor.js';
import type { Db, Queryable } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { conflict, forbidden, invalidField, notFound } from '../../platform/errors.js';
import { simplify } from '../../platform/i18n.js';
import { managedOrg } from '../../platform/org-scope.js';
import { visibleOrgs } from '../orgs/policy.js';
import { canEditProject, canReviewProject, visibleProjects } from './policy.js';
import { removeUpload, type Upload, storeUpload } from '../../platform/uploads.js';
import { todayInChina } from '../../../../contracts/china-time.js';
import { likeContaining, pageLimit } from '../../platform/sql.js';
import { isOverdueProject } from './overdue.js';

type Row = Record<string, unknown>;
type ProjectRow = {
  id: string; org_id: string; org_path: string; org_name: string; title: string; category: string; source: ServiceProject['source'];
  need: string; owner_name: string; started_on: string; planned_completion: string; completed_on: string | null; progress: number;
  status: ServiceStatus; is_major_problem: boolean; result: string | null; is_public: boolean; is_returned: boolean; is_overdue: boolean;
  created_at: Date | string; updated_at: Date | string;
} & Row;

const iso = (v: Date | string) => new Date(v).toISOString();

const projectColumns = sql`p.id::text, p.org_id::text, p.org_path::text, o.name as org_name, p.title, p.category, p.source, p.need, p.owner_name,
  p.started_on::text, p.planned_completion::text, p.completed_on::text, p.progress, p.status, p.is_major_problem, p.result, p.is_public,
  p.is_returned, ${isOverdueProject()} as is_overdue, p.created_at, p.updated_at`;

function toProject(row: ProjectRow, actor: Actor): ServiceProject {
  const orgPath = row.org_path;
  return {
    id: row.id, orgId: row.org_id, orgName: row.org_name, title: row.title, category: row.category, source: row.source, need: row.need,
    ownerName: row.owner_name, startedOn: row.started_on, plannedCompletion: row.planned_completion, completedOn: row.completed_on,
    progress: Number(row.progress), status: row.status, isMajorProblem: row.is_major_problem, result: row.result, isPublic: row.is_public,
    isReturned: row.is_returned, isOverdue: row.is_overdue, createdAt: iso(row.created_at), updatedAt: iso(row.updated_at),
    canEdit: canEditProject(actor, { orgPath }), canReview: canReviewProject(actor, { orgPath }),
  };
}

// ---------- categories ----------

/** The categories of the tree whose root is `rootId`: its own list, or the defaults. */
export async function treeCategories(q: Queryable, rootId: string): Promise<{ names: string[]; isDefault: boolean }> {
  const rows = (await q.execute<{ name: string } & Row>(sql`select name from service_project_categories where root_org_id = ${rootId} order by sort_order, id`)).rows;
  return rows.length ? { names: rows.map((r) => r.name), isDefault: false } : { names: [...DEFAULT_SERVICE_CATEGORIES], isDefault: true };
}

const rootIdOf = (path: string) => path.split('.')[0]!;

export async function getCategories(db: Db, actor: Actor, orgId: string): Promise<Categories> {
  const org = (await db.execute<{ path: string } & Row>(sql`select o.path::text from orgs o where o.id = ${orgId} and ${visibleOrgs(actor)}`)).rows[0];
  if (!org) throw notFound('org.not_found');
  const rootOrgId = rootIdOf(org.path);
  return { rootOrgId, ...(await treeCategories(db, rootOrgId)) };
}

export async function setCategories(db: Db, actor: Actor, input: SetCategories): Promise<Categories> {
  await db.transaction(async (tx) => {
    // categories of a tree are set by the admins of its root
    const root = await managedOrg(tx, actor, input.rootOrgId, { lock: 'update', allowDissolved: true });
    if (root.path.includes('.')) throw invalidField('rootOrgId', 'service_project.not_root');
    const before = await treeCategories(tx, input.rootOrgId);
    await tx.execute(sql`delete from service_project_categories where root_org_id = ${input.rootOrgId}`);
    await tx.execute(sql`insert into service_project_categories (root_org_id, name, sort_order)
      values ${sql.join(input.names.map((name, i) => sql`(${input.rootOrgId}, ${name}, ${i})`), sql`, `)}`);
    await audit(tx, actor, { action: 'service_project.set_categories', targetType: 'org', targetId: input.rootOrgId, orgPath: root.path, detail: { before: before.names, after: input.names } });
  });
  return { rootOrgId: input.rootOrgId, names: input.names, isDefault: false };
}

// ---------- projects ----------

export async function listProjects(db: Db, actor: Actor, query: ServiceProjectListQuery): Promise<ServiceProjectPage> {
  const conditions: SQL[] = [visibleProjects(actor)];
  if (query.orgId) conditions.push(sql`p.org_path <@ (select path from orgs where id = ${query.orgId})`);
  if (query.status) conditions.push(sql`p.status = ${query.status}`);
  if (query.category) conditions.push(sql`p.category = ${query.category}`);
  if (query.q) {
    const pattern = likeContaining(simplify(query.q));
    conditions.push(sql`(p.search_text like ${pattern} or p.owner_name like ${pattern})`);
  }
  if (query.overdue) conditions.push(isOverdueProject());
  if (query.returned) conditions.push(sql`p.is_returned`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<ProjectRow>(sql`select ${projectColumns} from service_projects p join orgs o on o.id = p.org_id where ${where}
      order by p.planned_completion, p.id ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from service_projects p where ${where}`),
  ]);
  return { items: rows.rows.map((r) => toProject(r, actor)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

async function findVisibleProject(q: Queryable, actor: Actor, id: string, lock = false): Promise<ProjectRow> {
  const row = (await q.execute<ProjectRow>(sql`select ${projectColumns} from service_projects p join orgs o on o.id = p.org_id
    where p.id = ${id} and ${visibleProjects(actor)} ${lock ? sql`for update of p` : sql``}`)).rows[0];
  if (!row) throw notFound('service_project.not_found');
  return row;
}

/** A project the actor may edit, locked; 404 when they cannot see it, 403 when they only see it. */
async function findEditableProject(q: Queryable, actor: Actor, id: string): Promise<ProjectRow> {
  const row = await findVisibleProject(q, actor, id, true);
  if (!canEditProject(actor, { orgPath: row.org_path })) throw forbidden('service_project.not_editable');
  return row;
}

export async function getProject(db: Queryable, actor: Actor, id: string): Promise<ServiceProjectDetail> {
  const row = await findVisibleProject(db, actor, id);
  const [milestones, evidence, reviews, satisfaction] = await Promise.all([
    loadMilestones(db, id),
    db.execute<{ id: string; kind: Evidence['kind']; file_name: string; mime_type: string; size_bytes: number; created_at: Date | string } & Row>(sql`
      select id::text, kind, file_name, mime_type, size_bytes, created_at from service_project_evidence where project_id = ${id} order by id`),
    db.execute<{ id: string; stage: string | null; comment: string; rating: number | null; is_returned: boolean; reviewer_name: string; created_at: Date | string } & Row>(sql`
      select id::text, stage, comment, rating, is_returned, reviewer_name, created_at from service_project_reviews where project_id = ${id} order by id desc`),
    db.execute<{ average: string | number | null; count: number } & Row>(sql`
      select round(avg(rating)::numeric, 2)::float8 as average, count(*)::int as count from service_project_feedback where project_id = ${id} and status = 'approved'`),
  ]);
  const s = satisfaction.rows[0];
  return {
    ...toProject(row, actor),
    milestones: milestones.map((m) => ({ id: m.id, title: m.title, dueOn: m.dueOn, doneOn: m.doneOn, isOverdue: !m.doneOn && m.dueOn < todayInChina() })),
    evidence: evidence.rows.map((e) => ({ id: e.id, kind: e.kind, fileName: e.file_name, mimeType: e.mime_type, sizeBytes: Number(e.size_bytes), createdAt: iso(e.created_at), url: `/api/service-projects/${id}/evidence/${e.id}` })),
    reviews: reviews.rows.map((r) => ({ id: r.id, stage: r.stage, comment: r.comment, rating: r.rating == null ? null : Number(r.rating), isReturned: r.is_returned, reviewerName: r.reviewer_name, createdAt: iso(r.created_at) })),
    satisfaction: { average: s?.average == null ? null : Number(s.average), count: Number(s?.count ?? 0) },
  };
}

type Milestone = { id: string; title: string; dueOn: string; doneOn: string | null };
async function loadMilestones(q: Queryable, projectId: string): Promise<Milestone[]> {
  const rows = await q.execute<{ id: string; title: string; due_on: string; done_on: string | null } & Row>(sql`
    select id::text, title, due_on::text, done_on::text from service_project_milestones where project_id = ${projectId} order by sort_order, id`);
  return rows.rows.map((r) => ({ id: r.id, title: r.title, dueOn: r.due_on, doneOn: r.done_on }));
}

async function replaceMilestones(q: Queryable, projectId: string, milestones: NonNullable<CreateServiceProject['milestones']>): Promise<void> {
  await q.execute(sql`delete from service_project_milestones where project_id = ${projectId}`);
  if (!milestones.length) return;
  await q.execute(sql`insert into service_project_milestones (project_id, title, due_on, done_on, sort_order)
    values ${sql.join(milestones.map((m, i) => sql`(${projectId}, ${m.title}, ${m.dueOn}, ${m.doneOn ?? null}, ${i})`), sql`, `)}`);
}

async function recordEvent(q: Queryable, actor: Actor, projectId: string, action: string, before: Row | null, after: Row | null): Promise<void> {
  await q.execute(sql`insert into service_project_events (project_id, user_id, username, action, before, after)
    values (${projectId}, ${actor.userId}, ${actor.username}, ${action}, ${before ? JSON.stringify(before) : null}::jsonb, ${after ? JSON.stringify(after) : null}::jsonb)`);
}

async function assertCategory(q: Queryable, orgPath: string, category: string): Promise<void> {
  const { names } = await treeCategories(q, rootIdOf(orgPath));
  if (!names.includes(category)) throw invalidField('category', 'service_project.category_unknown');
}

// the owner is left out: the public page searches the same text and must not find projects by a member's name
const searchTextOf = (p: { title: string; need: string; category: string }) => simplify(`${p.title} ${p.category} ${p.need}`);

export async function createProject(db: Db, actor: Actor, input: CreateServiceProject): Promise<ServiceProjectDetail> {
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share' });
    await assertCategory(tx, org.path, input.category);
    const startedOn = input.startedOn ?? todayInChina();
    if (input.plannedCompletion < startedOn) throw invalidField('plannedCompletion', 'service_project.completion_before_start');
    const status = input.status ?? 'planned';
    const progress = input.progress ?? (status === 'done' ? 100 : 0);
    const completedOn = status === 'done' ? (input.completedOn ?? todayInChina()) : null;
    const inserted = await tx.execute<{ id: string } & Row>(sql`
      insert into service_projects (org_id, org_path, title, category, source, need, owner_name, started_on, planned_completion, completed_on,
                                    progress, status, is_major_problem, result, is_public, search_text, created_by)
      values (${org.id}, ${org.path}::ltree, ${input.title}, ${input.category}, ${input.source}, ${input.need}, ${input.ownerName}, ${startedOn},
              ${input.plannedCompletion}, ${completedOn}, ${progress}, ${status}, ${input.isMajorProblem ?? false}, ${input.result ?? null},
              ${input.isPublic ?? true}, ${searchTextOf(input)}, ${actor.userId})
      returning id::text`);
    const newId = inserted.rows[0]!.id;
    await replaceMilestones(tx, newId, input.milestones ?? []);
    const snapshot = { ...input, startedOn, status, progress, completedOn };
    await recordEvent(tx, actor, newId, 'create', null, snapshot);
    await audit(tx, actor, { action: 'service_project.create', targetType: 'service_project', targetId: newId, orgPath: org.path, detail: snapshot });
    return newId;
  });
  return getProject(db, actor, id);
}

/** The editable fields as stored, in the contract's names, for before/after history. */
function editableOf(row: ProjectRow, milestones: Milestone[]): Row {
  return {
    title: row.title, category: row.category, source: row.source, need: row.need, ownerName: row.owner_name, startedOn: row.started_on,
    plannedCompletion: row.planned_completion, completedOn: row.completed_on, progress: Number(row.progress), status: row.status,
    isMajorProblem: row.is_major_problem, result: row.result, isPublic: row.is_public,
    milestones: milestones.map((m) => ({ title: m.title, dueOn: m.dueOn, doneOn: m.doneOn })),
  };
}

export async function updateProject(db: Db, actor: Actor, id: string, input: UpdateServiceProject): Promise<ServiceProjectDetail> {
  await db.transaction(async (tx) => {
    const row = await findEditableProject(tx, actor, id);
    const current = editableOf(row, await loadMilestones(tx, id));
    const next: Row = { ...current };
    for (const [key, value] of Object.entries(input)) if (value !== undefined) next[key] = key === 'milestones' ? (value as Milestone[]).map((m) => ({ title: m.title, dueOn: m.dueOn, doneOn: m.doneOn ?? null })) : value;
    if (input.category !== undefined && input.category !== row.category) await assertCategory(tx, row.org_path, input.category);
    if (String(next.plannedCompletion) < String(next.startedOn)) throw invalidField('plannedCompletion', 'service_project.completion_before_start');
    if (next.status === 'done') {
      // marking done without a progress figure completes it; a done project cannot fall below 100 %
      if (input.progress === undefined && current.status !== 'done') next.progress = 100;
      if (next.progress !== 100) throw invalidField('progress', 'service_project.done_needs_full_progress');
      next.completedOn = input.completedOn ?? current.completedOn ?? todayInChina();
    } else {
      next.completedOn = null;
    }
    const changed = Object.keys(next).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(current[k]));
    if (!changed.length) return;
    await tx.execute(sql`update service_projects set title = ${next.title}, category = ${next.category}, source = ${next.source}, need = ${next.need},
      owner_name = ${next.ownerName}, started_on = ${next.startedOn}, planned_completion = ${next.plannedCompletion}, completed_on = ${next.completedOn},
      progress = ${next.progress}, status = ${next.status}, is_major_problem = ${next.isMajorProblem}, result = ${next.result}, is_public = ${next.isPublic},
      search_text = ${searchTextOf(next as { title: string; need: string; category: string })}, updated_at = now()
      where id = ${id}`);
    if (changed.includes('milestones')) await replaceMilestones(tx, id, input.milestones ?? []);
    const before = Object.fromEntries(changed.map((k) => [k, current[k]]));
    const after = Object.fromEntries(changed.map((k) => [k, next[k]]));
    await recordEvent(tx, actor, id, 'update', before, after);
    await audit(tx, actor, { action: 'service_project.update', targetType: 'service_project', targetId: id, orgPath: row.org_path, detail: { before, after } });
  });
  return getProject(db, actor, id);
}

export async function reviewProject(db: Db, actor: Actor, id: string, input: ReviewServiceProject): Promise<ServiceProjectDetail> {
  await db.transaction(async (tx) => {
    const row = await findVisibleProject(tx, actor, id, true);
    if (!canReviewProject(actor, { orgPath: row.org_path })) throw forbidden('service_project.review_upper_only');
    const isReturned = input.returnForRework ?? false;
    await tx.execute(sql`insert into service_project_reviews (project_id, stage, comment, rating, is_returned, reviewer_user_id, reviewer_name)
      values (${id}, ${input.stage ?? null}, ${input.comment}, ${input.rating ?? null}, ${isReturned}, ${actor.userId}, ${actor.displayName})`);
    if (isReturned) await tx.execute(sql`update service_projects set is_returned = true, updated_at = now() where id = ${id}`);
    const after = { stage: input.stage ?? null, comment: input.comment, rating: input.rating ?? null, returnForRework: isReturned };
    await recordEvent(tx, actor, id, isReturned ? 'return' : 'review', { isReturned: row.is_returned }, after);
    await audit(tx, actor, { action: isReturned ? 'service_project.return' : 'service_project.review', targetType: 'service_project', targetId: id, orgPath: row.org_path, detail: after });
  });
  return getProject(db, actor, id);
}

export async function resubmitProject(db: Db, actor: Actor, id: string, input: ResubmitServiceProject): Promise<ServiceProjectDetail> {
  await db.transaction(async (tx) => {
    const row = await findEditableProject(tx, actor, id);
    if (!row.is_returned) throw conflict('service_project.not_returned');
    await tx.execute(sql`update service_projects set is_returned = false, updated_at = now() where id = ${id}`);
    await recordEvent(tx, actor, id, 'resubmit', { isReturned: true }, { isReturned: false, note: input.note });
    await audit(tx, actor, { action: 'service_project.resubmit', targetType: 'service_project', targetId: id, orgPath: row.org_path, detail: { note: input.note } });
  });
  return getProject(db, actor, id);
}

export async function listEvents(db: Db, actor: Actor, id: string) {
  await findVisibleProject(db, actor, id);
  const rows = await db.execute<{ id: string; at: Date | string; username: string | null; action: string; before: Row | string | null; after: Row | string | null } & Row>(sql`
    select id::text, at, username, action, before, after from service_project_events where project_id = ${id} order by id`);
  const json = (v: Row | string | null) => (typeof v === 'string' ? (JSON.parse(v) as Row) : v);
  return { items: rows.rows.map((r) => ({ id: r.id, at: iso(r.at), username: r.username, action: r.action, before: json(r.before), after: json(r.after) })) };
}

// ---------- evidence ----------

export async function addEvidence(db: Db, actor: Actor, dataDir: string, id: string, upload: Upload): Promise<ServiceProjectDetail> {
  // check before writing the file, then again (locked) in the transaction that records it
  await findEditableProject(db, actor, id);
  const key = await storeUpload(dataDir, `service-projects/${id}`, upload);
  try {
    await db.transaction(async (tx) => {
      const row = await findEditableProject(tx, actor, id);
      const inserted = await tx.execute<{ id: string } & Row>(sql`insert into service_project_evidence (project_id, kind, file_name, mime_type, size_bytes, storage_key, uploaded_by)
        values (${id}, ${upload.kind}, ${upload.fileName}, ${upload.mimeType}, ${upload.bytes.length}, ${key}, ${actor.userId}) returning id::text`);
      const after = { evidenceId: inserted.rows[0]!.id, fileName: upload.fileName, kind: upload.kind, sizeBytes: upload.bytes.length };
      await recordEvent(tx, actor, id, 'add_evidence', null, after);
      await audit(tx, actor, { action: 'service_project.add_evidence', targetType: 'service_project', targetId: id, orgPath: row.org_path, detail: after });
    });
  } catch (error) {
    await removeUpload(dataDir, key);
    throw error;
  }
  return getProject(db, actor, id);
}

export async function findEvidence(db: Db, actor: Actor, id: string, evidenceId: string): Promise<{ fileName: string; mimeType: string; storageKey: string }> {
  await findVisibleProject(db, actor, id);
  const row = (await db.execute<{ file_name: string; mime_type: string; storage_key: string } & Row>(sql`
    select file_name, mime_type, storage_key from service_project_evidence where id = ${evidenceId} and project_id = ${id}`)).rows[0];
  if (!row) throw notFound('service_project.evidence_not_found');
  return { fileName: row.file_name, mimeType: row.mime_type, storageKey: row.storage_key };
}

/** The record goes (with its history entry); the file stays until a cleanup, so a rollback loses nothing. */
export async function removeEvidence(db: Db, actor: Actor, id: string, evidenceId: string): Promise<ServiceProjectDetail> {
  await db.transaction(async (tx) => {
    const row = await findEditableProject(tx, actor, id);
    const deleted = await tx.execute<{ file_name: string; kind: string } & Row>(sql`
      delete from service_project_evidence where id = ${evidenceId} and project_id = ${id} returning file_name, kind`);
    const gone = deleted.rows[0];
    if (!gone) throw notFound('service_project.evidence_not_found');
    await recordEvent(tx, actor, id, 'remove_evidence', { evidenceId, fileName: gone.file_name, kind: gone.kind }, null);
    await audit(tx, actor, { action: 'service_project.remove_evidence', targetType: 'service_project', targetId: id, orgPath: row.org_path, detail: { evidenceId, fileName: gone.file_name } });
  });
  return getProject(db, actor, id);
}

// ---------- moderation of citizens' feedback ----------

export async function listFeedback(db: Db, actor: Actor, query: FeedbackQuery): Promise<FeedbackPage> {
  const where = sql`f.status = ${query.status} and ${visibleProjects(actor)} and ${adminOnly(actor)}`;
  const [rows, total] = await Promise.all([
    db.execute<{ id: string; project_id: string; title: string; rating: number; comment: string | null; nickname: string | null; status: FeedbackPage['items'][number]['status']; created_at: Date | string } & Row>(sql`
      select f.id::text, f.project_id::text, p.title, f.rating, f.comment, f.nickname, f.status, f.created_at
        from service_project_feedback f join service_projects p on p.id = f.project_id where ${where}
       order by f.id ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from service_project_feedback f join service_projects p on p.id = f.project_id where ${where}`),
  ]);
  return {
    items: rows.rows.map((r) => ({ id: r.id, projectId: r.project_id, projectTitle: r.title, rating: Number(r.rating), comment: r.comment, nickname: r.nickname, status: r.status, createdAt: iso(r.created_at) })),
    total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize,
  };
}

/** Moderation belongs to admins: a member seeing their own org's projects does not moderate. */
function adminOnly(actor: Actor): SQL {
  return actor.isPlatformAdmin ? sql`true` : actor.adminPaths.length ? sql`p.org_path <@ any(array[${sql.join(actor.adminPaths.map((r) => sql`${r}::ltree`), sql`, `)}])` : sql`false`;
}

export async function moderateFeedback(db: Db, actor: Actor, feedbackId: string, input: Moderate): Promise<{ id: string; status: 'approved' | 'rejected' }> {
  const status = input.decision === 'approve' ? 'approved' : 'rejected';
  await db.transaction(async (tx) => {
    const row = (await tx.execute<{ status: string; org_path: string; project_id: string } & Row>(sql`
      select f.status, p.org_path::text, p.id::text as project_id from service_project_feedback f join service_projects p on p.id = f.project_id
       where f.id = ${feedbackId} and ${adminOnly(actor)} for update of f`)).rows[0];
    if (!row) throw notFound('service_project.feedback_not_found');
    await tx.execute(sql`update service_project_feedback set status = ${status}, moderated_by = ${actor.userId}, moderated_at = now() where id = ${feedbackId}`);
    await audit(tx, actor, { action: `service_project.feedback_${input.decision}`, targetType: 'service_project_feedback', targetId: feedbackId, orgPath: row.org_path, detail: { projectId: row.project_id, from: row.status, to: status } });
  });
  return { id: feedbackId, status };
}
