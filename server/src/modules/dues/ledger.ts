import crypto from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { chinaDate } from '../../../../contracts/china-time.js';
import type {
  Bill, BillListQuery, BillPage, GenerateBills, GenerateBillsResult, Payment, PaymentListQuery, PaymentPage, RecordPayment, ReversePayment,
} from '../../../../contracts/dues.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable } from '../../platform/db.js';
import { AppError, badRequest, conflict, forbidden, invalidField, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { likeContaining, pageLimit } from '../../platform/sql.js';
import { duesMember } from './bases.js';
import { duesPaymentGateway } from './gateway.js';
import { canKeepDuesOf, canSeeReceipt } from './policy.js';
import { monthDate, payingMember, pricedMonths } from './pricing.js';

type Row = Record<string, unknown>;

/**
 * Makes the bills of every paying member of a subtree for a range of months, in one statement:
 * members × months, priced by pricedMonths, inserted unless the member already has that month's
 * bill (a bill is made once and never re-priced by generation). Member-months without a base are
 * counted, not billed.
 */
export async function generateBills(db: Db, actor: Actor, input: GenerateBills): Promise<GenerateBillsResult> {
  return db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share' });
    const outcome = await insertBills(tx, org.path, input.fromMonth, input.toMonth ?? input.fromMonth, actor.userId);
    await audit(tx, actor, { action: 'dues.generate_bills', targetType: 'org', targetId: org.id, orgPath: org.path, detail: { ...input, ...outcome } });
    return outcome;
  });
}

/** The statement behind generateBills, for a subtree and a range of months (the demo seeds with it too). */
export async function insertBills(tx: Queryable, path: string, fromMonth: string, toMonth: string, userId: string | null): Promise<GenerateBillsResult> {
  const result = await tx.execute<{ created: number; due: string; missing: number; existing: number } & Row>(sql`
    with months as (select generate_series(${monthDate(fromMonth)}::date, ${monthDate(toMonth)}::date, interval '1 month')::date as month),
    candidates as (
      select m.id as member_id, m.org_id, m.org_path, mo.month
        from members m cross join months mo
       where m.org_path <@ ${path}::ltree and ${payingMember('m', sql`mo.month`)}
    ),
    priced as (${pricedMonths(sql`select * from candidates`)}),
    inserted as (
      insert into dues_bills (member_id, org_id, org_path, month, category, base_fen, rate_bp, rule_id, reduction_id, due_fen, generated_by)
      select member_id, org_id, org_path, month, category, base_fen, rate_bp, rule_id, reduction_id, due_fen, ${userId}
        from priced where due_fen is not null
      on conflict (member_id, month) do nothing
      returning due_fen)
    select (select count(*) from inserted)::int as created,
           (select coalesce(sum(due_fen), 0) from inserted)::bigint as due,
           (select count(*) from priced where due_fen is null)::int as missing,
           (select count(*) from priced p where p.due_fen is not null and exists (select 1 from dues_bills x where x.member_id = p.member_id and x.month = p.month))::int as existing`);
  const r = result.rows[0]!;
  return { created: Number(r.created), existing: Number(r.existing), missingBase: Number(r.missing), dueFen: Number(r.due) };
}

type BillRow = {
  id: string; member_id: string; member_name: string; org_id: string; org_name: string; month: string; category: Bill['category'];
  base_fen: string | null; rate_bp: number | null; due_fen: number; paid_fen: string; reduction_id: string | null;
} & Row;
const billColumns = sql`b.id::text, b.member_id::text, m.name as member_name, b.org_id::text, o.name as org_name, to_char(b.month, 'YYYY-MM') as month,
  b.category, b.base_fen, b.rate_bp, b.due_fen, b.paid_fen, b.reduction_id::text`;
const billFrom = sql`dues_bills b join members m on m.id = b.member_id join orgs o on o.id = b.org_id`;
export function toBill(r: BillRow): Bill {
  const due = Number(r.due_fen);
  const paid = Number(r.paid_fen);
  return {
    id: r.id, memberId: r.member_id, memberName: r.member_name, orgId: r.org_id, orgName: r.org_name, month: r.month, category: r.category,
    baseFen: r.base_fen == null ? null : Number(r.base_fen), rateBp: r.rate_bp, dueFen: due, paidFen: paid,
    // nothing due is its own state: not "paid"
    status: due === 0 ? 'exempt' : paid >= due ? 'paid' : 'unpaid',
    reduced: r.reduction_id != null,
  };
}

