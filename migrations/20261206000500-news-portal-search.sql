-- Search across notices, news, learning articles and courses (issue #14), news columns with review,
-- and the public portal's open-lesson registrations.

-- ---------- search ----------
-- One row per searchable text, written by the module that owns it (server/src/modules/search/index-text.ts).
-- `search_text` is the title and the plain text in one normal form (simplified Chinese, NFKC, lower case),
-- so 機關 finds 机关. A two-character query must find every text containing it; pg_trgm cannot (a
-- two-character pattern has no trigram), so each text keeps the set of its bigrams — every pair of
-- adjacent characters inside a run of letters — in a GIN-indexed array: `grams @> '{党建}'` is exact for a
-- two-character query and a filter for longer ones (then checked with strpos).
-- The separators are whitespace and ASCII, CJK and fullwidth punctuation, listed by code point: the
-- embedded database runs in the C locale, where [:alnum:] does not cover Chinese characters. The same
-- set is in search/index-text.ts (SEPARATORS).
create function search_grams(t text) returns text[]
language sql immutable strict parallel safe as $$
  select coalesce(array_agg(distinct substr(w, i, 2)), '{}')
    from regexp_split_to_table(t, '[\s\u0021-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u007e\u00a0-\u00bf\u2000-\u206f\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]+') w,
         generate_series(1, char_length(w) - 1) i
$$;

create table search_texts (
  id bigserial primary key,
  source_type text not null check (source_type in ('notice', 'news', 'article', 'course')),
  source_id text not null,
  org_path ltree not null,
  title text not null,
  -- the first characters of the plain text, shown under the title in results
  excerpt text not null,
  title_search text not null,
  search_text text not null,
  title_grams text[] generated always as (search_grams(title_search)) stored,
  grams text[] generated always as (search_grams(search_text)) stored,
  -- 'public': shown on the tree's portal and to every signed-in user of the tree;
  -- 'tree': to users whose orgs lie on the text's org's path or under it (see search/service.ts)
  visibility text not null check (visibility in ('public', 'tree')),
  published_at timestamptz not null,
  unique (source_type, source_id)
);
create index search_texts_grams on search_texts using gin (grams);
create index search_texts_title_grams on search_texts using gin (title_grams);
create index search_texts_org_path on search_texts using gist (org_path);
-- newest first: the title tier walks this index until a page of hits, reading its filter (scope, kind,
-- title bigrams) from the index itself (index-only), not from the heap, one random page per text
create index search_texts_recent on search_texts (published_at desc, id desc) include (org_path, visibility, source_type, title_grams);

-- ---------- news (资讯) in columns (专栏) ----------
create table news_columns (
  id bigserial primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  name text not null,
  description text,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  archived_at timestamptz
);
create index news_columns_org_path on news_columns using gist (org_path);

create table news_items (
  id bigserial primary key,
  column_id bigint not null references news_columns (id),
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  title text not null,
  summary text,
  body_html text not null,
  body_text text not null,
  cover_key text,
  cover_mime text,
  is_public boolean not null default false,
  status text not null default 'draft' check (status in ('draft', 'submitted', 'published', 'returned', 'withdrawn')),
  author_user_id bigint not null references users (id),
  author_name text not null,
  submitted_at timestamptz,
  reviewed_by bigint references users (id),
  reviewer_name text,
  reviewed_at timestamptz,
  return_reason text,
  published_at timestamptz,
  withdrawn_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index news_items_column on news_items (column_id, status, published_at desc, id desc);
create index news_items_org_path on news_items using gist (org_path);
create index news_items_public on news_items (published_at desc, id desc) where status = 'published' and is_public;
create index news_items_review on news_items (submitted_at, id) where status = 'submitted';

-- ---------- public registration for open lessons (the portal) ----------
-- A visitor gives a name and the unit they come from; nothing else is kept, and only counts are shown.
create table open_lesson_registrations (
  id bigserial primary key,
  activity_id bigint not null references activities (id),
  name text not null,
  unit text,
  ip text,
  created_at timestamptz not null default now()
);
create index open_lesson_registrations_activity on open_lesson_registrations (activity_id);
create index open_lesson_registrations_ip on open_lesson_registrations (ip, created_at);

insert into org_owned_columns (table_name, column_name, kind, refers_to, merge_key, module, note) values
  ('search_texts', 'org_path', 'carried', 'path', '{}', 'search', 'a copy of the source''s org path, moved with it'),
  ('news_columns', 'org_id', 'carried', 'id', '{}', 'news', 'on a merge the columns go to the survivor with their items (names may then repeat)'),
  ('news_columns', 'org_path', 'carried', 'path', '{}', 'news', null),
  ('news_items', 'org_id', 'carried', 'id', '{}', 'news', null),
  ('news_items', 'org_path', 'carried', 'path', '{}', 'news', null);

-- Articles and courses published before search existed. Their text is taken as stored (lower case);
-- the console writes simplified Chinese, and every later change re-indexes through the learning module
-- with the full normal form (OpenCC, NFKC).
insert into search_texts (source_type, source_id, org_path, title, excerpt, title_search, search_text, visibility, published_at)
select 'article', a.id::text, a.org_path, a.title, left(regexp_replace(a.body, '\s+', ' ', 'g'), 120), lower(a.title), lower(a.title || E'\n' || a.body), 'tree', a.published_at
  from articles a where a.archived_at is null
union all
select 'course', c.id::text, c.org_path, c.title, left(regexp_replace(coalesce(c.description, ''), '\s+', ' ', 'g'), 120), lower(c.title),
       lower(concat_ws(E'\n', c.title, c.description, (select string_agg(l.title, E'\n' order by l.position) from course_lessons l where l.course_id = c.id))), 'tree', c.created_at
  from courses c where c.archived_at is null;
