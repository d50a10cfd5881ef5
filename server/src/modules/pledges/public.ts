import { sql } from 'drizzle-orm';
import {
  phaseOn, type FulfilmentRating, type PostPublicRating, type PublicPledge, type PublicPledgeDetail, type PublicPledgePage, type PublicPledgeQuery,
  type PublicRatingReceipt,
} from '../../../../contracts/pledges.js';
import { todayInChina } from '../../../../contracts/china-time.js';
import type { Db, Queryable } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import { pageLimit } from '../../platform/sql.js';
import { findTree, maskPersonalPatterns } from '../service_projects/public.js';
import { throttlePublicSubmission } from '../service_projects/throttle.js';
import { assertReviewPhase, countedRatings, itemsOf, satisfactionOf } from './service.js';

/*
 * The public board of a tree (no login): published pledges only, every answer built field by field
 * from named columns — the pledger's name and org name, never a member's record.
 */
type Row = Record<string, unknown>;
type PublicRow = {
  id: string; period_name: string; member_id: string | null; pledger_name: string; org_name: string; self_rating: FulfilmentRating | null;
  branch_rating: FulfilmentRating | null; published_at: Date | string; progress_count: number; satisfied: number; basically: number; dissatisfied: number;
  status: string; pledge_from: string; fulfil_from: string; review_from: string; review_until: string;
} & Row;

const publicColumns = sql`p.id::text, pp.name as period_name, p.member_id::text, coalesce(m.name, o.name) as pledger_name, o.name as org_name,
  p.self_rating, p.branch_rating, p.published_at, p.status, pp.pledge_from::text, pp.fulfil_from::text, pp.review_from::text, pp.review_until::text,
  (select count(*)::int from pledge_progress g where g.pledge_id = p.id) as progress_count,
  coalesce(s.satisfied, 0) as satisfied, coalesce(s.basically, 0) as basically, coalesce(s.dissatisfied, 0) as dissatisfied`;
const publicFrom = sql`pledges p join pledge_periods pp on pp.id = p.period_id join orgs o on o.id = p.org_id
  left join members m on m.id = p.member_id ${countedRatings}`;

function toPublic(r: PublicRow, items: Awaited<ReturnType<typeof itemsOf>>, today: string): PublicPledge {
  return {
    id: r.id, periodName: r.period_name, kind: r.member_id ? 'member' : 'org', pledgerName: r.pledger_name, orgName: r.org_name,
    items: (items.get(r.id) ?? []).map((i) => ({ content: maskPersonalPatterns(i.content), category: i.category, target: maskPersonalPatterns(i.target) })),
    progressCount: Number(r.progress_count), selfRating: r.self_rating, branchRating: r.branch_rating,
    satisfaction: satisfactionOf(Number(r.satisfied), Number(r.basically), Number(r.dissatisfied)),
    isRatingOpen: phaseOn({ pledgeFrom: r.pledge_from, fulfilFrom: r.fulfil_from, reviewFrom: r.review_from, reviewUntil: r.review_until }, today) === 'review',
    publishedAt: new Date(r.published_at).toISOString(),
  };
}

export async function listPublicPledges(db: Db, rootId: string, query: PublicPledgeQuery): Promise<PublicPledgePage> {
  const tree = await findTree(db, rootId);
  const conditions = [sql`p.status = 'published'`, sql`p.org_path <@ ${tree.path}::ltree`];
  // an org outside the tree filters to nothing rather than telling what exists elsewhere
  if (query.orgId) conditions.push(sql`p.org_path <@ (select path from orgs where id = ${query.orgId} and path <@ ${tree.path}::ltree)`);
  if (query.periodId) conditions.push(sql`p.period_id = ${query.periodId}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<PublicRow>(sql`select ${publicColumns} from ${publicFrom} where ${where} order by p.published_at desc, p.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from pledges p where ${where}`),
  ]);
  const items = await itemsOf(db, rows.rows.map((r) => r.id));
  const today = todayInChina();
  return { items: rows.rows.map((r) => toPublic(r, items, today)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

async function findPublished(q: Queryable, id: string, lock = false): Promise<PublicRow> {
  const row = (await q.execute<PublicRow>(sql`select ${publicColumns} from ${publicFrom} where p.id = ${id} and p.status = 'published'
    and o.dissolved_at is null ${lock ? sql`for share of p` : sql``}`)).rows[0];
  if (!row) throw notFound('pledge.not_found');
  return row;
}

/** A published pledge with its progress (photos only) and the comments an admin approved. */
export async function getPublicPledge(db: Db, id: string): Promise<PublicPledgeDetail> {
  const row = await findPublished(db, id);
  const [items, progress, comments] = await Promise.all([
    itemsOf(db, [id]),
    db.execute<{ id: string; done_on: string; note: string; photos: string[] | string | null } & Row>(sql`
      select g.id::text, g.done_on::text, g.note,
             array(select f.id::text from pledge_progress_files f where f.progress_id = g.id and f.kind = 'photo' order by f.id) as photos
        from pledge_progress g where g.pledge_id = ${id} order by g.done_on, g.id`),
    db.execute<{ rating: PublicPledgeDetail['comments'][number]['rating']; comment: string; created_at: Date | string } & Row>(sql`
      select rating, comment, created_at from pledge_public_ratings where pledge_id = ${id} and status = 'approved' and comment is not null
       order by id desc limit 100`),
  ]);
  const ids = (v: string[] | string | null) => (Array.isArray(v) ? v : String(v ?? '').replace(/[{}]/g, '').split(',').filter(Boolean));
  return {
    ...toPublic(row, items, todayInChina()),
    progress: progress.rows.map((g) => ({ doneOn: g.done_on, note: maskPersonalPatterns(g.note), photos: ids(g.photos).map((f) => ({ id: f, url: `/api/public/pledges/${id}/photos/${f}` })) })),
    comments: comments.rows.map((c) => ({ rating: c.rating, comment: maskPersonalPatterns(c.comment), createdAt: new Date(c.created_at).toISOString() })),
  };
}

/**
 * Anyone rates a published pledge in the review phase, limited per address; the rating counts at
 * once, its comment waits for an admin.
 */
export async function ratePublicly(db: Db, id: string, input: PostPublicRating, ip: string): Promise<PublicRatingReceipt> {
  await db.transaction(async (tx) => {
    const row = await findPublished(tx, id, true);
    assertReviewPhase(row);
    await throttlePublicSubmission(tx, ip, 'pledge.rate');
    await tx.execute(sql`insert into pledge_public_ratings (pledge_id, rating, comment, status, ip)
      values (${id}, ${input.rating}, ${input.comment ?? null}, ${input.comment ? 'pending' : 'approved'}, ${ip})`);
  });
  const row = await findPublished(db, id);
  return { commentPending: !!input.comment, satisfaction: satisfactionOf(Number(row.satisfied), Number(row.basically), Number(row.dissatisfied)) };
}

export async function findPublicPhoto(db: Db, id: string, fileId: string): Promise<{ fileName: string; mimeType: string; storageKey: string }> {
  await findPublished(db, id);
  const row = (await db.execute<{ file_name: string; mime_type: string; storage_key: string } & Row>(sql`
    select file_name, mime_type, storage_key from pledge_progress_files where id = ${fileId} and pledge_id = ${id} and kind = 'photo'`)).rows[0];
  if (!row) throw notFound('pledge.file_not_found');
  return { fileName: row.file_name, mimeType: row.mime_type, storageKey: row.storage_key };
}
