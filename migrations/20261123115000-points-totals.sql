-- Each member's points per week, month and year, kept by a trigger on the (append-only) ledger, so a
-- leaderboard reads one row per member instead of summing the period's entries: at city scale the daily
-- quiz alone writes ~70,000 entries a day, ~25 million a year.
-- Periods are calendar periods of the entry's date (occurred_on, China Standard Time): weeks start on Monday.
create table points_totals (
  period text not null check (period in ('week', 'month', 'year')),
  period_start date not null,
  member_id bigint not null references members (id) on delete cascade,
  points integer not null,
  primary key (period, period_start, member_id)
);

-- The three periods a day counts in: its week (from Monday), month and year. One definition for the
-- trigger, the backfill below, the scale seed and the bench's reset.
create function points_periods(day date) returns table (period text, period_start date)
language sql immutable strict parallel safe as $$
  values ('week', date_trunc('week', day::timestamp)::date),
         ('month', date_trunc('month', day::timestamp)::date),
         ('year', date_trunc('year', day::timestamp)::date)
$$;

-- Statement-level with a transition table: a bulk insert (seeders, a batch award) costs one aggregate and
-- one upsert. Rows are upserted in key order so concurrent awards never deadlock.
create function points_totals_add() returns trigger
language plpgsql as $$
begin
  insert into points_totals as t (period, period_start, member_id, points)
  select p.period, p.period_start, n.member_id, sum(n.points)::int
    from new_rows n
    cross join lateral points_periods(n.occurred_on) as p
   group by 1, 2, 3
   order by 1, 2, 3
  on conflict (period, period_start, member_id) do update set points = t.points + excluded.points;
  return null;
end
$$;

create trigger points_ledger_totals after insert on points_ledger
  referencing new table as new_rows for each statement execute function points_totals_add();

insert into points_totals (period, period_start, member_id, points)
select p.period, p.period_start, l.member_id, sum(l.points)::int
  from points_ledger l
  cross join lateral points_periods(l.occurred_on) as p
 group by 1, 2, 3;
