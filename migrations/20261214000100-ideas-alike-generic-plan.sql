-- ideas_alike (migration 20261212000100) planned its query again on every call. PL/pgSQL plans a query with its
-- parameters' values for the first five calls of a session and then keeps a generic plan only if that costs no
-- more than the custom ones did; for the trigram walk it never did, so each call planned anew. Measured on the
-- bench's 100,000 ideas (2026-12-07, pgbench, one connection, the bench's three titles): 1.07 ms a call, against
-- 0.55 ms for the function's query alone as a prepared statement and 0.64 ms with the generic plan kept. The plan
-- kept is the same nearest-first walk of ideas_title_trgm (bitmap scans stay off inside the function): the same
-- five ideas for seven titles tested, and a title alike nothing still stops at once (0.04 ms). The tree is the
-- root of the member's tree, all of a site's ideas or nearly, so no value of it wants another plan.
create or replace function ideas_alike(core text, tree ltree, max_rows int)
returns table (id bigint, similarity real)
language plpgsql stable
set enable_bitmapscan = off
set plan_cache_mode = force_generic_plan
as $$
begin
  return query
    select i.id, (1 - (i.title_core <-> core))::real
      from ideas i
     where i.title_core % core and i.org_path <@ tree
     order by i.title_core <-> core
     limit max_rows;
end $$;
