-- 党费: the collection, use and management of party dues by the 2008 regulation
-- (《关于中国共产党党费收缴、使用和管理的规定》, 中组发〔2008〕3号). Money in integer fen throughout.

/*
 * The rates are data with a validity period, so that a future change of rates prices the months from
 * its start and never rewrites a bill already made. A bracket applies its rate to the whole base
 * (not progressively): base > above_fen and base <= up_to_fen (open when null). A fixed rule charges
 * fixed_fen a month; a ranged rule (rural members: 0.20–1 元) lets the branch choose within
 * [min_fen, max_fen] per member.
 */
create table dues_rate_rules (
  id bigint generated always as identity primary key,
  category text not null check (category in ('employed', 'retired', 'student', 'unemployed', 'relief', 'rural')),
  valid_from date not null,
  -- last day in force; open when null
  valid_to date,
  above_fen bigint not null default 0,
  up_to_fen bigint,
  -- ten-thousandths of the base (0.5% = 50)
  rate_bp int check (rate_bp between 1 and 10000),
  fixed_fen int check (fixed_fen >= 0),
  min_fen int,
  max_fen int,
  note text,
  check ((rate_bp is not null)::int + (fixed_fen is not null)::int + (min_fen is not null and max_fen is not null)::int = 1),
  check (valid_to is null or valid_to >= valid_from)
);
create index dues_rate_rules_lookup on dues_rate_rules (category, valid_from);

insert into dues_rate_rules (category, valid_from, above_fen, up_to_fen, rate_bp, fixed_fen, min_fen, max_fen, note) values
  ('employed',   '2008-04-01', 0,       300000,  50,   null, null, null, '在职党员 税后月工资收入 3000 元以下（含）0.5%'),
  ('employed',   '2008-04-01', 300000,  500000,  100,  null, null, null, '3000 元以上至 5000 元（含）1%'),
  ('employed',   '2008-04-01', 500000,  1000000, 150,  null, null, null, '5000 元以上至 10000 元（含）1.5%'),
  ('employed',   '2008-04-01', 1000000, null,    200,  null, null, null, '10000 元以上 2%'),
  ('retired',    '2008-04-01', 0,       500000,  50,   null, null, null, '离退休党员 月养老金 5000 元以下（含）0.5%'),
  ('retired',    '2008-04-01', 500000,  null,    100,  null, null, null, '5000 元以上 1%'),
  ('student',    '2008-04-01', 0,       null,    null, 20,   null, null, '学生党员 每月 0.2 元'),
  ('unemployed', '2008-04-01', 0,       null,    null, 20,   null, null, '下岗失业党员 每月 0.2 元'),
  ('relief',     '2008-04-01', 0,       null,    null, 20,   null, null, '依靠抚恤或救济生活、领取最低生活保障金的党员 每月 0.2 元'),
  ('rural',      '2008-04-01', 0,       null,    null, null, 20,   100,  '农民党员 每月 0.2 元至 1 元');

/*
 * The base of a member for a year, set once (usually in January). A change during the year, decided
 * by the branch, is a new row from the month it takes effect; the bill of a month uses the latest
 * row in force.
 */
create table dues_bases (
  id bigint generated always as identity primary key,
  member_id bigint not null references members (id),
  year int not null check (year between 2000 and 2199),
  effective_month date not null,
  category text not null check (category in ('employed', 'retired', 'student', 'unemployed', 'relief', 'rural')),
  -- monthly after-tax wage or pension (employed, retired)
  base_fen bigint check (base_fen >= 0),
  -- the chosen monthly amount (rural)
  chosen_fen int check (chosen_fen >= 0),
  decided_on date,
  note text,
  set_by bigint references users (id),
  set_at timestamptz not null default now(),
  unique (member_id, effective_month),
  check (extract(year from effective_month) = year and extract(day from effective_month) = 1)
);

/*
 * Reduction or exemption for real hardship: decided by the branch committee (decided_on), approved
 * by the level above. The request stays with the branch that made it.
 */
create table dues_reductions (
  id bigint generated always as identity primary key,
  member_id bigint not null references members (id),
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  kind text not null check (kind in ('reduce', 'exempt')),
  monthly_fen int check (monthly_fen >= 0),
  from_month date not null,
  to_month date not null,
  reason text not null,
  decided_on date not null,
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
  requested_by bigint references users (id),
  requested_at timestamptz not null default now(),
  reviewed_by bigint references users (id),
  reviewed_at timestamptz,
  review_note text,
  check (to_month >= from_month),
  check ((kind = 'reduce') = (monthly_fen is not null))
);
create index dues_reductions_org_path on dues_reductions using gist (org_path);
create index dues_reductions_member on dues_reductions (member_id, from_month);

