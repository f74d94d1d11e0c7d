#!/usr/bin/env node
// The import rule of DESIGN.md §3: which module may import which. Scans every import in src/
// and fails (exit 1) listing each import that crosses a layer the wrong way.
const fs = require('node:fs');
const path = require('node:path');

const SRC = path.join(__dirname, '..', 'src');
const UI = ['chalk', '@inquirer/prompts', 'inquirer', 'listr2', '@oclif/core'];
const DRIVERS = ['virt/fake', 'virt/libvirt'];

/**
 * Each rule: files whose path (relative to src/) starts with `from`, and what they must not
 * import: `src` prefixes (relative to src/) or package names. `allowSrc`, when present, is the
 * complete list of src/ prefixes the module may import (besides itself).
 */
const RULES = [
  // `serve` starts the REST adapter through its one entry point, lib/api/serve.
  { from: 'commands/', denySrc: ['lib/db', 'virt/', 'lib/api/app', 'lib/api/auth', 'lib/api/compute', 'lib/api/identity', 'lib/api/image', 'lib/api/routes', 'lib/compute/', 'lib/conductor/', 'lib/scheduler/'], denyPkg: ['knex', 'pg', 'mysql2', 'sqlite3', 'ssh2', 'xml2js'] },
  { from: 'lib/api/', denySrc: ['commands/', 'lib/db', 'virt/'], denyPkg: [...UI, 'knex'] },
  { from: 'lib/services/', denySrc: ['commands/', 'lib/api/', 'lib/db/knex', 'lib/db/migrat', ...DRIVERS], denyPkg: [...UI, 'knex'] },
  { from: 'lib/conductor/', denySrc: ['commands/', 'lib/api/', 'lib/db/knex', 'lib/db/migrat', ...DRIVERS], denyPkg: [...UI, 'knex'] },
  { from: 'lib/scheduler/', allowSrc: ['lib/scheduler/', 'lib/model/', 'lib/errors'], denyPkg: [...UI, 'knex', 'node:fs', 'fs', 'node:child_process', 'node:net', 'node:http'] },
  { from: 'lib/compute/', denySrc: ['commands/', 'lib/api/', ...DRIVERS], denyPkg: [...UI, 'knex'] },
  { from: 'lib/views/', denySrc: ['commands/', 'lib/api/', 'lib/services/', 'virt/', 'lib/db/knex', 'lib/db/repos', 'lib/db/stores'], denyPkg: [...UI, 'knex'] },
  { from: 'lib/model/', allowSrc: ['lib/model/', 'lib/errors'], denyPkg: [...UI, 'knex'] },
  { from: 'lib/', denySrc: ['commands/'], denyPkg: UI },
  { from: 'virt/', denySrc: ['lib/db', 'lib/services/', 'lib/conductor/', 'lib/api/', 'commands/'], denyPkg: [...UI, 'knex'] },
];
// A driver must not import another driver.
const driverOf = (rel) => (rel.startsWith('virt/') && rel.split('/').length > 2 ? rel.split('/')[1] : null);

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;

const problems = [];
for (const file of walk(SRC)) {
  const rel = path.relative(SRC, file).split(path.sep).join('/');
  const text = fs.readFileSync(file, 'utf8');
  const rules = RULES.filter((r) => rel.startsWith(r.from));
  for (const m of text.matchAll(IMPORT_RE)) {
    const spec = m[1] || m[2] || m[3];
    let target = null;
    if (spec.startsWith('.')) {
      target = path.relative(SRC, path.resolve(path.dirname(file), spec)).split(path.sep).join('/');
    }
    for (const r of rules) {
      if (target !== null) {
        if (r.denySrc && r.denySrc.some((d) => target.startsWith(d) || target === d.replace(/\/$/, ''))) problems.push(`${rel}: must not import ${target} (rule for ${r.from})`);
        if (r.allowSrc && !r.allowSrc.some((a) => target.startsWith(a))) problems.push(`${rel}: may only import ${r.allowSrc.join(', ')}, not ${target}`);
      } else if (r.denyPkg && r.denyPkg.some((p) => spec === p || spec.startsWith(`${p}/`))) {
        problems.push(`${rel}: must not import package ${spec} (rule for ${r.from})`);
      }
    }
    if (target === null && spec === 'knex' && !rel.startsWith('lib/db/')) {
      // type-only imports of knex are still a dependency on it
      problems.push(`${rel}: knex may only be imported under lib/db/`);
    }
    // DESIGN.md §2: xml2js only at the edge (one module), ssh2 only inside the SSH transport.
    if (target === null && spec === 'xml2js' && rel !== 'virt/libvirt/xml.ts') problems.push(`${rel}: xml2js may only be imported by virt/libvirt/xml.ts`);
    if (target === null && (spec === 'ssh2' || spec.startsWith('ssh2/')) && !rel.startsWith('virt/libvirt/ssh/')) problems.push(`${rel}: ssh2 may only be imported under virt/libvirt/ssh/`);
    const d = driverOf(rel);
    if (d && target && target.startsWith('virt/') && driverOf(target) && driverOf(target) !== d && !target.startsWith('virt/driver') && !target.startsWith('virt/registry')) {
      problems.push(`${rel}: driver ${d} must not import ${target}`);
    }
    if (target && DRIVERS.some((x) => target.startsWith(x)) && !rel.startsWith('virt/') && rel !== 'lib/context.ts' && !rel.startsWith('virt/registry')) {
      problems.push(`${rel}: only lib/context.ts and virt/registry.ts may import a concrete driver (${target})`);
    }
  }
}

const unique = [...new Set(problems)];
if (unique.length) {
  process.stderr.write(`Import rule violations (DESIGN.md §3):\n${unique.map((p) => `  ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stderr.write('check-imports: OK\n');
