-- Foundation: org tree, members with protected personal data, transfers, accounts, sessions,
-- login throttling, audit log, background jobs.
create extension if not exists ltree;
create extension if not exists pg_trgm;

create table orgs (
  id bigint generated always as identity primary key,
  parent_id bigint references orgs (id),
  -- ltree of ids from the root ('1.7.42'): subtree queries are `path <@ $1` on a GiST index
  path ltree not null unique,
  name text not null,
  type text not null check (type in ('work_committee', 'party_committee', 'organ_committee', 'general_branch', 'branch', 'group', 'temporary_branch')),
  secretary_name text,
  contact_name text,
  contact_phone text,
  address text,
  founded_on date,
  term_start date,
  term_end date,
  sort_order integer not null default 0,
  dissolved_at timestamptz,
  dissolved_reason text,
  search_text text not null default '',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (term_end is null or term_start is null or term_end > term_start)
);
create index orgs_path_gist on orgs using gist (path);
create index orgs_parent on orgs (parent_id, sort_order, id);

create table members (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  -- copy of the org's path so that scoping and subtree counts need no join; kept in step on
  -- transfer and subtree move
  org_path ltree not null,
  name text not null,
  gender text not null check (gender in ('male', 'female')),
  ethnicity text not null default '汉族',
  birth_date date,
  -- personal data: AES-256-GCM ciphertext, an HMAC blind index for uniqueness and exact
  -- search, and the masked form (first 4 / last 4) for lists that never decrypt
  id_number_enc text,
  id_number_hash text unique,
  id_number_masked text,
  id_number_last4 text,
  phone_enc text,
  phone_hash text,
  phone_masked text,
  phone_last4 text,
  education text,
  work_unit text,
  post text,
  stage text not null check (stage in ('applicant', 'activist', 'candidate', 'probationary', 'full')),
  applied_on date,
  activist_on date,
  candidate_on date,
  joined_on date,
  converted_on date,
  residence_community text,
  -- simplified-Chinese name, pinyin initials and full pinyin: one trigram index serves all
  search_text text not null default '',
  left_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index members_org_path_gist on members using gist (org_path);
create index members_org on members (org_id, id);
create index members_search_trgm on members using gin (search_text gin_trgm_ops);
create index members_id_last4 on members (id_number_last4);
create index members_phone_last4 on members (phone_last4);
create index members_phone_hash on members (phone_hash);

create table member_stage_events (
  id bigint generated always as identity primary key,
  member_id bigint not null references members (id),
  stage text not null,
  occurred_on date not null,
  recorded_by bigint,
  created_at timestamptz not null default now()
);
create index member_stage_events_member on member_stage_events (member_id, id);

create table transfers (
  id bigint generated always as identity primary key,
  member_id bigint not null references members (id),
  from_org_id bigint not null references orgs (id),
  to_org_id bigint not null references orgs (id),
  from_path ltree not null,
  to_path ltree not null,
  status text not null check (status in ('issued', 'accepted', 'returned', 'cancelled')),
  reason text not null,
  issued_by bigint,
  issued_at timestamptz not null default now(),
  decided_by bigint,
  decided_at timestamptz,
  decision_note text
);
create index transfers_from_path on transfers using gist (from_path);
create index transfers_to_path on transfers using gist (to_path);
create index transfers_member on transfers (member_id, id);
-- one open transfer per member at a time
create unique index transfers_one_open on transfers (member_id) where status = 'issued';

create table users (
  id bigint generated always as identity primary key,
  username text not null unique,
  display_name text not null,
  password_hash text not null,
  member_id bigint references members (id),
  disabled_at timestamptz,
  password_changed_at timestamptz not null default now(),
  created_at timestamptz not null default now()
);

create table user_roles (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  role text not null check (role in ('platform_admin', 'org_admin', 'member', 'judge')),
  org_id bigint references orgs (id),
  unique (user_id, role, org_id)
);
create index user_roles_user on user_roles (user_id);

create table sessions (
  -- sha-256 of the cookie token: a leaked table does not give working cookies
  id text primary key,
  user_id bigint not null references users (id) on delete cascade,
  csrf_token text not null,
  ip text,
  user_agent text,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user on sessions (user_id);

create table login_failures (
  id bigint generated always as identity primary key,
  username text not null,
  ip text not null,
  at timestamptz not null default now()
);
create index login_failures_username on login_failures (username, at);
create index login_failures_ip on login_failures (ip, at);

create table audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  user_id bigint,
  username text,
  ip text,
  action text not null,
  target_type text not null,
  target_id text,
  -- the org the record belongs to, so that an org admin browses the audit of their subtree
  org_path ltree,
  detail jsonb not null default '{}'
);
create index audit_log_at on audit_log (at desc, id desc);
create index audit_log_org_path on audit_log using gist (org_path);
create index audit_log_target on audit_log (target_type, target_id);

create table jobs (
  id bigint generated always as identity primary key,
  kind text not null,
  status text not null check (status in ('queued', 'running', 'done', 'failed')),
  progress integer not null default 0,
  total integer not null default 0,
  result jsonb,
  created_by bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
