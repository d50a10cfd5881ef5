import { sql, type SQL } from 'drizzle-orm';
import {
  phaseOn, type AddProgress, type FulfilmentRating, type CreatePeriod, type CreatePledge, type ModerateRating, type Period, type PeriodListQuery, type PeriodPage, type Pledge,
  type PledgeListQuery, type PledgePage, type PledgeStats, type PledgeStatsQuery, type PledgeStatsRow, type PledgeSummary, type Progress,
  type PublicRatingRecordPage, type RatePledge, type RatingListQuery, type Satisfaction, type UpdatePeriod, type UpdatePledgeItems,
} from '../../../../contracts/pledges.js';
import { todayInChina } from '../../../../contracts/china-time.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable } from '../../platform/db.js';
import { conflict, forbidden, invalidField, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { pageLimit, textArray } from '../../platform/sql.js';
import { removeUpload, storeUpload, type Upload } from '../../platform/uploads.js';
import { canManagePeriod, canModerate, isPledger, isReviewer, pledgesInScope, visiblePeriods, visiblePledges } from './policy.js';

type Row = Record<string, unknown>;
const iso = (v: Date | string | null) => (v == null ? null : new Date(v).toISOString());
const count = (r: { n: number } & Row | undefined) => Number(r?.n ?? 0);

// ---------- periods ----------

type PeriodRow = {
  id: string; org_id: string; org_name: string; org_path: string; name: string; pledge_from: string; fulfil_from: string; review_from: string;
  review_until: string; created_at: Date | string;
} & Row;
const periodColumns = sql`pp.id::text, pp.org_id::text, o.name as org_name, pp.org_path::text, pp.name, pp.pledge_from::text, pp.fulfil_from::text,
  pp.review_from::text, pp.review_until::text, pp.created_at`;
const datesOf = (r: PeriodRow) => ({ pledgeFrom: r.pledge_from, fulfilFrom: r.fulfil_from, reviewFrom: r.review_from, reviewUntil: r.review_until });

function toPeriod(r: PeriodRow, actor: Actor, today = todayInChina()): Period {
  return {
    id: r.id, orgId: r.org_id, orgName: r.org_name, name: r.name, ...datesOf(r), phase: phaseOn(datesOf(r), today),
    canManage: canManagePeriod(actor, { orgPath: r.org_path }), createdAt: iso(r.created_at)!,
  };
}

async function findPeriod(q: Queryable, actor: Actor, id: string, lock = false): Promise<PeriodRow> {
  const row = (await q.execute<PeriodRow>(sql`select ${periodColumns} from pledge_periods pp join orgs o on o.id = pp.org_id
    where pp.id = ${id} and ${visiblePeriods(actor)} ${lock ? sql`for share of pp` : sql``}`)).rows[0];
  if (!row) throw notFound('pledge.period_not_found');
  return row;
}

/** The periods an actor works in: opened in, above or below their subtree, or above their own org; newest first. */
export async function listPeriods(db: Db, actor: Actor, query: PeriodListQuery): Promise<PeriodPage> {
  const conditions = [visiblePeriods(actor)];
  if (query.orgId) {
    const org = await managedOrg(db, actor, query.orgId, { allowDissolved: true, notFoundKey: 'pledge.period_not_found' });
    conditions.push(sql`(pp.org_path <@ ${org.path}::ltree or ${org.path}::ltree <@ pp.org_path)`);
  }
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<PeriodRow>(sql`select ${periodColumns} from pledge_periods pp join orgs o on o.id = pp.org_id where ${where}
      order by pp.pledge_from desc, pp.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from pledge_periods pp where ${where}`),
  ]);
  const today = todayInChina();
  return { items: rows.rows.map((r) => toPeriod(r, actor, today)), total: count(total.rows[0]), page: query.page, pageSize: query.pageSize };
}

