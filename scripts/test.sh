#!/usr/bin/env bash
# The one test command (README, .ci/run): builds, checks the committed oclif manifest and the
# import rules, starts the real PostgreSQL and MariaDB the suites need (installing them when
# missing) and the libvirt lab (scripts/ci/libvirt-lab.sh, root only), runs every jest suite,
# prints a one-line summary, and stops what it started.
# NOVALITE_TEST_ENGINES=sqlite skips the servers and NOVALITE_TEST_LIBVIRT=0 the lab on a
# developer machine; never under CI=true.
set -euo pipefail
cd "$(dirname "$0")/.."

STATE=$(mktemp -d /tmp/novalite-test.XXXXXX)
export NOVALITE_TEST_STATE="$STATE"
cleanup() {
  bash scripts/ci/libvirt-lab.sh stop "$STATE" >/dev/null 2>&1 || true
  bash scripts/ci/mariadb.sh stop "$STATE" >/dev/null 2>&1 || true
  bash scripts/ci/pg.sh stop "$STATE" >/dev/null 2>&1 || true
  rm -rf "$STATE"
}
trap cleanup EXIT

echo "== build" >&2
npm run --silent build
if git rev-parse --is-inside-work-tree >/dev/null 2>&1 && ! git diff --quiet -- oclif.manifest.json; then
  echo "oclif.manifest.json is stale: run 'npm run build' and commit it." >&2
  git --no-pager diff --stat -- oclif.manifest.json >&2
  exit 1
fi
echo "== lint" >&2
npm run --silent lint

engines=${NOVALITE_TEST_ENGINES:-sqlite,postgresql,mysql}
if [ "${CI:-}" = "true" ]; then engines=sqlite,postgresql,mysql; fi
if [[ $engines == *postgresql* ]]; then
  echo "== start PostgreSQL" >&2
  bash scripts/ci/pg.sh start "$STATE"
  # shellcheck disable=SC1091
  source "$STATE/pg.env"
fi
if [[ $engines == *mysql* ]]; then
  echo "== start MariaDB" >&2
  bash scripts/ci/mariadb.sh start "$STATE"
  # shellcheck disable=SC1091
  source "$STATE/mariadb.env"
fi

# The libvirt lab (two real libvirt hosts over SSH) for test/e2e; it needs root. Under CI it
# always runs; NOVALITE_TEST_LIBVIRT=0 skips it on a developer machine (the e2e suites skip).
# There is one lab per machine: a developer who keeps one up (`libvirt-lab.sh start DIR`, then
# `source DIR/libvirt.env`) has it used as it is, and not stopped at the end.
lab=1
if [ "${CI:-}" != "true" ]; then
  if [ "${NOVALITE_TEST_LIBVIRT:-1}" = 0 ]; then
    lab=0
    unset "${!NOVALITE_LAB_@}" # a lab sourced into this shell must not un-skip the e2e suites
  elif [ -n "${NOVALITE_LAB_STATE:-}" ] && [ -f "$NOVALITE_LAB_STATE/libvirt.env" ]; then
    echo "== using the running libvirt lab of $NOVALITE_LAB_STATE" >&2
    lab=0
  elif [ "$(id -u)" -ne 0 ]; then
    echo "warning: not root, so no libvirt lab: the e2e suites will skip (NOVALITE_TEST_LIBVIRT=0 silences this)" >&2
    lab=0
  fi
fi
if [ "$lab" = 1 ]; then
  echo "== start libvirt lab" >&2
  bash scripts/ci/libvirt-lab.sh start "$STATE"
  # shellcheck disable=SC1091
  source "$STATE/libvirt.env"
fi

# The real OpenStack clients (openstack, nova, openstacksdk) and Tempest's response schemas for
# test/api (clients.test.ts, conformance.test.ts); installing them needs root. Under CI they are
# always made sure of; NOVALITE_TEST_OPENSTACK=0 skips that on a developer machine (the suites
# then skip what needs them when they are missing).
if [ "${CI:-}" = "true" ] || { [ "$(id -u)" -eq 0 ] && [ "${NOVALITE_TEST_OPENSTACK:-1}" != 0 ]; }; then
  echo "== OpenStack clients and tempest" >&2
  bash scripts/ci/openstack-clients.sh "$STATE"
elif [ "${NOVALITE_TEST_OPENSTACK:-1}" != 0 ]; then
  echo "warning: not root, so the OpenStack clients are not installed if missing: their suites will skip (NOVALITE_TEST_OPENSTACK=0 silences this)" >&2
fi

echo "== jest (engines: $engines)" >&2
status=0
npx jest --ci --maxWorkers=2 --json --outputFile="$STATE/jest.json" "$@" || status=$?
node scripts/test-summary.js "$STATE/jest.json" || true
exit $status
