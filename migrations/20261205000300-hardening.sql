-- Issue #19 (hardening).
-- An administrator's password reset makes the account choose a new password at its next sign-in:
-- until then its session may only do that (app.ts refuses every other route).
alter table users add column must_change_password boolean not null default false;

-- Sign-in throttling counts attempts before their passwords are checked (auth/service.ts): a row is
-- written when an attempt starts, removed when it succeeds and settled when it fails. Rows not settled
-- are attempts in flight (or of a process that died mid-check, which count as failures after 30 s).
alter table login_failures add column settled boolean not null default false;
update login_failures set settled = true;
-- one index serves the pair, the account (its prefix) and, with login_failures_ip, the address
drop index login_failures_username;
create index login_failures_username_ip on login_failures (username, ip, at);
