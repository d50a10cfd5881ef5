#!/usr/bin/env bash
# A PostgreSQL streaming replica on this machine (pg_basebackup on a second port), for DATABASE_REPLICA_URL.
#
#   scripts/replica.sh test [test files…]
#       creates a throwaway primary (initdb, 127.0.0.1:${REPLICA_TEST_PORT:-5442}) and its standby (the next port),
#       waits until the standby streams, runs server/src/platform/replica-pair.check.ts and the API tests' read
#       paths (members, orgs, points, dashboard, search, compliance; or the files given) against the pair, with
#       DATABASE_URL on the primary and TEST_REPLICA_URL on the standby; then stops and removes both.
#   scripts/replica.sh start PRIMARY_PORT REPLICA_PORT DIR
#       a standby of the server at 127.0.0.1:PRIMARY_PORT in DIR (created), listening on 127.0.0.1:REPLICA_PORT.
#       The primary's pg_hba.conf must allow `replication` connections from 127.0.0.1 (initdb's default does;
#       a Debian cluster's does not: add `host replication postgres 127.0.0.1/32 trust` and reload).
#   scripts/replica.sh stop DIR
#       stops that standby and removes DIR.
#
# PostgreSQL refuses to run as root: as root the servers run as the postgres user. PG_BIN: the binaries.
set -euo pipefail
BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
ROOT=$(cd "$(dirname "$0")/.." && pwd)

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
owned_dir() { mkdir -p "$1"; if [ "$(id -u)" = 0 ]; then chown postgres: "$1"; fi; chmod 700 "$1"; }
pg_up() { as_pg "$BIN/pg_ctl" -D "$1" -l "$1/server.log" -w -t 120 start >/dev/null; }
pg_down() { [ -f "$1/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$1" -m fast -w stop >/dev/null || true; }
sql() { "$BIN/psql" -h 127.0.0.1 -p "$1" -U postgres -d postgres -Atqc "$2"; }

start_replica() {
  local primary_port=$1 port=$2 dir=$3
  owned_dir "$dir"
  echo "replica: pg_basebackup of 127.0.0.1:$primary_port into $dir …" >&2
  local started=$SECONDS
  # -R: standby.signal and primary_conninfo; -X stream: the WAL written during the copy comes with it
  as_pg "$BIN/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$dir" -R -X stream -c fast || {
    echo "replica: pg_basebackup failed; the primary's pg_hba.conf must allow replication from 127.0.0.1 (see the header of $0)" >&2
    return 1
  }
  # a Debian cluster keeps its configuration in /etc, outside the copied data directory: the standby gets its own
  [ -f "$dir/pg_hba.conf" ] || printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' | as_pg tee "$dir/pg_hba.conf" >/dev/null
  printf "\n# scripts/replica.sh\nport = %s\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\nhot_standby = on\ncluster_name = 'dj-replica'\n" "$port" "$dir" \
    | as_pg tee -a "$dir/postgresql.conf" >/dev/null
  as_pg rm -f "$dir/postmaster.pid" "$dir/postmaster.opts"
  pg_up "$dir"
  for _ in $(seq 1 600); do
    [ "$(sql "$port" "select status from pg_stat_wal_receiver" 2>/dev/null)" = streaming ] && break
    sleep 0.1
  done
  [ "$(sql "$port" "select status from pg_stat_wal_receiver")" = streaming ] || { echo "replica: the standby does not stream (log: $dir/server.log)" >&2; return 1; }
  echo "replica: streaming on 127.0.0.1:$port after $((SECONDS - started)) s ($(du -sh "$dir" | cut -f1))" >&2
}

stop_replica() {
  pg_down "$1"
  rm -rf "$1"
}

case "${1:-}" in
  start) start_replica "$2" "$3" "$4" ;;
  stop) stop_replica "$2" ;;
  test)
    shift
    port=${REPLICA_TEST_PORT:-5442}
    work=$(mktemp -d /var/tmp/dj-replica.XXXXXX)
    owned_dir "$work"
    cleanup() { pg_down "$work/replica"; pg_down "$work/primary"; rm -rf "$work"; }
    trap cleanup EXIT
    # a throwaway primary: initdb's pg_hba.conf allows replication from 127.0.0.1; the machine's cluster is untouched
    as_pg "$BIN/initdb" -D "$work/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
    printf "port = %s\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\nfsync = off\n" "$port" "$work" | as_pg tee -a "$work/primary/postgresql.conf" >/dev/null
    pg_up "$work/primary"
    start_replica "$port" "$((port + 1))" "$work/replica"
    files=("$@")
    [ ${#files[@]} -gt 0 ] || files=(
      server/src/platform/replica-pair.check.ts server/src/platform/replica.test.ts
      server/src/modules/members/members.test.ts server/src/modules/orgs/orgs.test.ts server/src/modules/points/points.test.ts
      server/src/modules/dashboard/dashboard.test.ts server/src/modules/search/search.test.ts server/src/modules/activities/compliance.test.ts
    )
    cd "$ROOT"
    TEST_DB=postgres DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres" TEST_REPLICA_URL="postgres://postgres@127.0.0.1:$((port + 1))/postgres" \
      npx vitest run --config scripts/replica.vitest.config.ts "${files[@]}"
    ;;
  *) sed -n '2,17p' "$0" >&2; exit 2 ;;
esac
