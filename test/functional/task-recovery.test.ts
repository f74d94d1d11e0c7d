/**
 * Durable tasks: a CLI killed with SIGKILL in the middle of a create leaves a task whose lease
 * expires; the next novalite command takes it over and the server ends ACTIVE or ERROR with a
 * fault, its allocations consistent.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BIN, isolatedEnv, runCli } from '../helpers/cli';

jest.setTimeout(90000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SIGKILL during a create', () => {
  it('is recovered by the next command after the lease expires', async () => {
    const env = isolatedEnv();
    const conf = path.join(env.HOME, 'novalite.conf');
    fs.writeFileSync(conf, '[conductor]\ntask_lease_seconds = 2\n');
    env.NOVALITE_CONFIG_FILE = conf;
    for (const a of [['api-db', 'sync'], ['db', 'sync'], ['cell-v2', 'simple-cell-setup'],
      ['host', 'add', 'slow', '--driver', 'fake', '--vcpus', '8', '--memory-mb', '8704', '--disk-gb', '100', '--fake-spawn-seconds', '6'],
      ['flavor', 'create', 'f1', '--vcpus', '2', '--ram', '1024', '--disk', '10']]) {
      const r = await runCli(a, env);
      expect(r.code).toBe(0);
    }
    const child = spawn(process.execPath, [BIN, 'server', 'create', 'victim', '--flavor', 'f1', '--json'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    // Wait until the build is under way on the host (the server exists in BUILD).
    let building = false;
    for (let i = 0; i < 50 && !building; i++) {
      await sleep(200);
      const l = await runCli(['server', 'list', '--json'], env);
      building = l.json?.servers?.some((s: any) => s.name === 'victim' && s.status === 'BUILD') ?? false;
    }
    expect(building).toBe(true);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await sleep(2500);
    const show = await runCli(['server', 'show', 'victim', '--json'], env);
    expect(show.code).toBe(0);
    const s = show.json.server;
    expect(['ACTIVE', 'ERROR']).toContain(s.status);
    const host = (await runCli(['host', 'show', 'slow', '--json'], env)).json.host;
    if (s.status === 'ERROR') {
      expect(s.fault.message).toMatch(/interrupted/);
      expect(host.vcpus_used).toBe(0);
      expect(host.memory_mb_used).toBe(0);
    } else {
      expect(host.vcpus_used).toBe(2);
    }
    expect(s['OS-EXT-STS:task_state']).toBeNull();
    // Deleting it afterwards frees everything.
    const del = await runCli(['server', 'delete', 'victim', '--json'], env);
    expect(del.code).toBe(0);
    const after = (await runCli(['host', 'show', 'slow', '--json'], env)).json.host;
    expect(after.vcpus_used).toBe(0);
    expect(after.running_vms).toBe(0);
  });
});
