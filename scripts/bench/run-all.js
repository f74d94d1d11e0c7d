#!/usr/bin/env node
// `npm run bench`: runs every benchmark in turn; each prints one JSON line on stdout.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const BENCHES = [['cli-startup.js']];
let failed = 0;
for (const [file, ...args] of BENCHES) {
  const r = spawnSync(process.execPath, [path.join(__dirname, file), ...args, ...process.argv.slice(2)], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
