-- 授课晒课评课 (issue #16): an org runs a selection of party lessons (精品党课, 十佳党课…); the orgs of its
-- subtree enter lessons (晒课); the organizer checks them and has them scored by a judging panel (评课,
-- the judging module); the top N go to 公示 (public_notices) and are then published.
create table lesson_selections (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  title text not null,
  year int not null,
  -- entries are taken from entry_opens_on to entry_closes_on (China days, both inclusive)
  entry_opens_on date not null,
  entry_closes_on date not null,
  -- how many lessons are honoured (十佳 = 10)
  honours int not null check (honours between 1 and 100),
  criteria jsonb not null,
  judge_user_ids bigint[] not null default '{}',
  blind boolean not null default false,
  status text not null default 'entering' check (status in ('entering', 'judging', 'proposed', 'notice', 'published')),
  panel_id bigint,
  public_notice_id bigint,
  published_at timestamptz,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (entry_closes_on >= entry_opens_on)
);
create index lesson_selections_org_path on lesson_selections using gist (org_path);
create index lesson_selections_year on lesson_selections (year desc, id desc);

create table lesson_entries (
  id bigint generated always as identity primary key,
  selection_id bigint not null references lesson_selections (id),
  -- the entering org (in the selection org's subtree)
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  lecturer_name text not null,
  -- the lecturer when a member of the entering org's roll (an outside lecturer has a name only)
  lecturer_member_id bigint references members (id),
  title text not null,
  summary text not null,
  material_url text,
  -- the party_lesson activity the lesson was given at (the activities module's record; its title kept)
  activity_id bigint,
  activity_title text,
  status text not null default 'submitted' check (status in ('submitted', 'accepted', 'rejected', 'withdrawn')),
  review_note text,
  score numeric(6, 2),
  rank int,
  -- among the top N put to 公示 (and honoured once published, unless withdrawn)
  proposed boolean not null default false,
  withdrawn_reason text,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index lesson_entries_selection on lesson_entries (selection_id, id);
create index lesson_entries_org_path on lesson_entries using gist (org_path);

-- 课件 (document or video) uploaded for an entry
create table lesson_entry_files (
  id bigint generated always as identity primary key,
  entry_id bigint not null references lesson_entries (id),
  kind text not null,
  file_name text not null,
  mime_type text not null,
  size_bytes int not null,
  storage_key text not null,
  uploaded_by bigint references users (id),
  created_at timestamptz not null default now()
);
create index lesson_entry_files_entry on lesson_entry_files (entry_id, id);

insert into org_owned_columns (table_name, column_name, kind, refers_to, merge_key, module, note) values
  ('lesson_selections', 'org_id', 'carried', 'id', '{}', 'lesson_selections', null),
  ('lesson_selections', 'org_path', 'carried', 'path', '{}', 'lesson_selections', null),
  ('lesson_entries', 'org_id', 'carried', 'id', '{}', 'lesson_selections', null),
  ('lesson_entries', 'org_path', 'carried', 'path', '{}', 'lesson_selections', 'an entry follows the org that entered it');
