#!/usr/bin/env bash
# The guest the libvirt end-to-end tests boot: a Debian kernel plus a busybox initramfs, booted
# with direct kernel boot under TCG. No disk image, no cloud-init: it boots to a shell script
# that prints what the tests look for on the serial console, and powers off on ACPI power button.
#
#   guest-fixture.sh OUTDIR   writes OUTDIR/vmlinuz and OUTDIR/initramfs.cpio.gz
#
# The domain needs:  <cmdline>console=ttyS0 panic=-1</cmdline>
#   (any cmdline works as long as a serial console is on it; the driver's default
#    `root=/dev/vda console=tty0 console=ttyS0` is fine: root= is ignored with an initramfs)
#
# Console lines the tests can wait for (all start with `NOVALITE-GUEST: `):
#   init started at uptime <s>s kernel <release>    after the modules are loaded
#   cmdline <kernel command line>
#   disks vda=<512-byte sectors> vdb=...             virtio disks (the resize tests read this)
#   eth0 mac=<mac> ip=<addr>|dhcp-failed             only when the guest has a NIC
#   READY                                            acpid is up: shutdown/reboot work from here
#   heartbeat <n> uptime <s>s                       every 10 s
#   config-drive meta_data <json>                    if a config-2 cdrom shows up (background)
#   power button: poweroff                           ACPI power button (virsh shutdown/reboot)
#
# Downloads and builds are cached in ${XDG_CACHE_HOME:-$HOME/.cache}/novalite-lab/ (override
# with NOVALITE_LAB_CACHE), keyed by the kernel package version, the busybox version and a hash
# of this script, so a rerun costs a copy. Needs root (mknod /dev/console) and apt lists.
set -euo pipefail

log() { printf 'guest-fixture.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ $# -eq 1 ] || die "usage: guest-fixture.sh OUTDIR"
mkdir -p "$1"
out=$(cd "$1" && pwd)
cache=${NOVALITE_LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/novalite-lab}
mkdir -p "$cache/debs" "$cache/fixtures"

# Modules the guest loads, in the order asked for; their dependencies are added in front of
# them from each module's own `depends=` field (the .deb ships no modules.dep: depmod makes it
# at install time). virtio for disks and NICs, evdev+button for the ACPI power button (acpid),
# ata_piix/ahci/sr_mod/isofs for the config drive cdrom (IDE on pc, SATA on q35).
WANTED_MODULES="virtio_pci virtio_blk virtio_net evdev button ata_piix ahci sr_mod isofs"

busybox=/bin/busybox
[ -x "$busybox" ] || die "$busybox missing: apt-get install busybox-static"
# A dynamically linked busybox (package `busybox`) would not run inside the initramfs.
if ldd "$busybox" >/dev/null 2>&1; then die "$busybox is dynamically linked: install busybox-static"; fi
for t in apt-cache apt-get dpkg-deb cpio gzip sha256sum; do
  command -v "$t" >/dev/null || die "$t not found"
done

# The generic kernel apt offers now, e.g. linux-image-6.1.0-56-amd64 6.1.192-2. The -cloud-
# flavour is a smaller .deb but a bigger vmlinuz, and the generic one is what the notes measured.
# (The awk scripts read to the end: an early `exit` would SIGPIPE apt-cache, and pipefail
# would turn that into a silent failure.)
resolve_kernel() {
  apt-cache depends linux-image-amd64 2>/dev/null |
    awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9].*-amd64$/ && !p { p = $2 } END { print p }'
}
kpkg=$(resolve_kernel || true)
if [ -z "$kpkg" ]; then
  # Fresh machines have no apt lists yet.
  log "no apt lists for linux-image-amd64; running apt-get update"
  flock /var/lock/novalite-ci-apt.lock apt-get update -q >/dev/null 2>&1 || true
  kpkg=$(resolve_kernel || true)
fi