function billFilter(path: string, query: Omit<BillListQuery, 'page' | 'pageSize' | 'orgId'>): SQL {
  const conditions: SQL[] = [sql`b.org_path <@ ${path}::ltree`];
  if (query.month) conditions.push(sql`b.month = ${monthDate(query.month)}::date`);
  if (query.memberId) conditions.push(sql`b.member_id = ${query.memberId}`);
  if (query.status === 'unpaid') conditions.push(sql`b.paid_fen < b.due_fen`);
  if (query.status === 'paid') conditions.push(sql`b.paid_fen >= b.due_fen`);
  if (query.q) conditions.push(sql`m.search_text like ${likeContaining(query.q.toLowerCase())}`);
  return sql.join(conditions, sql` and `);
}

export async function listBills(db: Db, actor: Actor, query: BillListQuery): Promise<BillPage> {
  const org = await managedOrg(db, actor, query.orgId, { allowDissolved: true });
  const where = billFilter(org.path, query);
  const [rows, total] = await Promise.all([
    db.execute<BillRow>(sql`select ${billColumns} from ${billFrom} where ${where} order by b.month desc, m.name_sort, b.id ${pageLimit(query)}`),
    db.execute<{ n: number; due: string; paid: string } & Row>(sql`select count(*)::int as n, coalesce(sum(b.due_fen), 0)::bigint as due, coalesce(sum(b.paid_fen), 0)::bigint as paid
      from ${billFrom} where ${where}`),
  ]);
  const t = total.rows[0]!;
  return { items: rows.rows.map(toBill), total: Number(t.n), page: query.page, pageSize: query.pageSize, dueFen: Number(t.due), paidFen: Number(t.paid) };
}

/** Bills in the order the list shows them, for the export (keyset batches: a city's month is 250,000 rows). */
export async function* billsForExport(db: Db, actor: Actor, query: Omit<BillListQuery, 'page' | 'pageSize'>): AsyncGenerator<Bill> {
  const org = await managedOrg(db, actor, query.orgId, { allowDissolved: true });
  const where = billFilter(org.path, query);
  let after: BillRow | null = null;
  for (;;) {
    const keyset: SQL = after ? sql`and b.id > ${after.id}::bigint` : sql``;
    const batch: BillRow[] = (await db.execute<BillRow>(sql`select ${billColumns} from ${billFrom} where ${where} ${keyset} order by b.id limit 2000`)).rows;
    for (const r of batch) yield toBill(r);
    if (batch.length < 2000) return;
    after = batch[batch.length - 1]!;
  }
}

/* ---------- payments: the append-only ledger ---------- */

type PaymentRow = {
  id: string; receipt_no: string; member_id: string; member_name: string; org_id: string; org_name: string; org_path: string; kind: Payment['kind'];
  method: Payment['method']; paid_on: string; proxy_name: string | null; reference: string | null; note: string | null; total_fen: string;
  lines: { kind: 'dues' | 'extra' | 'special'; month: string | null; amount_fen: number }[]; reverses_id: string | null; reversed_by_id: string | null; recorded_at: string;
} & Row;
const paymentColumns = sql`p.id::text, p.receipt_no, p.member_id::text, m.name as member_name, p.org_id::text, o.name as org_name, p.org_path::text, p.kind, p.method,
  p.paid_on::text, p.proxy_name, p.reference, p.note, p.total_fen, p.reverses_id::text,
  (select r.id::text from dues_payments r where r.reverses_id = p.id) as reversed_by_id, p.recorded_at::text,
  (select coalesce(json_agg(json_build_object('kind', l.kind, 'month', to_char(b.month, 'YYYY-MM'), 'amount_fen', l.amount_fen) order by b.month nulls last, l.id), '[]')
     from dues_payment_lines l left join dues_bills b on b.id = l.bill_id where l.payment_id = p.id) as lines`;
const paymentFrom = sql`dues_payments p join members m on m.id = p.member_id join orgs o on o.id = p.org_id`;
export const toPayment = (r: PaymentRow): Payment => ({
  id: r.id, receiptNo: r.receipt_no, memberId: r.member_id, memberName: r.member_name, orgId: r.org_id, orgName: r.org_name, kind: r.kind, method: r.method,
  paidOn: r.paid_on, proxyName: r.proxy_name, reference: r.reference, note: r.note, totalFen: Number(r.total_fen),
  lines: (typeof r.lines === 'string' ? JSON.parse(r.lines) as PaymentRow['lines'] : r.lines).map((l) => ({ kind: l.kind, month: l.month, amountFen: Number(l.amount_fen) })),
  reversesId: r.reverses_id, reversedById: r.reversed_by_id, recordedAt: new Date(r.recorded_at).toISOString(),
});

