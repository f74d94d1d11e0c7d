#!/usr/bin/env bash
# Throwaway MariaDB for the test suite (Debian 12, run as root).
#   mariadb.sh start STATE_DIR  installs `mariadb-server` if missing, creates a fresh datadir in
#                               STATE_DIR/mariadb, serves it on 127.0.0.1:<free port>, creates
#                               user+db `novalite`, writes STATE_DIR/mariadb.env
#                               (export NOVALITE_TEST_MYSQL_URL=...).
#   mariadb.sh stop STATE_DIR   stops it and removes STATE_DIR/mariadb and mariadb.env (no-op if
#                               not running).
# Progress goes to stderr; failures exit non-zero with the server log tail.
set -euo pipefail

log() { printf 'mariadb.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ $# -eq 2 ] || die "usage: mariadb.sh start|stop STATE_DIR"
cmd=$1
if [ "$cmd" = stop ] && [ ! -d "$2" ]; then exit 0; fi
mkdir -p "$2"
state=$(cd "$2" && pwd)
root="$state/mariadb"
data="$root/data"
sock="$root/sock"
pidf="$root/mariadbd.pid"
logf="$root/mariadbd.log"
envf="$state/mariadb.env"

server_bin() {
  local b
  for b in mariadbd mysqld; do
    command -v "$b" 2>/dev/null && return 0
    [ -x "/usr/sbin/$b" ] && { echo "/usr/sbin/$b"; return 0; }
  done
  return 1
}
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
tools_present() {
  local t
  for t in mariadb-install-db mariadb-admin mariadb; do command -v "$t" >/dev/null || return 1; done
}
alive() { [ -f "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null; }

install_mariadb() {
  local t0=$SECONDS apt_log="$state/apt-mariadb.log"
  log "installing mariadb-server (apt)..."
  if ! flock /var/lock/novalite-ci-apt.lock sh -c '
      apt-get update -q &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=900 \
        --no-install-recommends mariadb-server' >"$apt_log" 2>&1; then
    tail -n 20 "$apt_log" >&2
    die "apt-get install mariadb-server failed (log: $apt_log)"
  fi
  log "installed mariadb-server in $((SECONDS - t0))s"
}

stop_mariadb() {
  local pid
  if alive; then
    pid=$(cat "$pidf")
    mariadb-admin --no-defaults -S "$sock" -u root --connect-timeout=5 shutdown >/dev/null 2>&1 ||
      kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid ignored shutdown; killing"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "stopped (pid $pid)"
  fi
  rm -rf "$root" "$envf"
}

start_mariadb() {
  local t0=$SECONDS bin port attempt pid
  if ! bin=$(server_bin) || ! tools_present; then
    install_mariadb
    bin=$(server_bin) || die "mariadbd not found after install"
  fi

  stop_mariadb # a leftover server from an earlier run is thrown away
  mkdir -p "$data"
  if ! mariadb-install-db --no-defaults --datadir="$data" --user=root \
      --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
      >"$root/install-db.log" 2>&1; then
    tail -n 20 "$root/install-db.log" >&2
    die "mariadb-install-db failed"
  fi

  for attempt in 1 2 3; do
    port=$(free_port)
    setsid "$bin" --no-defaults --datadir="$data" --socket="$sock" --port="$port" \
      --bind-address=127.0.0.1 --user=root --pid-file="$pidf" --log-error="$logf" \
      --skip-log-bin --skip-name-resolve --max-connections=200 \
      --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
      --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --innodb-buffer-pool-size=64M \
      </dev/null >>"$logf" 2>&1 &
    pid=$!
    for _ in $(seq 600); do # up to 60 s
      kill -0 "$pid" 2>/dev/null || break
      mariadb-admin --no-defaults -S "$sock" -u root --connect-timeout=1 ping >/dev/null 2>&1 && break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null &&
        mariadb-admin --no-defaults -S "$sock" -u root ping >/dev/null 2>&1; then
      break
    fi
    log "start on port $port failed (attempt $attempt)"
    tail -n 5 "$logf" >&2 || true
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    [ "$attempt" -lt 3 ] || { stop_mariadb; die "could not start mariadbd"; }
  done

  if ! mariadb --no-defaults -S "$sock" -u root >/dev/null <<'SQL'
CREATE USER 'novalite'@'127.0.0.1' IDENTIFIED BY 'novalite-test-pw';
CREATE USER 'novalite'@'localhost' IDENTIFIED BY 'novalite-test-pw';
GRANT ALL PRIVILEGES ON *.* TO 'novalite'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'novalite'@'localhost' WITH GRANT OPTION;
CREATE DATABASE novalite CHARACTER SET utf8mb4;
SQL
  then
    stop_mariadb
    die "could not create user/database"
  fi

  echo "export NOVALITE_TEST_MYSQL_URL=mysql://novalite:novalite-test-pw@127.0.0.1:$port/novalite" >"$envf"
  log "mariadb $("$bin" --version | awk '{print $3}') up on 127.0.0.1:$port in $((SECONDS - t0))s ($envf)"
}

case $cmd in
  start) start_mariadb ;;
  stop) stop_mariadb ;;
  *) die "usage: mariadb.sh start|stop STATE_DIR" ;;
esac
