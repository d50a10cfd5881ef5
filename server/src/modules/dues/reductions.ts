import { sql, type SQL } from 'drizzle-orm';
import type { Reduction, ReductionListQuery, RequestReduction, ReviewReduction } from '../../../../contracts/dues.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable } from '../../platform/db.js';
import { conflict, forbidden, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { pageLimit } from '../../platform/sql.js';
import { duesMember, repriceUnpaidBills } from './bases.js';
import { canReviewReduction, visibleReductions as visible } from './policy.js';
import { monthDate } from './pricing.js';

type Row = Record<string, unknown>;
type ReductionRow = {
  id: string; member_id: string; member_name: string; org_id: string; org_name: string; org_path: string; kind: Reduction['kind']; monthly_fen: number | null;
  from_month: string; to_month: string; reason: string; decided_on: string; status: Reduction['status']; review_note: string | null; reviewed_at: string | null;
} & Row;
const columns = sql`d.id::text, d.member_id::text, m.name as member_name, d.org_id::text, o.name as org_name, d.org_path::text, d.kind, d.monthly_fen,
  to_char(d.from_month, 'YYYY-MM') as from_month, to_char(d.to_month, 'YYYY-MM') as to_month, d.reason, d.decided_on::text, d.status, d.review_note, d.reviewed_at::text`;
const from = sql`dues_reductions d join members m on m.id = d.member_id join orgs o on o.id = d.org_id`;
const toReduction = (r: ReductionRow, actor: Actor): Reduction => ({
  id: r.id, memberId: r.member_id, memberName: r.member_name, orgId: r.org_id, orgName: r.org_name, kind: r.kind, monthlyFen: r.monthly_fen,
  fromMonth: r.from_month, toMonth: r.to_month, reason: r.reason, decidedOn: r.decided_on, status: r.status, reviewNote: r.review_note,
  reviewedAt: r.reviewed_at ? new Date(r.reviewed_at).toISOString() : null,
  canReview: r.status === 'pending' && canReviewReduction(actor, { orgPath: r.org_path }),
});


async function findReduction(q: Queryable, actor: Actor, id: string, lock = false): Promise<ReductionRow> {
  const row = (await q.execute<ReductionRow>(sql`select ${columns} from ${from} where d.id = ${id} and ${visible(actor)} ${lock ? sql`for update of d` : sql``}`)).rows[0];
  if (!row) throw notFound('dues.reduction_not_found');
  return row;
}

/** The branch records its committee's decision; it waits for the level above. */
export async function requestReduction(db: Db, actor: Actor, input: RequestReduction): Promise<Reduction> {
  const id = await db.transaction(async (tx) => {
    const member = await duesMember(tx, actor, input.memberId);
    const inserted = await tx.execute<{ id: string } & Row>(sql`
      insert into dues_reductions (member_id, org_id, org_path, kind, monthly_fen, from_month, to_month, reason, decided_on, requested_by)
      values (${member.id}, ${member.org_id}, ${member.org_path}::ltree, ${input.kind}, ${input.kind === 'reduce' ? input.monthlyFen! : null},
              ${monthDate(input.fromMonth)}, ${monthDate(input.toMonth)}, ${input.reason}, ${input.decidedOn}, ${actor.userId})
      returning id::text`);
    const newId = inserted.rows[0]!.id;
    await audit(tx, actor, { action: 'dues.request_reduction', targetType: 'member', targetId: member.id, orgPath: member.org_path, detail: { reductionId: newId, ...input } });
    return newId;
  });
  return toReduction(await findReduction(db, actor, id), actor);
}

/** The level above decides; an approval re-prices the covered months on which nothing is paid yet. */
export async function reviewReduction(db: Db, actor: Actor, id: string, input: ReviewReduction): Promise<Reduction> {
  await db.transaction(async (tx) => {
    const r = await findReduction(tx, actor, id, true);
    if (!canReviewReduction(actor, { orgPath: r.org_path })) throw forbidden('dues.review_by_level_above');
    if (r.status !== 'pending') throw conflict('dues.reduction_reviewed');
    await tx.execute(sql`update dues_reductions set status = ${input.approve ? 'approved' : 'rejected'}, reviewed_by = ${actor.userId}, reviewed_at = now(),
      review_note = ${input.note ?? null} where id = ${id}`);
    if (input.approve) {
      await repriceUnpaidBills(tx, sql`b.member_id = ${r.member_id} and b.month between ${monthDate(r.from_month)}::date and ${monthDate(r.to_month)}::date`);
    }
    await audit(tx, actor, { action: input.approve ? 'dues.approve_reduction' : 'dues.reject_reduction', targetType: 'member', targetId: r.member_id, orgPath: r.org_path, detail: { reductionId: id, note: input.note ?? null } });
  });
  return toReduction(await findReduction(db, actor, id), actor);
}

export async function listReductions(db: Db, actor: Actor, query: ReductionListQuery) {
  const org = await managedOrg(db, actor, query.orgId, { allowDissolved: true });
  const conditions: SQL[] = [sql`d.org_path <@ ${org.path}::ltree`];
  if (query.status !== 'all') conditions.push(sql`d.status = ${query.status}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<ReductionRow>(sql`select ${columns} from ${from} where ${where} order by (d.status = 'pending') desc, d.requested_at desc, d.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from dues_reductions d where ${where}`),
  ]);
  return { items: rows.rows.map((r) => toReduction(r, actor)), total: Number(total.rows[0]!.n), page: query.page, pageSize: query.pageSize };
}