/* One bill a member a month, priced when it is made and never re-priced once anything is paid on it. */
create table dues_bills (
  id bigint generated always as identity primary key,
  member_id bigint not null references members (id),
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  month date not null check (extract(day from month) = 1),
  category text not null,
  base_fen bigint,
  rate_bp int,
  rule_id bigint references dues_rate_rules (id),
  reduction_id bigint references dues_reductions (id),
  due_fen int not null check (due_fen >= 0),
  -- the sum of the ledger's lines on this bill, kept in the payment's transaction (reversals subtract)
  paid_fen bigint not null default 0 check (paid_fen >= 0 and paid_fen <= due_fen),
  generated_by bigint references users (id),
  generated_at timestamptz not null default now(),
  unique (member_id, month)
);
create index dues_bills_org_path on dues_bills using gist (org_path);
create index dues_bills_month_org on dues_bills (month, org_id);
-- arrears read only the unpaid bills of a subtree
create index dues_bills_unpaid on dues_bills using gist (org_path) where paid_fen < due_fen;

/*
 * The ledger: one payment (a receipt) covers one member's months, a voluntary extra and a one-off
 * special payment; corrections are reversal entries. Append-only: only the org columns change, when
 * the org moves or merges.
 */
create table dues_payments (
  id bigint generated always as identity primary key,
  receipt_no text not null unique,
  member_id bigint not null references members (id),
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  kind text not null check (kind in ('payment', 'reversal')),
  method text not null check (method in ('cash', 'transfer', 'payroll', 'online')),
  paid_on date not null,
  -- who handed it in for a member away (代缴); null when the member paid in person
  proxy_name text,
  reference text,
  note text,
  total_fen bigint not null,
  -- the voluntary extra and the one-off special amount among the lines, for the month's totals
  extra_fen bigint not null default 0,
  special_fen bigint not null default 0,
  reverses_id bigint unique references dues_payments (id),
  recorded_by bigint references users (id),
  recorded_at timestamptz not null default now(),
  check ((kind = 'reversal') = (reverses_id is not null))
);
create index dues_payments_org_path on dues_payments using gist (org_path);
create index dues_payments_member on dues_payments (member_id, id);
create index dues_payments_org_paid on dues_payments (org_id, paid_on);

create sequence dues_receipt_seq;

create table dues_payment_lines (
  id bigint generated always as identity primary key,
  payment_id bigint not null references dues_payments (id),
  kind text not null check (kind in ('dues', 'extra', 'special')),
  bill_id bigint references dues_bills (id),
  amount_fen bigint not null,
  check ((kind = 'dues') = (bill_id is not null))
);
create index dues_payment_lines_payment on dues_payment_lines (payment_id);
create index dues_payment_lines_bill on dues_payment_lines (bill_id) where bill_id is not null;

create function dues_ledger_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and (to_jsonb(new) - 'org_id' - 'org_path') = (to_jsonb(old) - 'org_id' - 'org_path') then
    return new;
  end if;
  raise exception '% is append-only: correct an entry by a reversal', tg_table_name using errcode = 'insufficient_privilege';
end $$;
create trigger dues_payments_append_only before update or delete on dues_payments
  for each row execute function dues_ledger_append_only();
create trigger dues_payment_lines_append_only before update or delete on dues_payment_lines
  for each row execute function dues_ledger_append_only();

/*
 * Per org and month, the totals of its whole subtree: what the accounts and the annual statement
 * read, so that a district's month is a score of rows by primary key instead of every bill. Derived:
 * kept by the statement-level triggers below from dues_bills and dues_payments in the same
 * transaction. A row counts for every org on its org_path (paths are the ids from the top), so when
 * a move or merge rewrites a bill's path the update takes the amounts from the old ancestors and
 * gives them to the new. Changes are applied in key order, so concurrent writers do not deadlock.
 */
