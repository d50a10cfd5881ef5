-- Each server process remembers the sessions it served recently (server/src/platform/session-cache.ts).
-- These triggers tell every process, through NOTIFY dj_sessions (delivered when the transaction
-- commits), which users' sessions to forget: a session deleted (sign-out, password change, reset),
-- the user row changed (disabled, password, member link, name) or their roles changed; and to forget
-- all when orgs are moved or dissolved (a role grants an org's path, and only while it exists).
-- Identical payloads within one transaction are delivered once.

create function notify_sessions_of_user() returns trigger language plpgsql as $$
begin
  if tg_table_name = 'users' then
    perform pg_notify('dj_sessions', old.id::text);
  elsif tg_op = 'DELETE' then
    perform pg_notify('dj_sessions', old.user_id::text);
  else
    perform pg_notify('dj_sessions', new.user_id::text);
    if tg_op = 'UPDATE' and old.user_id <> new.user_id then perform pg_notify('dj_sessions', old.user_id::text); end if;
  end if;
  return null;
end $$;

create function notify_all_sessions() returns trigger language plpgsql as $$
begin
  perform pg_notify('dj_sessions', '*');
  return null;
end $$;

create trigger sessions_notify after delete on sessions for each row execute function notify_sessions_of_user();
create trigger users_notify after update or delete on users for each row execute function notify_sessions_of_user();
create trigger user_roles_notify after insert or update or delete on user_roles for each row execute function notify_sessions_of_user();
create trigger orgs_notify_sessions after update of path, dissolved_at or delete on orgs for each statement execute function notify_all_sessions();
