#!/usr/bin/env node
// Benchmark: server boot + delete through the core (no process start-up per operation) on the
// fake driver, on SQLite by default. Prints one JSON line:
// {"bench":"lifecycle","servers","hosts","boot_delete_per_s","p50_ms","p99_ms","create_p50_ms","delete_p50_ms",…}
// Usage: node scripts/bench/lifecycle.js [--servers N] [--hosts H] [--api-url URL --cell-url URL --cell0-url URL]
// Runs the compiled code in dist/ (`npm run bench:lifecycle` builds first).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const DIST = path.join(__dirname, '..', '..', 'dist', 'lib');
const arg = (name, dflt) => { const i = process.argv.indexOf(`--${name}`); return i >= 0 ? process.argv[i + 1] : dflt; };

async function main() {
  const servers = Number(arg('servers', 1000));
  const hosts = Number(arg('hosts', 20));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nl-bench-life-'));
  const conf = path.join(dir, 'novalite.conf');
  fs.writeFileSync(conf, `[DEFAULT]\nstate_path = ${dir}\n[fake_driver]\nstate = memory\n`);
  Object.assign(process.env, {
    NOVALITE_API_DATABASE_CONNECTION: arg('api-url', `sqlite://${path.join(dir, 'api.sqlite')}`),
    NOVALITE_DATABASE_CONNECTION: arg('cell-url', `sqlite://${path.join(dir, 'cell1.sqlite')}`),
  });
  const { Context } = require(path.join(DIST, 'context.js'));
  const { FakeCloudBuilder } = require(path.join(DIST, 'services', 'fake-cloud.js'));
  const ctx = new Context({ configFile: conf });
  try {
    await ctx.dbAdmin.apiSync();
    if (arg('cell0-url')) await ctx.cells.mapCell0(arg('cell0-url'));
    for (const t of await ctx.dbAdmin.cellTargets()) await ctx.dbAdmin.syncTarget(t);
    await ctx.cells.simpleSetup();
    await new FakeCloudBuilder(ctx.stores, ctx.clock).build({ hosts, capacityServers: hosts * 64, slotFlavor: { vcpus: 1, memoryMb: 512, diskGb: 1 } });
    await ctx.flavors.create({ name: 'bench.tiny', vcpus: 1, ram: 512, disk: 1 });
    const img = path.join(dir, 'image.raw');
    fs.writeFileSync(img, Buffer.alloc(64 * 1024));
    await ctx.images.create({ name: 'bench-image', owner: null, file: img, diskFormat: 'raw', containerFormat: 'bare' });
    await ctx.quotas.set({ className: 'default' }, { instances: -1, cores: -1, ram: -1 });
    const lat = []; const creates = []; const deletes = [];
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < servers; i++) {
      const a = process.hrtime.bigint();
      const [s] = await ctx.servers.create({ name: `b${i}`, flavor: 'bench.tiny', image: 'bench-image', project: 'admin', userId: 'admin' });
      const b = process.hrtime.bigint();
      if (s.vmState !== 'active') throw new Error(`server ${s.name} is ${s.vmState}: ${s.fault && s.fault.message}`);
      await ctx.servers.delete(s.uuid, undefined, { userId: 'admin' });
      const c = process.hrtime.bigint();
      creates.push(Number(b - a) / 1e6); deletes.push(Number(c - b) / 1e6); lat.push(Number(c - a) / 1e6);
    }
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const q = (xs, p) => { const s = [...xs].sort((x, y) => x - y); return +s[Math.min(s.length - 1, Math.floor(s.length * p))].toFixed(3); };
    const left = (await ctx.hosts.list()).reduce((n, h) => n + h.runningVms + h.vcpusUsed, 0);
    process.stdout.write(`${JSON.stringify({
      bench: 'lifecycle', servers, hosts, boot_delete_per_s: +(servers / wall).toFixed(1), p50_ms: q(lat, 0.5), p99_ms: q(lat, 0.99),
      create_p50_ms: q(creates, 0.5), delete_p50_ms: q(deletes, 0.5), leftover_usage: left, target_per_s: 200,
      heap_mb: +(process.memoryUsage().heapUsed / 1048576).toFixed(1),
    })}\n`);
  } finally {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { process.stderr.write(`${e.stack || e}\n`); process.exit(1); });