create table dues_month_totals (
  org_id bigint not null references orgs (id),
  month date not null,
  due_fen bigint not null default 0,
  paid_fen bigint not null default 0,
  bill_count int not null default 0,
  paid_count int not null default 0,
  extra_fen bigint not null default 0,
  special_fen bigint not null default 0,
  -- the org's own remittances of the month (not its subtree's): sent upward, of which confirmed, received from below
  remitted_fen bigint not null default 0,
  remitted_confirmed_fen bigint not null default 0,
  received_fen bigint not null default 0,
  primary key (org_id, month)
);

-- PostgreSQL wants one trigger per event when transition tables are used
create function dues_bills_totals_insert() returns trigger language plpgsql as $$
begin
  insert into dues_month_totals as t (org_id, month, due_fen, paid_fen, bill_count, paid_count)
  select a.org_id, g.month, sum(g.due), sum(g.paid), sum(g.n), sum(g.paid_n)
    from (select org_path, month, sum(due_fen) as due, sum(paid_fen) as paid, count(*) as n, count(*) filter (where paid_fen >= due_fen) as paid_n
            from new_rows group by org_path, month) g
    cross join lateral unnest(string_to_array(g.org_path::text, '.')::bigint[]) as a(org_id)
   group by a.org_id, g.month order by a.org_id, g.month
  on conflict (org_id, month) do update set due_fen = t.due_fen + excluded.due_fen, paid_fen = t.paid_fen + excluded.paid_fen,
    bill_count = t.bill_count + excluded.bill_count, paid_count = t.paid_count + excluded.paid_count;
  return null;
end $$;
create trigger dues_bills_totals_insert after insert on dues_bills
  referencing new table as new_rows for each statement execute function dues_bills_totals_insert();

create function dues_bills_totals_update() returns trigger language plpgsql as $$
begin
  insert into dues_month_totals as t (org_id, month, due_fen, paid_fen, bill_count, paid_count)
  select a.org_id, g.month, sum(g.due), sum(g.paid), sum(g.n), sum(g.paid_n)
    from (select org_path, month, sum(due_fen) as due, sum(paid_fen) as paid, sum(n) as n, sum(paid_n) as paid_n
            from (select org_path, month, due_fen, paid_fen, 1 as n, (paid_fen >= due_fen)::int as paid_n from new_rows
                  union all
                  select org_path, month, -due_fen, -paid_fen, -1, -(paid_fen >= due_fen)::int from old_rows) d
           group by org_path, month) g
    cross join lateral unnest(string_to_array(g.org_path::text, '.')::bigint[]) as a(org_id)
   group by a.org_id, g.month
  having sum(g.due) <> 0 or sum(g.paid) <> 0 or sum(g.n) <> 0 or sum(g.paid_n) <> 0
   order by a.org_id, g.month
  on conflict (org_id, month) do update set due_fen = t.due_fen + excluded.due_fen, paid_fen = t.paid_fen + excluded.paid_fen,
    bill_count = t.bill_count + excluded.bill_count, paid_count = t.paid_count + excluded.paid_count;
  return null;
end $$;
create trigger dues_bills_totals_update after update on dues_bills
  referencing old table as old_rows new table as new_rows for each statement execute function dues_bills_totals_update();

create function dues_payments_totals_insert() returns trigger language plpgsql as $$
begin
  insert into dues_month_totals as t (org_id, month, extra_fen, special_fen)
  select a.org_id, g.month, sum(g.extra), sum(g.special)
    from (select org_path, date_trunc('month', paid_on)::date as month, sum(extra_fen) as extra, sum(special_fen) as special
            from new_rows where extra_fen <> 0 or special_fen <> 0 group by 1, 2) g
    cross join lateral unnest(string_to_array(g.org_path::text, '.')::bigint[]) as a(org_id)
   group by a.org_id, g.month order by a.org_id, g.month
  on conflict (org_id, month) do update set extra_fen = t.extra_fen + excluded.extra_fen, special_fen = t.special_fen + excluded.special_fen;
  return null;
end $$;
create trigger dues_payments_totals_insert after insert on dues_payments
  referencing new table as new_rows for each statement execute function dues_payments_totals_insert();

