-- 党建工作责任清单 (issue #15): each level's duties for a year, issued from a template by the level above
-- (机关工委 → 党组(党委), 机关党委 → 党支部书记, 党支部 → 党员). The owner reports progress with evidence;
-- the level above inspects (检查记录) and closes each item. Then the annual 述职评议考核: secretaries'
-- reports scored by the reviewing body's judges through the judging engine, graded per org.

create table responsibility_templates (
  id bigint generated always as identity primary key,
  -- the issuing org: its admins write the template and issue it below
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  level text not null check (level in ('work_committee', 'leading_group', 'organ_committee', 'branch_secretary', 'member')),
  year integer not null check (year between 2000 and 2100),
  title text not null,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index responsibility_templates_org_path on responsibility_templates using gist (org_path);
create index responsibility_templates_year on responsibility_templates (year desc, id desc);

create table responsibility_template_items (
  template_id bigint not null references responsibility_templates (id) on delete cascade,
  sort_order integer not null,
  task text not null,
  deadline date not null,
  evidence_required text not null,
  primary key (template_id, sort_order)
);

-- One list per owner: an org, or (level member) one member of the org it was issued in.
create table responsibility_lists (
  id bigint generated always as identity primary key,
  template_id bigint not null references responsibility_templates (id),
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  member_id bigint references members (id),
  level text not null,
  year integer not null,
  title text not null,
  -- closed once every item is closed
  status text not null default 'open' check (status in ('open', 'closed')),
  issued_by bigint references users (id),
  issued_at timestamptz not null default now()
);
create index responsibility_lists_org_path on responsibility_lists using gist (org_path);
create index responsibility_lists_template on responsibility_lists (template_id, id);
create unique index responsibility_lists_one_per_org on responsibility_lists (template_id, org_id) where member_id is null;
create unique index responsibility_lists_one_per_member on responsibility_lists (template_id, member_id) where member_id is not null;
create index responsibility_lists_member on responsibility_lists (member_id) where member_id is not null;

create table responsibility_items (
  id bigint generated always as identity primary key,
  list_id bigint not null references responsibility_lists (id) on delete cascade,
  sort_order integer not null,
  task text not null,
  deadline date not null,
  evidence_required text not null,
  status text not null default 'open' check (status in ('open', 'reported', 'closed', 'rectifying')),
  -- the rectification deadline of the last inspection that required one
  rectify_deadline date,
  closed_at timestamptz,
  closed_by bigint references users (id),
  close_note text,
  updated_at timestamptz not null default now()
);
create index responsibility_items_list on responsibility_items (list_id, sort_order);
-- overdue items: not closed, past their (rectification) deadline
create index responsibility_items_open_deadline on responsibility_items (deadline) where status <> 'closed';

create table responsibility_progress_reports (
  id bigint generated always as identity primary key,
  item_id bigint not null references responsibility_items (id) on delete cascade,
  body text not null,
  reported_by bigint references users (id),
  reporter_name text not null,
  created_at timestamptz not null default now()
);
create index responsibility_progress_reports_item on responsibility_progress_reports (item_id, id);

create table responsibility_files (
  id bigint generated always as identity primary key,
  report_id bigint not null references responsibility_progress_reports (id) on delete cascade,
  kind text not null check (kind in ('photo', 'document')),
  file_name text not null,
  mime_type text not null,
  size_bytes integer not null,
  storage_key text not null,
  uploaded_by bigint references users (id),
  created_at timestamptz not null default now()
);
create index responsibility_files_report on responsibility_files (report_id, id);

-- 检查记录 of the level above
create table responsibility_inspections (
  id bigint generated always as identity primary key,
  item_id bigint not null references responsibility_items (id) on delete cascade,
  inspected_on date not null,
  inspectors text not null,
  findings text not null,
  rectification_required boolean not null,
  rectify_deadline date,
  recorded_by bigint references users (id),
  recorder_name text not null,
  created_at timestamptz not null default now(),
  check (rectification_required or rectify_deadline is null)
);
create index responsibility_inspections_item on responsibility_inspections (item_id, id);

-- 述职评议考核: one round per reviewing body and year; a report per org reviewed; the panel is the
-- judging engine's (scores, trimmed means, conflicts of interest), the grade thresholds the round's.
create table duty_review_rounds (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  year integer not null check (year between 2000 and 2100),
  title text not null,
  -- scores at or above: 好, 较好, 一般; below the last: 差
  good_from numeric(5, 2) not null default 90,
  fairly_good_from numeric(5, 2) not null default 80,
  average_from numeric(5, 2) not null default 60,
  status text not null default 'collecting' check (status in ('collecting', 'reviewing', 'closed')),
  panel_id text,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  check (good_from > fairly_good_from and fairly_good_from > average_from and average_from >= 0 and good_from <= 100)
);
create index duty_review_rounds_org_path on duty_review_rounds using gist (org_path);

create table duty_reports (
  id bigint generated always as identity primary key,
  round_id bigint not null references duty_review_rounds (id) on delete cascade,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  secretary_name text,
  body text,
  submitted_at timestamptz,
  submitted_by bigint references users (id),
  file_name text,
  mime_type text,
  size_bytes integer,
  storage_key text,
  panel_entry_id text,
  -- final on closing the round (panelResults then)
  score numeric(5, 2),
  rank integer,
  grade text check (grade in ('good', 'fairly_good', 'average', 'poor')),
  unique (round_id, org_id)
);
create index duty_reports_org_path on duty_reports using gist (org_path);

insert into org_owned_columns (table_name, column_name, kind, refers_to, merge_key, module, note) values
  ('responsibility_templates', 'org_id', 'carried', 'id', '{}', 'responsibility_lists', null),
  ('responsibility_templates', 'org_path', 'carried', 'path', '{}', 'responsibility_lists', null),
  ('responsibility_lists', 'org_id', 'carried', 'id', '{template_id, member_id}', 'responsibility_lists', 'a merged org''s list of a template the survivor also holds stays on the merged org'),
  ('responsibility_lists', 'org_path', 'carried', 'path', '{template_id, member_id}', 'responsibility_lists', null),
  ('duty_review_rounds', 'org_id', 'carried', 'id', '{}', 'responsibility_lists', null),
  ('duty_review_rounds', 'org_path', 'carried', 'path', '{}', 'responsibility_lists', null),
  ('duty_reports', 'org_id', 'carried', 'id', '{round_id}', 'responsibility_lists', 'a merged org''s report of a round the survivor also reports in stays on the merged org'),
  ('duty_reports', 'org_path', 'carried', 'path', '{round_id}', 'responsibility_lists', null);
