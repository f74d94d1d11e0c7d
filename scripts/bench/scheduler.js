#!/usr/bin/env node
// Benchmark: scheduling decisions, each followed by a committed claim, on a fake cloud in SQLite
// (or any database given by --api-url/--cell-url). Prints one JSON line:
// {"hosts","requests","processes","decisions_per_s","p50_ms","p99_ms","claimed","rejected","overcommitted_hosts","heap_mb"}
// Usage: node scripts/bench/scheduler.js [--hosts N] [--requests R] [--processes P] [--capacity-servers C]
//        [--api-url URL --cell-url URL --cell0-url URL] [--json]
// Runs the compiled code in dist/ (npm run build first; `npm run bench:scheduler` does).
const { fork } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const DIST = path.join(__dirname, '..', '..', 'dist', 'lib');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};

function contextFor(env) {
  Object.assign(process.env, env);
  const { Context } = require(path.join(DIST, 'context.js'));
  return new Context({ searchPaths: [] });
}

const FLAVORS = [
  { name: 'b.tiny', vcpus: 1, ram: 512, disk: 1 },
  { name: 'b.small', vcpus: 1, ram: 2048, disk: 20 },
  { name: 'b.medium', vcpus: 2, ram: 4096, disk: 40 },
  { name: 'b.large', vcpus: 4, ram: 8192, disk: 80 },
  { name: 'b.xlarge', vcpus: 8, ram: 16384, disk: 160, properties: { 'capabilities:hypervisor_type': 'fake' } },
  { name: 'b.cpu', vcpus: 16, ram: 8192, disk: 40, properties: { 'capabilities:cpu_info:vendor': 'Intel' } },
];

async function setup(env, o) {
  const ctx = contextFor(env);
  try {
    await ctx.dbAdmin.apiSync();
    if (o.cell0Url) await ctx.cells.mapCell0(o.cell0Url);
    for (const t of await ctx.dbAdmin.cellTargets()) await ctx.dbAdmin.syncTarget(t);
    await ctx.cells.simpleSetup();
    const { FakeCloudBuilder } = require(path.join(DIST, 'services', 'fake-cloud.js'));
    await new FakeCloudBuilder(ctx.stores, ctx.clock).build({ hosts: o.hosts, capacityServers: o.capacity, slotFlavor: { vcpus: 1, memoryMb: 1024, diskGb: 10 } });
    if (o.capacity !== undefined) await ctx.flavors.create({ name: 'b.slot', vcpus: 1, ram: 1024, disk: 10 });
    else {
      for (const f of FLAVORS) await ctx.flavors.create({ ...f });
      await ctx.quotas.set({ className: 'default' }, { server_groups: -1, server_group_members: -1 });
      const owner = await ctx.whoami();
      for (let g = 0; g < 20; g++) await ctx.serverGroups.create(`bench-aa-${g}`, 'anti-affinity', {}, owner);
    }
  } finally {
    await ctx.close();
  }
}

/** One worker: `count` requests, returns latencies and outcomes. */
async function work(env, o, count, seed) {
  const ctx = contextFor(env);
  const lat = [];
  let claimed = 0;
  let rejected = 0;
  try {
    const flavors = o.capacity !== undefined ? [await ctx.flavors.get('b.slot')] : await Promise.all(FLAVORS.map((f) => ctx.flavors.get(f.name)));
    const groups = o.capacity !== undefined ? [] : await ctx.serverGroups.list();
    await ctx.scheduling.cache.hosts({ fresh: true });
    let r = seed;
    const rnd = () => { r = (r * 1103515245 + 12345) % 2147483648; return r / 2147483648; };
    for (let i = 0; i < count; i++) {
      const flavor = flavors[Math.floor(rnd() * flavors.length)];
      const group = groups.length && rnd() < 0.05 ? groups[Math.floor(rnd() * groups.length)] : null;
      const t = process.hrtime.bigint();
      try {
        await ctx.scheduling.placeAndClaim({ flavor, group, projectId: 'bench', userId: 'bench' }, [randomUUID()]);
        claimed++;
      } catch (e) {
        if (e.code !== 'NO_VALID_HOST') throw e;
        rejected++;
      }
      lat.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return { lat, claimed, rejected, heapMb: process.memoryUsage().heapUsed / 1048576 };
  } finally {
    await ctx.close();
  }
}

async function overcommitted(env) {
  const ctx = contextFor(env);
  try {
    let n = 0;
    for (const c of (await ctx.cells.list()).filter((x) => x.name !== 'cell0')) n += (await (await ctx.stores.cell(c)).claims.overcommittedNodes()).length;
    return n;
  } finally {
    await ctx.close();
  }
}

async function main() {
  if (process.argv.includes('--child')) {
    const msg = await new Promise((res) => process.once('message', res));
    const out = await work(msg.env, msg.o, msg.count, msg.seed);
    process.send(out, () => process.exit(0));
    return;
  }
  const o = {
    hosts: Number(arg('hosts', 1000)), requests: Number(arg('requests', 2000)), processes: Number(arg('processes', 1)),
    capacity: arg('capacity-servers') === undefined ? undefined : Number(arg('capacity-servers')),
    cell0Url: arg('cell0-url'),
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nl-bench-sched-'));
  const env = {
    NOVALITE_STATE_PATH: dir, HOME: dir, XDG_CONFIG_HOME: dir,
    NOVALITE_API_DATABASE_CONNECTION: arg('api-url', `sqlite://${path.join(dir, 'api.sqlite')}`),
    NOVALITE_DATABASE_CONNECTION: arg('cell-url', `sqlite://${path.join(dir, 'cell1.sqlite')}`),
  };
  await setup(env, o);
  const per = Array.from({ length: o.processes }, (_, i) => Math.floor(o.requests / o.processes) + (i < o.requests % o.processes ? 1 : 0));
  const t0 = process.hrtime.bigint();
  let results;
  if (o.processes === 1) results = [await work(env, o, per[0], 7)];
  else {
    results = await Promise.all(per.map((count, i) => new Promise((resolve, reject) => {
      const child = fork(__filename, ['--child'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      child.once('message', resolve);
      child.once('error', reject);
      child.once('exit', (code) => { if (code !== 0) reject(new Error(`worker exited ${code}`)); });
      child.send({ env, o, count, seed: 7 + i * 7919 });
    })));
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const lat = results.flatMap((r) => r.lat).sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(lat.length * p))];
  const out = {
    bench: 'scheduler', hosts: o.hosts, requests: o.requests, processes: o.processes,
    decisions_per_s: Math.round(o.requests / wall), p50_ms: +q(0.5).toFixed(3), p99_ms: +q(0.99).toFixed(3),
    claimed: results.reduce((a, r) => a + r.claimed, 0), rejected: results.reduce((a, r) => a + r.rejected, 0),
    overcommitted_hosts: await overcommitted(env), heap_mb: +Math.max(...results.map((r) => r.heapMb)).toFixed(1),
  };
  if (o.capacity !== undefined) out.capacity_servers = o.capacity;
  fs.rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((e) => { process.stderr.write(`${e.stack || e}\n`); process.exit(1); });
