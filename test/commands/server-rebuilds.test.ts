/**
 * `server rebuild/rescue/unrescue/shelve/shelve-offload/unshelve/reset-state/restore`: the
 * --json shape and exit code of each, human output, usage errors, no prompt without a TTY, and
 * a CLI killed with SIGKILL in the middle of a rebuild or an unshelve on a slow host, recovered
 * by the next command once the lease has expired.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BIN, isolatedEnv, runCli, spawnCli } from '../helpers/cli';

jest.setTimeout(120000);

type Json = Record<string, any>;
const states = (s: Json) => [s.status, s['OS-EXT-STS:vm_state'], s['OS-EXT-STS:task_state'], s['OS-EXT-STS:power_state']];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function cloud(conf: string, hosts: string[][]): Promise<Record<string, string>> {
  const env = isolatedEnv();
  const file = path.join(env.HOME, 'novalite.conf');
  fs.writeFileSync(file, conf);
  env.NOVALITE_CONFIG_FILE = file;
  for (const argv of [['api-db', 'sync'], ['db', 'sync'], ['cell-v2', 'simple-cell-setup'], ...hosts,
    ['flavor', 'create', 'f1', '--vcpus', '1', '--ram', '1024', '--disk', '10']]) {
    const r = await runCli(argv, env);
    if (r.code !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  }
  const img = path.join(env.HOME, 'cirros.img');
  fs.writeFileSync(img, 'not really a disk image\n');
  expect((await runCli(['image', 'create', 'cirros', '--file', img], env)).code).toBe(0);
  expect((await runCli(['image', 'create', 'rescue-img', '--file', img], env)).code).toBe(0);
  return env;
}

const host = (name: string, ...extra: string[]) => ['host', 'add', name, '--driver', 'fake', '--vcpus', '8', '--memory-mb', '16896', '--disk-gb', '200', ...extra];

describe('server rebuild, rescue, shelve, reset-state and restore commands', () => {
  let env: Record<string, string>;
  let web: Json;
  const cli = (...argv: string[]) => runCli([...argv, '--json'], env);

  beforeAll(async () => {
    env = await cloud('[DEFAULT]\nreclaim_instance_interval = 3600\nshelved_offload_time = -1\n', [host('h1')]);
    web = (await cli('server', 'create', 'web', '--flavor', 'f1', '--image', 'cirros', '--wait')).json.server;
    expect(web.status).toBe('ACTIVE');
  });

  it.each([
    [['rescue'], ['RESCUE', 'rescued', null, 1]],
    [['unrescue', '--wait'], ['ACTIVE', 'active', null, 1]],
    [['rescue', '--image', 'rescue-img', '--wait', '--timeout', '30'], ['RESCUE', 'rescued', null, 1]],
    [['unrescue'], ['ACTIVE', 'active', null, 1]],
    [['rebuild', '--yes'], ['ACTIVE', 'active', null, 1]],
    [['rebuild', '--image', 'rescue-img', '--wait', '--yes'], ['ACTIVE', 'active', null, 1]],
    [['shelve', '--wait'], ['SHELVED', 'shelved', null, 4]],
    [['unshelve', '--wait'], ['ACTIVE', 'active', null, 1]],
    [['shelve'], ['SHELVED', 'shelved', null, 4]],
    [['shelve-offload', '--wait'], ['SHELVED_OFFLOADED', 'shelved_offloaded', null, 0]],
    [['unshelve'], ['ACTIVE', 'active', null, 1]],
    [['reset-state'], ['ERROR', 'error', null, 1]],
    [['reset-state', '--active'], ['ACTIVE', 'active', null, 1]],
  ])('server %j → {server} with status, vm_state, task_state, power_state %j', async (argv, want) => {
    const [verb, ...flags] = argv as string[];
    const r = await cli('server', verb, 'web', ...flags);
    expect(r.code).toBe(0);
    expect(Object.keys(r.json)).toEqual(['server']);
    expect(r.json.server).toMatchObject({ id: web.id, name: 'web', flavor: { original_name: 'f1' } });
    expect(states(r.json.server)).toEqual(want);
    expect(states((await cli('server', 'show', 'web')).json.server)).toEqual(want);
  });

  it('records each action in the instance-action log', async () => {
    const actions = (await cli('server', 'event', 'list', 'web')).json.instanceActions.map((a: Json) => a.action);
    expect(actions).toEqual(['unshelve', 'shelveOffload', 'shelve', 'unshelve', 'shelve', 'rebuild', 'rebuild', 'unrescue', 'rescue', 'unrescue', 'rescue', 'create']);
    expect((await cli('server', 'show', 'web')).json.server.image.id).toBe((await cli('image', 'show', 'rescue-img')).json.image.id);
  });

  it('soft delete and restore: `delete` keeps the server as SOFT_DELETED, `restore` brings it back', async () => {
    const d = await cli('server', 'delete', 'web', '--yes');
    expect(d.code).toBe(0);
    expect(states(d.json.deleted[0])).toEqual(['SOFT_DELETED', 'soft-delete', null, 4]);
    expect((await cli('server', 'list', '--status', 'SOFT_DELETED')).json.servers.map((s: Json) => s.id)).toEqual([web.id]);
    const r = await cli('server', 'restore', 'web', '--wait');
    expect(r.code).toBe(0);
    expect(Object.keys(r.json)).toEqual(['server']);
    expect(states(r.json.server)).toEqual(['ACTIVE', 'active', null, 1]);
  });

  it('prints the server for people', async () => {
    const r = await runCli(['server', 'rescue', 'web'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/status\s+RESCUE/);
    expect(r.stdout).toMatch(/OS-EXT-STS:vm_state\s+rescued/);
    const u = await runCli(['server', 'unrescue', 'web'], env);
    expect(u.stdout).toMatch(/OS-EXT-STS:vm_state\s+active/);
  });

  it('a wrong state is exit 4 naming the state and the states needed, in the error envelope', async () => {
    for (const [verb, needs] of [['unrescue', 'rescued'], ['shelve-offload', 'shelved'], ['unshelve', 'shelved or shelved_offloaded'], ['restore', 'soft-delete']]) {
      const r = await cli('server', verb, 'web');
      expect([verb, r.code]).toEqual([verb, 4]);
      expect(r.json.error).toMatchObject({ code: 'INVALID_STATE', details: { vm_state: 'active', task_state: null } });
      expect(r.json.error.message).toContain(`it needs ${needs}`);
      expect(r.json.error.message).toContain('Server web is ACTIVE');
    }
  });

  it('unknown server exit 3, unknown image exit 3, bad --timeout exit 2, locked exit 4', async () => {
    for (const verb of ['rebuild', 'rescue', 'unrescue', 'shelve', 'shelve-offload', 'unshelve', 'reset-state', 'restore']) {
      const r = await cli('server', verb, 'nope', '--yes');
      expect([verb, r.code, r.json.error.code]).toEqual([verb, 3, 'SERVER_NOT_FOUND']);
    }
    expect((await cli('server', 'rebuild', 'web', '--image', 'nope', '--yes')).code).toBe(3);
    expect((await cli('server', 'rescue', 'web', '--image', 'nope')).code).toBe(3);
    expect((await cli('server', 'shelve', 'web', '--wait', '--timeout', '0')).code).toBe(2);
    expect((await cli('server', 'unshelve', 'web', '--bogus')).code).toBe(2);
    expect((await cli('server', 'lock', 'web')).code).toBe(0);
    for (const verb of ['rebuild', 'rescue', 'shelve']) {
      const r = await cli('server', verb, 'web', '--yes');
      expect([verb, r.code, r.json.error.code]).toEqual([verb, 4, 'SERVER_LOCKED']);
    }
    expect((await cli('server', 'reset-state', 'web', '--active')).code).toBe(0);
    expect((await cli('server', 'unlock', 'web')).code).toBe(0);
    expect(states((await cli('server', 'show', 'web')).json.server)).toEqual(['ACTIVE', 'active', null, 1]);
  });

  it('rebuild never prompts without a TTY, even without --yes', () => {
    const r = spawnCli(['server', 'rebuild', 'web', '--json'], env);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.json.server.status).toBe('ACTIVE');
  });
});

describe('SIGKILL during a rebuild or an unshelve', () => {
  it('the next command after the lease expires runs the rebuild again, and rolls the unshelve back', async () => {
    const env = await cloud('[conductor]\ntask_lease_seconds = 2\n', [host('slow', '--fake-spawn-seconds', '3')]);
    const cli = (...argv: string[]) => runCli([...argv, '--json'], env);
    const usage = async () => { const h = (await cli('host', 'show', 'slow')).json.host; return [h.vcpus_used, h.running_vms]; };
    expect((await cli('server', 'create', 'victim', '--flavor', 'f1', '--image', 'cirros', '--wait')).json.server.status).toBe('ACTIVE');
    const killDuring = async (argv: string[], status: string) => {
      const child = spawn(process.execPath, [BIN, ...argv, '--json'], { env: { ...process.env, ...env }, stdio: 'ignore' });
      let seen = false;
      for (let i = 0; i < 50 && !seen; i++) {
        await sleep(150);
        const s = (await cli('server', 'show', 'victim')).json?.server;
        seen = s?.status === status && s['OS-EXT-STS:task_state'] !== null && ['rebuild_spawning', 'spawning'].includes(s['OS-EXT-STS:task_state']);
      }
      expect(seen).toBe(true);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      await sleep(2300);
    };
    await killDuring(['server', 'rebuild', 'victim', '--image', 'rescue-img', '--yes'], 'REBUILD');
    const rebuilt = (await cli('server', 'show', 'victim')).json.server;
    expect(states(rebuilt)).toEqual(['ACTIVE', 'active', null, 1]);
    expect(rebuilt.image.id).toBe((await cli('image', 'show', 'rescue-img')).json.image.id);
    expect(await usage()).toEqual([1, 1]);
    expect((await cli('server', 'shelve', 'victim')).json.server.status).toBe('SHELVED_OFFLOADED');
    expect(await usage()).toEqual([0, 0]);
    await killDuring(['server', 'unshelve', 'victim'], 'SHELVED_OFFLOADED');
    const back = (await cli('server', 'show', 'victim')).json.server;
    expect([...states(back), back['OS-EXT-SRV-ATTR:host']]).toEqual(['SHELVED_OFFLOADED', 'shelved_offloaded', null, 0, null]);
    expect(await usage()).toEqual([0, 0]);
    expect((await cli('server', 'unshelve', 'victim', '--wait')).json.server.status).toBe('ACTIVE');
    expect(await usage()).toEqual([1, 1]);
    expect((await cli('server', 'delete', 'victim', '--yes')).code).toBe(0);
    expect(await usage()).toEqual([0, 0]);
  });
});