export async function getPeriod(db: Queryable, actor: Actor, id: string): Promise<Period> {
  return toPeriod(await findPeriod(db, actor, id), actor);
}

export async function createPeriod(db: Db, actor: Actor, input: CreatePeriod): Promise<Period> {
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share' });
    const newId = (await tx.execute<{ id: string } & Row>(sql`
      insert into pledge_periods (org_id, org_path, name, pledge_from, fulfil_from, review_from, review_until, created_by)
      values (${org.id}, ${org.path}::ltree, ${input.name}, ${input.pledgeFrom}::date, ${input.fulfilFrom}::date, ${input.reviewFrom}::date,
              ${input.reviewUntil}::date, ${actor.userId}) returning id::text`)).rows[0]!.id;
    await audit(tx, actor, { action: 'pledge.open_period', targetType: 'pledge_period', targetId: newId, orgPath: org.path, detail: { ...input } });
    return newId;
  });
  return getPeriod(db, actor, id);
}

export async function updatePeriod(db: Db, actor: Actor, id: string, input: UpdatePeriod): Promise<Period> {
  await db.transaction(async (tx) => {
    const period = await findPeriod(tx, actor, id, true);
    if (!canManagePeriod(actor, { orgPath: period.org_path })) throw notFound('pledge.period_not_found');
    await tx.execute(sql`update pledge_periods set name = ${input.name}, pledge_from = ${input.pledgeFrom}::date, fulfil_from = ${input.fulfilFrom}::date,
      review_from = ${input.reviewFrom}::date, review_until = ${input.reviewUntil}::date, updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'pledge.update_period', targetType: 'pledge_period', targetId: id, orgPath: period.org_path, detail: { ...input } });
  });
  return getPeriod(db, actor, id);
}

// ---------- pledges ----------

type PledgeRow = {
  id: string; period_id: string; period_name: string; pledge_from: string; fulfil_from: string; review_from: string; review_until: string;
  org_id: string; org_name: string; org_path: string; member_id: string | null; pledger_name: string; status: Pledge['status'];
  return_reason: string | null; self_rating: string | null; self_comment: string | null; self_rated_at: Date | string | null;
  branch_rating: string | null; branch_comment: string | null; branch_rated_at: Date | string | null; submitted_at: Date | string | null;
  published_at: Date | string | null; created_at: Date | string; progress_count: number; satisfied: number; basically: number; dissatisfied: number;
} & Row;

/** The public's ratings of pledge `p` that count: every one not hidden as abusive (a lateral join, on the pledge's index). */
export const countedRatings = sql`left join lateral (select count(*) filter (where r.rating = 'satisfied')::int as satisfied,
    count(*) filter (where r.rating = 'basically_satisfied')::int as basically, count(*) filter (where r.rating = 'dissatisfied')::int as dissatisfied
  from pledge_public_ratings r where r.pledge_id = p.id and r.status <> 'hidden') s on true`;

export const pledgeColumns = sql`p.id::text, p.period_id::text, pp.name as period_name, pp.pledge_from::text, pp.fulfil_from::text, pp.review_from::text,
  pp.review_until::text, p.org_id::text, o.name as org_name, p.org_path::text, p.member_id::text, coalesce(m.name, o.name) as pledger_name, p.status,
  p.return_reason, p.self_rating, p.self_comment, p.self_rated_at, p.branch_rating, p.branch_comment, p.branch_rated_at, p.submitted_at, p.published_at,
  p.created_at, (select count(*)::int from pledge_progress g where g.pledge_id = p.id) as progress_count,
  coalesce(s.satisfied, 0) as satisfied, coalesce(s.basically, 0) as basically, coalesce(s.dissatisfied, 0) as dissatisfied`;
export const pledgeFrom = sql`pledges p join pledge_periods pp on pp.id = p.period_id join orgs o on o.id = p.org_id
  left join members m on m.id = p.member_id ${countedRatings}`;

export function satisfactionOf(satisfied: number, basically: number, dissatisfied: number): Satisfaction {
  const total = satisfied + basically + dissatisfied;
  return {
    satisfied, basicallySatisfied: basically, dissatisfied, total,
    rate: total === 0 ? null : Math.round(((satisfied + basically) * 1000) / total) / 10,
  };
}

type ItemRow = { pledge_id: string; id: string; content: string; category: Pledge['items'][number]['category']; target: string } & Row;
export async function itemsOf(q: Queryable, ids: string[]): Promise<Map<string, ItemRow[]>> {
  const byPledge = new Map<string, ItemRow[]>();
  if (ids.length === 0) return byPledge;
  const rows = await q.execute<ItemRow>(sql`select pledge_id::text, id::text, content, category, target from pledge_items
    where pledge_id = any(${textArray(ids)}::bigint[]) order by pledge_id, position, id`);
  for (const r of rows.rows) byPledge.set(r.pledge_id, [...(byPledge.get(r.pledge_id) ?? []), r]);
  return byPledge;
}

const review = (rating: string | null, comment: string | null, at: Date | string | null) =>
  rating ? { rating: rating as FulfilmentRating, comment: comment ?? '', ratedAt: iso(at)! } : null;

function toSummary(r: PledgeRow, items: Map<string, ItemRow[]>, today: string): PledgeSummary {
  return {
    id: r.id, periodId: r.period_id, periodName: r.period_name, kind: r.member_id ? 'member' : 'org', orgId: r.org_id, orgName: r.org_name,
    memberId: r.member_id, pledgerName: r.pledger_name, status: r.status, returnReason: r.return_reason,
    items: (items.get(r.id) ?? []).map((i) => ({ id: i.id, content: i.content, category: i.category, target: i.target })),
    progressCount: Number(r.progress_count), selfReview: review(r.self_rating, r.self_comment, r.self_rated_at),
    branchReview: review(r.branch_rating, r.branch_comment, r.branch_rated_at),
    satisfaction: satisfactionOf(Number(r.satisfied), Number(r.basically), Number(r.dissatisfied)),
    phase: phaseOn(datesOfPledge(r), today), submittedAt: iso(r.submitted_at), publishedAt: iso(r.published_at), createdAt: iso(r.created_at)!,
  };
}
const datesOfPledge = (r: PledgeRow) => ({ pledgeFrom: r.pledge_from, fulfilFrom: r.fulfil_from, reviewFrom: r.review_from, reviewUntil: r.review_until });
const refOf = (r: PledgeRow) => ({ orgPath: r.org_path, memberId: r.member_id });

async function findPledge(q: Queryable, actor: Actor, id: string, lock = false): Promise<PledgeRow> {
  const row = (await q.execute<PledgeRow>(sql`select ${pledgeColumns} from ${pledgeFrom} where p.id = ${id} and ${visiblePledges(actor)}
    ${lock ? sql`for update of p` : sql``}`)).rows[0];
  if (!row) throw notFound('pledge.not_found');
  return row;
}

async function progressOf(q: Queryable, pledgeId: string): Promise<Progress[]> {
  const rows = await q.execute<{ id: string; done_on: string; note: string; created_at: Date | string; files: Progress['files'] | string | null } & Row>(sql`
    select g.id::text, g.done_on::text, g.note, g.created_at,
           (select json_agg(json_build_object('id', f.id::text, 'kind', f.kind, 'fileName', f.file_name, 'mimeType', f.mime_type, 'sizeBytes', f.size_bytes) order by f.id)
              from pledge_progress_files f where f.progress_id = g.id) as files
      from pledge_progress g where g.pledge_id = ${pledgeId} order by g.done_on, g.id`);
  return rows.rows.map((g) => {
    const files = (typeof g.files === 'string' ? JSON.parse(g.files) : g.files ?? []) as Omit<Progress['files'][number], 'url'>[];
    return { id: g.id, doneOn: g.done_on, note: g.note, createdAt: iso(g.created_at)!, files: files.map((f) => ({ ...f, url: `/api/pledges/${pledgeId}/files/${f.id}` })) };
  });
}

export async function getPledge(db: Queryable, actor: Actor, id: string): Promise<Pledge> {
  const row = await findPledge(db, actor, id);
  const today = todayInChina();
  const summary = toSummary(row, await itemsOf(db, [id]), today);
  const pledger = isPledger(actor, refOf(row));
  const reviewer = isReviewer(actor, refOf(row));
  const isPublished = row.status === 'published';
  return {
    ...summary, progress: await progressOf(db, id),
    canEdit: pledger && (row.status === 'draft' || row.status === 'returned') && isPledgingOpen(summary.phase),
    canApprove: reviewer && row.status === 'submitted',
    canAddProgress: pledger && isPublished && summary.phase !== 'ended',
    canSelfReview: pledger && isPublished && summary.phase === 'review',
    canBranchReview: reviewer && isPublished && summary.phase === 'review',
  };
}

/** Pledges are written and submitted from the start of 亮诺 until 评诺 begins (a late pledge still counts). */
const isPledgingOpen = (phase: string) => phase === 'pledge' || phase === 'fulfil';

/** The condition of each figure of the statistics, shared by the list it opens so the two always agree. */
export const FIGURE_CONDITIONS: Record<NonNullable<PledgeListQuery['figure']>, SQL> = {
  published: sql`p.status = 'published'`,
  with_progress: sql`p.status = 'published' and exists (select 1 from pledge_progress g where g.pledge_id = p.id)`,
  self_reviewed: sql`p.status = 'published' and p.self_rating is not null`,
  branch_reviewed: sql`p.status = 'published' and p.branch_rating is not null`,
};

async function pageOfPledges(db: Db, where: SQL, query: { page: number; pageSize: number }): Promise<PledgePage> {
  const [rows, total] = await Promise.all([
    db.execute<PledgeRow>(sql`select ${pledgeColumns} from ${pledgeFrom} where ${where}
      order by pp.pledge_from desc, p.period_id desc, o.path, p.member_id nulls first, p.id ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from pledges p where ${where}`),
  ]);
  const items = await itemsOf(db, rows.rows.map((r) => r.id));
  const today = todayInChina();
  return { items: rows.rows.map((r) => toSummary(r, items, today)), total: count(total.rows[0]), page: query.page, pageSize: query.pageSize };
}

/** Pledges of the actor's subtree (and their own), by period, org, status or statistic figure. */
export async function listPledges(db: Db, actor: Actor, query: PledgeListQuery): Promise<PledgePage> {
  const conditions = [visiblePledges(actor)];
  if (query.periodId) conditions.push(sql`p.period_id = ${query.periodId}`);
  if (query.orgId) conditions.push(sql`p.org_path <@ ${(await managedOrg(db, actor, query.orgId, { allowDissolved: true })).path}::ltree`);
  if (query.status) conditions.push(sql`p.status = ${query.status}`);
  if (query.figure) conditions.push(FIGURE_CONDITIONS[query.figure]);
  return pageOfPledges(db, sql.join(conditions, sql` and `), query);
}

export async function listMyPledges(db: Db, actor: Actor, query: { page: number; pageSize: number }): Promise<PledgePage> {
  return pageOfPledges(db, sql`p.member_id = ${actor.memberId ?? null}`, query);
}

async function replaceItems(tx: Queryable, pledgeId: string, items: CreatePledge['items']): Promise<void> {
  await tx.execute(sql`delete from pledge_items where pledge_id = ${pledgeId}`);
  await tx.execute(sql`insert into pledge_items (pledge_id, position, content, category, target) values
    ${sql.join(items.map((i, n) => sql`(${pledgeId}, ${n + 1}, ${i.content}, ${i.category}, ${i.target})`), sql`, `)}`);
}

/** 亮诺: a member's own pledge (no orgId) or an org's (orgId, by its admin), as a draft. */
export async function createPledge(db: Db, actor: Actor, input: CreatePledge): Promise<Pledge> {
  const id = await db.transaction(async (tx) => {
    const period = await findPeriod(tx, actor, input.periodId, true);
    let owner: { orgId: string; orgPath: string; memberId: string | null };
    if (input.orgId) {
      const org = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share' });
      if (!(org.path === period.org_path || org.path.startsWith(period.org_path + '.'))) throw invalidField('orgId', 'pledge.org_outside_period');
      owner = { orgId: org.id, orgPath: org.path, memberId: null };
    } else {
      if (!actor.memberId) throw forbidden('pledge.members_only');
      const member = (await tx.execute<{ org_id: string; org_path: string } & Row>(sql`
        select org_id::text, org_path::text from members where id = ${actor.memberId} and left_at is null
           and org_path <@ ${period.org_path}::ltree for share`)).rows[0];
      if (!member) throw notFound('pledge.period_not_found');
      owner = { orgId: member.org_id, orgPath: member.org_path, memberId: actor.memberId };
    }
    if (!isPledgingOpen(phaseOn(datesOf(period), todayInChina()))) throw conflict('pledge.pledge_closed');
    const inserted = (await tx.execute<{ id: string } & Row>(sql`
      insert into pledges (period_id, org_id, org_path, member_id, created_by)
      values (${period.id}, ${owner.orgId}, ${owner.orgPath}::ltree, ${owner.memberId}, ${actor.userId})
      on conflict do nothing returning id::text`)).rows[0];
    if (!inserted) throw conflict('pledge.already_pledged');
    await replaceItems(tx, inserted.id, input.items);
    await audit(tx, actor, { action: 'pledge.create', targetType: 'pledge', targetId: inserted.id, orgPath: owner.orgPath,
      detail: { periodId: period.id, kind: owner.memberId ? 'member' : 'org', items: input.items.length } });
    return inserted.id;
  });
  return getPledge(db, actor, id);
}

async function pledgerWrite(db: Db, actor: Actor, id: string, write: (tx: Queryable, row: PledgeRow) => Promise<void>): Promise<Pledge> {
  await db.transaction(async (tx) => {
    const row = await findPledge(tx, actor, id, true);
    if (!isPledger(actor, refOf(row))) throw forbidden('pledge.pledger_only');
    await write(tx, row);
  });
  return getPledge(db, actor, id);
}

function assertEditable(row: PledgeRow): void {
  if (row.status !== 'draft' && row.status !== 'returned') throw conflict('pledge.not_editable');
  if (!isPledgingOpen(phaseOn(datesOfPledge(row), todayInChina()))) throw conflict('pledge.pledge_closed');
}

export async function updatePledgeItems(db: Db, actor: Actor, id: string, input: UpdatePledgeItems): Promise<Pledge> {
  return pledgerWrite(db, actor, id, async (tx, row) => {
    assertEditable(row);
    await replaceItems(tx, id, input.items);
    await tx.execute(sql`update pledges set updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'pledge.update', targetType: 'pledge', targetId: id, orgPath: row.org_path, detail: { items: input.items.length } });
  });
}

