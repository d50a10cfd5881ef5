-- 考评: an indicator library (computed from the platform's data, or entered by hand with evidence and a
-- reviewer), schemes that weigh indicators for a set of orgs over a period, and their maintained results.
-- Results are written by the scheme's 计算 (one set-based pass per indicator), then frozen and published.
create table assessment_indicators (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  code text not null,
  kind text not null check (kind in ('computed', 'manual')),
  -- a computed indicator's IndicatorSource code (`activities.three_meetings_completion`)
  source_code text,
  name text not null,
  -- the formula (computed) or the rubric the reviewer applies (manual)
  formula text not null default '',
  unit text not null check (unit in ('rate', 'per_member', 'count', 'score')),
  period_kind text not null check (period_kind in ('annual', 'quarterly', 'monthly')),
  default_weight numeric(7, 2) not null check (default_weight > 0),
  higher_is_better boolean not null default true,
  archived_at timestamptz,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, code),
  check ((kind = 'computed') = (source_code is not null))
);
create index assessment_indicators_org_path on assessment_indicators using gist (org_path);

create table assessment_schemes (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  name text not null,
  period_start date not null,
  period_end date not null,
  status text not null default 'draft' check (status in ('draft', 'computed', 'frozen', 'published')),
  computed_at timestamptz,
  frozen_at timestamptz,
  published_at timestamptz,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (period_end >= period_start)
);
create index assessment_schemes_org_path on assessment_schemes using gist (org_path);
create index assessment_schemes_org_created on assessment_schemes (org_id, created_at desc, id desc);

-- score = min(value / target, 1) × 100 (higher is better) or min(target / value, 1) × 100 (lower is better)
create table scheme_indicators (
  scheme_id bigint not null references assessment_schemes (id) on delete cascade,
  indicator_id bigint not null references assessment_indicators (id),
  position integer not null,
  weight numeric(7, 2) not null check (weight > 0),
  target numeric(14, 4) not null check (target > 0),
  primary key (scheme_id, indicator_id)
);
create index scheme_indicators_indicator on scheme_indicators (indicator_id);

create table scheme_orgs (
  scheme_id bigint not null references assessment_schemes (id) on delete cascade,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  primary key (scheme_id, org_id)
);
create index scheme_orgs_org_path on scheme_orgs using gist (org_path);
create index scheme_orgs_org on scheme_orgs (org_id);

create table manual_scores (
  id bigint generated always as identity primary key,
  scheme_id bigint not null references assessment_schemes (id) on delete cascade,
  indicator_id bigint not null references assessment_indicators (id),
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  value numeric(14, 4) not null,
  evidence_text text not null,
  -- links to the evidence (documents, photos, pages of the platform)
  evidence_links jsonb not null default '[]',
  entered_by bigint not null references users (id),
  entered_at timestamptz not null default now(),
  review_status text not null default 'pending' check (review_status in ('pending', 'approved', 'rejected')),
  reviewed_by bigint references users (id),
  reviewed_at timestamptz,
  review_note text,
  unique (scheme_id, indicator_id, org_id)
);
create index manual_scores_org_path on manual_scores using gist (org_path);
create index manual_scores_org on manual_scores (org_id);

-- One row per scheme × org × indicator, rewritten by each 计算 until the scheme is frozen.
create table assessment_scores (
  scheme_id bigint not null references assessment_schemes (id) on delete cascade,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  indicator_id bigint not null references assessment_indicators (id),
  value numeric(18, 4),
  numerator numeric(18, 4),
  denominator numeric(18, 4),
  score numeric(7, 2),
  contribution numeric(9, 4) not null,
  primary key (scheme_id, org_id, indicator_id)
);
create index assessment_scores_org on assessment_scores (org_id);
create index assessment_scores_org_path on assessment_scores using gist (org_path);

-- One row per scheme × org: the weighted total and its competition rank (ties share a rank: 1, 1, 3).
create table assessment_totals (
  scheme_id bigint not null references assessment_schemes (id) on delete cascade,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  total numeric(7, 2) not null,
  rank integer not null,
  primary key (scheme_id, org_id)
);
create index assessment_totals_rank on assessment_totals (scheme_id, rank, org_id);
create index assessment_totals_org on assessment_totals (org_id);
create index assessment_totals_org_path on assessment_totals using gist (org_path);

insert into org_owned_columns (table_name, column_name, kind, refers_to, merge_key, module, note) values
  ('assessment_indicators', 'org_id', 'carried', 'id', '{code}', 'assessment', 'the survivor''s own indicator with the same code stands'),
  ('assessment_indicators', 'org_path', 'carried', 'path', '{code}', 'assessment', null),
  ('assessment_schemes', 'org_id', 'carried', 'id', '{}', 'assessment', null),
  ('assessment_schemes', 'org_path', 'carried', 'path', '{}', 'assessment', null),
  ('scheme_orgs', 'org_id', 'carried', 'id', '{scheme_id}', 'assessment', 'a merged org whose survivor is assessed too stays on the merged org'),
  ('scheme_orgs', 'org_path', 'carried', 'path', '{scheme_id}', 'assessment', null),
  ('manual_scores', 'org_id', 'carried', 'id', '{scheme_id,indicator_id}', 'assessment', null),
  ('manual_scores', 'org_path', 'carried', 'path', '{scheme_id,indicator_id}', 'assessment', null),
  ('assessment_scores', 'org_id', 'carried', 'id', '{scheme_id,indicator_id}', 'assessment', null),
  ('assessment_scores', 'org_path', 'carried', 'path', '{scheme_id,indicator_id}', 'assessment', null),
  ('assessment_totals', 'org_id', 'carried', 'id', '{scheme_id}', 'assessment', null),
  ('assessment_totals', 'org_path', 'carried', 'path', '{scheme_id}', 'assessment', null);
