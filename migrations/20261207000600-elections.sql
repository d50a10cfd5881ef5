-- 换届: an org's elected terms (届次) with the committee elected, and the procedure of an election
-- (请示 → 批复 → 选举大会 → 报备). The org's current term dates stay on orgs.term_start/term_end
-- (the 工作台's to-dos and reminders read them): a filed election sets them through the orgs service.
create table org_terms (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  elected_on date not null,
  term_years integer not null check (term_years between 1 and 10),
  ends_on date not null,
  -- 等额 (as many candidates as seats) or 差额 (more candidates than seats)
  method text not null check (method in ('equal', 'competitive')),
  -- members (or delegates) entitled to vote, and ballots cast
  voters_count integer not null check (voters_count > 0),
  votes_cast integer not null check (votes_cast >= 0),
  -- the procedure that elected it (null for a term recorded afterwards from the archive)
  procedure_id bigint,
  -- 报备 accepted by the level above; null while the election waits for it
  filed_on date,
  note text,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  check (votes_cast <= voters_count),
  check (ends_on > elected_on)
);
create index org_terms_org_path on org_terms using gist (org_path);
create index org_terms_org_elected on org_terms (org_id, elected_on desc, id desc);
-- the on-time rate: terms that ended in a period
create index org_terms_ends_on on org_terms (ends_on);

-- The committee as elected (书记/副书记/委员), with each one's votes; the name is kept as it was then.
create table org_term_members (
  term_id bigint not null references org_terms (id) on delete cascade,
  member_id bigint not null references members (id),
  name text not null,
  role text not null check (role in ('secretary', 'deputy_secretary', 'committee_member')),
  votes integer check (votes >= 0),
  sort_order integer not null default 0,
  primary key (term_id, member_id)
);
create index org_term_members_member on org_term_members (member_id);

create table election_procedures (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  -- the term being replaced: the org's term end when the procedure started
  replaces_term_end date,
  status text not null default 'in_progress' check (status in ('in_progress', 'completed', 'cancelled')),
  term_id bigint references org_terms (id),
  note text,
  cancel_reason text,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index election_procedures_org_path on election_procedures using gist (org_path);
create index election_procedures_org on election_procedures (org_id, created_at desc, id desc);
-- one election at a time per org is kept by the service (not a unique index: a merge may bring the
-- merged org's open election to a survivor that has one too, and both stay on record)
create index election_procedures_open on election_procedures (org_id) where status = 'in_progress';
alter table org_terms add constraint org_terms_procedure_fk foreign key (procedure_id) references election_procedures (id);

-- The steps in their order: request 请示 (by the org), approval 批复 (by the level above), congress
-- 选举大会 (by the org), filing 报备 (accepted by the level above). The service enforces the order.
create table election_steps (
  procedure_id bigint not null references election_procedures (id) on delete cascade,
  step text not null check (step in ('request', 'approval', 'congress', 'filing')),
  done_on date not null,
  document_no text,
  document_title text not null,
  note text,
  recorded_by bigint references users (id),
  recorded_at timestamptz not null default now(),
  primary key (procedure_id, step)
);

insert into org_owned_columns (table_name, column_name, kind, refers_to, merge_key, module, note) values
  ('org_terms', 'org_id', 'carried', 'id', '{}', 'elections', null),
  ('org_terms', 'org_path', 'carried', 'path', '{}', 'elections', null),
  ('election_procedures', 'org_id', 'carried', 'id', '{}', 'elections', 'a merged org''s open election goes to the survivor with its history'),
  ('election_procedures', 'org_path', 'carried', 'path', '{}', 'elections', null);

-- 组织生活会, 民主生活会 and 中心组学习 join the kinds of organizational life; 第一议题 marks a meeting
-- whose first agenda item is studying the latest important speech.
alter table activities drop constraint activities_type_check;
alter table activities add constraint activities_type_check check (type in ('branch_general_meeting', 'branch_committee_meeting', 'group_meeting',
  'party_lesson', 'theme_day', 'oath_ceremony', 'party_birthday', 'seminar', 'open_lesson', 'live_lesson',
  'org_life_meeting', 'democratic_life_meeting', 'study_group'));
alter table activities add column is_first_topic boolean not null default false;

-- 批评与自我批评 at a 组织生活会 or 民主生活会: one record per participant.
create table activity_criticisms (
  activity_id bigint not null references activities (id) on delete cascade,
  member_id bigint not null references members (id),
  self_criticism text not null,
  criticisms_received text,
  rectification text,
  recorded_by bigint references users (id),
  updated_at timestamptz not null default now(),
  primary key (activity_id, member_id)
);
create index activity_criticisms_member on activity_criticisms (member_id);
