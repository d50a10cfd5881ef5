-- A week's leaderboard of a district ranked the district's ~12,000 totals of the week (one range of
-- points_totals_scope) on every request: read, sorted and counted, 20 ms of PostgreSQL a request at
-- city scale. Here each week total is kept once per org above the member (the labels of its path are
-- org ids: a member of a branch at depth 4 has four rows), ordered by points inside each org: a board's
-- page is one range of one btree read in rank order, and a member's rank is the count of the entries
-- above theirs on the same range.
-- The rows mirror the week totals exactly (points_totals, migration 20261124110000): written by
-- statement triggers on points_totals in the same transaction as the ledger's entry, so they follow a
-- member who moves or leaves (the totals' path does) and every correction. Months and years keep
-- reading points_totals: their boards are the member's own branch (the home page), a small range.
create table points_week_ranks (
  week_start date not null,
  org_id bigint not null,
  -- no foreign key: a member with points has ledger entries and cannot be deleted (the ledger's key)
  member_id bigint not null,
  points integer not null
);

insert into org_owned_columns (table_name, column_name, kind, refers_to, module, note) values
  ('points_week_ranks', 'org_id', 'derived', 'id', 'points', 'the orgs of the week total''s path, kept from points_totals by its triggers');

-- one row per org of the path ('1.42.900.' → 1, 42, 900)
create function points_week_ranks_rows(path text) returns setof bigint
language sql immutable strict parallel safe as $$
  select label::bigint from unnest(string_to_array(rtrim(path, '.'), '.')) as label
$$;

create function points_week_ranks_insert() returns trigger
language plpgsql as $$
begin
  insert into points_week_ranks (week_start, org_id, member_id, points)
  select n.period_start, o, n.member_id, n.points
    from new_rows n cross join lateral points_week_ranks_rows(n.path) as o
   where n.period = 'week' and n.path is not null
   order by 1, 3, 2;
  return null;
end
$$;

-- Updates come in two kinds: an award changes points (the ledger's upsert), a move or leaving changes
-- the path (follow_members; the member's rows of those weeks are replaced). Which kind is told by a set
-- difference, not by joining the old rows to the new ones.
-- PL/pgSQL keeps a statement's plan for the session, made on its first call: on a new site (and on
-- PGlite, which has no autovacuum, for ever) that is while this table and the transition tables are
-- nearly empty, and a join planned then stays a nested loop over the whole table per changed row (the
-- demo's year of awards: 22 s). So an award updates each changed week total's rows by the primary key
-- (enable_seqscan = off: the plan is an index scan however empty the table was; a total has one row per
-- org of its path, locked in key order), and a move, rare and bulk, is planned on each call (execute).
create function points_week_ranks_update() returns trigger
language plpgsql set enable_seqscan = off as $$
declare
  t record;
begin
  if exists (select n.period_start, n.member_id, n.path from new_rows n where n.period = 'week'
             except select o.period_start, o.member_id, o.path from old_rows o where o.period = 'week') then
    execute 'delete from points_week_ranks r using new_rows n
              where n.period = ''week'' and r.week_start = n.period_start and r.member_id = n.member_id';
    execute 'insert into points_week_ranks (week_start, org_id, member_id, points)
             select n.period_start, org, n.member_id, n.points
               from new_rows n cross join lateral points_week_ranks_rows(n.path) as org
              where n.period = ''week'' and n.path is not null
              order by 1, 3, 2';
  else
    for t in select n.period_start, n.member_id, n.points from new_rows n where n.period = 'week' order by 1, 2 loop
      update points_week_ranks r set points = t.points
       where r.week_start = t.period_start and r.member_id = t.member_id and r.points <> t.points;
    end loop;
  end if;
  return null;
end
$$;

create trigger points_totals_week_ranks_insert after insert on points_totals
  referencing new table as new_rows for each statement execute function points_week_ranks_insert();
create trigger points_totals_week_ranks_update after update on points_totals
  referencing old table as old_rows new table as new_rows for each statement execute function points_week_ranks_update();

insert into points_week_ranks (week_start, org_id, member_id, points)
select t.period_start, o, t.member_id, t.points
  from points_totals t cross join lateral points_week_ranks_rows(t.path) as o
 where t.period = 'week' and t.path is not null;

-- keys after the backfill: one sort each instead of millions of index insertions
alter table points_week_ranks add primary key (week_start, member_id, org_id);
create index points_week_ranks_board on points_week_ranks (week_start, org_id, points desc, member_id);
analyze points_week_ranks;
