-- 民主评议党员 (appraisals): once a year each branch appraises its members — 自评, 民主测评 (every
-- participant rates every other), 支委会评议, then final grades, 公示 of the 优秀, and publication.
create table appraisal_rounds (
  id bigint generated always as identity primary key,
  -- the branch
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  year integer not null check (year between 2000 and 2199),
  phase text not null default 'self_assessment'
    check (phase in ('self_assessment', 'mutual', 'committee', 'final', 'public_notice', 'published')),
  -- 优秀 may be at most this share of the participants (customarily 30%)
  excellent_share_percent integer not null default 30 check (excellent_share_percent between 0 and 100),
  -- the 公示 of the 优秀 (public_notices module), once opened
  public_notice_id bigint,
  opened_by bigint references users (id),
  created_at timestamptz not null default now(),
  published_at timestamptz
);
create unique index appraisal_rounds_one_a_year on appraisal_rounds (org_id, year);
create index appraisal_rounds_org_path on appraisal_rounds using gist (org_path);

-- the branch's full and probationary members when the round opened (a snapshot: later joiners wait for next year)
create table appraisal_participants (
  round_id bigint not null references appraisal_rounds (id) on delete cascade,
  member_id bigint not null references members (id),
  name text not null,
  stage text not null check (stage in ('full', 'probationary')),
  self_summary text,
  self_grade text check (self_grade in ('excellent', 'qualified', 'basically_qualified', 'unqualified')),
  committee_grade text check (committee_grade in ('excellent', 'qualified', 'basically_qualified', 'unqualified')),
  final_grade text check (final_grade in ('excellent', 'qualified', 'basically_qualified', 'unqualified')),
  -- required for 不合格 (and kept for 基本合格 when given)
  final_reason text,
  -- an objection to the 公示 was upheld: 优秀 fell back to 合格, for this reason
  withdrawn_reason text,
  primary key (round_id, member_id),
  check (final_grade is distinct from 'unqualified' or final_reason is not null)
);
create index appraisal_participants_member on appraisal_participants (member_id);

-- 民主测评 is secret. Who has voted and what was voted are kept apart so that no one — an administrator,
-- nor anyone reading the database — can tell who rated whom:
--   appraisal_ballots says only that a participant has voted (no time, no contents);
--   appraisal_ratings holds counts per (round, ratee, grade): a ballot adds one to each count it names,
--   so no row is a ballot, and there is no rater, time or insertion order to join on.
create table appraisal_ballots (
  round_id bigint not null references appraisal_rounds (id) on delete cascade,
  rater_member_id bigint not null,
  primary key (round_id, rater_member_id)
);

create table appraisal_ratings (
  round_id bigint not null references appraisal_rounds (id) on delete cascade,
  ratee_member_id bigint not null,
  grade text not null check (grade in ('excellent', 'qualified', 'basically_qualified', 'unqualified')),
  votes integer not null check (votes > 0),
  primary key (round_id, ratee_member_id, grade)
);

insert into org_owned_columns (table_name, column_name, kind, refers_to, merge_key, module, note) values
  ('appraisal_rounds', 'org_id', 'carried', 'id', '{year}', 'appraisals', 'a merged branch''s round goes to the survivor unless the survivor has its own for that year'),
  ('appraisal_rounds', 'org_path', 'carried', 'path', '{year}', 'appraisals', null);
