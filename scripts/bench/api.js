#!/usr/bin/env node
// Benchmark: the REST API against a cloud of 10,000 servers in 2 cells (SQLite, fake hosts).
// Prints one JSON line: detail_limit1000_ms_p50 (GET /v2.1/servers/detail?limit=1000, one client),
// show_rps (GET /v2.1/servers/{id}, 16 connections, `serve --workers 2`), and the CLI:
// `novalite server list --json` as a new process against `openstack server list -f json` on the
// same data through the same serve (cli_speedup; needs the Debian openstack client).
// Usage: node scripts/bench/api.js [--servers N] [--seconds S] (`npm run bench:api` builds first).
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const autocannon = require('autocannon');

const ROOT = path.join(__dirname, '..', '..');
const arg = (name, dflt) => { const i = process.argv.indexOf(`--${name}`); return i >= 0 ? process.argv[i + 1] : dflt; };
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return +s[Math.floor(s.length / 2)].toFixed(1); };

async function buildCloud(dir, servers) {
  const conf = path.join(dir, 'novalite.conf');
  fs.writeFileSync(conf, `[DEFAULT]\nstate_path = ${dir}\n[fake_driver]\nstate = memory\n`);
  const env = {
    NOVALITE_CONFIG_FILE: conf,
    NOVALITE_API_DATABASE_CONNECTION: `sqlite://${path.join(dir, 'api.sqlite')}`,
    NOVALITE_DATABASE_CONNECTION: `sqlite://${path.join(dir, 'cell1.sqlite')}`,
    XDG_DATA_HOME: path.join(dir, 'data'), XDG_CONFIG_HOME: path.join(dir, 'config'), HOME: dir,
  };
  Object.assign(process.env, env);
  const { Context } = require(path.join(ROOT, 'dist', 'lib', 'context.js'));
  const ctx = new Context({ configFile: conf });
  await ctx.dbAdmin.apiSync();
  for (const t of await ctx.dbAdmin.cellTargets()) await ctx.dbAdmin.syncTarget(t);
  await ctx.cells.simpleSetup();
  await ctx.cells.create({ name: 'cell2', databaseConnection: `sqlite://${path.join(dir, 'cell2.sqlite')}` });
  for (const t of await ctx.dbAdmin.cellTargets()) await ctx.dbAdmin.syncTarget(t);
  for (let i = 0; i < 20; i++) {
    await ctx.hosts.add({ name: `h${i}`, driver: 'fake', vcpus: 1024, memoryMb: 4_000_000, diskGb: 100_000, cell: i % 2 ? 'cell2' : 'cell1' });
  }
  await ctx.flavors.create({ name: 'bench.tiny', vcpus: 1, ram: 64, disk: 1 });
  const img = path.join(dir, 'image.raw');
  fs.writeFileSync(img, Buffer.alloc(64 * 1024));
  await ctx.images.create({ name: 'bench-image', owner: null, file: img, diskFormat: 'raw', containerFormat: 'bare' });
  await ctx.quotas.set({ className: 'default' }, { instances: -1, cores: -1, ram: -1 });
  const batch = 100;
  for (let i = 0; i < servers; i += batch) {
    await ctx.servers.create({ name: `b${i}`, flavor: 'bench.tiny', image: 'bench-image', project: 'admin', userId: 'admin', min: 1, max: Math.min(batch, servers - i) });
  }
  const one = (await ctx.servers.list({ project: 'admin', limit: 1 }))[0];
  await ctx.close();
  return { env, anyId: one.uuid };
}

function startServe(env) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'serve', '--auth', 'none', '--port', '0', '--workers', '2', '--json'],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ proc: p, url: JSON.parse(line).listening });
    });
    p.on('exit', (c) => reject(new Error(`serve exited ${c}`)));
  });
}

const cannon = (opts) => new Promise((resolve, reject) => autocannon(opts, (e, r) => (e ? reject(e) : resolve(r))));

async function main() {
  const servers = Number(arg('servers', 10000));
  const seconds = Number(arg('seconds', 5));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nl-bench-api-'));
  let serve = null;
  try {
    const t0 = Date.now();
    const { env, anyId } = await buildCloud(dir, servers);
    const buildS = (Date.now() - t0) / 1000;
    serve = await startServe(env);
    const detail = await cannon({ url: `${serve.url}/v2.1/servers/detail?limit=1000`, connections: 1, duration: seconds });
    const show = await cannon({ url: `${serve.url}/v2.1/servers/${anyId}`, connections: 16, duration: seconds });
    if (detail.non2xx || show.non2xx) throw new Error(`non-2xx responses: detail ${detail.non2xx}, show ${show.non2xx}`);
    // The CLI against the same data, each a new process: novalite reads the databases directly,
    // openstack goes through the API (all pages, as it does by default).
    const cli = [];
    for (let i = 0; i < 3; i++) {
      const a = Date.now();
      const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'server', 'list', '--json'], { env: { ...process.env, ...env }, maxBuffer: 1 << 30 });
      if (r.status !== 0) throw new Error(`novalite server list failed: ${r.stderr}`);
      cli.push(Date.now() - a);
    }
    const clouds = path.join(dir, 'clouds.yaml');
    fs.writeFileSync(clouds, `clouds:\n  bench:\n    auth_type: none\n    auth:\n      endpoint: ${serve.url}/v2.1\n    image_endpoint_override: ${serve.url}/image\n`);
    const osc = [];
    if (fs.existsSync('/usr/bin/openstack')) {
      for (let i = 0; i < 3; i++) {
        const a = Date.now();
        const r = spawnSync('/usr/bin/openstack', ['server', 'list', '-f', 'json', '-n'], { env: { PATH: '/usr/bin:/bin', HOME: dir, OS_CLIENT_CONFIG_FILE: clouds, OS_CLOUD: 'bench' }, maxBuffer: 1 << 30 });
        if (r.status !== 0) throw new Error(`openstack server list failed: ${r.stderr}`);
        osc.push(Date.now() - a);
      }
    }
    process.stdout.write(`${JSON.stringify({
      bench: 'api', servers, cells: 2, build_s: +buildS.toFixed(1),
      detail_limit1000_ms_p50: detail.latency.p50, detail_limit1000_ms_p99: detail.latency.p99, target_detail_ms_p50: 50,
      show_rps: Math.round(show.requests.average), show_ms_p99: show.latency.p99, target_show_rps: 5000,
      cli_server_list_ms_p50: median(cli), openstack_server_list_ms_p50: osc.length ? median(osc) : null,
      cli_speedup: osc.length ? +(median(osc) / median(cli)).toFixed(1) : null, target_cli_speedup: 5,
    })}\n`);
  } finally {
    if (serve) serve.proc.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { process.stderr.write(`${e.stack || e}\n`); process.exit(1); });
