-- The leaders' dashboard (驾驶舱): version numbers of what its figures read, and frozen reports.
--
-- Figures are computed from the records themselves (so that each figure and the list it opens are one
-- query) and cached per (org, period, day, measure) in every server process, keyed by the sum of the
-- epochs of the sources the measure reads. A statement-level trigger on each source table bumps its
-- source's epoch in the writing transaction, so a reader sees a new sum exactly when it can see the new
-- rows, through whichever process (or psql) wrote them. A cached figure computed after reading sum S has
-- seen every write counted in S; any later committed write makes the sum larger, and the cache misses.
--
-- Each database backend (connection) counts its own writes in its own row of each source: a writing
-- transaction locks only rows no other backend ever touches, so the bumps neither queue behind each other
-- (daily-quiz submissions and points totals are written by many connections at once) nor deadlock (two
-- transactions bumping two sources in opposite orders). The version of a source is the sum of its rows,
-- which grows with every committed bump. Row 0 of each source holds what was folded in from rows of
-- backends that have ended (see dashboard_epochs_fold).
create table dashboard_epochs (
  source text not null check (source in ('orgs', 'members', 'activities', 'quiz', 'learning', 'exams', 'points', 'service', 'volunteering', 'venues')),
  backend integer not null,
  n bigint not null default 0,
  primary key (source, backend)
);
insert into dashboard_epochs (source, backend)
select s, 0 from unnest(array['orgs', 'members', 'activities', 'quiz', 'learning', 'exams', 'points', 'service', 'volunteering', 'venues']) as s;

create function dashboard_epoch_bump() returns trigger
language plpgsql as $$
begin
  insert into dashboard_epochs as e (source, backend, n) values (tg_argv[0], pg_backend_pid(), 1)
  on conflict (source, backend) do update set n = e.n + 1;
  return null;
end
$$;

-- Folds the rows of backends that have ended into row 0, keeping every sum: rows are taken only when no
-- one holds them (skip locked), so a new backend that got an old one's pid is never waited for. Safe to
-- run at any time (a maintenance job, or by hand); the sums, and so every cached figure, stay valid.
create function dashboard_epochs_fold() returns void
language sql as $$
  with folded as (
    delete from dashboard_epochs e
     where e.ctid in (select x.ctid from dashboard_epochs x
                       where x.backend <> 0 and x.backend not in (select a.pid from pg_stat_activity a where a.pid is not null)
                         for update skip locked)
    returning e.source, e.n
  )
  update dashboard_epochs b set n = b.n + f.n
    from (select source, sum(n) as n from folded group by source) f
   where b.source = f.source and b.backend = 0
$$;

-- One statement-level trigger per source table; a bulk write bumps once. Also in replica mode
-- (session_replication_role, used by the scale seed and bench resets): a bulk load must invalidate too.
do $$
declare
  t record;
begin
  for t in select * from (values
      ('orgs', 'orgs'), ('members', 'members'), ('member_stage_events', 'members'),
      ('activities', 'activities'), ('compliance_rules', 'activities'),
      ('daily_quiz_submissions', 'quiz'), ('clock_ins', 'learning'),
      ('exam_attempts', 'exams'), ('exam_participants', 'exams'), ('exams', 'exams'),
      ('points_totals', 'points'),
      ('service_projects', 'service'), ('service_project_feedback', 'service'),
      ('volunteer_signups', 'volunteering'), ('volunteer_projects', 'volunteering'),
      ('venue_bookings', 'venues'), ('venues', 'venues')) as v (table_name, source)
  loop
    execute format('create trigger %I after insert or update or delete or truncate on %I for each statement execute function dashboard_epoch_bump(%L)',
                   t.table_name || '_dashboard_epoch', t.table_name, t.source);
    execute format('alter table %I enable always trigger %I', t.table_name, t.table_name || '_dashboard_epoch');
  end loop;
end
$$;

-- A period's figures frozen as a report: the snapshot is stored, so later changes to the records do not
-- alter it; who froze it and when are kept with it (and in the audit log).
create table dashboard_reports (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  org_path ltree not null,
  org_name text not null,
  period text not null,
  title text not null,
  figures jsonb not null,
  frozen_by bigint not null references users (id),
  frozen_by_name text not null,
  frozen_at timestamptz not null default now()
);
create index dashboard_reports_org on dashboard_reports (org_id, frozen_at desc, id desc);
create index dashboard_reports_path on dashboard_reports using gist (org_path);

insert into org_owned_columns (table_name, column_name, kind, refers_to, merge_key, module, note) values
  ('dashboard_reports', 'org_id', 'carried', 'id', '{}', 'dashboard', 'a report stays with the subtree it was frozen for'),
  ('dashboard_reports', 'org_path', 'carried', 'path', '{}', 'dashboard', null);
