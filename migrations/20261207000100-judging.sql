-- 评审 (judging): the engine other modules (擂台赛, 述职评议, 星级评审, 表彰…) hand their entries to.
-- A panel of judges scores each entry against a rubric of weighted criteria; the owning module keeps
-- its own record and the panel's id. Scores are numeric: a judge's total is rounded to hundredths
-- once, and the entry's score is the (trimmed) mean of those totals, so every figure shown adds up.
create table judging_panels (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  -- the module that owns the panel ('rankings', 'responsibility_lists', …) and its record's id
  owner_module text not null,
  owner_ref text not null,
  title text not null,
  -- [{key, name, weight, maxScore}] in the rubric's order; weights are normalised by their sum
  criteria jsonb not null,
  -- entrants' names and orgs hidden from judges, who see 作品 1, 2… (judging_entries.blind_label)
  blind boolean not null default false,
  -- the declared order of tie-breaks after the score (rounded to hundredths): 'top_criterion' (higher
  -- mean on the highest-weighted criterion), 'more_judges', 'earlier_entry' (always last)
  tie_break text[] not null default '{top_criterion,more_judges,earlier_entry}',
  opens_at timestamptz,
  closes_at timestamptz,
  closed_at timestamptz,
  created_by bigint references users (id),
  created_at timestamptz not null default now()
);
create index judging_panels_org_path on judging_panels using gist (org_path);
create index judging_panels_owner on judging_panels (owner_module, owner_ref);

create table judging_panel_judges (
  panel_id bigint not null references judging_panels (id) on delete cascade,
  user_id bigint not null references users (id),
  primary key (panel_id, user_id)
);
-- a judge's tasks
create index judging_panel_judges_user on judging_panel_judges (user_id, panel_id);

create table judging_entries (
  id bigint generated always as identity primary key,
  panel_id bigint not null references judging_panels (id) on delete cascade,
  -- the owner's entry id
  ref text not null,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  title text not null,
  -- what judges read about the entry (the owner keeps it anonymous on a blind panel)
  summary text,
  -- 作品 N: a stable shuffled number, unique in the panel
  blind_label integer not null,
  created_at timestamptz not null default now(),
  unique (panel_id, ref),
  unique (panel_id, blind_label)
);
create index judging_entries_org_path on judging_entries using gist (org_path);
create index judging_entries_org on judging_entries (org_id);

-- One row per judge and entry: a draft until submitted, then locked for good.
create table judging_scores (
  entry_id bigint not null references judging_entries (id) on delete cascade,
  judge_id bigint not null references users (id),
  -- {criterionKey: score}, each 0..maxScore with at most two decimals; a draft may lack some
  scores jsonb not null default '{}',
  -- weighted sum normalised to 0..100, rounded to hundredths; null while a draft is incomplete
  total numeric(6, 2),
  comment text,
  submitted_at timestamptz,
  locked boolean not null default false,
  updated_at timestamptz not null default now(),
  primary key (entry_id, judge_id),
  check (not locked or (submitted_at is not null and total is not null))
);
create index judging_scores_judge on judging_scores (judge_id, entry_id);

insert into org_owned_columns (table_name, column_name, kind, refers_to, merge_key, module, note) values
  ('judging_panels', 'org_id', 'carried', 'id', '{}', 'judging', null),
  ('judging_panels', 'org_path', 'carried', 'path', '{}', 'judging', null),
  ('judging_entries', 'org_id', 'carried', 'id', '{}', 'judging', null),
  ('judging_entries', 'org_path', 'carried', 'path', '{}', 'judging', 'a conflict of interest is judged by the entry''s current place');
