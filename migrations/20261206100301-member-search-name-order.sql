-- A district's short search (王, zh) hits thousands of its members; read from the postings' range of
-- the subtree (member_search_postings_key), every page sorted them all, and a deep page (offset
-- 9,000) cost ~3 ms of PostgreSQL. This index holds each term's postings in list order with the path
-- beside them: a big subtree's page (and a cursor's next page, however deep) walks it from the start
-- or from the cursor and stops after the page, passing over the postings of other subtrees
-- (~20 × the city's members / the subtree's). Small subtrees keep sorting their own range (list.ts).
create index if not exists member_search_postings_order on member_search_postings (term, name_sort, member_id) include (path);
