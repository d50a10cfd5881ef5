-- Serving the people (我为群众办实事): service projects with milestones, evidence, staged
-- reviews, history and citizens' feedback; micro-wishes; communities and 双报到; volunteering;
-- donations; co-building agreements. Every record carries the ltree path of its org so that
-- scoping and subtree statistics are one `<@` condition on a GiST index.

-- Categories are configured per tree (the root org); a tree without rows uses the defaults
-- (党员教育成长, 党建惠企利民, 关爱减负, 帮扶解困, 文明创建) kept in the contract.
create table service_project_categories (
  id bigint generated always as identity primary key,
  root_org_id bigint not null references orgs (id),
  name text not null,
  sort_order integer not null default 0,
  unique (root_org_id, name)
);

create table service_projects (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  title text not null,
  category text not null,
  source text not null check (source in ('mass_feedback', 'survey_visit', 'assigned')),
  -- the people's need it answers (急难愁盼)
  need text not null,
  owner_name text not null,
  started_on date not null default current_date,
  planned_completion date not null,
  completed_on date,
  progress integer not null default 0 check (progress between 0 and 100),
  status text not null default 'planned' check (status in ('planned', 'in_progress', 'done', 'stalled')),
  is_major_problem boolean not null default false,
  result text,
  -- shown on the public page of the tree
  is_public boolean not null default true,
  -- returned by the upper org for rework, until the org resubmits
  is_returned boolean not null default false,
  search_text text not null default '',
  created_by bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (planned_completion >= started_on),
  check (status <> 'done' or completed_on is not null)
);
create index service_projects_org_path on service_projects using gist (org_path);
create index service_projects_org on service_projects (org_id, id);
create index service_projects_search on service_projects using gin (search_text gin_trgm_ops);

create table service_project_milestones (
  id bigint generated always as identity primary key,
  project_id bigint not null references service_projects (id) on delete cascade,
  title text not null,
  due_on date not null,
  done_on date,
  sort_order integer not null default 0
);
create index service_project_milestones_project on service_project_milestones (project_id, sort_order, id);

-- Uploaded files live in DATA_DIR/uploads/<storage_key>; the row is the only way to reach them.
create table service_project_evidence (
  id bigint generated always as identity primary key,
  project_id bigint not null references service_projects (id) on delete cascade,
  kind text not null check (kind in ('photo', 'document')),
  file_name text not null,
  mime_type text not null,
  size_bytes integer not null,
  storage_key text not null unique,
  uploaded_by bigint,
  created_at timestamptz not null default now()
);
create index service_project_evidence_project on service_project_evidence (project_id, id);

-- Staged reviews (阶段性梳理) by an upper org.
create table service_project_reviews (
  id bigint generated always as identity primary key,
  project_id bigint not null references service_projects (id) on delete cascade,
  stage text,
  comment text not null,
  rating integer check (rating between 1 and 5),
  is_returned boolean not null default false,
  reviewer_user_id bigint not null,
  reviewer_name text not null,
  created_at timestamptz not null default now()
);
create index service_project_reviews_project on service_project_reviews (project_id, id);

-- Every change of a project: who, when, what, before and after.
create table service_project_events (
  id bigint generated always as identity primary key,
  project_id bigint not null references service_projects (id) on delete cascade,
  at timestamptz not null default now(),
  user_id bigint,
  username text,
  action text not null,
  before jsonb,
  after jsonb
);
create index service_project_events_project on service_project_events (project_id, id);

-- Citizens' satisfaction ratings and comments from the public page, shown after moderation.
create table service_project_feedback (
  id bigint generated always as identity primary key,
  project_id bigint not null references service_projects (id) on delete cascade,
  rating integer not null check (rating between 1 and 5),
  comment text,
  nickname text,
  ip text not null,
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
  moderated_by bigint,
  moderated_at timestamptz,
  created_at timestamptz not null default now()
);
create index service_project_feedback_project on service_project_feedback (project_id, status, id);
create index service_project_feedback_pending on service_project_feedback (status, id);

-- Anonymous submissions per address (citizen feedback, wish posts), counted in a window → 429.
create table public_submissions (
  id bigint generated always as identity primary key,
  ip text not null,
  action text not null,
  at timestamptz not null default now()
);
create index public_submissions_ip on public_submissions (ip, action, at);

