-- The documents of an election's steps (请示 and 批复 texts, the congress's minutes and ballot count
-- sheet, the filing form) are uploaded to the step they belong to, as scans or office files.
create table election_step_files (
  id bigint generated always as identity primary key,
  procedure_id bigint not null,
  step text not null,
  kind text not null check (kind in ('photo', 'document')),
  file_name text not null,
  mime_type text not null,
  size_bytes integer not null,
  storage_key text not null,
  uploaded_by bigint references users (id),
  created_at timestamptz not null default now(),
  foreign key (procedure_id, step) references election_steps (procedure_id, step) on delete cascade
);
create index election_step_files_step on election_step_files (procedure_id, step, id);
