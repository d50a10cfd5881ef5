import { sql, type SQL } from 'drizzle-orm';
import { chinaDate } from '../../../../contracts/china-time.js';
import type {
  Account, AccountQuery, AccountRow, ArrearsPage, ArrearsQuery, ArrearsRow, Expenditure, MyDues, PublishedStatement, RecordExpenditure, RecordRemittance,
  Remittance, RemittanceListQuery, SendReminders, StatementFigures, StatementQuery,
} from '../../../../contracts/dues.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { executePrepared, type Db, type Queryable } from '../../platform/db.js';
import { conflict, forbidden, invalidField, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { pageLimit } from '../../platform/sql.js';
import { billColumns, billFrom, paymentsWhere, toBill, type BillRow } from './ledger.js';
import { canConfirmRemittance, canReadAccount } from './policy.js';
import { currentMonth, monthDate, pricedMonths } from './pricing.js';

type Row = Record<string, unknown>;
const n = (v: unknown) => Number(v ?? 0);

/* ---------- arrears ---------- */

/**
 * The unpaid bills of a subtree up to this month, per member: how many months, how much, and the
 * longest run of consecutive unpaid months (gaps and islands over calendar months). Six in a run
 * flags the member for the branch (党章第二十八条: 连续六个月不交纳党费). An approved exemption makes a
 * month's due 0, so it never counts; a reduced month still does until it is paid.
 */
function arrearsCte(path: string, asOf: string): SQL {
  return sql`
    unpaid as (
      select b.member_id, b.month, b.due_fen - b.paid_fen as owed,
             (extract(year from b.month) * 12 + extract(month from b.month))::int - (row_number() over (partition by b.member_id order by b.month))::int as run
        from dues_bills b where b.org_path <@ ${path}::ltree and b.paid_fen < b.due_fen and b.month <= ${asOf}::date),
    runs as (select member_id, run, count(*)::int as months from unpaid group by member_id, run),
    arrears as (
      select u.member_id, count(*)::int as unpaid_months, sum(u.owed)::bigint as unpaid_fen, to_char(min(u.month), 'YYYY-MM') as first_unpaid,
             (select max(r.months) from runs r where r.member_id = u.member_id) as longest_run
        from unpaid u group by u.member_id)`;
}

type ArrearsDbRow = {
  member_id: string; member_name: string; org_id: string; org_name: string; unpaid_months: number; unpaid_fen: string; first_unpaid: string;
  longest_run: number; last_reminded: string | null;
} & Row;

export async function listArrears(db: Db, actor: Actor, query: ArrearsQuery): Promise<ArrearsPage> {
  const org = await managedOrg(db, actor, query.orgId, { allowDissolved: true });
  const asOf = currentMonth();
  const flaggedOnly = query.flagged === '1' ? sql`where a.longest_run >= 6` : sql``;
  const [rows, totals] = await Promise.all([
    db.execute<ArrearsDbRow>(sql`with ${arrearsCte(org.path, monthDate(asOf))}
      select a.member_id::text, m.name as member_name, m.org_id::text, o.name as org_name, a.unpaid_months, a.unpaid_fen, a.first_unpaid, a.longest_run,
             (select max(r.sent_at)::text from dues_reminders r where r.member_id = a.member_id) as last_reminded
        from arrears a join members m on m.id = a.member_id join orgs o on o.id = m.org_id ${flaggedOnly}
       order by a.longest_run desc, a.unpaid_fen desc, a.member_id ${pageLimit(query)}`),
    db.execute<{ members: number; fen: string; flagged: number } & Row>(sql`with ${arrearsCte(org.path, monthDate(asOf))}
      select count(*)::int as members, coalesce(sum(unpaid_fen), 0)::bigint as fen, count(*) filter (where longest_run >= 6)::int as flagged
        from arrears a ${flaggedOnly}`),
  ]);
  const t = totals.rows[0]!;
  return {
    items: rows.rows.map(toArrears), total: n(t.members), page: query.page, pageSize: query.pageSize, unpaidFen: n(t.fen), flaggedCount: n(t.flagged), asOfMonth: asOf,
  };
}

const toArrears = (r: ArrearsDbRow): ArrearsRow => ({
  memberId: r.member_id, memberName: r.member_name, orgId: r.org_id, orgName: r.org_name, unpaidMonths: n(r.unpaid_months), unpaidFen: n(r.unpaid_fen),
  firstUnpaidMonth: r.first_unpaid, longestRun: n(r.longest_run), flagged: n(r.longest_run) >= 6, lastRemindedAt: r.last_reminded ? new Date(r.last_reminded).toISOString() : null,
});

/** Arrears rows in list order, for the export. */
export async function arrearsForExport(db: Db, actor: Actor, query: Omit<ArrearsQuery, 'page' | 'pageSize'>): Promise<ArrearsRow[]> {
  const org = await managedOrg(db, actor, query.orgId, { allowDissolved: true });
  const flaggedOnly = query.flagged === '1' ? sql`where a.longest_run >= 6` : sql``;
  const rows = await db.execute<ArrearsDbRow>(sql`with ${arrearsCte(org.path, monthDate(currentMonth()))}
    select a.member_id::text, m.name as member_name, m.org_id::text, o.name as org_name, a.unpaid_months, a.unpaid_fen, a.first_unpaid, a.longest_run,
           (select max(r.sent_at)::text from dues_reminders r where r.member_id = a.member_id) as last_reminded
      from arrears a join members m on m.id = a.member_id join orgs o on o.id = m.org_id ${flaggedOnly}
     order by a.longest_run desc, a.unpaid_fen desc, a.member_id`);
  return rows.rows.map(toArrears);
}

/**
 * 催缴: a reminder in the dues inbox of every member in arrears (or the chosen ones), made in one
 * statement for the whole list; a member already reminded today is not reminded again.
 */
export async function sendReminders(db: Db, actor: Actor, input: SendReminders): Promise<{ sent: number }> {
  return db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { field: 'orgId' });
    const chosen = input.memberIds ? sql`and a.member_id = any(${`{${input.memberIds.join(',')}}`}::bigint[])` : sql``;
    const today = chinaDate(Date.now());
    const inserted = await tx.execute<{ n: number } & Row>(sql`with ${arrearsCte(org.path, monthDate(currentMonth()))},
      sent as (
        insert into dues_reminders (member_id, org_id, org_path, unpaid_months, unpaid_fen, sent_by)
        select a.member_id, m.org_id, m.org_path, a.unpaid_months, a.unpaid_fen, ${actor.userId}
          from arrears a join members m on m.id = a.member_id
         where m.left_at is null ${chosen}
           and not exists (select 1 from dues_reminders r where r.member_id = a.member_id and (r.sent_at at time zone 'Asia/Shanghai')::date = ${today}::date)
        returning 1)
      select count(*)::int as n from sent`);
    const sent = n(inserted.rows[0]?.n);
    await audit(tx, actor, { action: 'dues.remind', targetType: 'org', targetId: org.id, orgPath: org.path, detail: { sent, memberIds: input.memberIds ?? null } });
    return { sent };
  });
}