export async function paymentsWhere(q: Queryable, where: SQL, order: SQL = sql`p.id desc`, limit: SQL = sql``): Promise<Payment[]> {
  return (await q.execute<PaymentRow>(sql`select ${paymentColumns} from ${paymentFrom} where ${where} order by ${order} ${limit}`)).rows.map(toPayment);
}

/** A payment the actor may see (the member's own, or one of the admin's subtree); 404 otherwise. */
export async function getPayment(db: Queryable, actor: Actor, id: string): Promise<Payment & { orgPath: string }> {
  const row = (await db.execute<PaymentRow>(sql`select ${paymentColumns} from ${paymentFrom} where p.id = ${id}`)).rows[0];
  if (!row || !canSeeReceipt(actor, { memberId: row.member_id, orgPath: row.org_path })) throw notFound('dues.payment_not_found');
  return { ...toPayment(row), orgPath: row.org_path };
}

/** 'DF2026-00000123': the year of payment and a number no other receipt has. */
const nextReceiptNo = (q: Queryable, paidOn: string) =>
  q.execute<{ no: string } & Row>(sql`select ${`DF${paidOn.slice(0, 4)}-`} || lpad(nextval('dues_receipt_seq')::text, 8, '0') as no`).then((r) => r.rows[0]!.no);

/**
 * Records one payment (one receipt) of a member: the chosen months, each paid in full, plus a
 * voluntary extra and a one-off special payment. The bills are locked, so two secretaries cannot
 * take the same month twice; the bills' paid sums move in the same transaction.
 */
export async function recordPayment(db: Db, actor: Actor, input: RecordPayment): Promise<Payment> {
  const id = await db.transaction(async (tx) => {
    const member = await duesMember(tx, actor, input.memberId);
    const bills = await lockOpenBills(tx, member.id, input.billIds, (b) => canKeepDuesOf(actor, { orgPath: b.org_path }));
    return writePayment(tx, actor, member, bills, input);
  });
  return getPayment(db, actor, id);
}

type OpenBill = { id: string; month: string; due_fen: number; paid_fen: string; org_path: string };

/** The member's bills `ids`, locked, each still owing something; 400 on `billIds` otherwise. */
async function lockOpenBills(tx: Queryable, memberId: string, ids: string[], mayTouch: (b: OpenBill) => boolean): Promise<OpenBill[]> {
  const bills = ids.length === 0 ? [] : (await tx.execute<OpenBill & Row>(sql`
    select id::text, to_char(month, 'YYYY-MM') as month, due_fen, paid_fen, org_path::text from dues_bills
     where id = any(${`{${ids.join(',')}}`}::bigint[]) and member_id = ${memberId} order by month for update`)).rows;
  if (bills.length !== ids.length || !bills.every(mayTouch)) throw invalidField('billIds', 'dues.bill_not_found');
  for (const b of bills) {
    if (b.due_fen === 0) throw invalidField('billIds', 'dues.bill_nothing_due', { month: b.month });
    if (Number(b.paid_fen) >= b.due_fen) throw invalidField('billIds', 'dues.bill_paid', { month: b.month });
  }
  return bills;
}

type PaymentInput = Pick<RecordPayment, 'extraFen' | 'specialFen' | 'paidOn' | 'proxyName' | 'reference' | 'note'> & { method: Payment['method'] };

