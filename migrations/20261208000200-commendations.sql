-- Issue #16 表彰: 两优一先 rounds (quotas, nominations with qualification checks, review, 公示, award),
-- 微星光 (small monthly honours without 公示), honours on the member's / org's record, and the member's
-- 党纪处分 records (the other half of 奖惩, read by the qualification checks).

-- A 评选表彰 round of an org: the honour kinds it offers, the nomination deadline, the minimum party age.
create table commendation_rounds (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  year int not null check (year between 1900 and 2199),
  title text not null,
  kinds text[] not null check (cardinality(kinds) > 0 and kinds <@ array['outstanding_member', 'outstanding_worker', 'advanced_org']::text[]),
  nomination_deadline date not null,
  -- 党龄 (years since full membership) a member candidate must have reached by the deadline
  min_party_years int not null default 1 check (min_party_years between 0 and 80),
  status text not null default 'nominating' check (status in ('nominating', 'public_notice', 'awarded')),
  -- the public_notices module's 公示 over the approved nominations
  public_notice_id bigint,
  awarded_on date,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index commendation_rounds_org_path on commendation_rounds using gist (org_path);

-- Places per honour kind allocated to an org of the round's subtree (extra: from a frozen assessment ranking).
create table commendation_quotas (
  id bigint generated always as identity primary key,
  round_id bigint not null references commendation_rounds (id) on delete cascade,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  kind text not null check (kind in ('outstanding_member', 'outstanding_worker', 'advanced_org')),
  places int not null default 0 check (places between 0 and 1000),
  extra_places int not null default 0 check (extra_places between 0 and 1000),
  extra_note text,
  unique (round_id, org_id, kind)
);
create index commendation_quotas_org_path on commendation_quotas using gist (org_path);

-- A nomination by the admin of a quota-holding org: a member or an org of its subtree, the deeds, and the
-- qualification checks as they stood when it was made.
create table commendation_nominations (
  id bigint generated always as identity primary key,
  round_id bigint not null references commendation_rounds (id) on delete cascade,
  -- the quota-holding org that nominated (scopes the nomination)
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  kind text not null check (kind in ('outstanding_member', 'outstanding_worker', 'advanced_org')),
  member_id bigint references members (id),
  candidate_org_id bigint references orgs (id),
  -- the candidate's name and org name as nominated (the 公示 shows these)
  candidate_name text not null,
  candidate_org_name text not null,
  deeds text not null,
  checks jsonb not null default '[]',
  status text not null default 'submitted' check (status in ('submitted', 'approved', 'returned', 'withdrawn', 'awarded')),
  status_reason text,
  nominated_by bigint references users (id),
  reviewed_by bigint references users (id),
  reviewed_at timestamptz,
  created_at timestamptz not null default now(),
  check ((member_id is null) <> (candidate_org_id is null))
);
create index commendation_nominations_round on commendation_nominations (round_id, org_id, kind, status);
create index commendation_nominations_org_path on commendation_nominations using gist (org_path);
-- one live nomination of a candidate per round and kind
create unique index commendation_nominations_one_member on commendation_nominations (round_id, kind, member_id)
  where member_id is not null and status not in ('returned', 'withdrawn');
create unique index commendation_nominations_one_org on commendation_nominations (round_id, kind, candidate_org_id)
  where candidate_org_id is not null and status not in ('returned', 'withdrawn');

-- Honours: the awards of rounds and the 微星光 given directly. org_id is the honoured org, or the member's
-- org when awarded (the per-org monthly list of 微星光 reads it).
create table honours (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('outstanding_member', 'outstanding_worker', 'advanced_org', 'micro_star')),
  member_id bigint references members (id),
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  -- the awarding org (the round's org, or the admin's)
  awarded_by_org_id bigint not null references orgs (id),
  awarded_by_org_name text not null,
  recipient_name text not null,
  recipient_org_name text not null,
  title text not null,
  year int not null,
  -- 微星光: the month, as YYYY-MM
  month text check (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  reason text,
  round_id bigint references commendation_rounds (id),
  nomination_id bigint references commendation_nominations (id),
  awarded_on date not null,
  awarded_by bigint references users (id),
  created_at timestamptz not null default now()
);
create index honours_member on honours (member_id, awarded_on desc, id desc) where member_id is not null;
create index honours_org on honours (org_id, awarded_on desc, id desc);
create index honours_org_path on honours using gist (org_path);
create index honours_year on honours (year, kind, id);

-- 党纪处分 of a member (personal: read by the admins of the member's org subtree and the member).
create table member_discipline_records (
  id bigint generated always as identity primary key,
  member_id bigint not null references members (id),
  kind text not null check (kind in ('warning', 'serious_warning', 'removal_from_post', 'probation_in_party')),
  decided_on date not null,
  -- the last day it is in force (影响期); none: in force until recorded otherwise
  ends_on date,
  note text,
  recorded_by bigint references users (id),
  created_at timestamptz not null default now(),
  check (ends_on is null or ends_on >= decided_on)
);
create index member_discipline_records_member on member_discipline_records (member_id, decided_on desc, id desc);

insert into org_owned_columns (table_name, column_name, kind, refers_to, merge_key, module, note) values
  ('commendation_rounds', 'org_id', 'carried', 'id', '{}', 'commendations', null),
  ('commendation_rounds', 'org_path', 'carried', 'path', '{}', 'commendations', null),
  ('commendation_quotas', 'org_id', 'carried', 'id', '{round_id,kind}', 'commendations', 'a merged org whose survivor holds a quota of the same kind keeps its own'),
  ('commendation_quotas', 'org_path', 'carried', 'path', '{round_id,kind}', 'commendations', null),
  ('commendation_nominations', 'org_id', 'carried', 'id', '{}', 'commendations', null),
  ('commendation_nominations', 'org_path', 'carried', 'path', '{}', 'commendations', null),
  ('commendation_nominations', 'candidate_org_id', 'carried', 'id', '{}', 'commendations', 'the nominated org under its current place'),
  ('honours', 'org_id', 'carried', 'id', '{}', 'commendations', 'the honour stays on the org''s record after a merge (the survivor''s)'),
  ('honours', 'org_path', 'carried', 'path', '{}', 'commendations', null),
  ('honours', 'awarded_by_org_id', 'historical', 'id', '{}', 'commendations', 'who awarded it, as it was then');
