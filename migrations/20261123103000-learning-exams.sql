-- Learning, points, question bank and exams, daily quiz, contests (issue 5).

-- ---------- points ----------
-- One rule per action that earns points. Points come only from actions the server records;
-- caps are per member per day (required) and per ISO week (optional).
create table point_rules (
  code text primary key,
  name text not null,
  points integer not null check (points between 0 and 1000),
  daily_cap integer not null check (daily_cap between 0 and 100000),
  weekly_cap integer check (weekly_cap is null or weekly_cap between 0 and 100000),
  is_enabled boolean not null default true,
  sort_order integer not null default 0,
  updated_at timestamptz not null default now()
);
insert into point_rules (code, name, points, daily_cap, weekly_cap, sort_order) values
  ('article_read', '阅读文章', 1, 5, null, 10),
  ('course_complete', '完成课程', 5, 20, null, 20),
  ('study_plan_item', '完成学习计划章节', 1, 5, null, 30),
  ('clock_in', '学习打卡', 1, 1, null, 40),
  ('reading_share', '发布读书分享', 2, 2, 10, 50),
  ('daily_quiz_correct', '每日答题（每答对一题）', 2, 10, null, 60),
  ('exam_pass', '考试合格', 5, 10, null, 70),
  ('contest_join', '参加知识竞赛', 2, 4, null, 80),
  ('activity_attend', '参加组织生活', 3, 6, null, 90);

-- Append-only: an award is never edited; an admin adds a reversing entry (rule 'adjustment',
-- source = the reversed entry) with a reason. The unique key makes every award idempotent.
create table points_ledger (
  id bigint generated always as identity primary key,
  member_id bigint not null references members (id),
  org_path ltree not null,
  rule text not null,
  source_type text not null,
  source_id text not null,
  points integer not null,
  occurred_on date not null,
  created_at timestamptz not null default now(),
  reverses_id bigint references points_ledger (id),
  reason text,
  actor_user_id bigint,
  unique (rule, source_type, source_id)
);
create index points_ledger_member_rule_day on points_ledger (member_id, rule, occurred_on);
create index points_ledger_day_member on points_ledger (occurred_on, member_id) include (points);
create index points_ledger_org_path on points_ledger using gist (org_path);

create function points_ledger_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'points_ledger is append-only';
end $$;
create trigger points_ledger_no_change before update or delete on points_ledger
  for each row execute function points_ledger_append_only();