/** Writes one receipt: the header, its lines, the bills' paid sums, the audit entry. `actor` null: the payment provider. */
async function writePayment(tx: Queryable, actor: Actor | null, member: { id: string; org_id: string; org_path: string }, bills: OpenBill[], input: PaymentInput): Promise<string> {
  const lines = [
    ...bills.map((b) => ({ kind: 'dues', billId: b.id as string | null, amount: b.due_fen - Number(b.paid_fen) })),
    ...(input.extraFen > 0 ? [{ kind: 'extra', billId: null, amount: input.extraFen }] : []),
    ...(input.specialFen > 0 ? [{ kind: 'special', billId: null, amount: input.specialFen }] : []),
  ];
  const total = lines.reduce((sum, l) => sum + l.amount, 0);
  const receiptNo = await nextReceiptNo(tx, input.paidOn);
  const header = await tx.execute<{ id: string } & Row>(sql`
    insert into dues_payments (receipt_no, member_id, org_id, org_path, kind, method, paid_on, proxy_name, reference, note, total_fen, extra_fen, special_fen, recorded_by)
    values (${receiptNo}, ${member.id}, ${member.org_id}, ${member.org_path}::ltree, 'payment', ${input.method}, ${input.paidOn}, ${input.proxyName ?? null},
            ${input.reference ?? null}, ${input.note ?? null}, ${total}, ${input.extraFen}, ${input.specialFen}, ${actor?.userId ?? null})
    returning id::text`);
  const paymentId = header.rows[0]!.id;
  await tx.execute(sql`insert into dues_payment_lines (payment_id, kind, bill_id, amount_fen) values
    ${sql.join(lines.map((l) => sql`(${paymentId}, ${l.kind}, ${l.billId}, ${l.amount})`), sql`, `)}`);
  if (bills.length) await tx.execute(sql`update dues_bills set paid_fen = due_fen where id = any(${`{${bills.map((b) => b.id).join(',')}}`}::bigint[])`);
  await audit(tx, actor, {
    action: 'dues.pay', targetType: 'member', targetId: member.id, orgPath: member.org_path,
    detail: { paymentId, receiptNo, months: bills.map((b) => b.month), totalFen: total, extraFen: input.extraFen, specialFen: input.specialFen, method: input.method, proxyName: input.proxyName ?? null },
  });
  return paymentId;
}

/* ---------- online payment, through the site's provider ---------- */

/** A member starts paying months online: an order with the provider; 503 when the site has none. */
export async function startOnlinePayment(db: Db, actor: Actor, billIds: string[]): Promise<{ orderNo: string; amountFen: number; payUrl: string }> {
  const gateway = duesPaymentGateway();
  if (!gateway) throw new AppError(503, 'dues.online_unavailable');
  if (!actor.memberId) throw forbidden('dues.members_only');
  const memberId = actor.memberId;
  const order = await db.transaction(async (tx) => {
    const bills = await lockOpenBills(tx, memberId, billIds, () => true);
    const amountFen = bills.reduce((sum, b) => sum + b.due_fen - Number(b.paid_fen), 0);
    const orderNo = `DO${Date.now()}${crypto.randomInt(1000, 9999)}`;
    await tx.execute(sql`insert into dues_online_orders (order_no, member_id, bill_ids, amount_fen, provider)
      values (${orderNo}, ${memberId}, ${`{${bills.map((b) => b.id).join(',')}}`}::bigint[], ${amountFen}, ${gateway.name})`);
    return { orderNo, amountFen, months: bills.map((b) => b.month) };
  });
  const { payUrl } = await gateway.createOrder({ orderNo: order.orderNo, amountFen: order.amountFen, description: `党费 ${order.months.join('、')}` });
  return { orderNo: order.orderNo, amountFen: order.amountFen, payUrl };
}

/**
 * The provider's notification: verified by the provider's own check, then the order's months are
 * recorded as one payment (method 'online'), once — a repeated notification changes nothing.
 */
export async function completeOnlinePayment(db: Db, notification: { headers: Record<string, string | string[] | undefined>; body: unknown }): Promise<{ ok: true; paymentId: string }> {
  const gateway = duesPaymentGateway();
  // without a provider there is nobody to send a notification: the address answers as if it did not exist
  if (!gateway) throw notFound('dues.online_unavailable');
  const paid = await gateway.verifyNotification(notification).catch(() => null);
  if (!paid) throw badRequest('dues.notification_invalid');
  const paymentId = await db.transaction(async (tx) => {
    const order = (await tx.execute<{ member_id: string; bill_ids: string[] | string; amount_fen: string; status: string; payment_id: string | null } & Row>(sql`
      select member_id::text, bill_ids::text[] as bill_ids, amount_fen, status, payment_id::text from dues_online_orders where order_no = ${paid.orderNo} for update`)).rows[0];
    if (!order) throw notFound('dues.order_not_found');
    if (order.status === 'paid') return order.payment_id!;
    if (Number(order.amount_fen) !== paid.amountFen) throw badRequest('dues.order_amount_mismatch');
    const member = (await tx.execute<{ id: string; org_id: string; org_path: string } & Row>(sql`select id::text, org_id::text, org_path::text from members where id = ${order.member_id}`)).rows[0]!;
    const ids = typeof order.bill_ids === 'string' ? order.bill_ids.replace(/[{}]/g, '').split(',').filter(Boolean) : order.bill_ids;
    const bills = await lockOpenBills(tx, member.id, ids, () => true);
    const id = await writePayment(tx, null, member, bills, { extraFen: 0, specialFen: 0, method: 'online', paidOn: chinaDate(Date.now()), proxyName: null, reference: paid.reference, note: `线上支付 ${paid.orderNo}` });
    await tx.execute(sql`update dues_online_orders set status = 'paid', payment_id = ${id}, paid_at = now() where order_no = ${paid.orderNo}`);
    return id;
  });
  return { ok: true, paymentId };
}

