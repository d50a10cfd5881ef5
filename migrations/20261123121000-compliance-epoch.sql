-- A version number of everything the 三会一课 compliance report reads (activities, orgs, compliance_rules).
-- Every server process keys its cache of computed reports by it, so a write through any process (or psql)
-- invalidates the reports of all of them. The bump is in the writing transaction: a reader sees the new
-- number exactly when it sees the new rows.
create table compliance_epoch (
  -- one row only
  one boolean primary key default true check (one),
  n bigint not null
);
insert into compliance_epoch (n) values (1);

create function compliance_epoch_bump() returns trigger
language plpgsql as $$
begin
  update compliance_epoch set n = n + 1;
  return null;
end
$$;

-- Statement-level: a bulk write bumps once. Updates only of the columns the report reads, so sign-in
-- (activity_participants), records (minutes, summary, …), a new sign-in code or the search text leave it.
create trigger activities_compliance_epoch after insert or delete or truncate on activities
  for each statement execute function compliance_epoch_bump();
create trigger activities_compliance_epoch_update after update of id, org_id, type, status, starts_at on activities
  for each statement execute function compliance_epoch_bump();

create trigger orgs_compliance_epoch after insert or delete or truncate on orgs
  for each statement execute function compliance_epoch_bump();
create trigger orgs_compliance_epoch_update after update of id, path, type, name, created_at, dissolved_at on orgs
  for each statement execute function compliance_epoch_bump();

create trigger compliance_rules_compliance_epoch after insert or update or delete or truncate on compliance_rules
  for each statement execute function compliance_epoch_bump();

-- Also in replica mode (session_replication_role, used by the scale seed and bench resets to skip foreign-key
-- checks): a bulk load into a live database must invalidate the reports as well.
alter table activities enable always trigger activities_compliance_epoch;
alter table activities enable always trigger activities_compliance_epoch_update;
alter table orgs enable always trigger orgs_compliance_epoch;
alter table orgs enable always trigger orgs_compliance_epoch_update;
alter table compliance_rules enable always trigger compliance_rules_compliance_epoch;
