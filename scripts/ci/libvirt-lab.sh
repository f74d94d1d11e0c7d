#!/usr/bin/env bash
# A two-host libvirt lab on one machine for the libvirt driver's end-to-end tests (Debian 12,
# root, no systemd). See /work/shared/notes/libvirt-on-these-machines.md for why it looks so.
#
#   host1  the machine itself: libvirtd + virtlogd (unless already running), the libvirt NAT
#          network `default`, and an sshd on 127.0.0.1:2222 and 10.99.0.1:2222.
#   host2  network namespace nl-host2 (veth 10.99.0.1 <-> 10.99.0.2) plus a private mount and
#          UTS namespace (hostname host2) with its own /run/libvirt, /var/lib/libvirt,
#          /var/cache/libvirt, /var/log/libvirt, /etc/libvirt and /var/lib/novalite, its own
#          libvirtd, virtlogd, `default` network and an sshd on 10.99.0.2:22.
#   Both sshds take only the lab's client key. /var/lib/novalite on host1 is a bind mount of
#   STATE/lab/host1/novalite while the lab runs, so the tests neither see nor leave anything in
#   the machine's real one; /tmp is shared by both hosts (the kernel fixture lives there).
#
#   libvirt-lab.sh start STATE             everything above; writes STATE/libvirt.env
#   libvirt-lab.sh stop STATE              tears down what start made; never fails, never hangs
#   libvirt-lab.sh sshd-stop STATE HOST    HOST = host1|host2: kills its sshd and its sessions
#   libvirt-lab.sh sshd-start STATE HOST   starts it again (same host key)
#   libvirt-lab.sh rekey STATE HOST        new host key, sshd restarted (key pinning tests)
#
# There is one lab per machine (host1 is the machine's own libvirtd and port 2222). Which
# STATE owns it is in /run/novalite-lab/owner, next to the pidfiles of every daemon the lab
# started; `stop` only kills what has a pidfile there, and leaves a lab another STATE owns alone.
# Progress and per-step timings go to stderr.
set -euo pipefail
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

