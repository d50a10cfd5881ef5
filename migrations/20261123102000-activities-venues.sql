-- Organizational life (activities, participants, make-up study, 三会一课 cadence rules, calendar
-- feeds) and venues (halls, bookings, service stations).

create table activities (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  -- copy of the org's path: scoping and subtree roll-ups need no join
  org_path ltree not null,
  type text not null check (type in ('branch_general_meeting', 'branch_committee_meeting', 'group_meeting', 'party_lesson',
    'theme_day', 'oath_ceremony', 'party_birthday', 'seminar', 'open_lesson', 'live_lesson')),
  title text not null,
  topic text,
  agenda text,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  place text,
  venue_booking_id bigint,
  host_name text,
  stream_url text,
  -- copies of one recurring live class share a series id (the first copy's id)
  series_id bigint,
  -- an open class may also be shown to the public (without participants' data)
  is_public boolean not null default false,
  -- 三带来三带走: participants bring an idea, an opinion and a volunteer proposal, and write a takeaway
  asks_bring_and_take boolean not null default false,
  status text not null default 'draft' check (status in ('draft', 'published', 'closed', 'cancelled')),
  check_in_opens_at timestamptz not null,
  check_in_closes_at timestamptz not null,
  -- the 6-digit code read out in the room; fixed per activity, the organizer may reset it
  check_in_code text not null,
  minutes text,
  resolutions text,
  summary text,
  recording_url text,
  attachments jsonb not null default '[]',
  -- what the organizer selected (orgs, stages, persons), kept for the record
  selection jsonb not null default '{}',
  search_text text not null default '',
  created_by bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  published_at timestamptz,
  closed_at timestamptz,
  cancelled_at timestamptz,
  cancel_reason text,
  check (ends_at > starts_at),
  check (check_in_closes_at > check_in_opens_at)
);
create index activities_org_path_gist on activities using gist (org_path);
create index activities_starts on activities (starts_at, id);
-- a member's visible open classes: those of the orgs above the member's own (org_path @> member path)
create index activities_open_lessons on activities using gist (org_path) where type = 'open_lesson';
-- 三会一课 compliance: the last held activity of each type per org
create index activities_org_type_starts on activities (org_id, type, starts_at) where status <> 'cancelled';

create table activity_participants (
  activity_id bigint not null references activities (id) on delete cascade,
  member_id bigint not null references members (id),
  state text not null default 'invited' check (state in ('invited', 'registered', 'leave', 'present', 'late', 'absent')),
  registered_at timestamptz,
  leave_reason text,
  checked_in_at timestamptz,
  check_in_method text check (check_in_method in ('qr', 'code', 'organizer')),
  -- wrong 6-digit codes; at 5 the code no longer works for this member (QR and organizer still do)
  code_failures smallint not null default 0,
  -- the in-app notice: unread until the member opens it
  read_at timestamptz,
  idea text,
  opinion text,
  volunteer_proposal text,
  brought_at timestamptz,
  takeaway text,
  took_away_at timestamptz,
  primary key (activity_id, member_id)
);
-- the member's inbox and "my activities"
create index activity_participants_member on activity_participants (member_id, activity_id);

create table make_up_tasks (
  id bigint generated always as identity primary key,
  activity_id bigint not null references activities (id) on delete cascade,
  member_id bigint not null references members (id),
  org_path ltree not null,
  -- why the member missed it: absent or on leave
  reason text not null check (reason in ('absent', 'leave')),
  status text not null default 'open' check (status in ('open', 'done')),
  note text,
  created_at timestamptz not null default now(),
  done_at timestamptz,
  unique (activity_id, member_id)
);
create index make_up_tasks_member on make_up_tasks (member_id, status, id);
create index make_up_tasks_org_path on make_up_tasks using gist (org_path);

-- 三会一课 cadence per tree: the rule of the nearest org (itself or an ancestor) wins; defaults in code
create table compliance_rules (
  org_id bigint not null references orgs (id),
  activity_type text not null check (activity_type in ('branch_general_meeting', 'branch_committee_meeting', 'group_meeting', 'party_lesson')),
  period_months integer not null check (period_months in (1, 2, 3, 4, 6, 12)),
  updated_at timestamptz not null default now(),
  primary key (org_id, activity_type)
);

create table calendar_feeds (
  user_id bigint primary key references users (id) on delete cascade,
  -- sha-256 of the secret in the feed URL
  token_hash text not null unique,
  created_at timestamptz not null default now()
);

create table venues (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  name text not null,
  kind text not null check (kind in ('tempering_centre', 'service_centre', 'exhibition_hall', 'other')),
  address text,
  description text,
  contact_name text,
  contact_phone text,
  opens_at time not null default '09:00',
  closes_at time not null default '17:00',
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (closes_at > opens_at)
);
create index venues_org_path on venues using gist (org_path);

create table venue_halls (
  id bigint generated always as identity primary key,
  venue_id bigint not null references venues (id),
  name text not null,
  kind text not null default 'hall' check (kind in ('hall', 'area')),
  capacity integer not null check (capacity > 0),
  opens_at time not null,
  closes_at time not null,
  is_active boolean not null default true,
  sort_order integer not null default 0,
  check (closes_at > opens_at),
  unique (venue_id, name)
);

create table venue_bookings (
  id bigint generated always as identity primary key,
  venue_id bigint not null references venues (id),
  -- the visiting unit: an org of the platform, or a name typed by the requester
  unit_org_id bigint references orgs (id),
  unit_name text not null,
  -- what makes two bookings "the same unit" in statistics (org id, or the simplified name)
  unit_key text not null,
  contact_name text not null,
  contact_phone text not null,
  visit_date date not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  expected_headcount integer not null check (expected_headcount > 0),
  actual_headcount integer check (actual_headcount >= 0),
  purpose text not null check (purpose in ('visit', 'lecture', 'oath_ceremony', 'party_birthday', 'org_life', 'seminar', 'salon')),
  status text not null default 'pending' check (status in ('pending', 'confirmed', 'declined', 'cancelled', 'visited')),
  note text,
  decision_note text,
  requested_by bigint not null references users (id),
  decided_by bigint,
  decided_at timestamptz,
  visited_at timestamptz,
  created_at timestamptz not null default now(),
  check (ends_at > starts_at)
);
create index venue_bookings_venue_date on venue_bookings (venue_id, visit_date);
create index venue_bookings_requested_by on venue_bookings (requested_by, id);

create table venue_booking_halls (
  booking_id bigint not null references venue_bookings (id) on delete cascade,
  hall_id bigint not null references venue_halls (id),
  -- copies of the booking's slot and whether it still holds the hall, for the overlap probe
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  is_holding boolean not null default true,
  primary key (booking_id, hall_id)
);
create index venue_booking_halls_probe on venue_booking_halls (hall_id, starts_at) where is_holding;

alter table activities add constraint activities_venue_booking_fk foreign key (venue_booking_id) references venue_bookings (id);

create table service_stations (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  name text not null,
  address text not null,
  longitude numeric(9, 6),
  latitude numeric(8, 6),
  hours text,
  contact_name text,
  contact_phone text,
  description text,
  search_text text not null default '',
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((longitude is null) = (latitude is null))
);
create index service_stations_org_path on service_stations using gist (org_path);
