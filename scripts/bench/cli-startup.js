#!/usr/bin/env node
// Benchmark: CLI start-up as a new process. Medians of `novalite --help` and of
// `novalite cell-v2 list-cells --json` (on a fresh embedded SQLite setup). One JSON line.
// Usage: node scripts/bench/cli-startup.js [--runs N]
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 15;
const bin = path.join(__dirname, '..', '..', 'bin', 'run.js');
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'nl-bench-'));
const env = { ...process.env, HOME: home, XDG_DATA_HOME: path.join(home, 'data'), XDG_CONFIG_HOME: path.join(home, 'cfg'), NO_COLOR: '1' };

function run(args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`novalite ${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const p95 = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]; };

for (const a of [['api-db', 'sync'], ['db', 'sync'], ['cell-v2', 'simple-cell-setup']]) run(a);
const nodeOnly = []; const help = []; const list = [];
for (let i = 0; i < runs; i++) {
  const t = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', '0']);
  nodeOnly.push(Number(process.hrtime.bigint() - t) / 1e6);
  help.push(run(['--help']));
  list.push(run(['cell-v2', 'list-cells', '--json']));
}
fs.rmSync(home, { recursive: true, force: true });
const out = {
  bench: 'cli_startup', runs,
  help_ms_p50: +median(help).toFixed(1), help_ms_p95: +p95(help).toFixed(1),
  list_cells_json_ms_p50: +median(list).toFixed(1), list_cells_json_ms_p95: +p95(list).toFixed(1),
  node_floor_ms_p50: +median(nodeOnly).toFixed(1), target_help_ms: 300,
  help_within_target: median(help) < 300,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