-- Communities (社区) registered by an org, usually the work committee of the tree.
create table communities (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  name text not null,
  street text not null,
  contact_name text,
  contact_phone text,
  address text,
  search_text text not null default '',
  archived_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index communities_org_path on communities using gist (org_path);
create unique index communities_name on communities (subpath(org_path, 0, 1), street, name) where archived_at is null;

-- 双报到: an in-service member reports to the community where they live (one at a time).
create table community_reports (
  id bigint generated always as identity primary key,
  member_id bigint not null unique references members (id),
  community_id bigint not null references communities (id),
  reported_on date not null default current_date,
  recorded_by bigint,
  created_at timestamptz not null default now()
);
create index community_reports_community on community_reports (community_id, id);

create table micro_wishes (
  id bigint generated always as identity primary key,
  -- the tree root for a resident's wish, the community's org for a community's wish
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  community_id bigint references communities (id),
  source text not null check (source in ('resident', 'community')),
  title text not null,
  content text not null,
  poster_name text not null,
  -- AES-GCM (app.cipher): revealed only to the claimant and, audited, to admins
  poster_contact_enc text not null,
  poster_contact_masked text not null,
  -- sha-256 of the code the resident keeps to follow and confirm the wish
  tracking_code_hash text unique,
  status text not null check (status in ('pending_review', 'rejected', 'open', 'claimed', 'fulfilled', 'confirmed')),
  rejection_reason text,
  published_at timestamptz,
  claimed_by_member_id bigint references members (id),
  claimed_by_user_id bigint,
  claimed_at timestamptz,
  fulfilment_note text,
  fulfilled_at timestamptz,
  confirmed_at timestamptz,
  confirmed_by text,
  ip text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((status in ('claimed', 'fulfilled', 'confirmed')) = (claimed_by_member_id is not null))
);
create index micro_wishes_org_path on micro_wishes using gist (org_path);
create index micro_wishes_status on micro_wishes (status, published_at);
create index micro_wishes_claimant on micro_wishes (claimed_by_member_id);

create table micro_wish_evidence (
  id bigint generated always as identity primary key,
  wish_id bigint not null references micro_wishes (id),
  kind text not null check (kind in ('photo', 'document')),
  file_name text not null,
  mime_type text not null,
  size_bytes integer not null,
  storage_key text not null unique,
  uploaded_by bigint,
  created_at timestamptz not null default now()
);
create index micro_wish_evidence_wish on micro_wish_evidence (wish_id, id);

create table volunteer_projects (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  community_id bigint references communities (id),
  title text not null,
  description text,
  place text not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  capacity integer not null check (capacity > 0),
  cancelled_at timestamptz,
  created_by bigint,
  created_at timestamptz not null default now(),
  check (ends_at > starts_at)
);
create index volunteer_projects_org_path on volunteer_projects using gist (org_path);

create table volunteer_signups (
  id bigint generated always as identity primary key,
  project_id bigint not null references volunteer_projects (id),
  member_id bigint not null references members (id),
  signed_up_at timestamptz not null default now(),
  -- null until the organizer confirms attendance
  attended boolean,
  -- confirmed hours in tenths (2.5 h = 25), set by the organizer
  hours_tenths integer check (hours_tenths between 0 and 240),
  confirmed_by bigint,
  confirmed_at timestamptz,
  unique (project_id, member_id)
);
create index volunteer_signups_member on volunteer_signups (member_id);

create table donation_campaigns (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  title text not null,
  description text,
  starts_on date not null,
  ends_on date,
  goal_fen bigint check (goal_fen > 0),
  created_at timestamptz not null default now(),
  check (ends_on is null or ends_on >= starts_on)
);
create index donation_campaigns_org_path on donation_campaigns using gist (org_path);

create table donations (
  id bigint generated always as identity primary key,
  campaign_id bigint not null references donation_campaigns (id),
  donor_type text not null check (donor_type in ('org', 'member', 'anonymous')),
  donor_org_id bigint references orgs (id),
  donor_member_id bigint references members (id),
  -- the org credited in per-org totals: the donor org, or the member's org when recorded
  credited_org_id bigint references orgs (id),
  credited_org_path ltree,
  amount_fen bigint not null check (amount_fen > 0),
  donated_on date not null,
  receipt_no text not null,
  note text,
  recorded_by bigint,
  created_at timestamptz not null default now(),
  unique (campaign_id, receipt_no),
  check ((donor_type = 'org') = (donor_org_id is not null)),
  check ((donor_type = 'member') = (donor_member_id is not null))
);
create index donations_campaign on donations (campaign_id, id);

create table co_building_agreements (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  community_id bigint not null references communities (id),
  title text not null,
  content text not null,
  signed_on date not null,
  starts_on date not null,
  ends_on date,
  created_at timestamptz not null default now(),
  check (ends_on is null or ends_on >= starts_on)
);
create index co_building_agreements_org_path on co_building_agreements using gist (org_path);

create table co_building_projects (
  id bigint generated always as identity primary key,
  agreement_id bigint not null references co_building_agreements (id),
  title text not null,
  description text,
  planned_on date,
  done_on date,
  created_at timestamptz not null default now()
);
create index co_building_projects_agreement on co_building_projects (agreement_id, id);
