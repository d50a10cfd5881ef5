-- Issue #15: read-only access.
-- 1. The role `inspector` (督查/领导): granted on an org like org_admin, it reads that subtree and writes nothing.
alter table user_roles drop constraint user_roles_role_check;
alter table user_roles add constraint user_roles_role_check check (role in ('platform_admin', 'org_admin', 'member', 'judge', 'inspector'));

-- 2. 委员联系支部: a committee member assigned by the admins above a branch to liaise with it. While the
-- assignment stands (from_date .. until_date, China days, and not ended) the liaison reads the branch
-- read-only (the session loads the paths, platform/session.ts) and records 旁听 of its activities.
create table org_liaisons (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  -- the branch liaised with
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  -- what the liaison is on the committee above (e.g. 组织委员)
  duty text,
  from_date date not null,
  until_date date,
  ended_at timestamptz,
  ended_by bigint references users (id),
  assigned_by bigint references users (id),
  created_at timestamptz not null default now(),
  check (until_date is null or until_date >= from_date)
);
create index org_liaisons_user on org_liaisons (user_id) where ended_at is null;
create index org_liaisons_org_path on org_liaisons using gist (org_path);
-- one standing assignment of a user to a branch
create unique index org_liaisons_one_open on org_liaisons (user_id, org_id) where ended_at is null;

-- a session remembers the paths an assignment grants: forget the liaison's sessions when it changes
create trigger org_liaisons_notify after insert or update or delete on org_liaisons for each row execute function notify_sessions_of_user();

-- 旁听: the liaison sat in on an activity of the branch (the activity is the activities module's
-- record, read through its service; its title and time are kept as they were)
create table liaison_sit_ins (
  id bigint generated always as identity primary key,
  liaison_id bigint not null references org_liaisons (id),
  user_id bigint not null references users (id),
  -- the activity's org (the branch or one of its 党小组)
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  activity_id bigint not null,
  activity_title text not null,
  activity_starts_at timestamptz not null,
  sat_in_on date not null,
  observations text not null,
  suggestions text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index liaison_sit_ins_one on liaison_sit_ins (user_id, activity_id);
create index liaison_sit_ins_org_path on liaison_sit_ins using gist (org_path);
create index liaison_sit_ins_user on liaison_sit_ins (user_id, sat_in_on desc, id desc);

insert into org_owned_columns (table_name, column_name, kind, refers_to, merge_key, module, note) values
  ('org_liaisons', 'org_id', 'carried', 'id', '{user_id,ended_at}', 'liaisons', 'a merged branch''s liaison liaises with the survivor, unless already assigned to it'),
  ('org_liaisons', 'org_path', 'carried', 'path', '{user_id,ended_at}', 'liaisons', null),
  ('liaison_sit_ins', 'org_id', 'carried', 'id', '{}', 'liaisons', null),
  ('liaison_sit_ins', 'org_path', 'carried', 'path', '{}', 'liaisons', null);