export async function submitPledge(db: Db, actor: Actor, id: string): Promise<Pledge> {
  return pledgerWrite(db, actor, id, async (tx, row) => {
    assertEditable(row);
    await tx.execute(sql`update pledges set status = 'submitted', submitted_at = now(), return_reason = null, updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'pledge.submit', targetType: 'pledge', targetId: id, orgPath: row.org_path });
  });
}

async function reviewerWrite(db: Db, actor: Actor, id: string, write: (tx: Queryable, row: PledgeRow) => Promise<void>): Promise<Pledge> {
  await db.transaction(async (tx) => {
    const row = await findPledge(tx, actor, id, true);
    if (!isReviewer(actor, refOf(row))) throw forbidden('pledge.reviewer_only');
    await write(tx, row);
  });
  return getPledge(db, actor, id);
}

/** Approved by the branch, the pledge is published on the tree's public board. */
export async function approvePledge(db: Db, actor: Actor, id: string): Promise<Pledge> {
  return reviewerWrite(db, actor, id, async (tx, row) => {
    if (row.status !== 'submitted') throw conflict('pledge.not_submitted');
    await tx.execute(sql`update pledges set status = 'published', published_at = now(), approved_by = ${actor.userId}, updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'pledge.approve', targetType: 'pledge', targetId: id, orgPath: row.org_path });
  });
}

