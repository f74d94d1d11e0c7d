#!/usr/bin/env node
// `npm run bench`: runs every benchmark in turn; each prints one JSON line on stdout.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const BENCHES = [
  ['cli-startup.js'],
  ['scheduler.js', '--hosts', '10000', '--requests', '3000'],
  ['scheduler.js', '--hosts', '1000', '--requests', '5000'],
  ['scheduler.js', '--hosts', '50', '--requests', '1000', '--processes', '4', '--capacity-servers', '600'],
  ['lifecycle.js', '--servers', '1000'],
];
let failed = 0;
for (const [file, ...args] of BENCHES) {
  const r = spawnSync(process.execPath, [path.join(__dirname, file), ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