bbver=$(dpkg-query -W -f '${Version}' busybox-static 2>/dev/null || echo unknown)
self_hash=$(sha256sum "$0" | cut -c1-12)
if [ -n "$kpkg" ]; then
  kver=$(apt-cache show --no-all-versions "$kpkg" | awk '$1 == "Version:" && !v { v = $2 } END { print v }')
  [ -n "$kver" ] || die "apt knows $kpkg but not its version"
  key="${kpkg}_${kver}_bb${bbver}_${self_hash}"
  key=${key//[^A-Za-z0-9._+-]/_}
else
  # Offline and no lists: reuse the newest fixture built by this very script, if any.
  key=$(find "$cache/fixtures" -mindepth 1 -maxdepth 1 -name "*_${self_hash}" -printf '%T@ %f\n' 2>/dev/null |
    sort -rn | awk 'NR == 1 { print $2 }')
  [ -n "$key" ] || die "cannot resolve the kernel package (apt-cache depends linux-image-amd64 failed) and nothing is cached"
  log "offline: reusing cached fixture $key"
fi

built="$cache/fixtures/$key"
if [ -s "$built/vmlinuz" ] && [ -s "$built/initramfs.cpio.gz" ]; then
  cp "$built/vmlinuz" "$built/initramfs.cpio.gz" "$out/"
  log "fixture from cache ($key)"
  exit 0
fi

t0=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/novalite-fixture.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The .deb (70 MB) is kept, so a change to the init below rebuilds without a download.
deb=$(find "$cache/debs" -maxdepth 1 -name "${kpkg}_${kver//:/%3a}_*.deb" -print -quit)
if [ -z "$deb" ]; then
  log "downloading $kpkg $kver"
  # APT::Sandbox::User=root: the _apt user could not write into a root-owned cache dir.
  (cd "$work" && apt-get download -q -o APT::Sandbox::User=root "$kpkg=$kver" >/dev/null) ||
    die "apt-get download $kpkg=$kver failed"
  # Older kernels' .debs are dead weight once apt has moved on.
  find "$cache/debs" -maxdepth 1 -name 'linux-image-*.deb' -delete
  mv "$work"/*.deb "$cache/debs/"
  deb=$(find "$cache/debs" -maxdepth 1 -name "${kpkg}_*.deb" -print -quit)
fi

# One pass over the whole modules tree (about 400 MB unpacked, 3 s) is simpler and not slower
# than listing the archive first to pick files.
mkdir -p "$work/deb"
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work/deb" ./boot ./lib/modules
vmlinuz=$(find "$work/deb/boot" -name 'vmlinuz-*' -print -quit)
[ -n "$vmlinuz" ] || die "no vmlinuz in $deb"
moddir=$(find "$work/deb/lib/modules" -mindepth 1 -maxdepth 1 -type d -print -quit)
[ -n "$moddir" ] || die "no lib/modules in $deb"

root="$work/root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,mnt,tmp,etc/acpi/PWRF,lib/modules}

modfile() {
  local f
  f=$(find "$moddir" \( -name "$1.ko" -o -name "$1.ko.xz" \) -print -quit)
  [ -n "$f" ] || die "module $1 not in $deb"
  echo "$f"
}
order=()
declare -A seen=()
add_module() {
  local m=$1 f deps d
  [ -z "${seen[$m]:-}" ] || return 0
  seen[$m]=1
  f=$(modfile "$m")
  deps=$( (case $f in *.xz) xz -dc "$f" ;; *) cat "$f" ;; esac) | tr '\0' '\n' | sed -n 's/^depends=//p' | head -n 1)
  for d in ${deps//,/ }; do add_module "$d"; done
  case $f in
    *.xz) xz -dc "$f" >"$root/lib/modules/$m.ko" ;; # busybox insmod only reads plain .ko
    *) cp "$f" "$root/lib/modules/$m.ko" ;;
  esac
  order+=("$m")
}
for m in $WANTED_MODULES; do add_module "$m"; done
printf '%s\n' "${order[@]}" >"$root/etc/modules.order"

cp "$busybox" "$root/bin/busybox"
"$busybox" --list-full | while read -r applet; do
  [ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done
# The kernel opens /dev/console for init before anything is mounted.
mknod -m 600 "$root/dev/console" c 5 1 || die "mknod failed (run as root)"

cat >"$root/etc/udhcpc.script" <<'EOF'
#!/bin/sh
# udhcpc calls this with the lease in the environment.
case "$1" in
  deconfig) ip -4 addr flush dev "$interface"; ip link set "$interface" up ;;
  bound|renew)
    ifconfig "$interface" "$ip" netmask "${subnet:-255.255.255.0}"
    for r in $router; do route add default gw "$r" dev "$interface" 2>/dev/null; break; done ;;
esac
exit 0
EOF

# busybox acpid runs PWRF/00000080 on the power button, which is what virsh shutdown sends
# (and virsh reboot, as a "fake reboot" that libvirt restarts).
cat >"$root/etc/acpi/PWRF/00000080" <<'EOF'
#!/bin/sh
. /etc/say.sh
say "NOVALITE-GUEST: power button: poweroff"
poweroff -f
EOF

cat >"$root/etc/say.sh" <<'EOF'
# say LINE: to /dev/console, and to ttyS0 too unless ttyS0 already is the console (the last
# console= on the command line is the one /dev/console writes to).
say() {
  echo "$*" >/dev/console 2>/dev/null
  if [ "$NOVALITE_SERIAL_TOO" = 1 ]; then echo "$*" >/dev/ttyS0 2>/dev/null; fi
  return 0
}
EOF

cat >"$root/init" <<'EOF'
#!/bin/sh
# novalite test guest. No `set -e`: pid 1 must never exit (the kernel would panic).
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1

last_console=""
for w in $(cat /proc/cmdline); do
  case $w in console=*) last_console=${w#console=}; last_console=${last_console%%,*} ;; esac
done
NOVALITE_SERIAL_TOO=1
if [ "$last_console" = ttyS0 ] || [ ! -c /dev/ttyS0 ]; then NOVALITE_SERIAL_TOO=0; fi
export NOVALITE_SERIAL_TOO
. /etc/say.sh

for m in $(cat /etc/modules.order); do
  insmod "/lib/modules/$m.ko" || say "NOVALITE-GUEST: insmod $m failed"
done

uptime_s() { cut -d' ' -f1 /proc/uptime; }
say "NOVALITE-GUEST: init started at uptime $(uptime_s)s kernel $(uname -r)"
say "NOVALITE-GUEST: cmdline $(cat /proc/cmdline)"
hostname novalite-guest

disks=""
for d in /sys/block/vd*; do
  [ -e "$d" ] && disks="$disks ${d##*/}=$(cat "$d/size")"
