-- 金点子 at 100,000 ideas (issue #16's bench row): a district's list counted its ideas by probing
-- ideas_org once for each of its ~1,000 orgs (2–14 ms a request). The path as text with a dot after it,
-- compared byte-wise, puts a subtree's ideas in one btree range: '1.63.' ≤ key < '1.63/' (as
-- member_search_postings and points_totals do); an exact total is then one index-only range scan.
-- Generated from org_path, it follows the idea's org when it moves or merges.
alter table ideas add column subtree_key text collate "C" generated always as (org_path::text || '.') stored;
create index ideas_subtree_key on ideas (subtree_key);

-- Similar titles in one statement: the threshold of pg_trgm's `%` is a setting, set here for the
-- statement's transaction (the caller used to set it in a transaction of its own: four round trips
-- more for each keystroke's search). Nearest first through the GiST index, which stops after `max_rows`.
create function ideas_alike(tree ltree, wanted text, threshold real, max_rows int)
returns table (id bigint, similarity real)
language plpgsql as $$
begin
  perform set_config('pg_trgm.similarity_threshold', threshold::text, true);
  return query
    select i.id, (1 - (i.title_core <-> idea_title_core(wanted)))::real
      from ideas i
     where i.title_core % idea_title_core(wanted) and i.org_path <@ tree
     order by i.title_core <-> idea_title_core(wanted)
     limit max_rows;
end $$;
analyze ideas;
