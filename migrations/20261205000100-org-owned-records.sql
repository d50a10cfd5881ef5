-- Records that belong to an org follow it when it moves or is merged into another, through one owner:
-- the triggers below, driven by a registry in which every module declares its org-owned columns.
-- A test (server/src/platform/org-owned-columns.test.ts) reads every ltree column and every column
-- that refers to orgs from information_schema and fails on one that is not declared here.
--
--   carried    the org's path (ltree) or id, rewritten in the same statement that moves or merges the
--              org, so that scoping (`org_path <@ …`) follows the new place
--   historical keeps what it recorded (audit entries, the append-only points ledger — read it by the
--              member's current place; role grants stay on the org they were given for)
--   derived    kept by its own triggers from another table (org_member_counts from members)
create table org_owned_columns (
  table_name text not null,
  column_name text not null,
  kind text not null check (kind in ('carried', 'historical', 'derived')),
  -- 'path' (ltree copy of orgs.path) or 'id' (orgs.id)
  refers_to text not null check (refers_to in ('path', 'id')),
  -- on merge, a carried row whose survivor already holds a row with the same values in these columns
  -- (the rest of a unique key) stays with the merged org: the survivor's own settings stand
  merge_key text[] not null default '{}',
  module text not null,
  note text,
  primary key (table_name, column_name)
);

insert into org_owned_columns (table_name, column_name, kind, refers_to, merge_key, module, note) values
  ('orgs', 'path', 'derived', 'path', '{}', 'orgs', 'the tree itself: moves rewrite it, the triggers below follow it'),
  ('orgs', 'parent_id', 'derived', 'id', '{}', 'orgs', 'the tree itself'),
  ('orgs', 'merged_into_id', 'historical', 'id', '{}', 'orgs', 'the survivor this org was merged into'),
  ('members', 'org_id', 'carried', 'id', '{}', 'members', null),
  ('members', 'org_path', 'carried', 'path', '{}', 'members', null),
  ('transfers', 'from_org_id', 'carried', 'id', '{}', 'transfers', null),
  ('transfers', 'from_path', 'carried', 'path', '{}', 'transfers', null),
  ('transfers', 'to_org_id', 'carried', 'id', '{}', 'transfers', null),
  ('transfers', 'to_path', 'carried', 'path', '{}', 'transfers', null),
  ('user_roles', 'org_id', 'historical', 'id', '{}', 'users', 'a grant stays on the org it was given for: a merged org''s administrators do not become the survivor''s'),
  ('audit_log', 'org_path', 'historical', 'path', '{}', 'audit', 'where the act happened, as it was then'),
  ('org_member_counts', 'org_id', 'derived', 'id', '{}', 'orgs', 'kept by the members triggers'),
  ('activities', 'org_id', 'carried', 'id', '{}', 'activities', null),
  ('activities', 'org_path', 'carried', 'path', '{}', 'activities', null),
  ('compliance_rules', 'org_id', 'carried', 'id', '{activity_type}', 'activities', null),
  ('make_up_tasks', 'org_path', 'carried', 'path', '{}', 'activities', null),
  ('venues', 'org_id', 'carried', 'id', '{}', 'venues', null),
  ('venues', 'org_path', 'carried', 'path', '{}', 'venues', null),
  ('venue_bookings', 'unit_org_id', 'carried', 'id', '{}', 'venues', null),
  ('service_stations', 'org_id', 'carried', 'id', '{}', 'venues', null),
  ('service_stations', 'org_path', 'carried', 'path', '{}', 'venues', null),
  ('questions', 'org_id', 'carried', 'id', '{}', 'exams', null),
  ('questions', 'org_path', 'carried', 'path', '{}', 'exams', null),
  ('papers', 'org_id', 'carried', 'id', '{}', 'exams', null),
  ('papers', 'org_path', 'carried', 'path', '{}', 'exams', null),
  ('exams', 'org_id', 'carried', 'id', '{}', 'exams', null),
  ('exams', 'org_path', 'carried', 'path', '{}', 'exams', null),
  ('exam_participants', 'org_path', 'carried', 'path', '{}', 'exams', null),
  ('daily_quiz_submissions', 'org_path', 'carried', 'path', '{}', 'daily_quiz', null),
  ('points_ledger', 'org_path', 'historical', 'path', '{}', 'points', 'append-only: read by the member''s current place'),
  ('courses', 'org_id', 'carried', 'id', '{}', 'learning', null),
  ('courses', 'org_path', 'carried', 'path', '{}', 'learning', null),
  ('learning_videos', 'org_id', 'carried', 'id', '{}', 'learning', null),
  ('learning_videos', 'org_path', 'carried', 'path', '{}', 'learning', null),
  ('articles', 'org_id', 'carried', 'id', '{}', 'learning', null),
  ('articles', 'org_path', 'carried', 'path', '{}', 'learning', null),
  ('study_plans', 'org_id', 'carried', 'id', '{}', 'learning', null),
  ('study_plans', 'org_path', 'carried', 'path', '{}', 'learning', null),
  ('clock_ins', 'org_path', 'carried', 'path', '{}', 'learning', null),
  ('reading_shares', 'branch_path', 'carried', 'path', '{}', 'learning', null),
  ('contests', 'org_id', 'carried', 'id', '{}', 'contests', null),
  ('contests', 'org_path', 'carried', 'path', '{}', 'contests', null),
  ('contest_orgs', 'org_id', 'carried', 'id', '{contest_id}', 'contests', null),
  ('contest_orgs', 'org_path', 'carried', 'path', '{contest_id}', 'contests', null),
  ('contest_entries', 'org_path', 'carried', 'path', '{}', 'contests', null),
  ('service_project_categories', 'root_org_id', 'carried', 'id', '{name}', 'service_projects', null),
  ('service_projects', 'org_id', 'carried', 'id', '{}', 'service_projects', null),
  ('service_projects', 'org_path', 'carried', 'path', '{}', 'service_projects', null),
  ('communities', 'org_id', 'carried', 'id', '{}', 'communities', null),
  ('communities', 'org_path', 'carried', 'path', '{}', 'communities', null),
  ('co_building_agreements', 'org_id', 'carried', 'id', '{}', 'communities', null),
  ('co_building_agreements', 'org_path', 'carried', 'path', '{}', 'communities', null),
  ('micro_wishes', 'org_id', 'carried', 'id', '{}', 'micro_wishes', null),
  ('micro_wishes', 'org_path', 'carried', 'path', '{}', 'micro_wishes', null),
  ('volunteer_projects', 'org_id', 'carried', 'id', '{}', 'volunteering', null),
  ('volunteer_projects', 'org_path', 'carried', 'path', '{}', 'volunteering', null),
  ('donation_campaigns', 'org_id', 'carried', 'id', '{}', 'donations', null),
  ('donation_campaigns', 'org_path', 'carried', 'path', '{}', 'donations', null),
  ('donations', 'donor_org_id', 'carried', 'id', '{}', 'donations', null),
  ('donations', 'credited_org_id', 'carried', 'id', '{}', 'donations', null),
  ('donations', 'credited_org_path', 'carried', 'path', '{}', 'donations', null);

-- The merged org points at its survivor; set once, by the orgs service, in the merge's transaction.
alter table orgs add column merged_into_id bigint references orgs (id);

/*
 * A move rewrites orgs.path for a whole subtree in one statement, each org's path becoming the new
 * place of the subtree's top followed by the rest of its old path. For every moved subtree (its top
 * org), each carried path column is rebased the same way in the same transaction; the subtree
 * condition (`<@ old top`) lets a GiST index find the rows.
 */
create function orgs_carry_moved_records() returns trigger language plpgsql as $$
declare
  top record;
  col record;
begin
  for top in
    select o.path as old_path, n.path as new_path from old_orgs o join new_orgs n on n.id = o.id
     where o.path <> n.path
       and not exists (select 1 from old_orgs o2 join new_orgs n2 on n2.id = o2.id
                        where o2.path <> n2.path and o2.path @> o.path and o2.id <> o.id)
  loop
    for col in select table_name, column_name from org_owned_columns where kind = 'carried' and refers_to = 'path' order by table_name, column_name loop
      execute format('update %1$I set %2$I = $2 || case when nlevel(%2$I) > nlevel($1) then subpath(%2$I, nlevel($1)) else ''''::ltree end where %2$I <@ $1',
                     col.table_name, col.column_name)
        using top.old_path, top.new_path;
    end loop;
  end loop;
  return null;
end $$;

create trigger orgs_carry_moved_records after update on orgs
  referencing old table as old_orgs new table as new_orgs
  for each statement execute function orgs_carry_moved_records();

/*
 * A merge sets merged_into_id on the merged org (its sub-orgs were moved under the survivor first):
 * every carried record of the merged org itself then belongs to the survivor — ids and paths rewritten
 * in one statement per table, so that a table's own triggers (member counts, search postings) see one
 * consistent change.
 */
create function orgs_carry_merged_records() returns trigger language plpgsql as $$
declare
  tbl record;
  assignments text;
  matches text;
  keep text;
  survivor_path ltree;
begin
  if new.merged_into_id is null or old.merged_into_id is not distinct from new.merged_into_id then return null; end if;
  select path into survivor_path from orgs where id = new.merged_into_id;
  for tbl in
    select table_name,
           array_agg(column_name) filter (where refers_to = 'id') as id_columns,
           array_agg(column_name) filter (where refers_to = 'path') as path_columns,
           max(merge_key::text)::text[] as merge_key
      from org_owned_columns where kind = 'carried' group by table_name order by table_name
  loop
    select string_agg(format('%1$I = case when %1$I = $1 then $2 else %1$I end', c), ', '), string_agg(format('t.%I = $1', c), ' or ')
      into assignments, matches from unnest(tbl.id_columns) as c;
    select concat_ws(', ', assignments, string_agg(format('%1$I = case when %1$I = $3 then $4 else %1$I end', c), ', ')),
           concat_ws(' or ', matches, string_agg(format('t.%I = $3', c), ' or '))
      into assignments, matches from unnest(tbl.path_columns) as c;
    keep := '';
    if cardinality(tbl.merge_key) > 0 then
      -- the survivor's row with the same key stands; the merged org keeps its own
      select format(' and not exists (select 1 from %I s where %s and (%s))', tbl.table_name,
                    string_agg(format('s.%1$I is not distinct from t.%1$I', k), ' and '),
                    (select string_agg(format('s.%I = $2', c), ' or ') from unnest(tbl.id_columns) as c))
        into keep from unnest(tbl.merge_key) as k;
    end if;
    execute format('update %I t set %s where (%s)%s', tbl.table_name, assignments, matches, keep)
      using old.id, new.merged_into_id, new.path, survivor_path;
  end loop;
  return null;
end $$;

create trigger orgs_carry_merged_records after update of merged_into_id on orgs
  for each row execute function orgs_carry_merged_records();