done
say "NOVALITE-GUEST: disks${disks:- none}"

ip link set lo up
if [ -e /sys/class/net/eth0 ]; then
  ip link set eth0 up
  mac=$(cat /sys/class/net/eth0/address)
  if udhcpc -i eth0 -q -n -t 5 -s /etc/udhcpc.script >/tmp/udhcpc.log 2>&1; then
    addr=$(ip -4 -o addr show dev eth0 | awk '{ print $4; exit }')
    say "NOVALITE-GUEST: eth0 mac=$mac ip=${addr:-none}"
  else
    say "NOVALITE-GUEST: eth0 mac=$mac ip=dhcp-failed"
  fi
fi

acpid -c /etc/acpi -l /tmp/acpid.log

# The cdrom shows up asynchronously (libata probes in the background), so the config drive is
# read in the background and READY is not held up by guests that have none.
(
  i=0
  while [ $i -lt 30 ]; do
    for s in /sys/block/sr*; do
      [ -e "$s" ] || continue
      if mount -t iso9660 -o ro "/dev/${s##*/}" /mnt 2>/dev/null; then
        if [ -f /mnt/openstack/latest/meta_data.json ]; then
          say "NOVALITE-GUEST: config-drive meta_data $(head -c 4000 /mnt/openstack/latest/meta_data.json)"
          if [ -f /mnt/openstack/latest/user_data ]; then
            say "NOVALITE-GUEST: config-drive user_data md5=$(md5sum </mnt/openstack/latest/user_data | cut -d' ' -f1)"
          fi
        else
          say "NOVALITE-GUEST: config-drive none on ${s##*/}"
        fi
        umount /mnt
        exit 0
      fi
    done
    i=$((i + 1))
    sleep 1
  done
) &

say "NOVALITE-GUEST: READY"

n=0
while :; do
  sleep 10
  n=$((n + 1))
  say "NOVALITE-GUEST: heartbeat $n uptime $(uptime_s)s"
done
EOF
chmod 755 "$root/init" "$root/etc/udhcpc.script" "$root/etc/acpi/PWRF/00000080"

# Same inputs, same bytes: no build-time mtimes in the archive.
find "$root" -exec touch -h -d @0 {} +
mkdir -p "$work/built"
cp "$vmlinuz" "$work/built/vmlinuz"
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --reproducible --quiet | gzip -9 -n) \
  >"$work/built/initramfs.cpio.gz"
# Publish atomically: a concurrent or interrupted build never leaves a half-written cache entry.
rm -rf "$built"
mv "$work/built" "$built"
# Fixtures of older kernels or older versions of this script are not used any more.
find "$cache/fixtures" -mindepth 1 -maxdepth 1 ! -name "$key" -exec rm -rf {} +
cp "$built/vmlinuz" "$built/initramfs.cpio.gz" "$out/"
log "built fixture $key in $((SECONDS - t0))s (modules: ${order[*]})"
