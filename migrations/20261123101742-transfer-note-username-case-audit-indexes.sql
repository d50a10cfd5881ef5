-- Transfers: the sending org's free-text note to the receiving org (the letter's 备注).
alter table transfers add column note text;
create index transfers_issued_at on transfers (issued_at desc, id desc);

-- Usernames are unique regardless of case ('Zhang.Wei' and 'zhang.wei' are one account);
-- login compares lower(username), which this index also serves.
create unique index users_username_lower on users (lower(username));
-- one account per party member
create unique index users_member_once on users (member_id) where member_id is not null;
create index user_roles_org on user_roles (org_id) where org_id is not null;

-- Audit browsing: an org admin also sees their own actions; filters by action prefix.
create index audit_log_user on audit_log (user_id, at desc);
create index audit_log_action on audit_log (action text_pattern_ops);