-- ---------- question bank, papers, exams ----------
create table questions (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  type text not null check (type in ('single', 'multiple', 'true_false', 'fill_blank')),
  stem text not null,
  -- [{key: 'A', text: '…'}]; empty for true/false and fill-in-the-blank
  options jsonb not null default '[]',
  -- single: "A"; multiple: ["A","C"]; true_false: true; fill_blank: [["答案", "同义答案"], …] per blank
  answer jsonb not null,
  tags text[] not null default '{}',
  difficulty text not null check (difficulty in ('easy', 'medium', 'hard')),
  explanation text,
  -- offered to every member in the daily quiz (flagged by a platform admin)
  is_daily boolean not null default false,
  archived_at timestamptz,
  created_by bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index questions_org_path on questions using gist (org_path);
create index questions_tags on questions using gin (tags);
create index questions_daily on questions (id) where is_daily and archived_at is null;

create table papers (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  title text not null,
  mode text not null check (mode in ('fixed', 'random')),
  -- random papers: [{tag, difficulty, type, count, score}] quotas
  quotas jsonb not null default '[]',
  created_by bigint,
  created_at timestamptz not null default now()
);
create index papers_org_path on papers using gist (org_path);

create table paper_questions (
  paper_id bigint not null references papers (id),
  question_id bigint not null references questions (id),
  position integer not null,
  score integer not null check (score > 0),
  primary key (paper_id, question_id)
);

create table exams (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  paper_id bigint not null references papers (id),
  title text not null,
  description text,
  opens_at timestamptz not null,
  closes_at timestamptz not null,
  time_limit_minutes integer not null check (time_limit_minutes between 1 and 1440),
  max_attempts integer not null default 1 check (max_attempts between 1 and 20),
  pass_score integer not null,
  total_score integer not null,
  is_closed_book boolean not null default false,
  -- how many pre-drawn papers (exam_variants) an attempt picks from
  variant_count integer not null default 1,
  make_up_of bigint references exams (id),
  created_by bigint,
  created_at timestamptz not null default now(),
  check (closes_at > opens_at)
);
create index exams_org_path on exams using gist (org_path);
-- one make-up per exam
create unique index exams_one_make_up on exams (make_up_of) where make_up_of is not null;

-- Papers drawn once when the exam is published, so that starting an attempt is one insert.
create table exam_variants (
  exam_id bigint not null references exams (id),
  variant_no integer not null,
  -- snapshot of each question as published ({id, type, stem, options, answer, explanation, score}):
  -- later edits to the bank never change an exam already under way
  questions jsonb not null,
  primary key (exam_id, variant_no)
);

create table exam_participants (
  exam_id bigint not null references exams (id),
  member_id bigint not null references members (id),
  org_path ltree not null,
  primary key (exam_id, member_id)
);
create index exam_participants_member on exam_participants (member_id, exam_id);

create table exam_attempts (
  id bigint generated always as identity primary key,
  exam_id bigint not null references exams (id),
  member_id bigint not null references members (id),
  attempt_no integer not null,
  variant_no integer not null,
  seed integer not null,
  started_at timestamptz not null default now(),
  -- the member's own deadline: start + time limit, never after the window closes
  deadline_at timestamptz not null,
  submitted_at timestamptz,
  is_auto_submitted boolean not null default false,
  score integer,
  is_passed boolean,
  unique (exam_id, member_id, attempt_no)
);
create index exam_attempts_member on exam_attempts (member_id, exam_id);

create table exam_answers (
  attempt_id bigint not null references exam_attempts (id),
  question_id bigint not null references questions (id),
  response jsonb not null,
  is_correct boolean,
  score integer,
  answered_at timestamptz not null default now(),
  primary key (attempt_id, question_id)
);

-- ---------- daily quiz ----------
create table daily_quiz_settings (
  id integer primary key check (id = 1),
  questions_per_day integer not null check (questions_per_day between 1 and 50),
  updated_at timestamptz not null default now()
);
insert into daily_quiz_settings (id, questions_per_day) values (1, 5);

-- The bank is frozen per ISO week on first use: a member's questions for a day are a pure
-- function of (member, date, this list), and no question repeats within the week while the
-- bank has enough questions.
create table daily_quiz_weeks (
  week_start date primary key,
  question_ids bigint[] not null,
  questions_per_day integer not null,
  created_at timestamptz not null default now()
);

create table daily_quiz_submissions (
  id bigint generated always as identity primary key,
  member_id bigint not null references members (id),
  org_path ltree not null,
  quiz_date date not null,
  answers jsonb not null,
  correct_count integer not null,
  question_count integer not null,
  streak integer not null,
  submitted_at timestamptz not null default now(),
  unique (member_id, quiz_date)
);
create index daily_quiz_submissions_date on daily_quiz_submissions (quiz_date);

-- ---------- learning ----------
create table courses (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  title text not null,
  description text,
  kind text not null check (kind in ('video', 'link', 'live', 'series')),
  url text,
  live_starts_at timestamptz,
  live_ends_at timestamptz,
  created_by bigint,
  created_at timestamptz not null default now(),
  archived_at timestamptz
);
create index courses_org_path on courses using gist (org_path);

-- Uploaded course videos: files in DATA_DIR/uploads/videos, served with range requests.
create table learning_videos (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  storage_key text not null unique,
  file_name text not null,
  mime_type text not null,
  size_bytes bigint not null,
  created_by bigint,
  created_at timestamptz not null default now()
);
create index learning_videos_org_path on learning_videos using gist (org_path);

create table course_lessons (
  id bigint generated always as identity primary key,
  course_id bigint not null references courses (id),
  position integer not null,
  title text not null,
  url text,
  video_id bigint references learning_videos (id),
  duration_minutes integer,
  unique (course_id, position)
);

create table lesson_progress (
  lesson_id bigint not null references course_lessons (id),
  member_id bigint not null references members (id),
  course_id bigint not null references courses (id),
  completed_at timestamptz not null default now(),
  primary key (lesson_id, member_id)
);
create index lesson_progress_member_course on lesson_progress (member_id, course_id);

create table course_completions (
  id bigint generated always as identity primary key,
  course_id bigint not null references courses (id),
  member_id bigint not null references members (id),
  completed_at timestamptz not null default now(),
  unique (course_id, member_id)
);

create table articles (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  title text not null,
  body text not null,
  source text,
  published_at timestamptz not null default now(),
  created_by bigint,
  archived_at timestamptz
);
create index articles_org_path on articles using gist (org_path);

create table article_reads (
  id bigint generated always as identity primary key,
  article_id bigint not null references articles (id),
  member_id bigint not null references members (id),
  read_at timestamptz not null default now(),
  unique (article_id, member_id)
);

create table study_plans (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  title text not null,
  description text,
  starts_on date not null,
  ends_on date not null,
  created_by bigint,
  created_at timestamptz not null default now(),
  check (ends_on >= starts_on)
);
create index study_plans_org_path on study_plans using gist (org_path);

create table study_plan_items (
  id bigint generated always as identity primary key,
  plan_id bigint not null references study_plans (id),
  position integer not null,
  title text not null,
  content text,
  due_on date not null,
  unique (plan_id, position)
);

create table study_plan_progress (
  id bigint generated always as identity primary key,
  item_id bigint not null references study_plan_items (id),
  plan_id bigint not null references study_plans (id),
  member_id bigint not null references members (id),
  note text,
  done_at timestamptz not null default now(),
  unique (item_id, member_id)
);
create index study_plan_progress_plan on study_plan_progress (plan_id, member_id);

create table clock_ins (
  id bigint generated always as identity primary key,
  member_id bigint not null references members (id),
  org_path ltree not null,
  day date not null,
  note text not null,
  created_at timestamptz not null default now(),
  unique (member_id, day)
);
create index clock_ins_org_path on clock_ins using gist (org_path);

create table reading_shares (
  id bigint generated always as identity primary key,
  member_id bigint not null references members (id),
  -- the branch whose members see the share
  branch_path ltree not null,
  title text not null,
  content text not null,
  like_count integer not null default 0,
  created_at timestamptz not null default now(),
  deleted_at timestamptz
);
create index reading_shares_branch on reading_shares using gist (branch_path);

create table reading_share_likes (
  share_id bigint not null references reading_shares (id),
  member_id bigint not null references members (id),
  created_at timestamptz not null default now(),
  primary key (share_id, member_id)
);

-- ---------- contests ----------
create table contests (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  paper_id bigint not null references papers (id),
  title text not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  time_limit_seconds integer not null check (time_limit_seconds between 10 and 86400),
  -- papers drawn when the contest is set up (as exam_variants): entering is one insert
  variants jsonb not null,
  created_by bigint,
  created_at timestamptz not null default now(),
  check (ends_at > starts_at)
);
create index contests_org_path on contests using gist (org_path);

-- Who may enter: each listed org, with or without its subtree.
create table contest_orgs (
  contest_id bigint not null references contests (id),
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  include_subtree boolean not null,
  primary key (contest_id, org_id)
);

create table contest_entries (
  id bigint generated always as identity primary key,
  contest_id bigint not null references contests (id),
  member_id bigint not null references members (id),
  org_path ltree not null,
  seed integer not null,
  variant_no integer not null,
  started_at timestamptz not null default now(),
  deadline_at timestamptz not null,
  submitted_at timestamptz,
  answers jsonb,
  score integer,
  duration_ms integer,
  unique (contest_id, member_id)
);
create index contest_entries_board on contest_entries (contest_id, score desc, duration_ms);
