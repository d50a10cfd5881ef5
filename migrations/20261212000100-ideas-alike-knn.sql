-- Similar titles at 100,000 ideas (issue #16's bench row), measured 2026-12-06 on the bench's city data set:
--
-- 1. The planner chose a bitmap scan of the trigram index and a sort (it estimates `%` to match ~9 rows) over
--    the nearest-first walk, for every title: 11–15 ms of execution a search, against 0.3–1.5 ms for the walk
--    (EXPLAIN ANALYZE, four titles). The walk is kept in a function whose only setting is that no bitmap scan is
--    planned inside it; `%` still prunes the walk (without it, a title alike nothing walked the whole index:
--    14–25 ms).
-- 2. The index's signatures were pg_trgm's default 12 bytes: Chinese titles have many distinct trigrams, so the
--    upper levels' signatures were full and pruned little — a title alike nothing took 7–12 ms to walk. With
--    512 bytes: 0.03 ms for it, 0.3–1.5 ms for the others; 7.5 MB against 7.0 MB.
--
-- The threshold of `%` stays the connection's setting (pg_trgm.similarity_threshold, platform/db.ts).
--
-- The embedded PGlite runs no pg_trgm code for ideas, so it has no such index and does not call the function:
-- there, after pg_trgm had compared titles, an insert into ideas now and then never returned or answered no row
-- (ideas/service.ts, alikeInTreeEmbedded, ranks the titles in the server instead).
drop index ideas_title_trgm;
do $$
begin
  if version() not like '%PGlite%' then
    create index ideas_title_trgm on ideas using gist (title_core gist_trgm_ops(siglen = 512));
  end if;
end $$;

create function ideas_alike(core text, tree ltree, max_rows int)
returns table (id bigint, similarity real)
language plpgsql stable
set enable_bitmapscan = off
as $$
begin
  return query
    select i.id, (1 - (i.title_core <-> core))::real
      from ideas i
     where i.title_core % core and i.org_path <@ tree
     order by i.title_core <-> core
     limit max_rows;
end $$;
