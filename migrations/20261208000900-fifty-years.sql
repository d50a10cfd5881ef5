-- 光荣在党50年 (issue #16): members whose 50th anniversary of joining falls in a year are read from the
-- members' roll; this table records the 纪念章 issued to each (once: a mistaken record is revoked, not deleted).
create table fifty_year_medals (
  id bigint generated always as identity primary key,
  member_id bigint not null references members (id),
  -- the year of the member's 50th anniversary, kept as issued
  anniversary_year int not null,
  issued_on date not null,
  -- the issuing org (the member's org or one above it)
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  note text,
  issued_by bigint references users (id),
  revoked_at timestamptz,
  revoked_by bigint references users (id),
  revoke_reason text,
  created_at timestamptz not null default now()
);
create unique index fifty_year_medals_one on fifty_year_medals (member_id) where revoked_at is null;
create index fifty_year_medals_org_path on fifty_year_medals using gist (org_path);

insert into org_owned_columns (table_name, column_name, kind, refers_to, merge_key, module, note) values
  ('fifty_year_medals', 'org_id', 'carried', 'id', '{}', 'fifty_years', 'the issuing org'),
  ('fifty_year_medals', 'org_path', 'carried', 'path', '{}', 'fifty_years', null);
