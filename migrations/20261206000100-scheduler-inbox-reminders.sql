-- The scheduler (server/src/platform/scheduler.ts), one inbox per user, and the outbox of the
-- channels beyond the console (SMS, WeChat template messages, e-mail).

-- One row per queued run. `jobs` (foundation) is the progress of member imports shown to a user;
-- this is the server's own queue. A run's row is deleted when it succeeds; a run that failed
-- MAX_ATTEMPTS times stays as 'failed' with its last error; 'superseded' is a failed run whose key
-- was queued again meanwhile.
create table scheduled_jobs (
  id bigint generated always as identity primary key,
  kind text not null,
  -- names a run so that queuing it again replaces it (a notice's publication, a recurring slot)
  key text,
  payload jsonb,
  run_at timestamptz not null,
  state text not null default 'pending' check (state in ('pending', 'running', 'failed', 'superseded')),
  attempts integer not null default 0,
  locked_until timestamptz,
  started_at timestamptz,
  failed_at timestamptz,
  last_error text,
  created_at timestamptz not null default now()
);
create unique index scheduled_jobs_pending_key on scheduled_jobs (kind, key) where state = 'pending';
-- the poll: due pending runs and lapsed leases, oldest first
create index scheduled_jobs_due on scheduled_jobs (run_at) where state in ('pending', 'running');

-- The last slot started of each recurring job: moving it forward is the claim of that slot.
create table recurring_job_slots (
  kind text primary key,
  last_slot timestamptz not null
);

-- A user's inbox: notices, activity notifications, exam openings and reminders. dedupe_key makes
-- a delivery idempotent per recipient (a daily reminder is one item per period, not one per run).
create table inbox_items (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  kind text not null check (kind in ('notice', 'notice_reminder', 'activity', 'exam', 'reminder')),
  title text not null,
  body text,
  link text not null,
  source_type text not null,
  source_id text not null,
  dedupe_key text not null,
  created_at timestamptz not null default now(),
  read_at timestamptz,
  unique (user_id, dedupe_key)
);
-- the list, newest first (ids grow with time), keyset on id, and the unread count
create index inbox_items_user_id on inbox_items (user_id, id desc);
create index inbox_items_user_unread on inbox_items (user_id) where read_at is null;

-- What the outside channels still have to send: one row per item and channel, drained in batches
-- by the 'channels.drain' job. A sent row is deleted; one that failed too often stays 'failed'.
create table channel_outbox (
  id bigint generated always as identity primary key,
  inbox_item_id bigint not null references inbox_items (id) on delete cascade,
  user_id bigint not null references users (id) on delete cascade,
  channel text not null check (channel in ('sms', 'wechat', 'email')),
  state text not null default 'pending' check (state in ('pending', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  created_at timestamptz not null default now()
);
create index channel_outbox_due on channel_outbox (next_attempt_at, id) where state = 'pending';
