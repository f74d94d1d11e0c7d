#!/usr/bin/env bash
# The quickstart: builds novalite and runs its main job on the embedded default — SQLite under
# $XDG_DATA_HOME/novalite (~/.local/share/novalite): syncs the databases, sets up cells v2,
# registers a fake-driver host, then boots a server on it and shows it ACTIVE with its console
# log. Safe to run again. (Real libvirt hosts over SSH come with the libvirt driver.)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/commands/db/sync.js ] || npm run --silent build
n() { echo "\$ novalite $*" >&2; node bin/run.js "$@"; }
n api-db sync
n db sync
n cell-v2 simple-cell-setup
n status upgrade-check
n host show quickstart-host >/dev/null 2>&1 \
  || n host add quickstart-host --driver fake --vcpus 8 --memory-mb 16896 --disk-gb 200
n flavor show m1.tiny >/dev/null 2>&1 || n flavor create m1.tiny --vcpus 1 --ram 512 --disk 1
if ! node bin/run.js image show quickstart-image >/dev/null 2>&1; then
  img=$(mktemp); head -c 1048576 /dev/zero > "$img"
  n image create quickstart-image --file "$img" --disk-format raw
  rm -f "$img"
fi
n server create hello --flavor m1.tiny --image quickstart-image --if-not-exists --wait
n server list
n server console-log hello --lines 5
