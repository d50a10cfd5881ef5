-- points_periods() was added to migration 20261123115000 after that migration had landed. A database
-- that ran the first version has the totals without the function, while the ledger trigger of
-- 20261124110000 calls it and 20261124120000 inserts into the ledger (plpgsql looks up the names a body
-- calls only when it runs): such a database stops at 20261124120000. This file is named to run before
-- it there; everywhere else it defines the same function again and changes nothing.
create or replace function points_periods(day date) returns table (period text, period_start date)
language sql immutable strict parallel safe as $$
  values ('week', date_trunc('week', day::timestamp)::date),
         ('month', date_trunc('month', day::timestamp)::date),
         ('year', date_trunc('year', day::timestamp)::date)
$$;