/* ---------- the month's account of an org and its children ---------- */

type AccountDbRow = {
  id: string; name: string; is_self: boolean; due: string; paid: string; bills: string; paid_bills: string; extra: string; special: string;
  remitted: string; remitted_confirmed: string; received: string;
} & Row;

/**
 * Due, collected and arrears of the month's bills, extra and special payments received in the
 * month, remitted upward and received from below — for the org's subtree and each direct child's,
 * read from the subtree month totals by primary key.
 */
export async function monthAccount(db: Queryable, actor: Actor, query: AccountQuery): Promise<Account> {
  const month = monthDate(query.month);
  // one round trip: the org (with its path, for the scope check below) and its direct children with their totals
  const rows = await executePrepared<AccountDbRow & { path: string }>(db, sql`
    with heads as (select o.id, o.name, o.path, o.sort_order, o.id = ${query.orgId} as is_self from orgs o
                    where o.id = ${query.orgId} or (o.parent_id = ${query.orgId} and o.dissolved_at is null))
    select h.id::text, h.name, h.path::text, h.is_self,
           coalesce(t.due_fen, 0) as due, coalesce(t.paid_fen, 0) as paid, coalesce(t.bill_count, 0) as bills, coalesce(t.paid_count, 0) as paid_bills,
           coalesce(t.extra_fen, 0) as extra, coalesce(t.special_fen, 0) as special, coalesce(t.remitted_fen, 0) as remitted,
           coalesce(t.remitted_confirmed_fen, 0) as remitted_confirmed, coalesce(t.received_fen, 0) as received
      from heads h
      left join dues_month_totals t on t.org_id = h.id and t.month = ${month}::date
     order by h.is_self desc, h.sort_order, h.id`);
  const self = rows.find((r) => r.is_self);
  // as managedOrg (dissolved allowed): missing and out of scope answer alike
  if (!self || !canReadAccount(actor, self)) throw notFound('org.not_found');
  const toRow = (r: AccountDbRow): AccountRow => ({
    orgId: r.id, orgName: r.name, dueFen: n(r.due), collectedFen: n(r.paid), arrearsFen: n(r.due) - n(r.paid), extraFen: n(r.extra), specialFen: n(r.special),
    billCount: n(r.bills), paidCount: n(r.paid_bills), remittedFen: n(r.remitted), remittedConfirmedFen: n(r.remitted_confirmed), receivedFen: n(r.received),
  });
  return { month: query.month, org: toRow(self), children: rows.filter((r) => !r.is_self).map(toRow) };
}

