#!/usr/bin/env bash
# The quickstart: novalite's main job on the embedded default (SQLite under
# $XDG_DATA_HOME/novalite, i.e. ~/.local/share/novalite) against a real libvirt host.
#
# As root on Debian it installs libvirt, QEMU and OpenSSH (apt), starts a local libvirt host
# reached over SSH on 127.0.0.1:2222 (plus a second one in a network namespace, for
# migrations), builds a tiny guest (a Debian kernel and a busybox initramfs), registers the
# host with its SSH key pinned, boots the guest and shows it ACTIVE with its console log.
# When it cannot (not root, no apt, a failed start) it says so and falls back to a fake-driver
# host, so the rest of the flow still runs. Safe to run again.
#
#   npm run quickstart                    real libvirt host when possible, else fake
#   NOVALITE_QUICKSTART=fake npm run quickstart   the fake-driver flow only
#   bash scripts/ci/libvirt-lab.sh stop ~/.local/share/novalite/lab    stops the local hosts
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/commands/db/sync.js ] || npm run --silent build
n() { echo "\$ novalite $*" >&2; node bin/run.js "$@"; }
say() { printf '\n== %s\n' "$*" >&2; }

data="${XDG_DATA_HOME:-$HOME/.local/share}/novalite"
lab="$data/lab"
mode="${NOVALITE_QUICKSTART:-libvirt}"
why=""
if [ "$mode" = libvirt ]; then
  if [ "$(id -u)" -ne 0 ]; then why="not running as root (installing libvirt and starting its daemons needs root)"
  elif ! command -v apt-get >/dev/null 2>&1 && ! command -v virsh >/dev/null 2>&1; then why="no apt-get to install libvirt with"
  else
    say "Starting a local libvirt host reached over SSH (first run: installs packages, ~1 min)"
    mkdir -p "$lab"
    if ! bash scripts/ci/libvirt-lab.sh start "$lab"; then why="the local libvirt host did not start (see the messages above)"; fi
  fi
  if [ -n "$why" ]; then
    say "FALLING BACK TO THE FAKE DRIVER: $why."
    echo "   The servers below run on a simulated host; run as root on Debian for a real guest." >&2
    mode=fake
  fi
fi

say "Databases and cells"
n api-db sync
n db sync
n cell-v2 simple-cell-setup
n status upgrade-check
n flavor show m1.tiny >/dev/null 2>&1 || n flavor create m1.tiny --vcpus 1 --ram 128 --disk 1

if [ "$mode" = fake ]; then
  say "A fake-driver host and a server on it"
  n host show quickstart-fake >/dev/null 2>&1 \
    || n host add quickstart-fake --driver fake --vcpus 8 --memory-mb 16896 --disk-gb 200
  if ! node bin/run.js image show quickstart-image >/dev/null 2>&1; then
    img=$(mktemp); head -c 1048576 /dev/zero > "$img"
    n image create quickstart-image --file "$img" --disk-format raw
    rm -f "$img"
  fi
  n server create hello --flavor m1.tiny --image quickstart-image --if-not-exists --wait
  n server list
  n server console-log hello --lines 5
  exit 0
fi

# shellcheck disable=SC1091
source "$lab/libvirt.env"
say "Registering the local host over SSH, its host key pinned by fingerprint"
fp=$(ssh-keygen -lf "$NOVALITE_LAB_HOST1_HOSTKEY_PUB" | awk '{print $2}')
n host show local-1 >/dev/null 2>&1 || n host add local-1 --driver libvirt --address "$NOVALITE_LAB_HOST1_ADDR" \
  --port "$NOVALITE_LAB_HOST1_PORT" --key "$NOVALITE_LAB_KEY" --host-key-fingerprint "$fp" \
  --migration-address "$NOVALITE_LAB_HOST1_MIGRATION_ADDR" --shutdown-timeout 20
n host verify local-1

say "Images: a kernel, an initramfs and a root disk that boots with them"
id_of() { node bin/run.js image show "$1" --json | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0)).image.id)'; }
node bin/run.js image show guest-kernel >/dev/null 2>&1 || n image create guest-kernel --file "$NOVALITE_LAB_KERNEL" --disk-format aki --container-format aki >/dev/null
node bin/run.js image show guest-initrd >/dev/null 2>&1 || n image create guest-initrd --file "$NOVALITE_LAB_INITRD" --disk-format ari --container-format ari >/dev/null
if ! node bin/run.js image show guest >/dev/null 2>&1; then
  disk=$(mktemp --suffix .qcow2); qemu-img create -q -f qcow2 "$disk" 64M
  n image create guest --file "$disk" --disk-format qcow2 --property "kernel_id=$(id_of guest-kernel)" \
    --property "ramdisk_id=$(id_of guest-initrd)" --property "os_command_line=$NOVALITE_LAB_CMDLINE" >/dev/null
  rm -f "$disk"
fi

say "Booting a real guest (QEMU; TCG when KVM is not usable)"
n server create hello-libvirt --flavor m1.tiny --image guest --config-drive --if-not-exists --wait
for _ in $(seq 1 60); do
  node bin/run.js server console-log hello-libvirt | grep -q 'NOVALITE-GUEST: READY' && break
  sleep 1
done
n server show hello-libvirt
n server console-log hello-libvirt --lines 12
say "Done. The guest runs under libvirt on local-1: try \`novalite server show hello-libvirt\`, \`novalite server xml hello-libvirt --diff\`, \`novalite doctor\`."