create function dues_payments_totals_update() returns trigger language plpgsql as $$
begin
  insert into dues_month_totals as t (org_id, month, extra_fen, special_fen)
  select a.org_id, g.month, sum(g.extra), sum(g.special)
    from (select org_path, month, sum(extra_fen) as extra, sum(special_fen) as special
            from (select org_path, date_trunc('month', paid_on)::date as month, extra_fen, special_fen from new_rows
                  union all
                  select org_path, date_trunc('month', paid_on)::date, -extra_fen, -special_fen from old_rows) d
           where extra_fen <> 0 or special_fen <> 0 group by 1, 2) g
    cross join lateral unnest(string_to_array(g.org_path::text, '.')::bigint[]) as a(org_id)
   group by a.org_id, g.month
  having sum(g.extra) <> 0 or sum(g.special) <> 0
   order by a.org_id, g.month
  on conflict (org_id, month) do update set extra_fen = t.extra_fen + excluded.extra_fen, special_fen = t.special_fen + excluded.special_fen;
  return null;
end $$;
create trigger dues_payments_totals_update after update on dues_payments
  referencing old table as old_rows new table as new_rows for each statement execute function dues_payments_totals_update();

/* 上缴: what an org passes to the level above for a month; the receiving org confirms. */
create table dues_remittances (
  id bigint generated always as identity primary key,
  from_org_id bigint not null references orgs (id),
  from_org_path ltree not null,
  to_org_id bigint not null references orgs (id),
  to_org_path ltree not null,
  month date not null check (extract(day from month) = 1),
  amount_fen bigint not null check (amount_fen > 0),
  -- the part made of one-off special payments, to be passed on in full to the top of the tree
  special_fen bigint not null default 0 check (special_fen >= 0 and special_fen <= amount_fen),
  remitted_on date not null,
  method text not null check (method in ('cash', 'transfer')),
  reference text,
  note text,
  status text not null default 'sent' check (status in ('sent', 'confirmed')),
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  confirmed_by bigint references users (id),
  confirmed_at timestamptz
);
create index dues_remittances_from on dues_remittances using gist (from_org_path);
create index dues_remittances_to on dues_remittances using gist (to_org_path);
create index dues_remittances_from_month on dues_remittances (from_org_id, month);
create index dues_remittances_to_month on dues_remittances (to_org_id, month);

-- the month totals' remittance columns, for the sending and the receiving org (a merge rewrites their ids: old out, new in)
create function dues_remittances_totals() returns trigger language plpgsql as $$
begin
  insert into dues_month_totals as t (org_id, month, remitted_fen, remitted_confirmed_fen, received_fen)
  select org_id, month, sum(remitted), sum(confirmed), sum(received)
    from (select from_org_id as org_id, month, amount_fen as remitted, case when status = 'confirmed' then amount_fen else 0 end as confirmed, 0 as received from new_rows
          union all select to_org_id, month, 0, 0, amount_fen from new_rows
          union all select from_org_id, month, -amount_fen, case when status = 'confirmed' then -amount_fen else 0 end, 0 from old_rows
          union all select to_org_id, month, 0, 0, -amount_fen from old_rows) d
   group by org_id, month
  having sum(remitted) <> 0 or sum(confirmed) <> 0 or sum(received) <> 0
   order by org_id, month
  on conflict (org_id, month) do update set remitted_fen = t.remitted_fen + excluded.remitted_fen,
    remitted_confirmed_fen = t.remitted_confirmed_fen + excluded.remitted_confirmed_fen, received_fen = t.received_fen + excluded.received_fen;
  return null;
end $$;
create function dues_remittances_totals_insert() returns trigger language plpgsql as $$
begin
  insert into dues_month_totals as t (org_id, month, remitted_fen, remitted_confirmed_fen, received_fen)
  select org_id, month, sum(remitted), sum(confirmed), sum(received)
    from (select from_org_id as org_id, month, amount_fen as remitted, case when status = 'confirmed' then amount_fen else 0 end as confirmed, 0 as received from new_rows
          union all select to_org_id, month, 0, 0, amount_fen from new_rows) d
   group by org_id, month order by org_id, month
  on conflict (org_id, month) do update set remitted_fen = t.remitted_fen + excluded.remitted_fen,
    remitted_confirmed_fen = t.remitted_confirmed_fen + excluded.remitted_confirmed_fen, received_fen = t.received_fen + excluded.received_fen;
  return null;
end $$;
create trigger dues_remittances_totals_insert after insert on dues_remittances
  referencing new table as new_rows for each statement execute function dues_remittances_totals_insert();
create trigger dues_remittances_totals_update after update on dues_remittances
  referencing old table as old_rows new table as new_rows for each statement execute function dues_remittances_totals();