/* ---------- remittances (上缴) ---------- */

type RemittanceRow = {
  id: string; from_org_id: string; from_org_name: string; to_org_id: string; to_org_name: string; to_org_path: string; month: string; amount_fen: string; special_fen: string;
  remitted_on: string; method: 'cash' | 'transfer'; reference: string | null; note: string | null; status: 'sent' | 'confirmed'; confirmed_at: string | null;
} & Row;
const remittanceColumns = sql`r.id::text, r.from_org_id::text, f.name as from_org_name, r.to_org_id::text, t.name as to_org_name, r.to_org_path::text,
  to_char(r.month, 'YYYY-MM') as month, r.amount_fen, r.special_fen, r.remitted_on::text, r.method, r.reference, r.note, r.status, r.confirmed_at::text`;
const remittanceFrom = sql`dues_remittances r join orgs f on f.id = r.from_org_id join orgs t on t.id = r.to_org_id`;
const toRemittance = (r: RemittanceRow, actor: Actor): Remittance => ({
  id: r.id, fromOrgId: r.from_org_id, fromOrgName: r.from_org_name, toOrgId: r.to_org_id, toOrgName: r.to_org_name, month: r.month,
  amountFen: n(r.amount_fen), specialFen: n(r.special_fen), remittedOn: r.remitted_on, method: r.method, reference: r.reference, note: r.note, status: r.status,
  confirmedAt: r.confirmed_at ? new Date(r.confirmed_at).toISOString() : null,
  canConfirm: r.status === 'sent' && canConfirmRemittance(actor, { toOrgPath: r.to_org_path }),
});

async function findRemittance(q: Queryable, actor: Actor, id: string, lock = false): Promise<RemittanceRow> {
  const row = (await q.execute<RemittanceRow & { from_org_path: string }>(sql`select ${remittanceColumns}, r.from_org_path::text from ${remittanceFrom} where r.id = ${id} ${lock ? sql`for update of r` : sql``}`)).rows[0];
  if (!row || !(canConfirmRemittance(actor, { toOrgPath: row.to_org_path }) || canConfirmRemittance(actor, { toOrgPath: row.from_org_path }))) throw notFound('dues.remittance_not_found');
  return row;
}

