-- A week's leaderboard is kept per process under version numbers (platform/epochs.ts, rowsKeptUnder), as the
-- 驾驶舱 and the 金点子 lists are: what it reads is points_week_ranks (kept from points_totals by its triggers, whose
-- writes bump 'points' already) and the names of members and orgs. The board's own table bumps 'points' as well,
-- so that a write to it that does not come from points_totals (an org's records re-derived after a move or a
-- merge, a repair by hand) also makes a kept board stale. Statement-level, also in replica mode.
create trigger points_week_ranks_dashboard_epoch after insert or update or delete or truncate on points_week_ranks
  for each statement execute function dashboard_epoch_bump('points');
alter table points_week_ranks enable always trigger points_week_ranks_dashboard_epoch;
