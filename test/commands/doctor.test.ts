/**
 * `novalite doctor` on fake hosts: a healthy cloud, then each problem made behind the CLI's back
 * (an extra domain in a fake host's state file, a server missing from it, an allocation whose
 * instance row is gone), found, repaired by --fix, and found no more; --host restricts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { runCli, setupEnv } from '../helpers/cli';
import { Context } from '../../src/lib/context';

jest.setTimeout(120000);

type Json = Record<string, any>;

/** Runs `fn` on the main cell's knex with a Context on `env` (what the CLI cannot do). */
async function withCell<T>(env: Record<string, string>, fn: (k: any) => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const ctx = new Context();
  try {
    return await fn(ctx.stores.cellDb(ctx.stores.mainCellUrl()).knex);
  } finally {
    await ctx.close();
    for (const k of Object.keys(env)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

describe('doctor on fake hosts', () => {
  let env: Record<string, string>;
  const run = (...argv: string[]) => runCli([...argv, '--json'], env);
  const ok = async (...argv: string[]) => {
    const r = await run(...argv);
    if (r.code !== 0) throw new Error(`novalite ${argv.join(' ')} exited ${r.code}: ${r.stdout}${r.stderr}`);
    return r.json;
  };
  const stateFile = (host: string) => path.join(env.XDG_DATA_HOME, 'novalite', 'fake-hosts', `${host}.json`);
  const editHost = (host: string, fn: (instances: Record<string, Json>) => void) => {
    const s = JSON.parse(fs.readFileSync(stateFile(host), 'utf8'));
    fn(s.instances);
    fs.writeFileSync(`${stateFile(host)}.tmp`, JSON.stringify(s));
    fs.renameSync(`${stateFile(host)}.tmp`, stateFile(host));
  };
  const onHost = (host: string) => Object.keys(JSON.parse(fs.readFileSync(stateFile(host), 'utf8')).instances);
  const usage = async (host: string) => {
    const h = (await ok('host', 'show', host)).host;
    return [h.vcpus_used, h.memory_mb_used, h.local_gb_used, h.running_vms];
  };
  const kinds = (r: Json) => r.findings.map((f: Json) => [f.kind, f.host, f.server, f.fixed]);

  beforeAll(async () => {
    env = await setupEnv([
      ['host', 'add', 'h1', '--driver', 'fake', '--vcpus', '8', '--memory-mb', '8704', '--disk-gb', '100'],
      ['host', 'add', 'h2', '--driver', 'fake', '--vcpus', '8', '--memory-mb', '8704', '--disk-gb', '100'],
      ['flavor', 'create', 'f1', '--vcpus', '1', '--ram', '512', '--disk', '1'],
      ['flavor', 'create', 'f2', '--vcpus', '2', '--ram', '1024', '--disk', '1']]);
    await ok('server', 'create', 'a', '--flavor', 'f1', '--host', 'h1', '--wait');
    await ok('server', 'create', 'b', '--flavor', 'f1', '--host', 'h1', '--wait');
    await ok('server', 'create', 'c', '--flavor', 'f1', '--host', 'h2', '--wait');
    await ok('server', 'stop', 'c');
  });

  it('a healthy cloud: exit 0 and {hosts_checked, findings: [], problems: 0}; fake hosts never report xml_drift or power_state', async () => {
    const r = await run('doctor');
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ hosts_checked: 2, findings: [], problems: 0 });
    expect((await run('doctor', '--no-xml')).json).toEqual({ hosts_checked: 2, findings: [], problems: 0 });
    const human = await runCli(['doctor'], env);
    expect([human.code, human.stdout]).toEqual([0, 'All well: 2 host(s) agree with the database.\n']);
    // A fake host reports no power state: one that disagrees with the record is not a finding.
    const c = (await ok('server', 'show', 'c')).server.id;
    editHost('h2', (i) => { i[c].powerState = 1; });
    expect((await run('doctor')).json.findings).toEqual([]);
    editHost('h2', (i) => { i[c].powerState = 4; });
  });

  it('an orphan domain (on a host, no server): finding, exit 1; --fix destroys it; then exit 0', async () => {
    const a = (await ok('server', 'show', 'a')).server.id;
    const orphan = randomUUID();
    editHost('h1', (i) => { i[orphan] = { ...i[a], uuid: orphan, name: 'stray', hostname: 'stray' }; });
    const before = await usage('h1');
    const r = await run('doctor');
    expect(r.code).toBe(1);
    expect(r.json.problems).toBe(1);
    expect(r.json.findings).toEqual([{ kind: 'orphan_domain', host: 'h1', server: orphan, detail: 'no live server has this UUID', fixed: false }]);
    expect(onHost('h1')).toContain(orphan); // reporting changes nothing
    const human = await runCli(['doctor'], env);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/orphan_domain\s+h1\s+/);
    expect(human.stdout).toMatch(/1 problem\(s\) left on 2 host\(s\)\. Run with --fix/);
    const fixed = await run('doctor', '--fix');
    expect([fixed.code, fixed.json.problems, kinds(fixed.json)]).toEqual([0, 0, [['orphan_domain', 'h1', orphan, true]]]);
    expect(onHost('h1')).not.toContain(orphan);
    expect(onHost('h1')).toContain(a);
    expect(await usage('h1')).toEqual(before);
    expect((await run('doctor')).json).toEqual({ hosts_checked: 2, findings: [], problems: 0 });
  });

  it('a ghost server (the host lost its domain): finding, exit 1; --fix marks it ERROR with a fault', async () => {
    const b = (await ok('server', 'show', 'b')).server.id;
    editHost('h1', (i) => { delete i[b]; });
    const r = await run('doctor');
    expect(r.code).toBe(1);
    expect(kinds(r.json)).toEqual([['ghost_server', 'h1', b, false]]);
    expect(r.json.findings[0].detail).toBe('b is active but host h1 has no domain for it');
    expect((await ok('server', 'show', 'b')).server.status).toBe('ACTIVE');
    const fixed = await run('doctor', '--fix');
    expect([fixed.code, kinds(fixed.json)]).toEqual([0, [['ghost_server', 'h1', b, true]]]);
    const s = (await ok('server', 'show', 'b')).server;
    expect([s.status, s['OS-EXT-STS:power_state']]).toEqual(['ERROR', 0]);
    expect(s.fault).toMatchObject({ code: 500, message: "The server's domain is missing from host h1." });
    // An ERROR server is not expected on its host: no finding any more.
    expect((await run('doctor')).json).toEqual({ hosts_checked: 2, findings: [], problems: 0 });
    await ok('server', 'delete', 'b', '--wait');
  });

  it('a leaked allocation (its instance row gone): finding, exit 1; --fix releases it and the host usage drops back', async () => {
    const empty = await usage('h2');
    const d = (await ok('server', 'create', 'd', '--flavor', 'f1', '--host', 'h2', '--wait')).server.id;
    expect(await usage('h2')).toEqual([empty[0] + 1, empty[1] + 512, empty[2] + 1, empty[3] + 1]);
    // The row soft-deleted and the domain removed behind the CLI's back: only the allocation is left.
    await withCell(env, (k) => k('instances').where({ uuid: d }).update({ deleted_at: new Date().toISOString() }));
    editHost('h2', (i) => { delete i[d]; });
    const r = await run('doctor');
    expect(r.code).toBe(1);
    expect(r.json.findings).toEqual([{ kind: 'leaked_allocation', host: 'h2', server: d, detail: '1 vCPU, 512 MB RAM, 1 GB disk held for no server or migration', fixed: false }]);
    expect((await run('doctor', '--host', 'h1')).json).toEqual({ hosts_checked: 1, findings: [], problems: 0 });
    const fixed = await run('doctor', '--fix', '--host', 'h2');
    expect([fixed.code, fixed.json.hosts_checked, kinds(fixed.json)]).toEqual([0, 1, [['leaked_allocation', 'h2', d, true]]]);
    expect(await usage('h2')).toEqual(empty);
    expect(await withCell(env, (k) => k('allocations').where({ consumer_uuid: d }))).toEqual([]);
    expect((await run('doctor')).json).toEqual({ hosts_checked: 2, findings: [], problems: 0 });
  });

  it('a resize awaiting confirmation: the source copy is no orphan, --fix keeps it, and revert still works', async () => {
    const a = (await ok('server', 'show', 'a')).server.id;
    const r = (await ok('server', 'resize', 'a', '--flavor', 'f2', '--wait')).server;
    expect([r.status, r['OS-EXT-SRV-ATTR:host']]).toEqual(['VERIFY_RESIZE', 'h2']);
    expect(onHost('h1')).toContain(a);
    expect((await run('doctor')).json).toEqual({ hosts_checked: 2, findings: [], problems: 0 });
    expect((await run('doctor', '--fix')).code).toBe(0);
    expect(onHost('h1')).toContain(a);
    const back = (await ok('server', 'resize', 'revert', 'a', '--wait')).server;
    expect([back.status, back['OS-EXT-SRV-ATTR:host']]).toEqual(['ACTIVE', 'h1']);
    expect((await run('doctor')).json).toEqual({ hosts_checked: 2, findings: [], problems: 0 });
  });

  it('--host restricts the check to one host (problems elsewhere are not reported nor fixed); an unknown host is exit 3', async () => {
    const orphan = randomUUID();
    const a = (await ok('server', 'show', 'a')).server.id;
    editHost('h1', (i) => { i[orphan] = { ...i[a], uuid: orphan }; });
    const other = await run('doctor', '--host', 'h2', '--fix');
    expect([other.code, other.json]).toEqual([0, { hosts_checked: 1, findings: [], problems: 0 }]);
    expect(onHost('h1')).toContain(orphan);
    const one = await run('doctor', '--host', 'h1');
    expect([one.code, one.json.hosts_checked, kinds(one.json)]).toEqual([1, 1, [['orphan_domain', 'h1', orphan, false]]]);
    const nope = await run('doctor', '--host', 'nope');
    expect([nope.code, nope.json.error.code]).toEqual([3, expect.any(String)]);
    expect(nope.json.error.message).toMatch(/nope/);
    expect((await run('doctor', '--fix')).code).toBe(0);
    expect(onHost('h1')).not.toContain(orphan);
  });
});