/** An org remits to its parent (the level above) for a month. */
export async function recordRemittance(db: Db, actor: Actor, input: RecordRemittance): Promise<Remittance> {
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.fromOrgId, { field: 'fromOrgId', lock: 'share', allowDissolved: false });
    const parent = (await tx.execute<{ id: string; path: string } & Row>(sql`select p.id::text, p.path::text from orgs o join orgs p on p.id = o.parent_id where o.id = ${org.id}`)).rows[0];
    if (!parent) throw invalidField('fromOrgId', 'dues.top_org_no_parent');
    const inserted = await tx.execute<{ id: string } & Row>(sql`
      insert into dues_remittances (from_org_id, from_org_path, to_org_id, to_org_path, month, amount_fen, special_fen, remitted_on, method, reference, note, created_by)
      values (${org.id}, ${org.path}::ltree, ${parent.id}, ${parent.path}::ltree, ${monthDate(input.month)}, ${input.amountFen}, ${input.specialFen},
              ${input.remittedOn}, ${input.method}, ${input.reference ?? null}, ${input.note ?? null}, ${actor.userId})
      returning id::text`);
    const newId = inserted.rows[0]!.id;
    await audit(tx, actor, { action: 'dues.remit', targetType: 'org', targetId: org.id, orgPath: org.path, detail: { remittanceId: newId, ...input, toOrgId: parent.id } });
    return newId;
  });
  return toRemittance(await findRemittance(db, actor, id), actor);
}

