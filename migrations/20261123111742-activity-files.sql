-- Files uploaded to an activity's record (photos of the meeting, signed minutes, resolutions as PDF or
-- Word, spreadsheets). The bytes live in DATA_DIR/uploads/activities/<id>/; this row says what they are.
-- Kept apart from activities.attachments (name + address entries typed by the organizer).
create table activity_files (
  id bigint generated always as identity primary key,
  activity_id bigint not null references activities (id) on delete cascade,
  kind text not null check (kind in ('photo', 'document')),
  file_name text not null,
  mime_type text not null,
  size_bytes integer not null,
  storage_key text not null unique,
  uploaded_by bigint,
  created_at timestamptz not null default now()
);
create index activity_files_activity on activity_files (activity_id, id);
