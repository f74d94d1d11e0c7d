#!/usr/bin/env bash
# The real OpenStack clients from Debian 12 for the API suites (test/api/clients.test.ts) and the
# Tempest response schemas (scripts/tempest-schemas.py, test/api/conformance.test.ts): installs
# python3-openstackclient, python3-novaclient, python3-openstacksdk, tempest and python3-tempest
# when any is missing (root only; apt-get update first). Does nothing when all are present.
#   openstack-clients.sh [LOG_DIR]   apt's output goes to LOG_DIR/apt-openstack-clients.log
# The clients are scripts on /usr/bin/python3 (not whatever python3 is first on PATH); the
# check below imports them with that interpreter. Progress goes to stderr.
set -euo pipefail
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

log() { printf 'openstack-clients.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

packages="python3-openstackclient python3-novaclient python3-openstacksdk tempest python3-tempest"
logdir=${1:-${TMPDIR:-/tmp}}
mkdir -p "$logdir"
apt_log="$logdir/apt-openstack-clients.log"

missing=""
for p in $packages; do
  dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep 'ok installed' >/dev/null || missing="$missing $p"
done

if [ -n "$missing" ]; then
  [ "$(id -u)" -eq 0 ] || die "missing:$missing; run as root (or install them: apt-get install --no-install-recommends$missing)"
  t0=$SECONDS
  log "missing:$missing; installing (apt)"
  # shellcheck disable=SC2086
  if ! flock /var/lock/novalite-ci-apt.lock sh -c '
      apt-get update -q &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=900 \
        --no-install-recommends "$@"' sh $packages >"$apt_log" 2>&1; then
    tail -n 20 "$apt_log" >&2
    die "apt-get install failed (log: $apt_log)"
  fi
  log "installed in $((SECONDS - t0))s"
fi

for b in openstack nova; do
  [ -x "/usr/bin/$b" ] || die "/usr/bin/$b missing after install"
done
if ! out=$(env -i PATH=/usr/bin:/bin /usr/bin/python3 -c '
import openstack, novaclient, openstackclient, tempest.lib.api_schema.response.compute.v2_1.servers
print(openstack.version.__version__, novaclient.__version__)' 2>&1); then
  printf '%s\n' "$out" >&2
  die "/usr/bin/python3 cannot import the clients"
fi
log "ready (openstacksdk, novaclient: $out)"
