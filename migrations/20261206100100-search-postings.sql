-- Search (issue #14) over 100,000 texts: a common two-character word (改革, in half the texts) as a
-- district's administrator sees it. Through the GIN index of search_texts that is a bitmap of every
-- text holding the bigram, a heap visit of each and a sort, or a walk of the newest texts that checks
-- the bigram array on the heap: ~2.4 ms of PostgreSQL per request, p99 258 ms at 50 connections.
-- These postings hold, for each text, one row per bigram (of the text or its title) with the text's
-- list order and scope: a bigram's texts are one range of one btree, newest first, and scope, kind
-- and "in the title" are read from the index itself (index-only), so a page of hits stops after the
-- page. A query of several bigrams walks the rarest one (search/service.ts) and checks the words on
-- the text. As member_search_postings (migration 20261123124000), they are written by statement-level
-- triggers of search_texts, in the statement (and so the transaction) that writes the text: every
-- writer of search_texts — the owning modules through search/index-text.ts, the learning backfill,
-- the demo and bench seeds, an org's move or merge rewriting org_path — keeps them without knowing.
-- `gram` is compared byte-wise (collate "C"): only equality and the order within a bigram matter.
create table search_postings (
  gram text collate "C" not null,
  published_at timestamptz not null,
  text_id bigint not null,
  in_title boolean not null,
  org_path ltree not null,
  visibility text not null,
  source_type text not null
);
-- the rarest bigram is chosen from the column's most common values (pg_stats): keep more of them than
-- the default 100, so that the bigrams of everyday words are all known
alter table search_postings alter column gram set statistics 1000;

-- The rows of a text: each of its bigrams once. The title is part of search_text, so its bigrams are
-- among the text's; the union guards a title whose normal form differs on its own.
create function search_postings_insert() returns trigger language plpgsql as $$
begin
  insert into search_postings (gram, published_at, text_id, in_title, org_path, visibility, source_type)
  select g, n.published_at, n.id, g = any (n.title_grams), n.org_path, n.visibility, n.source_type
    from new_rows n, lateral (select distinct unnest(n.grams || n.title_grams) as g) grams;
  return null;
end $$;

-- the old rows' postings are found by their full key (bigram, published_at, id), one probe each
create function search_postings_update() returns trigger language plpgsql as $$
begin
  delete from search_postings p
   using old_rows o join new_rows n on n.id = o.id, unnest(o.grams || o.title_grams) g
   where (o.grams, o.title_grams, o.published_at, o.org_path, o.visibility, o.source_type)
         is distinct from (n.grams, n.title_grams, n.published_at, n.org_path, n.visibility, n.source_type)
     and p.gram = g and p.published_at = o.published_at and p.text_id = o.id;
  insert into search_postings (gram, published_at, text_id, in_title, org_path, visibility, source_type)
  select g, n.published_at, n.id, g = any (n.title_grams), n.org_path, n.visibility, n.source_type
    from old_rows o join new_rows n on n.id = o.id, lateral (select distinct unnest(n.grams || n.title_grams) as g) grams
   where (o.grams, o.title_grams, o.published_at, o.org_path, o.visibility, o.source_type)
         is distinct from (n.grams, n.title_grams, n.published_at, n.org_path, n.visibility, n.source_type);
  return null;
end $$;

create function search_postings_delete() returns trigger language plpgsql as $$
begin
  delete from search_postings p
   using old_rows o, unnest(o.grams || o.title_grams) g
   where p.gram = g and p.published_at = o.published_at and p.text_id = o.id;
  return null;
end $$;

create trigger search_texts_postings_insert after insert on search_texts
  referencing new table as new_rows for each statement execute function search_postings_insert();
create trigger search_texts_postings_update after update on search_texts
  referencing old table as old_rows new table as new_rows for each statement execute function search_postings_update();
create trigger search_texts_postings_delete after delete on search_texts
  referencing old table as old_rows for each statement execute function search_postings_delete();

insert into search_postings (gram, published_at, text_id, in_title, org_path, visibility, source_type)
select g, s.published_at, s.id, g = any (s.title_grams), s.org_path, s.visibility, s.source_type
  from search_texts s, lateral (select distinct unnest(s.grams || s.title_grams) as g) grams;

-- newest first within a bigram, as search lists; the rest is what a walk filters on, read index-only
create index search_postings_key on search_postings (gram, published_at desc, text_id desc)
  include (in_title, org_path, visibility, source_type);

-- search no longer reads search_texts but by primary key: its bigram and recency indexes go
drop index search_texts_grams;
drop index search_texts_title_grams;
drop index search_texts_recent;

insert into org_owned_columns (table_name, column_name, kind, refers_to, merge_key, module, note) values
  ('search_postings', 'org_path', 'derived', 'path', '{}', 'search', 'kept by the search_texts triggers from search_texts.org_path');