/**
 * Corrects a payment by its reversal: a new entry with every line negated, dated today, which
 * reopens the months it paid. The original stays in the ledger; a payment is reversed at most once.
 */
export async function reversePayment(db: Db, actor: Actor, id: string, input: ReversePayment): Promise<Payment> {
  const reversalId = await db.transaction(async (tx) => {
    const original = (await tx.execute<{ id: string; member_id: string; org_id: string; org_path: string; kind: string; method: string; total_fen: string;
      extra_fen: string; special_fen: string; receipt_no: string } & Row>(sql`
      select id::text, member_id::text, org_id::text, org_path::text, kind, method, total_fen, extra_fen, special_fen, receipt_no from dues_payments where id = ${id} for update`)).rows[0];
    if (!original || !canKeepDuesOf(actor, { orgPath: original.org_path })) throw notFound('dues.payment_not_found');
    if (original.kind === 'reversal') throw conflict('dues.cannot_reverse_reversal');
    if ((await tx.execute(sql`select 1 from dues_payments where reverses_id = ${id}`)).rows.length) throw conflict('dues.already_reversed');
    const today = chinaDate(Date.now());
    const receiptNo = await nextReceiptNo(tx, today);
    const header = await tx.execute<{ id: string } & Row>(sql`
      insert into dues_payments (receipt_no, member_id, org_id, org_path, kind, method, paid_on, note, total_fen, extra_fen, special_fen, reverses_id, recorded_by)
      values (${receiptNo}, ${original.member_id}, ${original.org_id}, ${original.org_path}::ltree, 'reversal', ${original.method}, ${today}, ${input.reason},
              ${-Number(original.total_fen)}, ${-Number(original.extra_fen)}, ${-Number(original.special_fen)}, ${id}, ${actor.userId})
      returning id::text`);
    const newId = header.rows[0]!.id;
    await tx.execute(sql`insert into dues_payment_lines (payment_id, kind, bill_id, amount_fen)
      select ${newId}, kind, bill_id, -amount_fen from dues_payment_lines where payment_id = ${id} order by id`);
    await tx.execute(sql`update dues_bills b set paid_fen = b.paid_fen - l.amount_fen
      from dues_payment_lines l where l.payment_id = ${id} and l.bill_id = b.id`);
    await audit(tx, actor, {
      action: 'dues.reverse', targetType: 'member', targetId: original.member_id, orgPath: original.org_path,
      detail: { paymentId: id, receiptNo: original.receipt_no, reversalId: newId, reason: input.reason, totalFen: -Number(original.total_fen) },
    });
    return newId;
  });
  return getPayment(db, actor, reversalId);
}

function paymentFilter(path: string, query: Omit<PaymentListQuery, 'page' | 'pageSize' | 'orgId'>): SQL {
  const conditions: SQL[] = [sql`p.org_path <@ ${path}::ltree`];
  if (query.from) conditions.push(sql`p.paid_on >= ${query.from}`);
  if (query.to) conditions.push(sql`p.paid_on <= ${query.to}`);
  if (query.memberId) conditions.push(sql`p.member_id = ${query.memberId}`);
  return sql.join(conditions, sql` and `);
}

export async function listPayments(db: Db, actor: Actor, query: PaymentListQuery): Promise<PaymentPage> {
  const org = await managedOrg(db, actor, query.orgId, { allowDissolved: true });
  const where = paymentFilter(org.path, query);
  const [items, total] = await Promise.all([
    paymentsWhere(db, where, sql`p.paid_on desc, p.id desc`, pageLimit(query)),
    db.execute<{ n: number; total: string } & Row>(sql`select count(*)::int as n, coalesce(sum(p.total_fen), 0)::bigint as total from dues_payments p where ${where}`),
  ]);
  return { items, total: Number(total.rows[0]!.n), page: query.page, pageSize: query.pageSize, totalFen: Number(total.rows[0]!.total) };
}

export { billColumns, billFrom, type BillRow };
