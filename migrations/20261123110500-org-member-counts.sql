-- Party members per org, kept by triggers on members, so that the org tree reads its subtree
-- counts instead of counting 250,000 members per request (bench: children of the root went from
-- ~400 ms of SQL to well under a millisecond).
--
-- A party member is a member at stage probationary or full who has not left (the count the org
-- tree shows; applicants, activists and candidates are the pipeline, not members).
create table org_member_counts (
  org_id bigint primary key references orgs (id) on delete cascade,
  -- on the org's own roll
  party_members integer not null default 0,
  -- the org and everything under it (members.org_path lists the org ids from the root)
  subtree_party_members integer not null default 0
);

-- Adds `delta` for each (org, path) to the org's own count and to the subtree count of every org
-- on the path. One upsert in org id order: concurrent writers lock the shared ancestors (the root
-- first) in the same order and so never deadlock on them.
create function org_member_counts_apply(org_ids bigint[], paths ltree[], deltas integer[]) returns void
language sql as $$
  with d as (
    select t.org_id, t.org_path, t.delta from unnest(org_ids, paths, deltas) as t (org_id, org_path, delta)
  ), own as (
    select d.org_id, sum(d.delta)::int as n from d group by d.org_id
  ), sub as (
    select label::bigint as org_id, sum(d.delta)::int as n
      from d cross join lateral unnest(string_to_array(ltree2text(d.org_path), '.')) as label group by 1
  ), total as (
    select coalesce(own.org_id, sub.org_id) as org_id, coalesce(own.n, 0) as own, coalesce(sub.n, 0) as sub
      from own full join sub on sub.org_id = own.org_id
  )
  insert into org_member_counts as c (org_id, party_members, subtree_party_members)
  select org_id, own, sub from total where own <> 0 or sub <> 0 order by org_id
  on conflict (org_id) do update set party_members = c.party_members + excluded.party_members,
                                     subtree_party_members = c.subtree_party_members + excluded.subtree_party_members
$$;

-- Statement-level with transition tables: a bulk insert of 10,000 members (import, seeders)
-- costs one aggregate and one upsert, not 10,000 row triggers updating the root's row.
create function org_member_counts_sync() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    perform org_member_counts_apply(array_agg(n.org_id), array_agg(n.org_path), array_agg(1))
       from new_rows n where n.stage in ('probationary', 'full') and n.left_at is null
      having count(*) > 0;
  elsif tg_op = 'DELETE' then
    perform org_member_counts_apply(array_agg(o.org_id), array_agg(o.org_path), array_agg(-1))
       from old_rows o where o.stage in ('probationary', 'full') and o.left_at is null
      having count(*) > 0;
  else
    -- only rows whose counting changed: transfer, subtree move, stage, leaving (or coming back)
    perform org_member_counts_apply(array_agg(x.org_id), array_agg(x.org_path), array_agg(x.delta))
       from (
         select o.org_id, o.org_path, -1 as delta, (o.stage in ('probationary', 'full') and o.left_at is null) as counted
           from old_rows o join new_rows n on n.id = o.id
          where (o.org_id, o.org_path, o.stage, o.left_at is null) is distinct from (n.org_id, n.org_path, n.stage, n.left_at is null)
         union all
         select n.org_id, n.org_path, 1 as delta, (n.stage in ('probationary', 'full') and n.left_at is null) as counted
           from old_rows o join new_rows n on n.id = o.id
          where (o.org_id, o.org_path, o.stage, o.left_at is null) is distinct from (n.org_id, n.org_path, n.stage, n.left_at is null)
       ) x
      where x.counted
     having count(*) > 0;
  end if;
  return null;
end
$$;

-- (PostgreSQL allows transition tables only on single-event triggers without column lists.)
create trigger members_count_insert after insert on members
  referencing new table as new_rows for each statement execute function org_member_counts_sync();
create trigger members_count_update after update on members
  referencing old table as old_rows new table as new_rows for each statement execute function org_member_counts_sync();
create trigger members_count_delete after delete on members
  referencing old table as old_rows for each statement execute function org_member_counts_sync();

insert into org_member_counts (org_id, party_members, subtree_party_members)
select o.id, coalesce(own.n, 0), coalesce(sub.n, 0)
  from orgs o
  left join (select m.org_id, count(*)::int as n from members m
              where m.stage in ('probationary', 'full') and m.left_at is null group by m.org_id) own on own.org_id = o.id
  left join (select label::bigint as org_id, count(*)::int as n
               from members m cross join lateral unnest(string_to_array(ltree2text(m.org_path), '.')) as label
              where m.stage in ('probationary', 'full') and m.left_at is null group by 1) sub on sub.org_id = o.id
 where own.n is not null or sub.n is not null;
