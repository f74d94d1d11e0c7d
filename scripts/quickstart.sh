#!/usr/bin/env bash
# The quickstart: builds novalite and runs its main job on the embedded default — SQLite under
# $XDG_DATA_HOME/novalite (~/.local/share/novalite) — syncing the databases, setting up cells v2
# and printing the status check. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/commands/db/sync.js ] || npm run --silent build
n() { echo "\$ novalite $*" >&2; node bin/run.js "$@"; }
n api-db sync
n db sync
n cell-v2 simple-cell-setup
n cell-v2 list-cells
n status upgrade-check
