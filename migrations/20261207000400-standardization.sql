-- 达标定级 (issue #15): an org's grading scheme for a year — its grades, best first, and the criteria
-- of the standard checklist —, a grading round per branch (self-assessment → review by the level above →
-- one appeal → final → published), and the rectification tasks of a branch graded low, which is then
-- re-graded in a new round linked to the previous one.

create table grading_schemes (
  id bigserial primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  year int not null check (year between 1900 and 2199),
  name text not null,
  -- best first: [{"level": 1, "name": "先进", "isLow": false, "minPoints": null}, …]; level = position + 1
  grades jsonb not null,
  status text not null default 'draft' check (status in ('draft', 'active', 'archived')),
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  activated_at timestamptz
);
create index grading_schemes_org_path on grading_schemes using gist (org_path);

create table grading_criteria (
  id bigserial primary key,
  scheme_id bigint not null references grading_schemes (id) on delete cascade,
  position int not null,
  text text not null,
  kind text not null check (kind in ('computed', 'evidenced')),
  -- a computed criterion is met when the indicator's value over the scheme's year reaches the threshold
  indicator_code text,
  threshold numeric,
  -- must be met for this grade and every better one (null: counts only by its points)
  required_for_level int,
  points int not null default 0,
  check ((kind = 'computed') = (indicator_code is not null and threshold is not null)),
  unique (scheme_id, position)
);

create table grading_rounds (
  id bigserial primary key,
  scheme_id bigint not null references grading_schemes (id),
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  -- a re-grade after rectification: the round it follows (that one is then superseded)
  previous_round_id bigint references grading_rounds (id),
  status text not null default 'self_assessing'
    check (status in ('self_assessing', 'submitted', 'graded', 'appealed', 'final', 'published')),
  proposed_level int,
  self_summary text,
  submitted_at timestamptz,
  submitted_by bigint references users (id),
  return_reason text,
  grade_level int,
  grade_name text,
  grade_is_low boolean,
  review_comment text,
  reviewed_at timestamptz,
  reviewed_by bigint references users (id),
  reviewer_name text,
  -- one appeal per round
  appeal_reason text,
  appealed_at timestamptz,
  appealed_by bigint references users (id),
  appeal_response text,
  rereviewed_at timestamptz,
  rereviewed_by bigint references users (id),
  original_grade_level int,
  final_at timestamptz,
  published_at timestamptz,
  published_by bigint references users (id),
  superseded_at timestamptz,
  created_by bigint references users (id),
  created_at timestamptz not null default now()
);
create index grading_rounds_org_path on grading_rounds using gist (org_path);
create index grading_rounds_scheme on grading_rounds (scheme_id, status);
create index grading_rounds_previous on grading_rounds (previous_round_id) where previous_round_id is not null;

-- one row per criterion of a round: the branch's self-assessment, the computed value when it was
-- submitted, and the reviewer's verdict
create table grading_checks (
  round_id bigint not null references grading_rounds (id) on delete cascade,
  criterion_id bigint not null references grading_criteria (id),
  self_met boolean,
  evidence text,
  computed_numerator numeric,
  computed_denominator numeric,
  computed_value numeric,
  review_met boolean,
  review_comment text,
  primary key (round_id, criterion_id)
);

-- files the branch attaches to a criterion as its evidence (photos, PDF, Word, Excel; in the uploads folder)
create table grading_evidence_files (
  id bigserial primary key,
  round_id bigint not null references grading_rounds (id) on delete cascade,
  criterion_id bigint not null references grading_criteria (id),
  file_name text not null,
  mime_type text not null,
  size_bytes int not null,
  storage_key text not null,
  uploaded_by bigint references users (id),
  created_at timestamptz not null default now()
);
create index grading_evidence_files_round on grading_evidence_files (round_id, criterion_id);

create table grading_rectifications (
  id bigserial primary key,
  round_id bigint not null references grading_rounds (id),
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  task text not null,
  deadline date not null,
  owner_name text not null,
  status text not null default 'open' check (status in ('open', 'closed')),
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  closed_at timestamptz,
  closed_by bigint references users (id),
  closing_comment text
);
create index grading_rectifications_org_path on grading_rectifications using gist (org_path);
create index grading_rectifications_round on grading_rectifications (round_id);

create table grading_rectification_progress (
  id bigserial primary key,
  rectification_id bigint not null references grading_rectifications (id) on delete cascade,
  note text not null,
  evidence text,
  created_by bigint references users (id),
  author_name text not null,
  created_at timestamptz not null default now()
);
create index grading_rectification_progress_task on grading_rectification_progress (rectification_id, created_at);

insert into org_owned_columns (table_name, column_name, kind, refers_to, merge_key, module, note) values
  ('grading_schemes', 'org_id', 'carried', 'id', '{}', 'standardization', 'the scheme of the org that grades its subtree'),
  ('grading_schemes', 'org_path', 'carried', 'path', '{}', 'standardization', null),
  ('grading_rounds', 'org_id', 'carried', 'id', '{}', 'standardization', 'the graded branch: on a merge its rounds go to the survivor'),
  ('grading_rounds', 'org_path', 'carried', 'path', '{}', 'standardization', null),
  ('grading_rectifications', 'org_id', 'carried', 'id', '{}', 'standardization', null),
  ('grading_rectifications', 'org_path', 'carried', 'path', '{}', 'standardization', null);
