-- The daily quiz writes a submission, a ledger entry and three per-period totals for every member who
-- answers: tens of thousands a morning. A foreign key to members checks each of those rows by locking
-- the member's row (FOR KEY SHARE), which writes to the members table for every point awarded. Measured
-- on the city-scale data set (EXPLAIN ANALYZE of one award batch of 2,000 submissions): 696 ms with the
-- keys, 429 ms without the ledger's, 269–306 ms without the totals' as well; the submission's own check
-- took 0.4–0.65 ms of a 1.3 ms insert.
--
-- Members are never deleted by the platform (they leave: `left_at`), and every insert into these tables
-- reads the member row it refers to. What the keys still guarded, a member deleted under their points,
-- is refused by the trigger below, with the same error code as a foreign key.
alter table daily_quiz_submissions drop constraint daily_quiz_submissions_member_id_fkey;
alter table points_ledger drop constraint points_ledger_member_id_fkey;
alter table points_totals drop constraint points_totals_member_id_fkey;

create function members_keep_points() returns trigger
language plpgsql as $$
begin
  if exists (select 1 from points_ledger where member_id = old.id)
     or exists (select 1 from daily_quiz_submissions where member_id = old.id) then
    raise exception 'member % has points or daily-quiz submissions and cannot be deleted', old.id
      using errcode = 'foreign_key_violation';
  end if;
  -- (the per-period totals are sums of the ledger: a member without ledger entries has none)
  return old;
end
$$;

create trigger members_keep_points before delete on members
  for each row execute function members_keep_points();