export async function confirmRemittance(db: Db, actor: Actor, id: string): Promise<Remittance> {
  await db.transaction(async (tx) => {
    const r = await findRemittance(tx, actor, id, true);
    if (!canConfirmRemittance(actor, { toOrgPath: r.to_org_path })) throw forbidden('dues.confirm_by_receiver');
    if (r.status === 'confirmed') throw conflict('dues.already_confirmed');
    await tx.execute(sql`update dues_remittances set status = 'confirmed', confirmed_by = ${actor.userId}, confirmed_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'dues.confirm_remittance', targetType: 'org', targetId: r.to_org_id, orgPath: r.to_org_path, detail: { remittanceId: id, amountFen: n(r.amount_fen) } });
  });
  return toRemittance(await findRemittance(db, actor, id), actor);
}

export async function listRemittances(db: Db, actor: Actor, query: RemittanceListQuery) {
  const org = await managedOrg(db, actor, query.orgId, { allowDissolved: true });
  const where = query.direction === 'sent' ? sql`r.from_org_id = ${org.id}` : sql`r.to_org_id = ${org.id}`;
  const [rows, total] = await Promise.all([
    db.execute<RemittanceRow>(sql`select ${remittanceColumns} from ${remittanceFrom} where ${where} order by r.month desc, r.remitted_on desc, r.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from dues_remittances r where ${where}`),
  ]);
  return { items: rows.rows.map((r) => toRemittance(r, actor)), total: n(total.rows[0]!.n), page: query.page, pageSize: query.pageSize };
}

/* ---------- expenditures (党费使用) ---------- */

type ExpenditureRow = {
  id: string; org_id: string; org_name: string; org_path: string; spent_on: string; purpose: Expenditure['purpose']; amount_fen: string; description: string;
  voucher_no: string | null; reverses_id: string | null; reversed_by_id: string | null;
} & Row;
const expenditureColumns = sql`e.id::text, e.org_id::text, o.name as org_name, e.org_path::text, e.spent_on::text, e.purpose, e.amount_fen, e.description, e.voucher_no,
  e.reverses_id::text, (select x.id::text from dues_expenditures x where x.reverses_id = e.id) as reversed_by_id`;
const toExpenditure = (r: ExpenditureRow): Expenditure => ({
  id: r.id, orgId: r.org_id, orgName: r.org_name, spentOn: r.spent_on, purpose: r.purpose, amountFen: n(r.amount_fen), description: r.description,
  voucherNo: r.voucher_no, reversesId: r.reverses_id, reversedById: r.reversed_by_id,
});
const getExpenditure = async (q: Queryable, id: string) =>
  toExpenditure((await q.execute<ExpenditureRow>(sql`select ${expenditureColumns} from dues_expenditures e join orgs o on o.id = e.org_id where e.id = ${id}`)).rows[0]!);

export async function recordExpenditure(db: Db, actor: Actor, input: RecordExpenditure): Promise<Expenditure> {
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share' });
    const inserted = await tx.execute<{ id: string } & Row>(sql`
      insert into dues_expenditures (org_id, org_path, spent_on, purpose, amount_fen, description, voucher_no, recorded_by)
      values (${org.id}, ${org.path}::ltree, ${input.spentOn}, ${input.purpose}, ${input.amountFen}, ${input.description}, ${input.voucherNo ?? null}, ${actor.userId})
      returning id::text`);
    const newId = inserted.rows[0]!.id;
    await audit(tx, actor, { action: 'dues.spend', targetType: 'org', targetId: org.id, orgPath: org.path, detail: { expenditureId: newId, ...input } });
    return newId;
  });
  return getExpenditure(db, id);
}

/** A wrong entry is cancelled by its negative, dated today; both stay in the books. */
export async function reverseExpenditure(db: Db, actor: Actor, id: string): Promise<Expenditure> {
  const newId = await db.transaction(async (tx) => {
    const e = (await tx.execute<ExpenditureRow>(sql`select ${expenditureColumns} from dues_expenditures e join orgs o on o.id = e.org_id where e.id = ${id} for update of e`)).rows[0];
    if (!e) throw notFound('dues.expenditure_not_found');
    await managedOrg(tx, actor, e.org_id, { allowDissolved: true, notFoundKey: 'dues.expenditure_not_found' });
    if (e.reverses_id || e.reversed_by_id) throw conflict('dues.already_reversed_expenditure');
    const inserted = await tx.execute<{ id: string } & Row>(sql`
      insert into dues_expenditures (org_id, org_path, spent_on, purpose, amount_fen, description, voucher_no, reverses_id, recorded_by)
      values (${e.org_id}, ${e.org_path}::ltree, ${chinaDate(Date.now())}, ${e.purpose}, ${-n(e.amount_fen)}, ${`冲销：${e.description}`.slice(0, 200)}, ${e.voucher_no}, ${id}, ${actor.userId})
      returning id::text`);
    await audit(tx, actor, { action: 'dues.reverse_spend', targetType: 'org', targetId: e.org_id, orgPath: e.org_path, detail: { expenditureId: id, amountFen: n(e.amount_fen) } });
    return inserted.rows[0]!.id;
  });
  return getExpenditure(db, newId);
}

export async function listExpenditures(db: Db, actor: Actor, query: { orgId: string; year: number; page: number; pageSize: number }) {
  const org = await managedOrg(db, actor, query.orgId, { allowDissolved: true });
  const where = sql`e.org_path <@ ${org.path}::ltree and e.spent_on between ${`${query.year}-01-01`}::date and ${`${query.year}-12-31`}::date`;
  const [rows, total] = await Promise.all([
    db.execute<ExpenditureRow>(sql`select ${expenditureColumns} from dues_expenditures e join orgs o on o.id = e.org_id where ${where} order by e.spent_on desc, e.id desc ${pageLimit(query)}`),
    db.execute<{ n: number; total: string } & Row>(sql`select count(*)::int as n, coalesce(sum(e.amount_fen), 0)::bigint as total from dues_expenditures e where ${where}`),
  ]);
  return { items: rows.rows.map(toExpenditure), total: n(total.rows[0]!.n), page: query.page, pageSize: query.pageSize, totalFen: n(total.rows[0]!.total) };
}

/* ---------- the annual statement (公示) ---------- */

/** The year of an org's subtree: collection from the month totals, remittances of the org itself, spending in the subtree. */
export async function statementFigures(db: Queryable, actor: Actor, query: StatementQuery): Promise<StatementFigures> {
  const org = await managedOrg(db, actor, query.orgId, { allowDissolved: true });
  const first = `${query.year}-01-01`;
  const last = `${query.year}-12-01`;
  const [months, flows, spent, payers] = await Promise.all([
    db.execute<{ month: string; due: string; paid: string; extra: string; special: string } & Row>(sql`
      select to_char(m.month, 'YYYY-MM') as month, coalesce(sum(t.due_fen), 0)::bigint as due, coalesce(sum(t.paid_fen), 0)::bigint as paid,
             coalesce(sum(t.extra_fen), 0)::bigint as extra, coalesce(sum(t.special_fen), 0)::bigint as special
        from generate_series(${first}::date, ${last}::date, interval '1 month') as m(month)
        left join dues_month_totals t on t.org_id = ${org.id} and t.month = m.month
       group by m.month order by m.month`),
    db.execute<{ received: string; remitted: string } & Row>(sql`
      select coalesce(sum(received_fen), 0)::bigint as received, coalesce(sum(remitted_fen), 0)::bigint as remitted
        from dues_month_totals where org_id = ${org.id} and month between ${first}::date and ${last}::date`),
    db.execute<{ purpose: Expenditure['purpose']; total: string } & Row>(sql`
      select purpose, sum(amount_fen)::bigint as total from dues_expenditures
       where org_path <@ ${org.path}::ltree and spent_on between ${first}::date and ${`${query.year}-12-31`}::date
       group by purpose having sum(amount_fen) <> 0 order by purpose`),
    db.execute<{ n: number } & Row>(sql`select count(distinct member_id)::int as n from dues_bills
       where org_path <@ ${org.path}::ltree and month between ${first}::date and ${last}::date and due_fen > 0`),
  ]);
  const sum = (key: 'due' | 'paid' | 'extra' | 'special') => months.rows.reduce((s, r) => s + n(r[key]), 0);
  const spentByPurpose = spent.rows.map((r) => ({ purpose: r.purpose, amountFen: n(r.total) }));
  return {
    year: query.year, orgId: org.id, orgName: org.name,
    dueFen: sum('due'), collectedFen: sum('paid'), arrearsFen: sum('due') - sum('paid'), extraFen: sum('extra'), specialFen: sum('special'),
    receivedFromBelowFen: n(flows.rows[0]!.received), remittedUpFen: n(flows.rows[0]!.remitted),
    spentFen: spentByPurpose.reduce((s, p) => s + p.amountFen, 0), spentByPurpose,
    payingMembers: n(payers.rows[0]!.n),
    byMonth: months.rows.map((r) => ({ month: r.month, dueFen: n(r.due), collectedFen: n(r.paid) })),
  };
}

type StatementRow = { id: string; org_id: string; org_name: string; year: number; published_at: string; figures: StatementFigures | string } & Row;
const toStatement = (r: StatementRow): PublishedStatement => ({
  id: r.id, orgId: r.org_id, orgName: r.org_name, year: n(r.year), publishedAt: new Date(r.published_at).toISOString(),
  figures: typeof r.figures === 'string' ? JSON.parse(r.figures) as StatementFigures : r.figures,
});
const statementColumns = sql`s.id::text, s.org_id::text, o.name as org_name, s.year, s.published_at::text, s.figures`;

/** Publishes the year's figures as they stand now, frozen, for the members of the subtree to see. */
export async function publishStatement(db: Db, actor: Actor, input: { orgId: string; year: number }): Promise<PublishedStatement> {
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share' });
    const figures = await statementFigures(tx, actor, input);
    const inserted = await tx.execute<{ id: string } & Row>(sql`insert into dues_statements (org_id, org_path, year, figures, published_by)
      values (${org.id}, ${org.path}::ltree, ${input.year}, ${JSON.stringify(figures)}::jsonb, ${actor.userId}) returning id::text`);
    await audit(tx, actor, { action: 'dues.publish_statement', targetType: 'org', targetId: org.id, orgPath: org.path, detail: { year: input.year, statementId: inserted.rows[0]!.id } });
    return inserted.rows[0]!.id;
  });
  return toStatement((await db.execute<StatementRow>(sql`select ${statementColumns} from dues_statements s join orgs o on o.id = s.org_id where s.id = ${id}`)).rows[0]!);
}

export async function listStatements(db: Db, actor: Actor, orgId: string): Promise<{ items: PublishedStatement[] }> {
  const org = await managedOrg(db, actor, orgId, { allowDissolved: true });
  const rows = await db.execute<StatementRow>(sql`select ${statementColumns} from dues_statements s join orgs o on o.id = s.org_id
    where s.org_path <@ ${org.path}::ltree order by s.published_at desc, s.id desc limit 100`);
  return { items: rows.rows.map(toStatement) };
}

/* ---------- the member's own ---------- */

export async function myDues(db: Db, actor: Actor): Promise<MyDues> {
  if (!actor.memberId) throw forbidden('dues.members_only');
  const memberId = actor.memberId;
  const member = (await db.execute<{ org_path: string } & Row>(sql`select org_path::text from members where id = ${memberId}`)).rows[0];
  if (!member) throw forbidden('dues.members_only');
  const asOf = monthDate(currentMonth());
  const [bills, payments, reminders, statements, now] = await Promise.all([
    db.execute<BillRow>(sql`select ${billColumns} from ${billFrom} where b.member_id = ${memberId} order by b.month desc limit 36`),
    paymentsWhere(db, sql`p.member_id = ${memberId}`, sql`p.paid_on desc, p.id desc`, sql`limit 50`),
    db.execute<{ id: string; sent_at: string; unpaid_months: number; unpaid_fen: string; read_at: string | null } & Row>(sql`
      select id::text, sent_at::text, unpaid_months, unpaid_fen, read_at::text from dues_reminders where member_id = ${memberId} order by sent_at desc limit 20`),
    // the latest statement of each year of every org the member belongs to, from the branch up
    db.execute<StatementRow>(sql`select distinct on (s.org_id, s.year) ${statementColumns} from dues_statements s join orgs o on o.id = s.org_id
      where s.org_path @> ${member.org_path}::ltree order by s.org_id, s.year desc, s.published_at desc limit 20`),
    db.execute<{ due_fen: number | null; category: MyDues['category'] } & Row>(sql`select due_fen, category from (${pricedMonths(sql`select ${memberId}::bigint as member_id, ${asOf}::date as month`)}) p`),
  ]);
  const unpaidTotal = await db.execute<{ months: number; fen: string } & Row>(sql`select count(*)::int as months, coalesce(sum(due_fen - paid_fen), 0)::bigint as fen
    from dues_bills where member_id = ${memberId} and paid_fen < due_fen and month <= ${asOf}::date`);
  return {
    memberId,
    category: now.rows[0]?.category ?? null,
    monthlyFen: now.rows[0]?.due_fen == null ? null : n(now.rows[0].due_fen),
    unpaidMonths: n(unpaidTotal.rows[0]!.months),
    unpaidFen: n(unpaidTotal.rows[0]!.fen),
    bills: bills.rows.map(toBill),
    payments,
    reminders: reminders.rows.map((r) => ({ id: r.id, sentAt: new Date(r.sent_at).toISOString(), unpaidMonths: n(r.unpaid_months), unpaidFen: n(r.unpaid_fen), read: r.read_at != null })),
    statements: statements.rows.map(toStatement).sort((a, b) => b.year - a.year || b.publishedAt.localeCompare(a.publishedAt)),
  };
}

export async function markRemindersRead(db: Db, actor: Actor): Promise<{ ok: true }> {
  if (!actor.memberId) throw forbidden('dues.members_only');
  await db.execute(sql`update dues_reminders set read_at = now() where member_id = ${actor.memberId} and read_at is null`);
  return { ok: true };
}
