-- Leaderboards rank the members of a subtree by their totals of a period. Read through members, a
-- district's board visited every one of its ~16,000 members (or hashed the whole city's totals of
-- the period) and ranked them all: 88 ms of SQL per request at city scale.
-- Each total now carries its member's place: `path` is the member's org path and a dot, compared
-- byte-wise (collate "C"), as in member_search_postings, so a subtree's totals of a period are one
-- range of one btree (the subtree of 1.63 is ['1.63.', '1.63/')). Members who have left have none
-- (their totals stay, off every board). A board ranks the totals above zero on the scope's range;
-- the scope's members without points come after them, all of equal rank.
-- The path follows the member: set from members when a total is first written (the ledger's
-- trigger) and rewritten by a trigger on members when a member moves, leaves or returns. (A move
-- committed while the same member's first points of a new period are being written leaves that
-- one new row on the old path: each transaction sees the other's rows only after it commits. The
-- members' row is not locked for it: that lock on every award was the cost migration
-- 20261124100000 removed.)
-- `points` is in no index, so adding points stays a HOT update.
alter table points_totals add column path text collate "C";

update points_totals t set path = m.org_path::text || '.' from members m where m.id = t.member_id and m.left_at is null;

create index points_totals_scope on points_totals (period, period_start, path) where path is not null;
create index points_totals_member on points_totals (member_id);

create or replace function points_totals_add() returns trigger
language plpgsql as $$
begin
  insert into points_totals as t (period, period_start, member_id, points, path)
  select p.period, p.period_start, n.member_id, sum(n.points)::int,
         (select m.org_path::text || '.' from members m where m.id = n.member_id and m.left_at is null)
    from new_rows n
    cross join lateral points_periods(n.occurred_on) as p
   group by 1, 2, 3
   order by 1, 2, 3
  on conflict (period, period_start, member_id) do update set points = t.points + excluded.points;
  return null;
end
$$;

-- Rows are locked in the totals' key order, as the ledger's trigger locks them, so a move and an
-- award of the same member never deadlock.
create function points_totals_follow_members() returns trigger
language plpgsql as $$
begin
  with moved as (
    select n.id, case when n.left_at is null then n.org_path::text || '.' end as path
      from old_rows o join new_rows n on n.id = o.id
     where (o.org_path, o.left_at) is distinct from (n.org_path, n.left_at)
  ), locked as (
    select t.period, t.period_start, t.member_id, moved.path
      from points_totals t join moved on moved.id = t.member_id
     order by 1, 2, 3
       for update of t
  )
  update points_totals t set path = locked.path
    from locked
   where t.period = locked.period and t.period_start = locked.period_start and t.member_id = locked.member_id;
  return null;
end
$$;

create trigger members_points_totals_path after update on members
  referencing old table as old_rows new table as new_rows for each statement execute function points_totals_follow_members();

-- A board's length is every member of the scope who has not left, at any stage: kept beside the
-- party-member counts (migration 20261123110500) by the same triggers, so that no request counts
-- a district's members (20 ms at city scale, 160 ms for the whole city).
alter table org_member_counts
  add column members integer not null default 0,
  add column subtree_members integer not null default 0;

create function org_member_counts_apply(org_ids bigint[], paths ltree[], party_deltas integer[], member_deltas integer[]) returns void
language sql as $$
  with d as (
    select t.org_id, t.org_path, t.party, t.member from unnest(org_ids, paths, party_deltas, member_deltas) as t (org_id, org_path, party, member)
  ), own as (
    select d.org_id, sum(d.party)::int as party, sum(d.member)::int as member from d group by d.org_id
  ), sub as (
    select label::bigint as org_id, sum(d.party)::int as party, sum(d.member)::int as member
      from d cross join lateral unnest(string_to_array(ltree2text(d.org_path), '.')) as label group by 1
  ), total as (
    select coalesce(own.org_id, sub.org_id) as org_id, coalesce(own.party, 0) as own_party, coalesce(sub.party, 0) as sub_party,
           coalesce(own.member, 0) as own_member, coalesce(sub.member, 0) as sub_member
      from own full join sub on sub.org_id = own.org_id
  )
  insert into org_member_counts as c (org_id, party_members, subtree_party_members, members, subtree_members)
  select org_id, own_party, sub_party, own_member, sub_member from total
   where own_party <> 0 or sub_party <> 0 or own_member <> 0 or sub_member <> 0
   order by org_id
  on conflict (org_id) do update set party_members = c.party_members + excluded.party_members,
                                     subtree_party_members = c.subtree_party_members + excluded.subtree_party_members,
                                     members = c.members + excluded.members,
                                     subtree_members = c.subtree_members + excluded.subtree_members
$$;

create or replace function org_member_counts_sync() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    perform org_member_counts_apply(array_agg(n.org_id), array_agg(n.org_path), array_agg((n.stage in ('probationary', 'full'))::int), array_agg(1))
       from new_rows n where n.left_at is null
      having count(*) > 0;
  elsif tg_op = 'DELETE' then
    perform org_member_counts_apply(array_agg(o.org_id), array_agg(o.org_path), array_agg(-(o.stage in ('probationary', 'full'))::int), array_agg(-1))
       from old_rows o where o.left_at is null
      having count(*) > 0;
  else
    -- only rows whose counting changed: transfer, subtree move, stage, leaving (or coming back)
    perform org_member_counts_apply(array_agg(x.org_id), array_agg(x.org_path), array_agg(x.sign * x.party), array_agg(x.sign))
       from (
         select o.org_id, o.org_path, -1 as sign, (o.stage in ('probationary', 'full'))::int as party, o.left_at is null as active
           from old_rows o join new_rows n on n.id = o.id
          where (o.org_id, o.org_path, o.stage, o.left_at is null) is distinct from (n.org_id, n.org_path, n.stage, n.left_at is null)
         union all
         select n.org_id, n.org_path, 1 as sign, (n.stage in ('probationary', 'full'))::int as party, n.left_at is null as active
           from old_rows o join new_rows n on n.id = o.id
          where (o.org_id, o.org_path, o.stage, o.left_at is null) is distinct from (n.org_id, n.org_path, n.stage, n.left_at is null)
       ) x
      where x.active
     having count(*) > 0;
  end if;
  return null;
end
$$;

drop function org_member_counts_apply(bigint[], ltree[], integer[]);

insert into org_member_counts as c (org_id, members, subtree_members)
select o.id, coalesce(own.n, 0), coalesce(sub.n, 0)
  from orgs o
  left join (select m.org_id, count(*)::int as n from members m where m.left_at is null group by m.org_id) own on own.org_id = o.id
  left join (select label::bigint as org_id, count(*)::int as n
               from members m cross join lateral unnest(string_to_array(ltree2text(m.org_path), '.')) as label
              where m.left_at is null group by 1) sub on sub.org_id = o.id
 where own.n is not null or sub.n is not null
on conflict (org_id) do update set members = excluded.members, subtree_members = excluded.subtree_members;
