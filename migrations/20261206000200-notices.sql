-- 通知公告: an org's notices to its subtree, to chosen orgs in it, or to the org admins there, with
-- read receipts. Who was asked is fixed when the notice is published (notice_recipients, one
-- set-based insert), so receipts stay exact and later changes of the tree do not alter them.
create table notices (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  title text not null,
  -- sanitized HTML (server/src/platform/rich-text.ts) and its plain text, for search and previews
  body_html text not null,
  body_text text not null,
  -- 'subtree': the publishing org and everything under it; 'orgs': the chosen orgs (each with its subtree)
  target_kind text not null check (target_kind in ('subtree', 'orgs')),
  to_members boolean not null default true,
  to_org_admins boolean not null default false,
  must_read boolean not null default false,
  read_deadline timestamptz,
  status text not null default 'draft' check (status in ('draft', 'scheduled', 'published', 'withdrawn')),
  publish_at timestamptz,
  published_at timestamptz,
  withdrawn_at timestamptz,
  last_reminded_at timestamptz,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (to_members or to_org_admins),
  check (not must_read or read_deadline is not null)
);
create index notices_org_path on notices using gist (org_path);
create index notices_org_created on notices (org_id, created_at desc, id desc);
-- the recurring reminder looks at must-read notices whose deadline nears
create index notices_must_read_deadline on notices (read_deadline) where must_read and status = 'published';

create table notice_target_orgs (
  notice_id bigint not null references notices (id) on delete cascade,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  primary key (notice_id, org_id)
);
create index notice_target_orgs_path on notice_target_orgs using gist (org_path);

-- One row per user asked to read the notice, with the org they were asked as (their member record's
-- org, or the org they administer when the notice went to org admins) for the per-org receipts.
create table notice_recipients (
  notice_id bigint not null references notices (id) on delete cascade,
  user_id bigint not null references users (id) on delete cascade,
  org_id bigint not null references orgs (id),
  read_at timestamptz,
  primary key (notice_id, user_id)
);
-- a user's notices, unread first; the receipts of one notice per org
create index notice_recipients_user on notice_recipients (user_id, notice_id);
create index notice_recipients_notice_org on notice_recipients (notice_id, org_id);
-- a merge rewrites the merged org's rows
create index notice_recipients_org on notice_recipients (org_id);

create table notice_files (
  id bigint generated always as identity primary key,
  notice_id bigint not null references notices (id) on delete cascade,
  kind text not null check (kind in ('photo', 'document')),
  file_name text not null,
  mime_type text not null,
  size_bytes integer not null,
  storage_key text not null,
  created_at timestamptz not null default now()
);
create index notice_files_notice on notice_files (notice_id);

insert into org_owned_columns (table_name, column_name, kind, refers_to, merge_key, module, note) values
  ('notices', 'org_id', 'carried', 'id', '{}', 'notices', null),
  ('notices', 'org_path', 'carried', 'path', '{}', 'notices', null),
  ('notice_target_orgs', 'org_id', 'carried', 'id', '{notice_id}', 'notices', 'a merged target whose survivor is a target too stays on the merged org'),
  ('notice_target_orgs', 'org_path', 'carried', 'path', '{notice_id}', 'notices', null),
  ('notice_recipients', 'org_id', 'carried', 'id', '{}', 'notices', 'the receipts count under the org''s current place');
