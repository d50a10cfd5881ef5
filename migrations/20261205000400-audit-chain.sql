-- Issue #19: an audit log that shows tampering (等保 level 3).
-- Writers insert audit rows as before, in their own transactions and without waiting on each other;
-- a sealer (server/src/platform/audit-chain.ts) later gives each committed row its place in one
-- hash chain: seal_seq (1, 2, 3, … in seal order, not id order: a row committed late with a smaller
-- id is sealed in the next run) and hash = sha256(prev_hash || the row's content). An altered row no
-- longer matches its hash, a deleted one leaves a gap that the next row's prev_hash points across;
-- `npm run audit:verify` walks the chain and names the first break.
alter table audit_log
  add column seal_seq bigint unique,
  add column hash bytea,
  add column prev_hash bytea,
  add constraint audit_log_sealed_whole check ((seal_seq is null) = (hash is null) and (prev_hash is null or seal_seq is not null));

-- the sealer's queue: committed rows not yet in the chain, found without scanning the sealed history
create index audit_log_unsealed on audit_log (id) where seal_seq is null;

-- Rows older than the retention (AUDIT_RETENTION_MONTHS, never under 6 months) move here, still in
-- the chain: verification walks both tables in seal order. Archived rows are kept, never deleted.
create table audit_log_archive (
  id bigint primary key,
  at timestamptz not null,
  user_id bigint,
  username text,
  ip text,
  action text not null,
  target_type text not null,
  target_id text,
  org_path ltree,
  detail jsonb not null,
  seal_seq bigint not null unique,
  hash bytea not null,
  prev_hash bytea
);

-- where the act happened, as it was then: archived rows keep the path like the live ones
insert into org_owned_columns (table_name, column_name, kind, refers_to, merge_key, module, note) values
  ('audit_log_archive', 'org_path', 'historical', 'path', '{}', 'audit', 'archived audit entries, as they were recorded');

/*
 * The application cannot rewrite history: a row's content never changes (audit_log.org_path is
 * historical in org_owned_columns, so moves and merges leave it alone and it is part of the hashed
 * content), the seal is written once, and a row leaves audit_log only when an identical sealed copy
 * is already in the archive (archiveAudit copies, then deletes, in one transaction). A DBA who
 * disables these triggers can still alter or delete rows: the chain is what then shows it.
 */
create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    if old.seal_seq is not null and exists (
         select 1 from audit_log_archive x where x.seal_seq = old.seal_seq and x.id = old.id and x.hash = old.hash) then
      return old;
    end if;
    raise exception 'audit_log is append-only: entry % can only leave through the archive', old.id using errcode = 'insufficient_privilege';
  end if;
  if old.seal_seq is null and new.seal_seq is not null
     and (new.id, new.at, new.user_id, new.username, new.ip, new.action, new.target_type, new.target_id, new.org_path, new.detail)
         is not distinct from (old.id, old.at, old.user_id, old.username, old.ip, old.action, old.target_type, old.target_id, old.org_path, old.detail) then
    return new;
  end if;
  raise exception 'audit_log is append-only: entry % cannot be changed', old.id using errcode = 'insufficient_privilege';
end $$;

create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function audit_log_append_only();

create function audit_log_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only', tg_table_name using errcode = 'insufficient_privilege';
end $$;

create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_refuse_change();
create trigger audit_log_archive_append_only before update or delete on audit_log_archive
  for each row execute function audit_log_refuse_change();
create trigger audit_log_archive_no_truncate before truncate on audit_log_archive
  for each statement execute function audit_log_refuse_change();
