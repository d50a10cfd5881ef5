-- 驾驶舱 "members by category": a member's category is the one of the dues base (党费交纳基数) of the
-- period's year, so dues_bases becomes a source of the dashboard's figures with its own epoch.
alter table dashboard_epochs drop constraint dashboard_epochs_source_check;
alter table dashboard_epochs add constraint dashboard_epochs_source_check
  check (source in ('orgs', 'members', 'activities', 'quiz', 'learning', 'exams', 'points', 'service', 'volunteering', 'venues', 'dues'));
insert into dashboard_epochs (source, backend) values ('dues', 0);

create trigger dues_bases_dashboard_epoch after insert or update or delete or truncate on dues_bases
  for each statement execute function dashboard_epoch_bump('dues');
alter table dues_bases enable always trigger dues_bases_dashboard_epoch;
