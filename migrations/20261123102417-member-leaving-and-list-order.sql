-- Members: leaving the party roll as a soft state, and the orders the member list offers.

-- 死亡 / 出党 / 退党 / 除名 / 停止党籍 / 取消预备党员资格: the record stays for history, lists skip it.
-- left_at (foundation) is when it was recorded; left_on is the day it took effect.
alter table members
  add column left_on date,
  add column left_reason text check (left_reason in ('deceased', 'expelled', 'withdrawn', 'removed', 'membership_stopped', 'probation_revoked', 'other')),
  add column left_note text;

-- Names sort by pinyin (王 after 李), as a roll is read. search_text ends with the full pinyin
-- (see members/search-text.ts), so the key follows every write of search_text by itself.
alter table members
  add column name_sort text generated always as (regexp_replace(search_text, '^.*\s', '') || ' ' || name) stored;

-- The list's orders over members on the roll, with the id as the unique tiebreaker.
create index members_roll_name on members (name_sort, id) where left_at is null;
-- join date: members without one (the pipeline) come last either way, hence one index per direction
create index members_roll_joined on members (joined_on, id) where left_at is null;
create index members_roll_joined_desc on members (joined_on desc nulls last, id desc) where left_at is null;
-- every birth date is read from the ID number, so one index serves both directions
create index members_roll_birth on members (birth_date, id) where left_at is null;