export async function returnPledge(db: Db, actor: Actor, id: string, reason: string): Promise<Pledge> {
  return reviewerWrite(db, actor, id, async (tx, row) => {
    if (row.status !== 'submitted') throw conflict('pledge.not_submitted');
    await tx.execute(sql`update pledges set status = 'returned', return_reason = ${reason}, updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'pledge.return', targetType: 'pledge', targetId: id, orgPath: row.org_path, detail: { reason } });
  });
}

/** 践诺: a dated progress entry on a published pledge, until the period ends. */
export async function addProgress(db: Db, actor: Actor, id: string, input: AddProgress): Promise<Pledge> {
  return pledgerWrite(db, actor, id, async (tx, row) => {
    if (row.status !== 'published') throw conflict('pledge.not_published');
    const today = todayInChina();
    if (phaseOn(datesOfPledge(row), today) === 'ended') throw conflict('pledge.period_ended');
    if (input.doneOn < row.pledge_from || input.doneOn > today) throw invalidField('doneOn', 'pledge.progress_date');
    const progressId = (await tx.execute<{ id: string } & Row>(sql`insert into pledge_progress (pledge_id, done_on, note, created_by)
      values (${id}, ${input.doneOn}::date, ${input.note}, ${actor.userId}) returning id::text`)).rows[0]!.id;
    await audit(tx, actor, { action: 'pledge.progress', targetType: 'pledge', targetId: id, orgPath: row.org_path, detail: { progressId, doneOn: input.doneOn } });
  });
}

/** At most this many photos or documents on one progress entry. */
export const PROGRESS_FILES_MAX = 9;

/** Evidence of a progress entry: written after a first check, recorded in a transaction that checks again; a refusal removes it. */
export async function addProgressFile(db: Db, actor: Actor, dataDir: string, id: string, progressId: string, upload: Upload): Promise<Pledge> {
  const check = async (q: Queryable) => {
    const row = await findPledge(q, actor, id, true);
    if (!isPledger(actor, refOf(row))) throw forbidden('pledge.pledger_only');
    if (phaseOn(datesOfPledge(row), todayInChina()) === 'ended') throw conflict('pledge.period_ended');
    const entry = (await q.execute<{ files: number } & Row>(sql`select (select count(*)::int from pledge_progress_files f where f.progress_id = g.id) as files
      from pledge_progress g where g.id = ${progressId} and g.pledge_id = ${id}`)).rows[0];
    if (!entry) throw notFound('pledge.progress_not_found');
    if (Number(entry.files) >= PROGRESS_FILES_MAX) throw invalidField('file', 'pledge.too_many_files', { max: PROGRESS_FILES_MAX });
    return row;
  };
  await db.transaction(check);
  const key = await storeUpload(dataDir, `pledges/${id}`, upload);
  try {
    await db.transaction(async (tx) => {
      const row = await check(tx);
      const fileId = (await tx.execute<{ id: string } & Row>(sql`insert into pledge_progress_files (progress_id, pledge_id, kind, file_name, mime_type, size_bytes, storage_key, uploaded_by)
        values (${progressId}, ${id}, ${upload.kind}, ${upload.fileName}, ${upload.mimeType}, ${upload.bytes.length}, ${key}, ${actor.userId}) returning id::text`)).rows[0]!.id;
      await audit(tx, actor, { action: 'pledge.add_file', targetType: 'pledge', targetId: id, orgPath: row.org_path, detail: { progressId, fileId, fileName: upload.fileName } });
    });
  } catch (error) {
    await removeUpload(dataDir, key);
    throw error;
  }
  return getPledge(db, actor, id);
}

export async function findPledgeFile(db: Queryable, actor: Actor, id: string, fileId: string): Promise<{ fileName: string; mimeType: string; storageKey: string }> {
  const row = (await db.execute<{ file_name: string; mime_type: string; storage_key: string } & Row>(sql`
    select f.file_name, f.mime_type, f.storage_key from pledge_progress_files f join pledges p on p.id = f.pledge_id
     where f.id = ${fileId} and f.pledge_id = ${id} and ${visiblePledges(actor)}`)).rows[0];
  if (!row) throw notFound('pledge.file_not_found');
  return { fileName: row.file_name, mimeType: row.mime_type, storageKey: row.storage_key };
}

/** 评诺 is given in the review phase only, on a published pledge. */
export function assertReviewPhase(row: { status: string; pledge_from: string; fulfil_from: string; review_from: string; review_until: string }): void {
  if (row.status !== 'published') throw conflict('pledge.not_published');
  const phase = phaseOn({ pledgeFrom: row.pledge_from, fulfilFrom: row.fulfil_from, reviewFrom: row.review_from, reviewUntil: row.review_until }, todayInChina());
  if (phase !== 'review') throw conflict('pledge.not_review_phase', { from: row.review_from, until: row.review_until });
}

export async function selfReview(db: Db, actor: Actor, id: string, input: RatePledge): Promise<Pledge> {
  return pledgerWrite(db, actor, id, async (tx, row) => {
    assertReviewPhase(row);
    await tx.execute(sql`update pledges set self_rating = ${input.rating}, self_comment = ${input.comment}, self_rated_at = now(), updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'pledge.self_review', targetType: 'pledge', targetId: id, orgPath: row.org_path, detail: { rating: input.rating } });
  });
}

