-- 党建品牌 (brands) and 星级评审 (star reviews). A brand belongs to an org and follows it when it
-- moves or merges; a review round is run by an org for its subtree; judges score on a judging-engine
-- panel (judging_panels.owner_module = 'brands'), the results go to a 公示, and finalizing writes each
-- brand's star level and title, with the round in its history.
create table brands (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  name text not null,
  slogan text,
  -- 特色做法: what makes it distinctive
  distinctive text,
  achievements text,
  status text not null default 'draft' check (status in ('draft', 'active', 'archived')),
  -- the current level, from the newest finalized round that awarded one
  star_level smallint check (star_level between 1 and 5),
  title text check (title in ('model', 'cultivating')),
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index brands_org_path on brands using gist (org_path);
create index brands_org on brands (org_id);
-- search by any part of the name (hundreds per city, thousands per province)
create index brands_name_trgm on brands using gin (name gin_trgm_ops);
-- the gallery: active brands of a tree, highest level first
create index brands_gallery on brands (status, star_level desc nulls last, id);

create table brand_photos (
  id bigint generated always as identity primary key,
  brand_id bigint not null references brands (id) on delete cascade,
  file_name text not null,
  mime_type text not null,
  size_bytes integer not null,
  storage_key text not null,
  uploaded_by bigint references users (id),
  created_at timestamptz not null default now()
);
create index brand_photos_brand on brand_photos (brand_id, id);

create table brand_review_rounds (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  title text not null,
  year integer not null,
  -- [{level: 'star5' | … | 'model' | 'cultivating', minScore}]: the levels offered and the score each is proposed from
  levels jsonb not null,
  applies_from date not null,
  applies_until date not null,
  -- the judges' rubric: [{key, name, weight, maxScore}] (handed to the judging engine)
  criteria jsonb not null,
  judge_user_ids bigint[] not null default '{}',
  blind boolean not null default false,
  status text not null default 'open' check (status in ('open', 'judging', 'scored', 'notice', 'finalized')),
  panel_id bigint references judging_panels (id),
  public_notice_id bigint,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  check (applies_until >= applies_from)
);
create index brand_review_rounds_org_path on brand_review_rounds using gist (org_path);

create table brand_applications (
  id bigint generated always as identity primary key,
  round_id bigint not null references brand_review_rounds (id),
  brand_id bigint not null references brands (id),
  -- the applying org (the brand's, at the time): its administrators apply and read the application
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  statement text not null,
  status text not null default 'submitted' check (status in ('submitted', 'accepted', 'returned', 'withdrawn', 'awarded')),
  return_reason text,
  checked_by bigint references users (id),
  -- after judging: the panel's score and rank, the levels proposed by the thresholds, the levels decided
  score numeric(6, 2),
  rank integer,
  proposed_star smallint,
  proposed_title text,
  star_level smallint check (star_level between 1 and 5),
  title text check (title in ('model', 'cultivating')),
  adjust_reason text,
  -- an objection upheld in the 公示
  withdrawn_reason text,
  submitted_by bigint references users (id),
  submitted_at timestamptz not null default now(),
  unique (round_id, brand_id)
);
create index brand_applications_round on brand_applications (round_id, id);
create index brand_applications_org_path on brand_applications using gist (org_path);
create index brand_applications_brand on brand_applications (brand_id);

create table brand_application_files (
  id bigint generated always as identity primary key,
  application_id bigint not null references brand_applications (id) on delete cascade,
  kind text not null check (kind in ('photo', 'document')),
  file_name text not null,
  mime_type text not null,
  size_bytes integer not null,
  storage_key text not null,
  uploaded_by bigint references users (id),
  created_at timestamptz not null default now()
);
create index brand_application_files_application on brand_application_files (application_id, id);

-- a brand's levels over the years, one row per finalized round that awarded it
create table brand_level_history (
  brand_id bigint not null references brands (id) on delete cascade,
  round_id bigint not null references brand_review_rounds (id),
  year integer not null,
  star_level smallint,
  title text,
  awarded_at timestamptz not null default now(),
  primary key (brand_id, round_id)
);

insert into org_owned_columns (table_name, column_name, kind, refers_to, merge_key, module, note) values
  ('brands', 'org_id', 'carried', 'id', '{}', 'brands', null),
  ('brands', 'org_path', 'carried', 'path', '{}', 'brands', null),
  ('brand_review_rounds', 'org_id', 'carried', 'id', '{}', 'brands', null),
  ('brand_review_rounds', 'org_path', 'carried', 'path', '{}', 'brands', null),
  ('brand_applications', 'org_id', 'carried', 'id', '{}', 'brands', 'an application follows its brand''s org'),
  ('brand_applications', 'org_path', 'carried', 'path', '{}', 'brands', null);
