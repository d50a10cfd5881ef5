-- 公示 (public notices): the period in which the names a body means to commend, rate or publish are
-- shown to the public before they are final, with a channel for objections. Commendations, brands,
-- appraisals, monthly ratings and lessons open one through the public_notices service and finalize only
-- after it ended without a pending objection; an upheld objection withdraws one item (its owner's record).
create table public_notices (
  id bigint generated always as identity primary key,
  -- the module that opened it: 'commendation', 'brand', 'appraisal', 'monthly_rating', 'lesson'
  kind text not null check (kind in ('commendation', 'brand', 'appraisal', 'monthly_rating', 'lesson')),
  -- the owner's round id
  source_id text not null,
  -- the publishing org: its administrators answer objections; members of its tree see the notice
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  title text not null,
  -- China calendar days, both included; the status (scheduled/open/ended) is computed from today in China
  starts_on date not null,
  ends_on date not null,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  check (ends_on >= starts_on)
);
create index public_notices_org_path on public_notices using gist (org_path);
create index public_notices_org on public_notices (org_id, ends_on desc, id desc);
create index public_notices_source on public_notices (kind, source_id);

create table public_notice_items (
  id bigint generated always as identity primary key,
  notice_id bigint not null references public_notices (id) on delete cascade,
  -- the owner's record id
  ref text not null,
  -- shown publicly: a person's or org's name, the org's name, the honour; never personal data
  name text not null,
  org_name text not null,
  title text not null,
  summary text,
  -- set once, when an objection against the item is upheld
  withdrawn_at timestamptz,
  withdrawn_reason text,
  unique (notice_id, ref)
);

create table public_notice_objections (
  id bigint generated always as identity primary key,
  item_id bigint not null references public_notice_items (id) on delete cascade,
  -- denormalised for the per-notice counts
  notice_id bigint not null references public_notices (id) on delete cascade,
  content text not null,
  -- the objector's phone or other contact, sealed with the personal-data cipher; null when none given
  contact_sealed text,
  contact_masked text,
  -- the signed-in member who objected by name; null for an anonymous (public) objection
  submitted_by bigint references users (id),
  ip text,
  status text not null default 'pending' check (status in ('pending', 'upheld', 'dismissed')),
  answer text,
  answered_by bigint references users (id),
  answered_at timestamptz,
  created_at timestamptz not null default now(),
  check ((status = 'pending') = (answered_at is null))
);
create index public_notice_objections_notice on public_notice_objections (notice_id, status);
create index public_notice_objections_item on public_notice_objections (item_id, id);

insert into org_owned_columns (table_name, column_name, kind, refers_to, merge_key, module, note) values
  ('public_notices', 'org_id', 'carried', 'id', '{}', 'public_notices', null),
  ('public_notices', 'org_path', 'carried', 'path', '{}', 'public_notices', 'a moved branch''s notices follow it: scoping and the members'' tree read the current place');