/* 党费使用: spending by an org, for the annual statement. Append-only; corrected by a negative entry. */
create table dues_expenditures (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  spent_on date not null,
  purpose text not null check (purpose in ('training', 'materials', 'hardship', 'commendation', 'relief', 'other')),
  amount_fen bigint not null check (amount_fen <> 0),
  description text not null,
  voucher_no text,
  reverses_id bigint unique references dues_expenditures (id),
  recorded_by bigint references users (id),
  recorded_at timestamptz not null default now()
);
create index dues_expenditures_org_path on dues_expenditures using gist (org_path);
create trigger dues_expenditures_append_only before update or delete on dues_expenditures
  for each row execute function dues_ledger_append_only();

/* A bank statement checked against the org's records: the result is kept, with the file's lines. */
create table dues_reconciliations (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  from_date date not null,
  to_date date not null,
  file_name text not null,
  result jsonb not null,
  created_by bigint references users (id),
  created_at timestamptz not null default now()
);
create index dues_reconciliations_org_path on dues_reconciliations using gist (org_path);

/* 公示: the year's statement of collection and use, frozen when published within the tree. */
create table dues_statements (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  year int not null,
  figures jsonb not null,
  published_by bigint references users (id),
  published_at timestamptz not null default now()
);
create index dues_statements_org_path on dues_statements using gist (org_path);

/* 催缴: a reminder in the member's dues inbox, made for a whole arrears list in one statement. */
create table dues_reminders (
  id bigint generated always as identity primary key,
  member_id bigint not null references members (id),
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  unpaid_months int not null,
  unpaid_fen bigint not null,
  sent_by bigint references users (id),
  sent_at timestamptz not null default now(),
  read_at timestamptz
);
create index dues_reminders_member on dues_reminders (member_id, sent_at desc);
create index dues_reminders_org_path on dues_reminders using gist (org_path);

insert into org_owned_columns (table_name, column_name, kind, refers_to, merge_key, module, note) values
  ('dues_reductions', 'org_id', 'carried', 'id', '{}', 'dues', null),
  ('dues_reductions', 'org_path', 'carried', 'path', '{}', 'dues', null),
  ('dues_bills', 'org_id', 'carried', 'id', '{}', 'dues', 'the org that collects the month'),
  ('dues_bills', 'org_path', 'carried', 'path', '{}', 'dues', null),
  ('dues_payments', 'org_id', 'carried', 'id', '{}', 'dues', 'the ledger lets only these columns change'),
  ('dues_payments', 'org_path', 'carried', 'path', '{}', 'dues', null),
  ('dues_remittances', 'from_org_id', 'carried', 'id', '{}', 'dues', null),
  ('dues_remittances', 'from_org_path', 'carried', 'path', '{}', 'dues', null),
  ('dues_remittances', 'to_org_id', 'carried', 'id', '{}', 'dues', null),
  ('dues_remittances', 'to_org_path', 'carried', 'path', '{}', 'dues', null),
  ('dues_expenditures', 'org_id', 'carried', 'id', '{}', 'dues', null),
  ('dues_expenditures', 'org_path', 'carried', 'path', '{}', 'dues', null),
  ('dues_reconciliations', 'org_id', 'carried', 'id', '{}', 'dues', null),
  ('dues_reconciliations', 'org_path', 'carried', 'path', '{}', 'dues', null),
  ('dues_statements', 'org_id', 'carried', 'id', '{}', 'dues', null),
  ('dues_statements', 'org_path', 'carried', 'path', '{}', 'dues', null),
  ('dues_month_totals', 'org_id', 'derived', 'id', '{}', 'dues', 'subtree totals kept by the dues_bills and dues_payments triggers from their org_path'),
  ('dues_reminders', 'org_id', 'carried', 'id', '{}', 'dues', null),
  ('dues_reminders', 'org_path', 'carried', 'path', '{}', 'dues', null);

/*
 * Online payment through a provider the site plugs in (the platform ships the interface, no
 * provider): an order for a member's months, paid when the provider's signed notification arrives.
 */
create table dues_online_orders (
  id bigint generated always as identity primary key,
  order_no text not null unique,
  member_id bigint not null references members (id),
  bill_ids bigint[] not null,
  amount_fen bigint not null check (amount_fen > 0),
  provider text not null,
  status text not null default 'created' check (status in ('created', 'paid')),
  payment_id bigint references dues_payments (id),
  created_at timestamptz not null default now(),
  paid_at timestamptz
);
create index dues_online_orders_member on dues_online_orders (member_id, created_at desc);
