-- 赛马 / 对表晒绩: a campaign of an org ranks the orgs below it, peer group by peer group, period by
-- period, on weighted dimensions (a computed indicator, a manual score, or judges at a 擂台赛). A
-- period's results are computed in one set-based pass and kept (ranking_results), so a board is a
-- page of one btree range, never recomputed per request.
create table ranking_campaigns (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  name text not null,
  period_kind text not null check (period_kind in ('monthly', 'quarterly')),
  year integer not null check (year between 2000 and 2199),
  status text not null default 'active' check (status in ('active', 'closed')),
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index ranking_campaigns_org_path on ranking_campaigns using gist (org_path);
create index ranking_campaigns_org on ranking_campaigns (org_id, year desc, id desc);

create table ranking_dimensions (
  id bigint generated always as identity primary key,
  campaign_id bigint not null references ranking_campaigns (id) on delete cascade,
  position integer not null,
  name text not null,
  weight numeric(7, 2) not null check (weight > 0),
  source text not null check (source in ('indicator', 'manual', 'judges')),
  indicator_code text,
  higher_is_better boolean not null default true,
  unique (campaign_id, position),
  check ((source = 'indicator') = (indicator_code is not null))
);

-- the rule the members were chosen by (kept to show it); the members are fixed when the group is made
create table ranking_peer_groups (
  id bigint generated always as identity primary key,
  campaign_id bigint not null references ranking_campaigns (id) on delete cascade,
  position integer not null,
  name text not null,
  rule_kind text not null check (rule_kind in ('level', 'type', 'orgs')),
  -- 'level': the orgs this many levels below the campaign's org; 'type': the orgs of this type in its subtree
  rule_depth integer,
  rule_type text,
  unique (campaign_id, position)
);

-- an org is ranked in at most one group of a campaign, so "my org's row" of a period is one key
create table ranking_group_members (
  campaign_id bigint not null references ranking_campaigns (id) on delete cascade,
  group_id bigint not null references ranking_peer_groups (id) on delete cascade,
  org_id bigint not null references orgs (id),
  primary key (campaign_id, org_id)
);
create index ranking_group_members_group on ranking_group_members (group_id, org_id);
create index ranking_group_members_org on ranking_group_members (org_id);

create table ranking_periods (
  id bigint generated always as identity primary key,
  campaign_id bigint not null references ranking_campaigns (id) on delete cascade,
  -- 1, 2, … in time order: the previous period of n is n - 1 (movement arrows)
  seq integer not null,
  label text not null,
  from_date date not null,
  to_date date not null,
  status text not null default 'open' check (status in ('open', 'computed', 'published')),
  computed_at timestamptz,
  published_at timestamptz,
  unique (campaign_id, seq),
  check (to_date >= from_date)
);

create table ranking_manual_scores (
  period_id bigint not null references ranking_periods (id) on delete cascade,
  dimension_id bigint not null references ranking_dimensions (id) on delete cascade,
  org_id bigint not null references orgs (id),
  score numeric(9, 2) not null,
  updated_by bigint references users (id),
  updated_at timestamptz not null default now(),
  primary key (period_id, dimension_id, org_id)
);
create index ranking_manual_scores_org on ranking_manual_scores (org_id);

-- 擂台赛: registered orgs present, judges score on the judging module's panel (panel_id)
create table ranking_events (
  id bigint generated always as identity primary key,
  period_id bigint not null references ranking_periods (id) on delete cascade,
  dimension_id bigint not null references ranking_dimensions (id) on delete cascade,
  title text not null,
  event_date date not null,
  panel_id text,
  created_at timestamptz not null default now()
);
create index ranking_events_period on ranking_events (period_id, id);

create table ranking_event_orgs (
  event_id bigint not null references ranking_events (id) on delete cascade,
  org_id bigint not null references orgs (id),
  primary key (event_id, org_id)
);
create index ranking_event_orgs_org on ranking_event_orgs (org_id);

-- MAINTAINED by computing a period: per org, its raw and normalized score of each dimension (in the
-- dimensions' position order), the weighted total, the rank in its peer group (ties share a rank),
-- the rank of the period before and the movement (previous − rank: positive is up).
create table ranking_results (
  period_id bigint not null references ranking_periods (id) on delete cascade,
  group_id bigint not null references ranking_peer_groups (id) on delete cascade,
  org_id bigint not null references orgs (id),
  raw_scores numeric[] not null,
  scores numeric[] not null,
  total numeric(7, 2) not null,
  rank integer not null,
  previous_rank integer,
  movement integer,
  primary key (period_id, org_id)
);
-- a page of a group's board in rank order; the count of the group is the same range
create index ranking_results_board on ranking_results (period_id, group_id, rank, org_id);
create index ranking_results_org on ranking_results (org_id);

insert into org_owned_columns (table_name, column_name, kind, refers_to, merge_key, module, note) values
  ('ranking_campaigns', 'org_id', 'carried', 'id', '{}', 'rankings', null),
  ('ranking_campaigns', 'org_path', 'carried', 'path', '{}', 'rankings', null),
  ('ranking_group_members', 'org_id', 'carried', 'id', '{campaign_id}', 'rankings', 'a merged org whose survivor is ranked in the same campaign stays on the merged org'),
  ('ranking_manual_scores', 'org_id', 'carried', 'id', '{period_id,dimension_id}', 'rankings', null),
  ('ranking_event_orgs', 'org_id', 'carried', 'id', '{event_id}', 'rankings', null),
  ('ranking_results', 'org_id', 'carried', 'id', '{period_id}', 'rankings', 'the board shows the org under its current name and place');
