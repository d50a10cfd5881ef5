-- 金点子: ideas of members, addressed to their own org or one above it, reviewed once by the
-- administrators of that org (or above), and tracked to implementation when adopted.

-- A title's core, compared for near-duplicates: without the words every idea's title may wear (关于…的建议,
-- 意见, 进一步) and without punctuation and spaces. A Chinese title's trigrams are runs of three characters:
-- left in, the wrapping words make every 关于…的建议 alike, and reworded duplicates (建议优化X / 关于优化X的建议)
-- differ by them alone.
create function idea_title_core(title text) returns text
language sql immutable strict parallel safe as $$
  select regexp_replace(lower(title),
    '关于|的建议|建议|意见|的几点思考|的思考|几点|进一步|[\s\u0021-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u007e\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]+', '', 'g')
$$;

create table ideas (
  id bigint generated always as identity primary key,
  member_id bigint not null references members (id),
  -- the org the idea is for: its administrators (and those above) review it
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  -- where the member stood when submitting (shown with the idea; their current place may differ)
  member_org_id bigint not null references orgs (id),
  title text not null,
  -- kept with the title: compared at every keystroke of a member, so not recomputed per row then
  title_core text generated always as (idea_title_core(title)) stored,
  content text not null,
  category text not null check (category in ('party_building', 'business', 'serving_people', 'work_style', 'other')),
  status text not null default 'submitted'
    check (status in ('submitted', 'declined', 'adopted', 'implementing', 'implemented', 'shelved')),
  -- the most alike existing idea of the tree when it was submitted (a near-duplicate is still accepted)
  similar_to_id bigint references ideas (id),
  similarity real,
  reply text,
  reviewed_by bigint references users (id),
  reviewed_at timestamptz,
  shelved_reason text,
  implemented_on date,
  submitted_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((status = 'submitted') = (reviewed_at is null))
);
-- similar titles while the member types: the cores above the threshold (`%`) nearest first (`<->`),
-- walked in distance order by a GiST trigram index that stops after the few shown (a GIN index would
-- fetch and rank every candidate: over a thousand for a common subject among 100,000 ideas)
create index ideas_title_trgm on ideas using gist (title_core gist_trgm_ops);
-- scoping to a subtree (admin lists, stats, the tree of the similarity search)
create index ideas_org_path on ideas using gist (org_path);
-- lists are newest first by id (keyset): the primary key serves the whole-tree list; a member's own
-- list and a status queue have their own
create index ideas_member on ideas (member_id, id desc);
-- a subtree's ideas by their orgs (counted index-only)
create index ideas_org on ideas (org_id, id desc);
create index ideas_status on ideas (status, id desc);
create index ideas_submitted_at on ideas (submitted_at);
create index ideas_similar_to on ideas (similar_to_id) where similar_to_id is not null;

-- the steps of an adopted idea: progress notes and the moves to 实施中 / 已实施 / 搁置
create table idea_progress (
  id bigint generated always as identity primary key,
  idea_id bigint not null references ideas (id) on delete cascade,
  status text check (status in ('implementing', 'implemented', 'shelved')),
  note text not null,
  occurred_on date not null,
  recorded_by bigint references users (id),
  created_at timestamptz not null default now()
);
create index idea_progress_idea on idea_progress (idea_id, id);

insert into org_owned_columns (table_name, column_name, kind, refers_to, merge_key, module, note) values
  ('ideas', 'org_id', 'carried', 'id', '{}', 'ideas', 'an idea for a merged org is the survivor''s to review'),
  ('ideas', 'org_path', 'carried', 'path', '{}', 'ideas', null),
  ('ideas', 'member_org_id', 'historical', 'id', '{}', 'ideas', 'where the member stood when submitting, as it was then');
