-- Short name searches of the member list (one or two name characters: 王; one or two pinyin letters:
-- zh) hit thousands of a district's members, and the list has to count and sort them all. Read from
-- members, that is a bitmap of the subtree (GiST) and one of the term (GIN), ANDed, then a heap
-- visit of every hit: 15–40 ms of PostgreSQL per request at city scale.
-- These postings hold, for each active member, each such key with the member's org path and list
-- order: a subtree's hits for a key are one range of one btree, read without visiting members, and
-- only the page's members are fetched. `path` is the org path and a dot, compared byte-wise (collate
-- "C"), so the subtree of 1.63 is the range ['1.63.', '1.63/').
-- The keys mirror the list's conditions exactly: the grams of member_name_grams (migration
-- 20261123110600) for non-ASCII terms, and the first one or two letters of every word after the
-- name (`search_text like '% zh%'`) for letter terms.

-- plpgsql (5× faster here than the same in SQL over member_name_grams: the backfill and the scale seed
-- compute it for every member)
create function member_search_terms(search_text text) returns text[]
language plpgsql immutable strict parallel safe as $$
declare
  keys text[] := '{}';
  words text[] := string_to_array(search_text, ' ');
  w text;
  k int;
  i int;
  len int;
begin
  -- every character and every pair of adjacent characters of the non-ASCII runs (member_name_grams)
  foreach w in array regexp_split_to_array(search_text, '[\u0001-\u007f]+') loop
    len := char_length(w);
    for i in 1 .. len loop
      keys := keys || substr(w, i, 1);
      if i < len then keys := keys || substr(w, i, 2); end if;
    end loop;
  end loop;
  -- the first one or two letters of each word after the name
  for k in 2 .. coalesce(array_length(words, 1), 0) loop
    w := words[k];
    if w ~ '^[a-z]' then
      keys := keys || left(w, 1);
      if w ~ '^[a-z]{2}' then keys := keys || left(w, 2); end if;
    end if;
  end loop;
  return array(select distinct unnest(keys));
end $$;

create table member_search_postings (
  term text not null,
  path text collate "C" not null,
  name_sort text not null,
  member_id bigint not null
);

create function member_search_postings_insert() returns trigger language plpgsql as $$
begin
  insert into member_search_postings (term, path, name_sort, member_id)
  select t, n.org_path::text || '.', n.name_sort, n.id
    from new_rows n, unnest(member_search_terms(n.search_text)) t
   where n.left_at is null;
  return null;
end $$;

create function member_search_postings_update() returns trigger language plpgsql as $$
begin
  delete from member_search_postings p
   using old_rows o join new_rows n on n.id = o.id, unnest(member_search_terms(o.search_text)) t
   where (o.search_text, o.org_path, o.name_sort, o.left_at) is distinct from (n.search_text, n.org_path, n.name_sort, n.left_at)
     and o.left_at is null
     and p.term = t and p.path = o.org_path::text || '.' and p.name_sort = o.name_sort and p.member_id = o.id;
  insert into member_search_postings (term, path, name_sort, member_id)
  select t, n.org_path::text || '.', n.name_sort, n.id
    from old_rows o join new_rows n on n.id = o.id, unnest(member_search_terms(n.search_text)) t
   where (o.search_text, o.org_path, o.name_sort, o.left_at) is distinct from (n.search_text, n.org_path, n.name_sort, n.left_at)
     and n.left_at is null;
  return null;
end $$;

create function member_search_postings_delete() returns trigger language plpgsql as $$
begin
  delete from member_search_postings p
   using old_rows o, unnest(member_search_terms(o.search_text)) t
   where o.left_at is null and p.term = t and p.path = o.org_path::text || '.' and p.name_sort = o.name_sort and p.member_id = o.id;
  return null;
end $$;

create trigger members_search_postings_insert after insert on members
  referencing new table as new_rows for each statement execute function member_search_postings_insert();
create trigger members_search_postings_update after update on members
  referencing old table as old_rows new table as new_rows for each statement execute function member_search_postings_update();
create trigger members_search_postings_delete after delete on members
  referencing old table as old_rows for each statement execute function member_search_postings_delete();

insert into member_search_postings (term, path, name_sort, member_id)
select t, m.org_path::text || '.', m.name_sort, m.id
  from members m, unnest(member_search_terms(m.search_text)) t
 where m.left_at is null;

create index member_search_postings_key on member_search_postings (term, path, name_sort, member_id);
