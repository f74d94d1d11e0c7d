#!/usr/bin/env bash
# Throwaway PostgreSQL for the test suite (Debian 12, run as root).
#   pg.sh start STATE_DIR  installs `postgresql` if missing, creates a fresh cluster in
#                          STATE_DIR/pg on 127.0.0.1:<free port>, role+db `novalite`, and writes
#                          STATE_DIR/pg.env (export NOVALITE_TEST_PG_URL=...).
#   pg.sh stop STATE_DIR   stops it and removes STATE_DIR/pg and pg.env (no-op if not running).
# Progress goes to stderr; failures exit non-zero with the server log tail.
set -euo pipefail

log() { printf 'pg.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ $# -eq 2 ] || die "usage: pg.sh start|stop STATE_DIR"
cmd=$1
if [ "$cmd" = stop ] && [ ! -d "$2" ]; then exit 0; fi
mkdir -p "$2"
state=$(cd "$2" && pwd)
root="$state/pg"
data="$root/data"
sock="$root/sock"
logf="$root/postgres.log"
envf="$state/pg.env"

# bin dir of the newest installed server, or empty
pg_bin() {
  local f
  f=$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
  if [ -x "$f" ]; then dirname "$f"; fi
}
as_pg() { runuser -u postgres -- "$@"; }
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

install_pg() {
  local t0=$SECONDS apt_log="$state/apt-postgresql.log"
  log "installing postgresql (apt)..."
  if ! flock /var/lock/novalite-ci-apt.lock sh -c '
      apt-get update -q &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=900 \
        --no-install-recommends postgresql' >"$apt_log" 2>&1; then
    tail -n 20 "$apt_log" >&2
    die "apt-get install postgresql failed (log: $apt_log)"
  fi
  log "installed postgresql in $((SECONDS - t0))s"
}

stop_pg() {
  local bin pid
  bin=$(pg_bin)
  if [ -f "$data/postmaster.pid" ]; then
    pid=$(head -n 1 "$data/postmaster.pid")
    if [ -n "$bin" ] && as_pg "$bin/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1; then
      log "stopped (pid $pid)"
    elif kill -0 "$pid" 2>/dev/null; then
      log "pg_ctl stop failed; killing pid $pid"
      kill -QUIT "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -rf "$root" "$envf"
}

start_pg() {
  local t0=$SECONDS bin port attempt
  bin=$(pg_bin)
  if [ -z "$bin" ]; then install_pg; bin=$(pg_bin); fi
  [ -n "$bin" ] || die "no initdb under /usr/lib/postgresql/*/bin"
  id postgres >/dev/null 2>&1 || die "system user 'postgres' missing"

  stop_pg # a leftover cluster from an earlier run is thrown away
  mkdir -p "$data" "$sock"
  chown -R postgres: "$root"
  # initdb/postgres run as user postgres, which must get through STATE_DIR (mktemp -d is 0700)
  as_pg test -x "$state" || chmod a+x "$state"
  chmod 700 "$data"
  as_pg test -w "$data" || die "user postgres cannot write $data (is a parent dir private?)"

  if ! as_pg "$bin/initdb" -D "$data" -U postgres -E UTF8 --locale=C \
      --auth-local=trust --auth-host=scram-sha-256 >"$root/initdb.log" 2>&1; then
    cat "$root/initdb.log" >&2
    die "initdb failed"
  fi
  cat >>"$data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sock'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF

  for attempt in 1 2 3; do
    port=$(free_port)
    if as_pg "$bin/pg_ctl" -D "$data" -l "$logf" -o "-p $port" -w -t 60 start >/dev/null 2>&1; then
      break
    fi
    log "start on port $port failed (attempt $attempt)"
    tail -n 5 "$logf" >&2 || true
    [ "$attempt" -lt 3 ] || { stop_pg; die "could not start postgres"; }
  done

  if ! "$bin/psql" -X -q -h "$sock" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
CREATE ROLE novalite LOGIN SUPERUSER PASSWORD 'novalite-test-pw';
CREATE DATABASE novalite OWNER novalite;
SQL
  then
    stop_pg
    die "could not create role/database"
  fi

  echo "export NOVALITE_TEST_PG_URL=postgresql://novalite:novalite-test-pw@127.0.0.1:$port/novalite" >"$envf"
  log "postgresql $("$bin/postgres" -V | awk '{print $3}') up on 127.0.0.1:$port in $((SECONDS - t0))s ($envf)"
}

case $cmd in
  start) start_pg ;;
  stop) stop_pg ;;
  *) die "usage: pg.sh start|stop STATE_DIR" ;;
esac
