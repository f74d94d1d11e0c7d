#!/usr/bin/env node
// Benchmark: a server create through the core to its domain running on a real libvirt host, on
// a warm SSH connection, against the raw floor: `virsh define x.xml && virsh start x` sent by
// hand over an already-open OpenSSH ControlMaster connection to the same host. Prints one line:
// {"bench":"libvirt","create_to_running_ms_p50","raw_ms_p50","overhead_ratio","p95_over_raw_ms",…}
// Usage: node scripts/bench/libvirt.js --address A [--port P] [--user U] --key K [--runs N] [--json]
// (`npm run bench:libvirt -- …` builds first). Guests boot nothing (blank disk): only define and
// start are measured, which is what the floor measures too. Everything it makes is removed.
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomUUID } = require('node:crypto');

const DIST = path.join(__dirname, '..', '..', 'dist');
const arg = (name, dflt) => { const i = process.argv.indexOf(`--${name}`); return i >= 0 ? process.argv[i + 1] : dflt; };
const q = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return +s[Math.min(s.length - 1, Math.floor(s.length * p))].toFixed(1); };
const ms = (a) => Number(process.hrtime.bigint() - a) / 1e6;

async function main() {
  const address = arg('address');
  const key = arg('key');
  if (!address || !key) { process.stderr.write('usage: bench:libvirt -- --address A [--port P] [--user U] --key K [--runs N]\n'); process.exit(2); }
  const port = Number(arg('port', 22));
  const user = arg('user', 'root');
  const runs = Number(arg('runs', 10));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nl-bench-libvirt-'));
  const conf = path.join(dir, 'novalite.conf');
  fs.writeFileSync(conf, `[DEFAULT]\nstate_path = ${dir}\n`);
  Object.assign(process.env, {
    NOVALITE_API_DATABASE_CONNECTION: `sqlite://${path.join(dir, 'api.sqlite')}`,
    NOVALITE_DATABASE_CONNECTION: `sqlite://${path.join(dir, 'cell1.sqlite')}`,
  });
  const { Context } = require(path.join(DIST, 'lib', 'context.js'));
  const { domainXml } = require(path.join(DIST, 'virt', 'libvirt', 'domain.js'));
  const ctx = new Context({ configFile: conf });
  const sock = path.join(dir, 'ctl');
  const sshBase = ['-i', key, '-p', String(port), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-S', sock];
  const onHost = (cmd) => spawnSync('ssh', [...sshBase, `${user}@${address}`, cmd], { encoding: 'utf8' });
  const rawName = `novalite-${randomUUID()}`;
  const rawDir = `/var/lib/novalite/bench-raw-${process.pid}`;
  try {
    await ctx.dbAdmin.apiSync();
    for (const t of await ctx.dbAdmin.cellTargets()) await ctx.dbAdmin.syncTarget(t);
    await ctx.cells.simpleSetup();
    await ctx.sshHosts.add({ name: 'bench-host', driver: 'libvirt', address, port, user, keyPath: key, acceptNewHostKey: true });
    await ctx.flavors.create({ name: 'bench.tiny', vcpus: 1, ram: 64, disk: 1 });
    const img = path.join(dir, 'blank.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', img, '64M']);
    await ctx.images.create({ name: 'bench-blank', owner: null, file: img, diskFormat: 'qcow2', containerFormat: 'bare' });
    await ctx.quotas.set({ className: 'default' }, { instances: -1, cores: -1, ram: -1 });
    const create = (i) => ctx.servers.create({ name: `bench-${i}`, flavor: 'bench.tiny', image: 'bench-blank', project: 'admin', userId: 'admin', network: 'none' });
    const del = (s) => ctx.servers.delete(s.uuid, undefined, { userId: 'admin' });

    // The floor's connection and files: one master connection, the same kind of domain.
    execFileSync('ssh', [...sshBase, '-M', '-f', '-N', '-o', 'ControlPersist=600', `${user}@${address}`]);
    const xml = domainXml({
      uuid: rawName.slice('novalite-'.length), name: rawName, title: 'bench raw', virtType: 'qemu', arch: 'x86_64', machineType: 'pc',
      vcpus: 1, memoryMb: 64, cpuMode: 'none', disks: [{ path: `${rawDir}/disk`, target: 'vda', format: 'qcow2', bus: 'virtio' }],
      consoleLogPath: `${rawDir}/console.log`, nics: [],
      metadata: { serverName: 'bench raw', projectId: 'bench', userId: null, flavor: { name: 'bench.tiny', vcpus: 1, memoryMb: 64, rootGb: 1, ephemeralGb: 0, swapMb: 0 }, imageId: null, createdAt: new Date().toISOString() },
    });
    const prep = spawnSync('ssh', [...sshBase, `${user}@${address}`, `mkdir -p ${rawDir} && qemu-img create -q -f qcow2 ${rawDir}/disk 64M && cat > ${rawDir}/x.xml`], { input: xml, encoding: 'utf8' });
    if (prep.status !== 0) throw new Error(`preparing the raw floor failed: ${prep.stderr}`);

    // Warm-up: the base image reaches the host's cache, the connection opens.
    await del((await create('warm'))[0]);
    const ours = []; const raw = [];
    for (let i = 0; i < runs; i++) {
      const a = process.hrtime.bigint();
      const [s] = await create(i);
      ours.push(ms(a));
      if (s.vmState !== 'active') throw new Error(`server ${s.name} is ${s.vmState}: ${s.fault && s.fault.message}`);
      await del(s);
      const b = process.hrtime.bigint();
      const r = onHost(`virsh -q -c qemu:///system define ${rawDir}/x.xml >/dev/null && virsh -q -c qemu:///system start ${rawName} >/dev/null`);
      raw.push(ms(b));
      if (r.status !== 0) throw new Error(`raw define/start failed: ${r.stderr}`);
      onHost(`virsh -q -c qemu:///system destroy ${rawName} >/dev/null 2>&1; virsh -q -c qemu:///system undefine ${rawName} >/dev/null`);
    }
    const p50 = q(ours, 0.5); const r50 = q(raw, 0.5);
    process.stdout.write(`${JSON.stringify({
      bench: 'libvirt', host: `${user}@${address}:${port}`, runs, create_to_running_ms_p50: p50, create_to_running_ms_p95: q(ours, 0.95),
      raw_ms_p50: r50, raw_ms_p95: q(raw, 0.95), overhead_ratio: +(p50 / r50).toFixed(3), p95_over_raw_ms: +(q(ours, 0.95) - q(raw, 0.95)).toFixed(1),
      target_overhead_ratio: 1.2, target_p95_over_raw_ms: 500,
    })}\n`);
  } finally {
    onHost(`virsh -q -c qemu:///system destroy ${rawName} >/dev/null 2>&1; virsh -q -c qemu:///system undefine ${rawName} >/dev/null 2>&1; rm -rf ${rawDir}`);
    spawnSync('ssh', [...sshBase, '-O', 'exit', `${user}@${address}`], { stdio: 'ignore' });
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { process.stderr.write(`${e.stack || e}\n`); process.exit(1); });