export async function branchReview(db: Db, actor: Actor, id: string, input: RatePledge): Promise<Pledge> {
  return reviewerWrite(db, actor, id, async (tx, row) => {
    assertReviewPhase(row);
    await tx.execute(sql`update pledges set branch_rating = ${input.rating}, branch_comment = ${input.comment}, branch_rated_at = now(),
      branch_rated_by = ${actor.userId}, updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'pledge.branch_review', targetType: 'pledge', targetId: id, orgPath: row.org_path, detail: { rating: input.rating } });
  });
}

// ---------- the public's ratings: moderation ----------

export async function listRatings(db: Db, actor: Actor, query: RatingListQuery): Promise<PublicRatingRecordPage> {
  const conditions = [pledgesInScope(actor)];
  if (query.status) conditions.push(sql`r.status = ${query.status}`);
  if (query.periodId) conditions.push(sql`p.period_id = ${query.periodId}`);
  const where = sql.join(conditions, sql` and `);
  const from = sql`pledge_public_ratings r join pledges p on p.id = r.pledge_id`;
  const [rows, total] = await Promise.all([
    db.execute<{ id: string; pledge_id: string; pledger_name: string; org_name: string; rating: 'satisfied'; comment: string | null; status: 'pending'; created_at: Date | string } & Row>(sql`
      select r.id::text, r.pledge_id::text, coalesce(m.name, o.name) as pledger_name, o.name as org_name, r.rating, r.comment, r.status, r.created_at
        from ${from} join orgs o on o.id = p.org_id left join members m on m.id = p.member_id
       where ${where} order by (r.status = 'pending') desc, r.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from ${from} where ${where}`),
  ]);
  return {
    items: rows.rows.map((r) => ({ id: r.id, pledgeId: r.pledge_id, pledgerName: r.pledger_name, orgName: r.org_name, rating: r.rating, comment: r.comment, status: r.status, createdAt: iso(r.created_at)! })),
    total: count(total.rows[0]), page: query.page, pageSize: query.pageSize,
  };
}

/** Approve shows a comment on the board; hide takes an abusive rating off the board and out of the count. */
export async function moderateRating(db: Db, actor: Actor, id: string, input: ModerateRating): Promise<{ ok: true }> {
  await db.transaction(async (tx) => {
    const row = (await tx.execute<{ status: string; org_path: string; pledge_id: string } & Row>(sql`
      select r.status, p.org_path::text, r.pledge_id::text from pledge_public_ratings r join pledges p on p.id = r.pledge_id
       where r.id = ${id} and ${pledgesInScope(actor)} for update of r`)).rows[0];
    if (!row || !canModerate(actor, { orgPath: row.org_path })) throw notFound('pledge.rating_not_found');
    if (input.decision === 'approve' ? row.status !== 'pending' : row.status === 'hidden') throw conflict('pledge.already_moderated');
    const status = input.decision === 'approve' ? 'approved' : 'hidden';
    await tx.execute(sql`update pledge_public_ratings set status = ${status}, moderated_by = ${actor.userId}, moderated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: input.decision === 'approve' ? 'pledge.approve_comment' : 'pledge.hide_rating', targetType: 'pledge', targetId: row.pledge_id,
      orgPath: row.org_path, detail: { ratingId: id } });
  });
  return { ok: true };
}

