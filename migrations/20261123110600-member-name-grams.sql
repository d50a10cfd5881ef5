-- Short name searches of the member list: one or two characters of a name (王, 建国). They have
-- no trigram, so a subtree search filtered every member of a district by LIKE (~10 ms of SQL at
-- city scale, twice per request). The grams are every character and every pair of adjacent
-- characters of the non-ASCII words of search_text (the simplified name; the pinyin words are
-- ASCII and stay with the trigram index). The list combines this GIN index with the subtree's
-- GiST index (BitmapAnd) and keeps LIKE as the condition that decides.
create function member_name_grams(search_text text) returns text[]
language sql immutable strict parallel safe as $$
  select coalesce(array_agg(distinct substr(w, i, n)), '{}')
    from unnest(string_to_array(regexp_replace(search_text, '[\u0001-\u007f]+', ' ', 'g'), ' ')) as w,
         generate_series(1, char_length(w)) as i, generate_series(1, 2) as n
   where i + n - 1 <= char_length(w)
$$;

create index members_name_grams on members using gin (member_name_grams(search_text));
