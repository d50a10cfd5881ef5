-- 美丽党员（月度评星）: an org's campaign for its tree, a round per month (nominations, then votes), the
-- month's list published. A vote takes one of the voter's numbered slots of the round: the primary key
-- (round, voter, slot) with slot ≤ the campaign's votes per member means two votes sent at once can
-- never exceed the limit, and (nomination, voter) unique means one vote per nominee.
create table monthly_rating_campaigns (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  name text not null,
  places integer not null check (places between 1 and 50),
  votes_per_member integer not null check (votes_per_member between 1 and 20),
  allow_recommendations boolean not null default false,
  auto_rounds boolean not null default true,
  tie_break text not null default 'earlier_nomination' check (tie_break in ('earlier_nomination', 'admin_decision')),
  nomination_from_day integer not null check (nomination_from_day between 1 and 28),
  nomination_to_day integer not null check (nomination_to_day between 1 and 28),
  voting_from_day integer not null check (voting_from_day between 1 and 28),
  voting_to_day integer not null check (voting_to_day between 1 and 28),
  is_active boolean not null default true,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  check (nomination_from_day <= nomination_to_day and nomination_to_day < voting_from_day and voting_from_day <= voting_to_day)
);
create index monthly_rating_campaigns_org_path on monthly_rating_campaigns using gist (org_path);
create index monthly_rating_campaigns_org on monthly_rating_campaigns (org_id, id);

create table monthly_rating_rounds (
  id bigint generated always as identity primary key,
  campaign_id bigint not null references monthly_rating_campaigns (id) on delete cascade,
  month text not null check (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  nomination_opens_at timestamptz not null,
  nomination_closes_at timestamptz not null,
  voting_opens_at timestamptz not null,
  voting_closes_at timestamptz not null,
  published_at timestamptz,
  published_by bigint references users (id),
  created_at timestamptz not null default now(),
  unique (campaign_id, month),
  check (nomination_opens_at < nomination_closes_at and nomination_closes_at <= voting_opens_at and voting_opens_at < voting_closes_at)
);

create table monthly_rating_nominations (
  id bigint generated always as identity primary key,
  round_id bigint not null references monthly_rating_rounds (id) on delete cascade,
  member_id bigint not null references members (id),
  -- the nominee's org when nominated: it moves with the org (admins of the new place see it)
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  reasons text not null,
  photo_key text,
  photo_mime text,
  source text not null check (source in ('admin', 'self', 'peer')),
  status text not null check (status in ('pending', 'approved', 'rejected')),
  nominated_by bigint references users (id),
  reviewed_by bigint references users (id),
  reviewed_at timestamptz,
  review_note text,
  tie_order integer,
  -- kept when the list is published
  final_votes integer,
  place integer,
  is_starred boolean not null default false,
  created_at timestamptz not null default now(),
  unique (round_id, member_id)
);
create index monthly_rating_nominations_round on monthly_rating_nominations (round_id, status, created_at, id);
create index monthly_rating_nominations_org_path on monthly_rating_nominations using gist (org_path);
create index monthly_rating_nominations_member on monthly_rating_nominations (member_id) where is_starred;

create table monthly_rating_votes (
  round_id bigint not null references monthly_rating_rounds (id) on delete cascade,
  voter_member_id bigint not null references members (id),
  slot integer not null check (slot between 1 and 20),
  nomination_id bigint not null references monthly_rating_nominations (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (round_id, voter_member_id, slot),
  unique (nomination_id, voter_member_id)
);

insert into org_owned_columns (table_name, column_name, kind, refers_to, merge_key, module, note) values
  ('monthly_rating_campaigns', 'org_id', 'carried', 'id', '{}', 'monthly_ratings', null),
  ('monthly_rating_campaigns', 'org_path', 'carried', 'path', '{}', 'monthly_ratings', null),
  ('monthly_rating_nominations', 'org_id', 'carried', 'id', '{}', 'monthly_ratings', 'the nominee''s org: its admins see the nomination where the org now stands'),
  ('monthly_rating_nominations', 'org_path', 'carried', 'path', '{}', 'monthly_ratings', null);
