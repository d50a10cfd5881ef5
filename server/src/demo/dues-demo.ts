import { sql } from 'drizzle-orm';
import { chinaDate } from '../../../contracts/china-time.js';
import type { Tx } from '../platform/db.js';
import { insertBills } from '../modules/dues/ledger.js';
import { payingMember, pricedMonths } from '../modules/dues/pricing.js';

interface Place { id: string; path: string }

/**
 * A year of 党费 at demo size, consistent with the tree: bases for every paying member (retirees by
 * pension, the rest by wage), bills from January to this month, payments by quarter (cash, payroll
 * deduction or transfer) with a few members behind and a few six months behind, a proxy payment
 * with a voluntary extra in the demo branch, a reduction waiting for the bureau and an approved
 * exemption, monthly remittances of the finance bureau's branches (most confirmed), its expenses,
 * and reminders to those in arrears. All set-based: a few statements for ~2,000 members.
 */
export async function seedDuesDemo(tx: Tx, places: { root: Place; committee: Place; branch: Place }, users: { admin: string; bureau: string; secretary: string }, memberOfDemo: string): Promise<void> {
  const today = chinaDate(Date.now());
  const year = Number(today.slice(0, 4));
  const thisMonth = today.slice(0, 7);
  await tx.execute(sql`
    insert into dues_bases (member_id, year, effective_month, category, base_fen, set_by)
    select m.id, ${year}, make_date(${year}, 1, 1),
           case when m.post = '退休干部' then 'retired' else 'employed' end,
           case when m.post = '退休干部' then 400000 + (m.id * 7919) % 500000 else 450000 + (m.id * 104729) % 1150000 end,
           ${users.admin}
      from members m where m.org_path <@ ${places.root.path}::ltree and m.left_at is null and m.stage in ('probationary', 'full')`);
  // an exemption approved by the bureau (the demo branch's second member, months of illness), a reduction waiting;
  // decided before the bills are made, so the bills of the exempt months are priced at nothing, as generateBills prices them
  const [sick, struggling] = (await tx.execute<{ id: string } & Record<string, unknown>>(sql`
    select id::text from members where org_id = ${places.branch.id} and left_at is null and stage = 'full' and id <> ${memberOfDemo} order by id offset 1 limit 2`)).rows.map((r) => r.id);
  if (sick && struggling) {
    await tx.execute(sql`insert into dues_reductions (member_id, org_id, org_path, kind, monthly_fen, from_month, to_month, reason, decided_on, status, requested_by, reviewed_by, reviewed_at, review_note) values
      (${sick}, ${places.branch.id}, ${places.branch.path}::ltree, 'exempt', null, make_date(${year}, 3, 1), make_date(${year}, 8, 1), '重病住院治疗，家庭生活困难', make_date(${year}, 2, 26), 'approved', ${users.secretary}, ${users.bureau}, make_date(${year}, 3, 2), '经机关党委研究，同意免交'),
      (${struggling}, ${places.branch.id}, ${places.branch.path}::ltree, 'reduce', 500, ${`${thisMonth}-01`}::date, make_date(${year}, 12, 1), '配偶失业，子女上学，收入锐减', ${today}::date, 'pending', ${users.secretary}, null, null, null)`);
  }

  // the months before this one, priced as generateBills prices them, and paid by quarter (cash, payroll deduction or
  // transfer): one in twenty is two months behind, one in ninety-seven has not paid since January. One statement writes
  // each bill with what its payment's lines cover, so no bill is written twice.
  const thisMonthStart = `${thisMonth}-01`;
  await tx.execute(sql`
    with priced as (${pricedMonths(sql`
      select m.id as member_id, m.org_id, m.org_path, mo.month from members m
        cross join lateral (select g::date as month from generate_series(make_date(${year}, 1, 1), ${thisMonthStart}::date - interval '1 month', interval '1 month') g) mo
       where m.org_path <@ ${places.root.path}::ltree and ${payingMember('m', sql`mo.month`)}`)}),
    bills as (
      insert into dues_bills (member_id, org_id, org_path, month, category, base_fen, rate_bp, rule_id, reduction_id, due_fen, paid_fen, generated_by)
      select member_id, org_id, org_path, month, category, base_fen, rate_bp, rule_id, reduction_id, due_fen,
             case when due_fen > 0 and member_id % 97 <> 0 and not (member_id % 20 = 0 and month >= ${thisMonthStart}::date - interval '2 months') then due_fen else 0 end,
             ${users.admin}
        from priced where due_fen is not null
      returning id, member_id, org_id, org_path, month, paid_fen),
    groups as (
      select member_id, min(org_id) as org_id, min(org_path::text)::ltree as org_path, sum(paid_fen) as total, max(month) as last_month,
             array_agg(id) as bill_ids, array_agg(paid_fen) as amounts,
             nextval(pg_get_serial_sequence('dues_payments', 'id')) as payment_id,
             'DF' || ${String(year)} || '-' || lpad(nextval('dues_receipt_seq')::text, 8, '0') as receipt_no
        from bills where paid_fen > 0 group by member_id, date_trunc('quarter', month)),
    payments as (
      insert into dues_payments (id, receipt_no, member_id, org_id, org_path, kind, method, paid_on, total_fen, recorded_by) overriding system value
      select payment_id, receipt_no, member_id, org_id, org_path, 'payment',
             (array['cash', 'payroll', 'transfer'])[1 + member_id % 3],
             least(last_month + interval '1 month' + (member_id % 9) * interval '1 day', ${today}::date - 1)::date, total, ${users.secretary}
        from groups)
    insert into dues_payment_lines (payment_id, kind, bill_id, amount_fen)
    select g.payment_id, 'dues', l.bill_id, l.amount from groups g cross join lateral unnest(g.bill_ids, g.amounts) as l(bill_id, amount)`);
  // this month's bills, made by the statement behind generateBills; nearly all still to pay
  await insertBills(tx, places.root.path, thisMonth, thisMonth, users.admin);

  // in the demo branch: a member away pays this month through a colleague, with a voluntary extra
  const away = (await tx.execute<{ id: string; bill: string; due: number } & Record<string, unknown>>(sql`
    select m.id::text, b.id::text as bill, b.due_fen as due from members m join dues_bills b on b.member_id = m.id and b.month = ${`${thisMonth}-01`}::date
     where m.org_id = ${places.branch.id} and m.id <> ${memberOfDemo} and b.due_fen > 0 and b.paid_fen = 0 order by m.id desc limit 1`)).rows[0];
  if (away) {
    const receipt = (await tx.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into dues_payments (receipt_no, member_id, org_id, org_path, kind, method, paid_on, proxy_name, note, total_fen, extra_fen, recorded_by)
      values ('DF' || ${String(year)} || '-' || lpad(nextval('dues_receipt_seq')::text, 8, '0'), ${away.id}, ${places.branch.id}, ${places.branch.path}::ltree, 'payment', 'cash', ${today},
              '同处室同事代缴', '本人援疆，委托代缴', ${Number(away.due) + 10_000}, 10000, ${users.secretary})
      returning id::text`)).rows[0]!;
    await tx.execute(sql`insert into dues_payment_lines (payment_id, kind, bill_id, amount_fen) values (${receipt.id}, 'dues', ${away.bill}, ${away.due}), (${receipt.id}, 'extra', null, 10000)`);
    await tx.execute(sql`update dues_bills set paid_fen = due_fen where id = ${away.bill}`);
  }

  // the finance bureau's orgs remit each past month's collection to the level above; the bureau confirmed all but the last
  await tx.execute(sql`
    insert into dues_remittances (from_org_id, from_org_path, to_org_id, to_org_path, month, amount_fen, remitted_on, method, reference, status, created_by, confirmed_by, confirmed_at)
    select o.id, o.path, p.id, p.path, t.month, sum(t.paid_fen + t.extra_fen), least(t.month + interval '1 month' + interval '4 days', ${today}::date - 1)::date, 'transfer',
           'HB' || to_char(t.month, 'YYYYMM') || lpad(o.id::text, 6, '0'),
           case when t.month < ${`${thisMonth}-01`}::date - interval '1 month' then 'confirmed' else 'sent' end, ${users.secretary},
           case when t.month < ${`${thisMonth}-01`}::date - interval '1 month' then ${users.bureau}::bigint end,
           case when t.month < ${`${thisMonth}-01`}::date - interval '1 month' then now() end
      from orgs o join orgs p on p.id = o.parent_id
      join dues_month_totals t on t.org_id = o.id and t.month < ${`${thisMonth}-01`}::date
     where o.parent_id = ${places.committee.id} and o.dissolved_at is null
     group by o.id, o.path, p.id, p.path, t.month having sum(t.paid_fen + t.extra_fen) > 0`);
  await tx.execute(sql`insert into dues_expenditures (org_id, org_path, spent_on, purpose, amount_fen, description, voucher_no, recorded_by) values
    (${places.committee.id}, ${places.committee.path}::ltree, make_date(${year}, 3, 18), 'training', 1860000, '新任党支部书记培训班', 'PZ-${sql.raw(String(year))}-031', ${users.bureau}),
    (${places.committee.id}, ${places.committee.path}::ltree, make_date(${year}, 6, 28), 'hardship', 600000, '“七一”走访慰问生活困难党员 6 名', 'PZ-${sql.raw(String(year))}-067', ${users.bureau}),
    (${places.committee.id}, ${places.committee.path}::ltree, make_date(${year}, 1, 8), 'materials', 456000, '订阅《求是》《党建》等党报党刊', 'PZ-${sql.raw(String(year))}-004', ${users.bureau})`);
  // reminders to the demo branch's members in arrears
  await tx.execute(sql`
    insert into dues_reminders (member_id, org_id, org_path, unpaid_months, unpaid_fen, sent_by, sent_at)
    select b.member_id, min(m.org_id), min(m.org_path::text)::ltree, count(*), sum(b.due_fen - b.paid_fen), ${users.secretary}, now() - interval '2 days'
      from dues_bills b join members m on m.id = b.member_id
     where b.org_path <@ ${places.branch.path}::ltree and b.paid_fen < b.due_fen and b.month < ${`${thisMonth}-01`}::date
     group by b.member_id`);
}
