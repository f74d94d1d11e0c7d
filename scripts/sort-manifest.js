// Rewrites oclif.manifest.json with sorted keys so that a rebuild of the same code is
// byte-identical, and CI can fail on a stale committed manifest with a plain `git diff`.
const fs = require('node:fs');
const file = require('node:path').join(__dirname, '..', 'oclif.manifest.json');
const sort = (v) => Array.isArray(v) ? v.map(sort)
  : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])])) : v;
fs.writeFileSync(file, `${JSON.stringify(sort(JSON.parse(fs.readFileSync(file, 'utf8'))), null, 2)}\n`);
