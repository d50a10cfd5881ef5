-- 承诺践诺 (pledges): 亮诺 → 践诺 → 评诺.
-- A period is opened by an org for its subtree with the dates of its three phases (China days):
-- 亮诺 from pledge_from, 践诺 from fulfil_from, 评诺 from review_from to review_until.
create table pledge_periods (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  name text not null,
  pledge_from date not null,
  fulfil_from date not null,
  review_from date not null,
  review_until date not null,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (pledge_from <= fulfil_from and fulfil_from <= review_from and review_from <= review_until)
);
create index pledge_periods_org_path on pledge_periods using gist (org_path);

-- A member's own pledge (member_id) or an org's (member_id null, written by its admin); published on the
-- tree's public board once the branch (or, for an org, the level above) approves it.
create table pledges (
  id bigint generated always as identity primary key,
  period_id bigint not null references pledge_periods (id),
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  member_id bigint references members (id),
  status text not null default 'draft' check (status in ('draft', 'submitted', 'returned', 'published')),
  return_reason text,
  submitted_at timestamptz,
  published_at timestamptz,
  approved_by bigint references users (id),
  self_rating text check (self_rating in ('completed', 'mostly_completed', 'not_completed')),
  self_comment text,
  self_rated_at timestamptz,
  branch_rating text check (branch_rating in ('completed', 'mostly_completed', 'not_completed')),
  branch_comment text,
  branch_rated_at timestamptz,
  branch_rated_by bigint references users (id),
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index pledges_one_per_member on pledges (period_id, member_id) where member_id is not null;
create unique index pledges_one_per_org on pledges (period_id, org_id) where member_id is null;
create index pledges_org_path on pledges using gist (org_path);
create index pledges_period_status on pledges (period_id, status, id);
create index pledges_member on pledges (member_id, id desc) where member_id is not null;

create table pledge_items (
  id bigint generated always as identity primary key,
  pledge_id bigint not null references pledges (id) on delete cascade,
  position int not null,
  content text not null,
  category text not null check (category in ('study', 'work', 'service', 'integrity', 'other')),
  target text not null
);
create index pledge_items_pledge on pledge_items (pledge_id, position);

-- 践诺: dated progress with evidence
create table pledge_progress (
  id bigint generated always as identity primary key,
  pledge_id bigint not null references pledges (id),
  done_on date not null,
  note text not null,
  created_by bigint references users (id),
  created_at timestamptz not null default now()
);
create index pledge_progress_pledge on pledge_progress (pledge_id, done_on, id);

create table pledge_progress_files (
  id bigint generated always as identity primary key,
  progress_id bigint not null references pledge_progress (id),
  pledge_id bigint not null references pledges (id),
  kind text not null check (kind in ('photo', 'document')),
  file_name text not null,
  mime_type text not null,
  size_bytes int not null,
  storage_key text not null,
  uploaded_by bigint references users (id),
  created_at timestamptz not null default now()
);
create index pledge_progress_files_progress on pledge_progress_files (progress_id, id);

-- 评诺 by the public: a rating counts at once ('pending' or 'approved'); its comment shows once an admin
-- approves it; a 'hidden' one (abusive) neither counts nor shows.
create table pledge_public_ratings (
  id bigint generated always as identity primary key,
  pledge_id bigint not null references pledges (id),
  rating text not null check (rating in ('satisfied', 'basically_satisfied', 'dissatisfied')),
  comment text,
  status text not null check (status in ('pending', 'approved', 'hidden')),
  ip text not null,
  moderated_by bigint references users (id),
  moderated_at timestamptz,
  created_at timestamptz not null default now()
);
create index pledge_public_ratings_pledge on pledge_public_ratings (pledge_id, status, id);
create index pledge_public_ratings_pending on pledge_public_ratings (id) where status = 'pending';

insert into org_owned_columns (table_name, column_name, kind, refers_to, merge_key, module, note) values
  ('pledge_periods', 'org_id', 'carried', 'id', '{}', 'pledges', null),
  ('pledge_periods', 'org_path', 'carried', 'path', '{}', 'pledges', null),
  ('pledges', 'org_id', 'carried', 'id', '{period_id,member_id}', 'pledges', 'a merged org''s own pledge stays with it when the survivor already pledged in that period'),
  ('pledges', 'org_path', 'carried', 'path', '{period_id,member_id}', 'pledges', null);
