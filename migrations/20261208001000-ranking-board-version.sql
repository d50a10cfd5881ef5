-- A board's version. A 赛马 board is opened by every org of its campaign and changes only when a period
-- is computed (or its campaign, its orgs' names or places change), so each process keeps what a board
-- shows under the version it read (rankings/service.ts getBoard) and a request reads one row of
-- ranking_periods to know whether that copy is still the board. Everything a kept board holds counts
-- the version up when it changes: the results (computing; a merge carries them to the survivor), the
-- campaign (its name, its org's place), its dimensions, peer groups and their orgs, and the names of the
-- orgs on the board or running the campaign. The period's own label, status and publication are read
-- with the version and are not kept.
alter table ranking_periods add column board_version bigint not null default 0;

create function ranking_board_touch_results() returns trigger
language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    update ranking_periods p set board_version = p.board_version + 1 where p.id in (select distinct period_id from old_rows);
  else
    update ranking_periods p set board_version = p.board_version + 1 where p.id in (select distinct period_id from new_rows);
  end if;
  return null;
end
$$;
create trigger ranking_results_board_insert after insert on ranking_results
  referencing new table as new_rows for each statement execute function ranking_board_touch_results();
create trigger ranking_results_board_update after update on ranking_results
  referencing new table as new_rows for each statement execute function ranking_board_touch_results();
create trigger ranking_results_board_delete after delete on ranking_results
  referencing old table as old_rows for each statement execute function ranking_board_touch_results();

-- the ranked orgs of a campaign are written two thousand at a time: once per statement
create function ranking_board_touch_members() returns trigger
language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    update ranking_periods p set board_version = p.board_version + 1 where p.campaign_id in (select distinct campaign_id from old_rows);
  else
    update ranking_periods p set board_version = p.board_version + 1 where p.campaign_id in (select distinct campaign_id from new_rows);
  end if;
  return null;
end
$$;
create trigger ranking_group_members_board_insert after insert on ranking_group_members
  referencing new table as new_rows for each statement execute function ranking_board_touch_members();
create trigger ranking_group_members_board_update after update on ranking_group_members
  referencing new table as new_rows for each statement execute function ranking_board_touch_members();
create trigger ranking_group_members_board_delete after delete on ranking_group_members
  referencing old table as old_rows for each statement execute function ranking_board_touch_members();

-- a campaign, its dimensions and its peer groups: a few rows, edited by hand
create function ranking_board_touch_campaign() returns trigger
language plpgsql as $$
begin
  update ranking_periods set board_version = board_version + 1 where campaign_id = new.id;
  return null;
end
$$;
create function ranking_board_touch_campaign_part() returns trigger
language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    update ranking_periods set board_version = board_version + 1 where campaign_id = old.campaign_id;
  else
    update ranking_periods set board_version = board_version + 1 where campaign_id = new.campaign_id;
  end if;
  return null;
end
$$;
create trigger ranking_campaigns_board after update on ranking_campaigns
  for each row execute function ranking_board_touch_campaign();
create trigger ranking_dimensions_board after insert or update or delete on ranking_dimensions
  for each row execute function ranking_board_touch_campaign_part();
create trigger ranking_peer_groups_board after insert or update or delete on ranking_peer_groups
  for each row execute function ranking_board_touch_campaign_part();

create function ranking_board_org_renamed() returns trigger
language plpgsql as $$
begin
  update ranking_periods p set board_version = p.board_version + 1
   where p.id in (select r.period_id from new_rows n join old_rows o on o.id = n.id and o.name is distinct from n.name
                    join ranking_results r on r.org_id = n.id)
      or p.campaign_id in (select c.id from new_rows n join old_rows o on o.id = n.id and o.name is distinct from n.name
                             join ranking_campaigns c on c.org_id = n.id);
  return null;
end
$$;
create trigger orgs_ranking_board_renamed after update on orgs
  referencing old table as old_rows new table as new_rows for each statement execute function ranking_board_org_renamed();