log() { printf 'libvirt-lab.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage="usage: libvirt-lab.sh start|stop STATE | sshd-stop|sshd-start|rekey STATE host1|host2"
[ $# -ge 2 ] || die "$usage"
cmd=$1
if [ "$cmd" = start ]; then mkdir -p "$2"; fi
if [ -d "$2" ]; then state=$(cd "$2" && pwd); else state=$2; fi
self=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")

lab="$state/lab"
h1="$lab/host1"
h2="$lab/host2"
sshdir="$lab/ssh"
key="$sshdir/id_ed25519"
envf="$state/libvirt.env"
run=/run/novalite-lab # pidfiles and markers: the same path in both hosts' mount namespaces
netns=nl-host2
veth1=nl-h2-veth0 # host1's end
veth2=nl-h2-veth1 # host2's end, inside the netns
h1_mig=10.99.0.1
h2_addr=10.99.0.2
h1_port=2222
h2_port=22
h2_uri="qemu+unix:///system?socket=$h2/run/libvirt-sock" # host2's libvirtd, seen from host1
cmdline="console=ttyS0 panic=-1"
packages="openssh-server libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86
  qemu-utils libxml2-utils genisoimage busybox-static cpio dnsmasq-base iptables iproute2"

# ---- small tools -------------------------------------------------------------------------

now_us() { echo "${EPOCHREALTIME/./}"; }
fmt_s() { printf '%d.%02ds' $(($1 / 1000000)) $(($1 % 1000000 / 10000)); }
# step NAME CMD...: runs CMD, logs how long it took
step() {
  local name=$1 t0
  shift
  t0=$(now_us)
  "$@"
  log "$(fmt_s $(($(now_us) - t0))) $name"
}

# A process that has exited but is not reaped yet (PID 1 here reaps slowly, up to about a
# second) still passes `kill -0`: a zombie counts as gone.
alive() {
  local line
  kill -0 "$1" 2>/dev/null || return 1
  read -r line 2>/dev/null <"/proc/$1/stat" || return 1
  line=${line##*) }
  [ "${line%% *}" != Z ]
}
pid_alive() { [ -f "$1" ] && alive "$(cat "$1" 2>/dev/null)"; }

# Direct children of PID, from /proc (procps may not be installed).
children_of() {
  local parent=$1 s line fields
  for s in /proc/[0-9]*/stat; do
    read -r line 2>/dev/null <"$s" || continue
    read -r -a fields <<<"${line##*) }" # after "pid (comm) ": state ppid ...
    if [ "${fields[1]:-}" = "$parent" ]; then
      s=${s#/proc/}
      echo "${s%/stat}"
    fi
  done
}

# kill_wait SECONDS PID...: TERM, then KILL whatever is still there after SECONDS.
kill_wait() {
  local secs=$1 p i
  shift
  [ $# -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null || true
  for ((i = 0; i < secs * 10; i++)); do
    for p in "$@"; do alive "$p" && break; p=""; done
    [ -n "$p" ] || return 0
    sleep 0.1
  done
  kill -KILL "$@" 2>/dev/null || true
}

# stop_pidfile FILE SECONDS: stops the daemon FILE names, if it is alive; removes FILE.
stop_pidfile() {
  local f=$1 secs=$2
  if pid_alive "$f"; then kill_wait "$secs" "$(cat "$f")"; fi
  rm -f "$f"
}

# Runs a command inside host2: its network, mount and UTS namespaces, held by the anchor.
in_host2() {
  pid_alive "$run/host2-anchor.pid" || die "host2 is not running (no anchor process)"
  nsenter -t "$(cat "$run/host2-anchor.pid")" -n -m -u -- "$@"
}

# start_libvirtd PIDFILE [in_host2]: libvirtd -d, pinned to CPU 0 while it starts.
# Why: libvirt's QEMU capabilities cache (/var/cache/libvirt/qemu/capabilities) is only valid
# while the host's CPUID data matches, and CPUID leaf 0x1f reports the x2APIC id of the CPU the
# daemon happens to run on. Unpinned, every other start re-probes both QEMU binaries (about
# 8 s); pinned, the cache (and host2's copy of it) stays valid (well under 1 s). Once it answers,
# every thread gets all CPUs back, so guests are not squeezed onto one CPU.
start_libvirtd() {
  local pidf=$1
  shift
  "$@" taskset -c 0 libvirtd -d -p "$pidf" </dev/null >/dev/null 2>&1
}
unpin_libvirtd() {
  pid_alive "$1" || return 0
  taskset -a -p -c "$(cat /sys/devices/system/cpu/online)" "$(cat "$1")" >/dev/null 2>&1 ||
    log "could not reset the CPU affinity of libvirtd $(cat "$1")"
}

# wait_virsh URI SECONDS: until libvirtd answers there.
wait_virsh() {
  local uri=$1 secs=$2 i
  for ((i = 0; i < secs * 5; i++)); do
    timeout 5 virsh -c "$uri" version >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}

# wait_tcp ADDR PORT SECONDS: until something accepts connections there.
wait_tcp() {
  local addr=$1 port=$2 secs=$3 i
  for ((i = 0; i < secs * 10; i++)); do
    timeout 2 bash -c "exec 3<>/dev/tcp/$addr/$port" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

lab_ssh() { # lab_ssh ADDR PORT CMD...
  local addr=$1 port=$2
  shift 2
  timeout 20 ssh -i "$key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
    -o BatchMode=yes -o LogLevel=ERROR -o ConnectTimeout=10 -p "$port" "root@$addr" "$@"
}

# ---- ownership: one lab per machine --------------------------------------------------------

owner() { cat "$run/owner" 2>/dev/null || true; }
lab_alive() {
  local f
  for f in "$run"/*.pid; do pid_alive "$f" && return 0; done
  ip netns list 2>/dev/null | grep -w "$netns" >/dev/null
}
claim() {
  mkdir -p "$run"
  local o
  o=$(owner)
  if [ -n "$o" ] && [ "$o" != "$state" ]; then
    if lab_alive && [ -d "$o" ]; then
      die "a lab is already running for $o (one per machine). Stop it with: bash $self stop $o"
    fi
    log "found a stale lab of $o; cleaning it up first"
    (do_stop "$o") # a subshell: do_stop repoints the path variables at that STATE
    mkdir -p "$run"
  fi
  if [ -z "$(owner)" ]; then
    # noclobber: two concurrent starts cannot both take the machine
    (set -o noclobber; echo "$state" >"$run/owner") 2>/dev/null ||
      die "another lab start raced this one (owner: $(owner))"
  fi
}

# ---- start ---------------------------------------------------------------------------------

install_packages() {
  local missing="" b apt_log="$lab/apt-libvirt-lab.log"
  for b in sshd ssh ssh-keygen libvirtd virtlogd virsh qemu-system-x86_64 qemu-img xmllint \
    genisoimage cpio dnsmasq iptables ip ss nsenter unshare flock; do
    command -v "$b" >/dev/null 2>&1 || missing="$missing $b"
  done
  # `busybox` (dynamic) also has /bin/busybox, but could not run inside the guest's initramfs.
  dpkg-query -W -f '${Status}' busybox-static 2>/dev/null | grep 'ok installed' >/dev/null || missing="$missing busybox-static"
  [ -n "$missing" ] || return 0
  log "missing:$missing; installing (apt)"
  # shellcheck disable=SC2086 # word splitting of the package list is intended
  if ! flock /var/lock/novalite-ci-apt.lock sh -c '
      apt-get update -q &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=900 \
        --no-install-recommends "$@"' sh $packages >"$apt_log" 2>&1; then
    tail -n 20 "$apt_log" >&2
    die "apt-get install failed (log: $apt_log)"
  fi
}

# What libvirt-daemon-system would have done (we install without it: 230 packages less).
system_setup() {
  getent group libvirt-qemu >/dev/null || groupadd -r libvirt-qemu
  # libvirtd resolves its compiled-in user before reading qemu.conf and fails without it
  getent passwd libvirt-qemu >/dev/null ||
    useradd -r -g libvirt-qemu -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu
  local conf=/etc/libvirt/qemu.conf
  mkdir -p /etc/libvirt /var/log/libvirt /var/lib/libvirt /var/cache/libvirt /run/sshd
  # qemu as root: no chown trouble with disks and logs under /tmp or STATE
  if ! grep -Eq '^[[:space:]]*user[[:space:]]*=[[:space:]]*"root"' "$conf" 2>/dev/null ||
    ! grep -Eq '^[[:space:]]*group[[:space:]]*=[[:space:]]*"root"' "$conf" 2>/dev/null; then
    if [ -f "$conf" ]; then
      [ -f "$conf.novalite-orig" ] || cp -p "$conf" "$conf.novalite-orig"
      sed -i -E '/^[[:space:]]*(user|group)[[:space:]]*=/d' "$conf"
    fi
    printf 'user = "root"\ngroup = "root"\n' >>"$conf"
    log "set user/group root in $conf"
  fi
}

# host1's /var/lib/novalite: a private bind mount, so tests start empty and leave nothing.
host1_novalite() {
  mkdir -p "$h1/novalite"
  if [ ! -d /var/lib/novalite ]; then
    mkdir -p /var/lib/novalite
    touch "$run/host1-created-var-lib-novalite"
  fi
  if [ ! -f "$run/host1-novalite.mounted" ]; then
    mount --bind "$h1/novalite" /var/lib/novalite
    touch "$run/host1-novalite.mounted"
  fi
}

host1_daemons() {
  [ -f "$run/host1-ip_forward.orig" ] || cat /proc/sys/net/ipv4/ip_forward >"$run/host1-ip_forward.orig"
  if ! ss -xl 2>/dev/null | grep ' /run/libvirt/virtlogd-sock ' >/dev/null; then
    virtlogd -d -p "$run/host1-virtlogd.pid" </dev/null >/dev/null 2>&1 || die "virtlogd failed to start"
  fi
  if timeout 5 virsh -c qemu:///system version >/dev/null 2>&1; then
    pid_alive "$run/host1-libvirtd.pid" || log "host1: using the libvirtd that was already running"
  else
    start_libvirtd "$run/host1-libvirtd.pid" || die "libvirtd failed to start"
    if ! wait_virsh qemu:///system 30; then
      tail -n 20 /var/log/libvirt/libvirtd.log >&2 2>/dev/null || true
      die "host1 libvirtd did not answer within 30 s (log: /var/log/libvirt/libvirtd.log)"
    fi
    unpin_libvirtd "$run/host1-libvirtd.pid"
  fi
}

net_xml() {
  cat <<'EOF'
<network>
  <name>default</name>
  <bridge name='virbr0'/>
  <forward mode='nat'/>
  <ip address='192.168.122.1' netmask='255.255.255.0'>
    <dhcp><range start='192.168.122.2' end='192.168.122.254'/></dhcp>
  </ip>
</network>
EOF
}

# ensure_default_net URI MARKER_PREFIX: defines/starts `default`, remembering what it did.
ensure_default_net() {
  local uri=$1 m=$2 active
  if ! timeout 10 virsh -c "$uri" net-info default >/dev/null 2>&1; then
    net_xml >"$lab/net-default.xml"
    timeout 10 virsh -c "$uri" net-define "$lab/net-default.xml" >/dev/null
    touch "$run/$m-net-created"
  fi
  active=$(timeout 10 virsh -c "$uri" net-info default | awk '$1 == "Active:" { print $2 }')
  if [ "$active" != yes ]; then
    timeout 20 virsh -c "$uri" net-start default >/dev/null ||
      die "net-start default failed on $m (is 192.168.122.0/24 or virbr0 taken?)"
    touch "$run/$m-net-started"
  fi
}

ssh_keys() {
  mkdir -p "$sshdir" "$h1" "$h2"
  [ -f "$key" ] || ssh-keygen -q -t ed25519 -N '' -C novalite-lab -f "$key"
  cp "$key.pub" "$sshdir/authorized_keys"
  local h
  for h in "$h1" "$h2"; do
    [ -f "$h/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C "$(basename "$h")" -f "$h/ssh_host_ed25519_key"
  done
}

# sshd_config HOSTDIR PORT ADDR...: key-only root login; never touches root's own ssh files.
sshd_config() {
  local hd=$1 port=$2 a
  shift 2
  {
    echo "Port $port"
    for a in "$@"; do echo "ListenAddress $a"; done
    cat <<EOF
HostKey $hd/ssh_host_ed25519_key
PidFile $run/$(basename "$hd")-sshd.pid
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AuthorizedKeysFile $sshdir/authorized_keys
StrictModes no
UseDNS no
# the driver and parallel tests open many connections at once
MaxStartups 100:30:200
MaxSessions 100
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
  } >"$hd/sshd_config"
}

sshd_start() {
  local h=$1
  local pidf="$run/$h-sshd.pid" hd="$lab/$h"
  pid_alive "$pidf" && return 0
  [ -f "$hd/sshd_config" ] || die "$h has no sshd_config (is the lab started?)"
  rm -f "$pidf"
  mkdir -p /run/sshd
  if [ "$h" = host1 ]; then
    /usr/sbin/sshd -f "$hd/sshd_config" -E "$hd/sshd.log" </dev/null >/dev/null 2>&1 ||
      { tail -n 5 "$hd/sshd.log" >&2; die "host1 sshd failed to start (port $h1_port taken?)"; }
    wait_tcp 127.0.0.1 "$h1_port" 10 || die "host1 sshd is not listening on 127.0.0.1:$h1_port"
  else
    in_host2 /usr/sbin/sshd -f "$hd/sshd_config" -E "$hd/sshd.log" </dev/null >/dev/null 2>&1 ||
      { tail -n 5 "$hd/sshd.log" >&2; die "host2 sshd failed to start"; }
    wait_tcp "$h2_addr" "$h2_port" 10 || die "host2 sshd is not listening on $h2_addr:$h2_port"
  fi
  # sshd writes its pidfile after it has forked into the background
  local i
  for ((i = 0; i < 50; i++)); do pid_alive "$pidf" && return 0; sleep 0.1; done
  die "$h sshd wrote no pidfile $pidf"
}

# Kills the listener and every session it forked: to a client the host is gone, as if down.
sshd_stop() {
  local pidf="$run/$1-sshd.pid" target_pid kids
  if pid_alive "$pidf"; then
    target_pid=$(cat "$pidf")
    kids=$(children_of "$target_pid")
    kill_wait 5 "$target_pid"
    # shellcheck disable=SC2086
    [ -z "$kids" ] || kill_wait 5 $kids
  fi
  rm -f "$pidf"
}

host1_sshd() {
  if ! pid_alive "$run/host1-sshd.pid" && ss -ltnH "sport = :$h1_port" | grep . >/dev/null; then
    die "port $h1_port is already in use by something that is not this lab's sshd"
  fi
  sshd_config "$h1" "$h1_port" 127.0.0.1 "$h1_mig"
  sshd_start host1
}

host2_netns() {
  if ip netns list | grep -w "$netns" >/dev/null && ip link show "$veth1" >/dev/null 2>&1; then return 0; fi
  if ip -4 -o addr show | grep -v " $veth1 " | grep ' 10\.99\.0\.' >/dev/null; then
    die "10.99.0.0/24 is already used on this machine"
  fi
  ip netns del "$netns" 2>/dev/null || true
  ip link del "$veth1" 2>/dev/null || true
  ip netns add "$netns"
  ip link add "$veth1" type veth peer name "$veth2"
  ip link set "$veth2" netns "$netns"
  ip addr add "$h1_mig/24" dev "$veth1"
  ip link set "$veth1" up
  ip netns exec "$netns" ip addr add "$h2_addr/24" dev "$veth2"
  ip netns exec "$netns" ip link set "$veth2" up
  ip netns exec "$netns" ip link set lo up
}

# host2's private directories and the anchor process that holds its namespaces.
host2_namespaces() {
  pid_alive "$run/host2-anchor.pid" && return 0
  mkdir -p "$h2"/{run,lib,cache/qemu,log,novalite}
  if [ ! -d "$h2/etc" ]; then
    cp -a /etc/libvirt "$h2/etc"
    # host1's persistent domains, networks and pools must not reappear on host2
    rm -rf "$h2/etc/qemu/"*.xml "$h2/etc/qemu/autostart" "$h2/etc/qemu/networks" "$h2/etc/storage"
  fi
  # The capabilities cache spares host2's libvirtd the 8 s QEMU probe.
  if [ -d /var/cache/libvirt/qemu/capabilities ]; then
    rm -rf "$h2/cache/qemu/capabilities"
    cp -a /var/cache/libvirt/qemu/capabilities "$h2/cache/qemu/"
  fi
  cat >"$h2/anchor.sh" <<'EOF'
# Runs as `ip netns exec nl-host2 unshare -m -u --propagation private bash anchor.sh H2 RUN`.
# The mounts are private to this mount namespace; everything host2 runs is nsenter'ed into it.
set -euo pipefail
h2=$1 run=$2
hostname host2
for pair in run:/run/libvirt lib:/var/lib/libvirt cache:/var/cache/libvirt log:/var/log/libvirt \
  etc:/etc/libvirt novalite:/var/lib/novalite; do
  mkdir -p "${pair#*:}"
  mount --bind "$h2/${pair%%:*}" "${pair#*:}"
done
echo $$ >"$run/host2-anchor.pid.new"
mv "$run/host2-anchor.pid.new" "$run/host2-anchor.pid"
exec sleep infinity
EOF
  rm -f "$run/host2-anchor.pid"
  setsid ip netns exec "$netns" unshare -m -u --propagation private \
    bash "$h2/anchor.sh" "$h2" "$run" </dev/null >"$h2/anchor.log" 2>&1 &
  local i
  for ((i = 0; i < 50; i++)); do pid_alive "$run/host2-anchor.pid" && return 0; sleep 0.1; done
  cat "$h2/anchor.log" >&2
  die "host2 namespaces did not come up"
}

host2_daemons() {
  pid_alive "$run/host2-virtlogd.pid" ||
    in_host2 virtlogd -d -p "$run/host2-virtlogd.pid" </dev/null >/dev/null 2>&1 || die "host2 virtlogd failed to start"
  if ! pid_alive "$run/host2-libvirtd.pid"; then
    start_libvirtd "$run/host2-libvirtd.pid" in_host2 || die "host2 libvirtd failed to start"
  fi
  if ! wait_virsh "$h2_uri" 30; then
    tail -n 20 "$h2/log/libvirtd.log" >&2 2>/dev/null || true
    die "host2 libvirtd did not answer within 30 s (log: $h2/log/libvirtd.log)"
  fi
  unpin_libvirtd "$run/host2-libvirtd.pid"
}

host2_sshd() {
  sshd_config "$h2" "$h2_port" "$h2_addr"
  sshd_start host2
}

# Both hosts answer over ssh, have different names, and do not share /var/lib/novalite.
check_hosts() {
  local n1 n2 probe
  probe=".nl-lab-probe-$$"
  n1=$(lab_ssh 127.0.0.1 "$h1_port" "hostname; touch /var/lib/novalite/$probe") ||
    die "ssh to host1 (127.0.0.1:$h1_port) failed"
  n2=$(lab_ssh "$h2_addr" "$h2_port" "hostname; test ! -e /var/lib/novalite/$probe && echo private") ||
    die "ssh to host2 ($h2_addr:$h2_port) failed"
  rm -f "$h1/novalite/$probe"
  [ "$n2" = "host2
private" ] || die "host2 is not isolated (got: $n2)"
  [ "$n1" != host2 ] || die "host1 and host2 report the same hostname"
}

write_env() {
  local v
  {
    for v in \
      "NOVALITE_LAB_STATE=$state" \
      "NOVALITE_LAB_SCRIPT=$self" \
      "NOVALITE_LAB_KEY=$key" \
      "NOVALITE_LAB_HOST1_ADDR=127.0.0.1" \
      "NOVALITE_LAB_HOST1_PORT=$h1_port" \
      "NOVALITE_LAB_HOST1_MIGRATION_ADDR=$h1_mig" \
      "NOVALITE_LAB_HOST1_HOSTNAME=$(hostname)" \
      "NOVALITE_LAB_HOST1_SSHD_PIDFILE=$run/host1-sshd.pid" \
      "NOVALITE_LAB_HOST1_HOSTKEY_PUB=$h1/ssh_host_ed25519_key.pub" \
      "NOVALITE_LAB_HOST2_ADDR=$h2_addr" \
      "NOVALITE_LAB_HOST2_PORT=$h2_port" \
      "NOVALITE_LAB_HOST2_MIGRATION_ADDR=$h2_addr" \
      "NOVALITE_LAB_HOST2_HOSTNAME=host2" \
      "NOVALITE_LAB_HOST2_SSHD_PIDFILE=$run/host2-sshd.pid" \
      "NOVALITE_LAB_HOST2_HOSTKEY_PUB=$h2/ssh_host_ed25519_key.pub" \
      "NOVALITE_LAB_HOST2_NETNS=$netns" \
      "NOVALITE_LAB_KERNEL=$lab/fixture/vmlinuz" \
      "NOVALITE_LAB_INITRD=$lab/fixture/initramfs.cpio.gz" \
      "NOVALITE_LAB_CMDLINE=$cmdline"; do
      printf 'export %s=%q\n' "${v%%=*}" "${v#*=}"
    done
    echo "# sshd-stop|sshd-start|rekey: bash \"\$NOVALITE_LAB_SCRIPT\" sshd-stop \"\$NOVALITE_LAB_STATE\" host2"
  } >"$envf.new"
  mv "$envf.new" "$envf"
}

do_start() {
  local t0 fixture_pid fixture_rc=0
  t0=$(now_us)
  [ "$(id -u)" -eq 0 ] || die "must run as root (it starts libvirtd, sshd and a network namespace)"
  claim
  mkdir -p "$lab"
  # shellcheck disable=SC2154 # rc is assigned inside the trap
  trap 'rc=$?; [ "$rc" -eq 0 ] || log "start failed; clean up with: bash $self stop $state"' EXIT
  step "packages" install_packages
  step "system setup (users, qemu.conf)" system_setup
  # The fixture (cached: about 1.5 s, fresh: about 8 s) builds while the daemons start.
  mkdir -p "$lab/fixture"
  bash "$(dirname "$self")/guest-fixture.sh" "$lab/fixture" </dev/null >/dev/null 2>"$lab/fixture.log" &
  fixture_pid=$!
  step "host1 /var/lib/novalite bind mount" host1_novalite
  step "host1 virtlogd + libvirtd" host1_daemons
  step "host1 network default" ensure_default_net qemu:///system host1
  step "ssh keys" ssh_keys
  step "host2 netns + veth" host2_netns
  step "host1 sshd" host1_sshd
  step "host2 namespaces + mounts" host2_namespaces
  step "host2 virtlogd + libvirtd" host2_daemons
  step "host2 network default" ensure_default_net "$h2_uri" host2
  step "host2 sshd" host2_sshd
  step "ssh check: hostnames, private /var/lib/novalite" check_hosts
  local tf
  tf=$(now_us)
  wait "$fixture_pid" || fixture_rc=$?
  cat "$lab/fixture.log" >&2
  [ "$fixture_rc" -eq 0 ] || die "guest fixture build failed (exit $fixture_rc, log above)"
  log "$(fmt_s $(($(now_us) - tf))) guest fixture (waited for the background build)"
  write_env
  trap - EXIT
  log "$(fmt_s $(($(now_us) - t0))) lab up: host1 127.0.0.1:$h1_port, host2 $h2_addr:$h2_port ($envf)"
}

# ---- stop ----------------------------------------------------------------------------------

# Every domain named novalite-* or nl-*: destroyed and undefined, with its snapshots' metadata.
clean_domains() {
  local uri=$1 d
  for d in $(timeout 15 virsh -c "$uri" list --all --name 2>/dev/null | grep -E '^(novalite-|nl-)' || true); do
    timeout 20 virsh -c "$uri" destroy "$d" >/dev/null 2>&1 || true
    timeout 15 virsh -c "$uri" undefine --managed-save --snapshots-metadata --checkpoints-metadata "$d" >/dev/null 2>&1 ||
      timeout 15 virsh -c "$uri" undefine "$d" >/dev/null 2>&1 || log "could not undefine $d"
  done
}

# The LIBVIRT_* chains net-destroy leaves behind, and the jumps to them.
remove_libvirt_chains() {
  local ipt table chain rule
  for ipt in iptables ip6tables; do
    command -v "$ipt" >/dev/null || continue
    for table in filter nat mangle; do
      "$ipt" -w 5 -t "$table" -S 2>/dev/null | sed -nE 's/^-A ([A-Z]+) -j (LIBVIRT_[A-Z]+)$/\1 \2/p' |
        while read -r chain rule; do "$ipt" -w 5 -t "$table" -D "$chain" -j "$rule" 2>/dev/null || true; done
      for chain in $("$ipt" -w 5 -t "$table" -S 2>/dev/null | sed -nE 's/^-N (LIBVIRT_[A-Z]+)$/\1/p'); do
        "$ipt" -w 5 -t "$table" -F "$chain" 2>/dev/null || true
        "$ipt" -w 5 -t "$table" -X "$chain" 2>/dev/null || true
      done
    done
  done
}

stop_host2() {
  local pids
  if pid_alive "$run/host2-libvirtd.pid"; then clean_domains "$h2_uri"; fi
  # Everything in the netns is the lab's: daemons, sessions, dnsmasq, qemu. Killing it all
  # also frees host2's mount namespace, and with it every bind mount.
  if ip netns list 2>/dev/null | grep -w "$netns" >/dev/null; then
    pids=$(ip netns pids "$netns" 2>/dev/null | tr '\n' ' ')
    # shellcheck disable=SC2086
    [ -z "${pids// /}" ] || kill_wait 10 $pids
    ip netns del "$netns" 2>/dev/null || true
  fi
  ip link del "$veth1" 2>/dev/null || true
  rm -f "$run"/host2-*
}

stop_host1() {
  if timeout 5 virsh -c qemu:///system version >/dev/null 2>&1; then
    clean_domains qemu:///system
    if [ -f "$run/host1-net-started" ] || [ -f "$run/host1-net-created" ]; then
      timeout 20 virsh -c qemu:///system net-destroy default >/dev/null 2>&1 || true
    fi
    if [ -f "$run/host1-net-created" ]; then
      timeout 10 virsh -c qemu:///system net-undefine default >/dev/null 2>&1 || true
    fi
  fi
  sshd_stop host1
  stop_pidfile "$run/host1-libvirtd.pid" 15
  stop_pidfile "$run/host1-virtlogd.pid" 5
  if [ -f "$run/host1-net-started" ] || [ -f "$run/host1-net-created" ]; then
    # only when no other network still needs the chains
    if ! timeout 5 virsh -c qemu:///system net-list --name 2>/dev/null | grep . >/dev/null; then
      remove_libvirt_chains
    fi
    if [ "$(cat "$run/host1-ip_forward.orig" 2>/dev/null)" = 0 ]; then echo 0 >/proc/sys/net/ipv4/ip_forward; fi
  fi
  if [ -f "$run/host1-novalite.mounted" ]; then
    umount /var/lib/novalite 2>/dev/null || umount -l /var/lib/novalite 2>/dev/null || log "could not unmount /var/lib/novalite"
  fi
  if [ -f "$run/host1-created-var-lib-novalite" ]; then rmdir /var/lib/novalite 2>/dev/null || true; fi
  rm -f "$run"/host1-*
}

# do_stop STATE: best effort, each part on its own; always returns 0.
do_stop() {
  local st=$1 t0 o
  t0=$(now_us)
  o=$(owner)
  if [ -n "$o" ] && [ "$o" != "$st" ] && [ -d "$o" ]; then
    log "the running lab belongs to $o, not $st: leaving it alone"
    return 0
  fi
  state=$st lab="$st/lab" h1="$st/lab/host1" h2="$st/lab/host2"
  h2_uri="qemu+unix:///system?socket=$h2/run/libvirt-sock"
  if [ -d "$run" ]; then
    step "host2 (domains, processes, netns)" stop_host2 || log "stopping host2 failed"
    step "host1 (domains, network, sshd, daemons, mounts)" stop_host1 || log "stopping host1 failed"
    rm -f "$run/owner"
    rmdir "$run" 2>/dev/null || true
  fi
  rm -f "$st/libvirt.env"
  # Only once nothing is mounted from it any more: host2's namespace is gone with its processes.
  if [ -d "$st/lab" ] && ! grep -qF " $st/lab" /proc/self/mountinfo; then rm -rf "$st/lab"; fi
  log "$(fmt_s $(($(now_us) - t0))) lab stopped"
  return 0
}

# ---- main ----------------------------------------------------------------------------------

host_arg() {
  if [ $# -ne 3 ] || { [ "$3" != host1 ] && [ "$3" != host2 ]; }; then die "$usage"; fi
  [ "$(owner)" = "$state" ] || die "no lab running for $state"
}

case $cmd in
  start)
    [ $# -eq 2 ] || die "$usage"
    do_start
    ;;
  stop)
    [ $# -eq 2 ] || die "$usage"
    [ "$(id -u)" -eq 0 ] || { log "not root: nothing to stop"; exit 0; }
    do_stop "$state" || true
    exit 0
    ;;
  sshd-stop)
    host_arg "$@"
    sshd_stop "$3"
    log "$3 sshd stopped"
    ;;
  sshd-start)
    host_arg "$@"
    sshd_start "$3"
    log "$3 sshd started"
    ;;
  rekey)
    host_arg "$@"
    sshd_stop "$3"
    rm -f "$lab/$3/ssh_host_ed25519_key" "$lab/$3/ssh_host_ed25519_key.pub"
    ssh-keygen -q -t ed25519 -N '' -C "$3" -f "$lab/$3/ssh_host_ed25519_key"
    sshd_start "$3"
    log "$3 has a new host key: $(ssh-keygen -l -f "$lab/$3/ssh_host_ed25519_key.pub" | awk '{ print $2 }')"
    ;;
  *) die "$usage" ;;
esac
