-- 金点子 lists are kept per process under version numbers (platform/epochs.ts, rowsKeptUnder): two more sources
-- of dashboard_epochs, bumped as the others are (one statement-level trigger per table, also in replica mode).
-- A list shows the ideas' own columns and the names of their orgs, members and reviewers (users).
alter table dashboard_epochs drop constraint dashboard_epochs_source_check;
alter table dashboard_epochs add constraint dashboard_epochs_source_check
  check (source in ('orgs', 'members', 'activities', 'quiz', 'learning', 'exams', 'points', 'service', 'volunteering', 'venues', 'dues', 'ideas', 'users'));
insert into dashboard_epochs (source, backend) values ('ideas', 0), ('users', 0);

create trigger ideas_dashboard_epoch after insert or update or delete or truncate on ideas
  for each statement execute function dashboard_epoch_bump('ideas');
alter table ideas enable always trigger ideas_dashboard_epoch;
create trigger users_dashboard_epoch after insert or update or delete or truncate on users
  for each statement execute function dashboard_epoch_bump('users');
alter table users enable always trigger users_dashboard_epoch;