// ---------- statistics ----------

type StatsRow = { org_id: string; org_name: string; ord: number; published: number; with_progress: number; self_reviewed: number;
  branch_reviewed: number; satisfied: number; basically: number; dissatisfied: number } & Row;

/** An org's subtree and each direct sub-org's, in one GROUP BY; each figure is the total of the pledge list filtered by it. */
export async function pledgeStats(db: Db, actor: Actor, query: PledgeStatsQuery): Promise<PledgeStats> {
  const period = await findPeriod(db, actor, query.periodId);
  const org = await managedOrg(db, actor, query.orgId, { allowDissolved: true });
  const rows = (await db.execute<StatsRow>(sql`
    with targets as (
      select id, name, path, 0 as ord from orgs where id = ${org.id}
      union all select id, name, path, 1 from orgs where parent_id = ${org.id} and dissolved_at is null
    )
    select t.id::text as org_id, t.name as org_name, t.ord,
           count(p.id) filter (where ${FIGURE_CONDITIONS.published})::int as published,
           count(p.id) filter (where ${FIGURE_CONDITIONS.with_progress})::int as with_progress,
           count(p.id) filter (where ${FIGURE_CONDITIONS.self_reviewed})::int as self_reviewed,
           count(p.id) filter (where ${FIGURE_CONDITIONS.branch_reviewed})::int as branch_reviewed,
           coalesce(sum(s.satisfied), 0)::int as satisfied, coalesce(sum(s.basically), 0)::int as basically, coalesce(sum(s.dissatisfied), 0)::int as dissatisfied
      from targets t
      left join pledges p on p.org_path <@ t.path and p.period_id = ${period.id}
      ${countedRatings}
     group by t.id, t.name, t.ord, t.path order by t.ord, t.path`)).rows;
  const toRow = (r: StatsRow): PledgeStatsRow => ({
    orgId: r.org_id, orgName: r.org_name, published: Number(r.published), withProgress: Number(r.with_progress), selfReviewed: Number(r.self_reviewed),
    branchReviewed: Number(r.branch_reviewed), satisfaction: satisfactionOf(Number(r.satisfied), Number(r.basically), Number(r.dissatisfied)),
  });
  const [total, ...children] = rows;
  return { periodId: period.id, total: toRow(total!), rows: children.map(toRow) };
}

