/**
 * `host maintenance` on fake hosts (running servers live-migrated, stopped ones cold-migrated and
 * confirmed, others left; nowhere to go → exit 6 with nothing half-done), and the host checks
 * that fake hosts answer from memory: `host probe`, `host verify`, `host prune-images`, and the
 * liveness fields of `host show`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, setupEnv } from '../helpers/cli';

jest.setTimeout(120000);

type Json = Record<string, any>;
const states = (s: Json) => [s.status, s['OS-EXT-STS:vm_state'], s['OS-EXT-STS:task_state'], s['OS-EXT-SRV-ATTR:host']];
const FAKE = (h: string) => ['host', 'add', h, '--driver', 'fake', '--vcpus', '8', '--memory-mb', '8704', '--disk-gb', '100'];

function tools(getEnv: () => Record<string, string>) {
  const run = (...argv: string[]) => runCli([...argv, '--json'], getEnv());
  const ok = async (...argv: string[]) => {
    const r = await run(...argv);
    if (r.code !== 0) throw new Error(`novalite ${argv.join(' ')} exited ${r.code}: ${r.stdout}${r.stderr}`);
    return r.json;
  };
  const show = async (name: string) => (await ok('server', 'show', name)).server;
  const usage = async () => Object.fromEntries((await ok('host', 'list')).hosts.map((h: Json) => [h.name, [h.vcpus_used, h.memory_mb_used, h.running_vms]]));
  const fakeHost = (host: string) => {
    const file = path.join(getEnv().XDG_DATA_HOME, 'novalite', 'fake-hosts', `${host}.json`);
    return fs.existsSync(file) ? Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).instances).sort() : [];
  };
  /** run (ACTIVE), off (SHUTOFF) and bad (ERROR), all on `host`; their ids by name. */
  const threeServers = async (host: string) => {
    const ids: Record<string, string> = {};
    for (const n of ['run', 'off', 'bad']) ids[n] = (await ok('server', 'create', n, '--flavor', 'f1', '--host', host, '--wait')).server.id;
    await ok('server', 'stop', 'off');
    await ok('server', 'reset-state', 'bad');
    return ids;
  };
  return { run, ok, show, usage, fakeHost, threeServers };
}

describe('host maintenance with somewhere to go', () => {
  let env: Record<string, string>;
  const t = tools(() => env);
  let ids: Record<string, string>;

  beforeAll(async () => {
    env = await setupEnv([FAKE('h1'), FAKE('h2'), ['flavor', 'create', 'f1', '--vcpus', '1', '--ram', '512', '--disk', '1']]);
    ids = await t.threeServers('h1');
  });

  it('on: ACTIVE live-migrated, STOPPED cold-migrated and confirmed, ERROR left; the host disabled for maintenance', async () => {
    const r = await t.run('host', 'maintenance', 'h1', 'on');
    expect(r.code).toBe(0);
    expect(Object.keys(r.json).sort()).toEqual(['host', 'mode', 'servers']);
    expect(r.json.mode).toBe('on');
    expect(r.json.host).toMatchObject({ name: 'h1', status: 'disabled', disabled_reason: 'maintenance', state: 'up' });
    const byName = Object.fromEntries(r.json.servers.map((o: Json) => [o.name, o]));
    expect(r.json.servers).toHaveLength(3);
    expect(byName.run).toEqual({ server: ids.run, name: 'run', action: 'live-migrate', ok: true, to: 'h2', detail: null });
    expect(byName.off).toEqual({ server: ids.off, name: 'off', action: 'migrate', ok: true, to: 'h2', detail: null });
    expect(byName.bad).toEqual({ server: ids.bad, name: 'bad', action: 'skip', ok: true, to: null, detail: 'error servers are not moved' });
    expect(states(await t.show('run'))).toEqual(['ACTIVE', 'active', null, 'h2']);
    expect(states(await t.show('off'))).toEqual(['SHUTOFF', 'stopped', null, 'h2']);
    expect(states(await t.show('bad'))).toEqual(['ERROR', 'error', null, 'h1']);
    expect(await t.usage()).toEqual({ h1: [1, 512, 1], h2: [2, 1024, 2] });
    expect(t.fakeHost('h1')).toEqual([ids.bad]);
    expect(t.fakeHost('h2')).toEqual([ids.run, ids.off].sort());
    const migrations = (await t.ok('migration', 'list', '--host', 'h1')).migrations.map((m: Json) => [m.instance_uuid, m.migration_type, m.status]);
    expect(migrations.sort()).toEqual([[ids.off, 'migration', 'confirmed'], [ids.run, 'live-migration', 'completed']].sort());
    // Disabled: a new server cannot go there.
    expect((await t.ok('server', 'create', 'new', '--flavor', 'f1', '--wait')).server['OS-EXT-SRV-ATTR:host']).toBe('h2');
    expect((await t.run('server', 'create', 'new2', '--flavor', 'f1', '--host', 'h1', '--wait')).code).toBe(5);
    await t.ok('server', 'delete', 'new', '--wait');
  });

  it('on again is harmless (only the ERROR server is there); the human output counts what moved', async () => {
    const human = await runCli(['host', 'maintenance', 'h1', 'on'], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^Host h1 is disabled for maintenance; 0 server\(s\) moved, 1 left on it\.\n/);
    expect(human.stdout).toMatch(/bad\s+skip\s+left\s+error servers are not moved/);
  });

  it('off: the host enabled again, JSON shape {host, mode: off, servers: []}', async () => {
    const r = await t.run('host', 'maintenance', 'h1', 'off');
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ host: expect.objectContaining({ name: 'h1', status: 'enabled', disabled_reason: null }), mode: 'off', servers: [] });
    expect((await runCli(['host', 'maintenance', 'h1', 'off'], env)).stdout).toBe('Host h1 is enabled again.\n');
    expect(states(await t.show('bad'))).toEqual(['ERROR', 'error', null, 'h1']);
  });

  it('unknown host → exit 3 (on and off); a bad or missing mode → exit 2; nothing changed', async () => {
    for (const mode of ['on', 'off']) {
      const r = await t.run('host', 'maintenance', 'nope', mode);
      expect([r.code, r.json.error.code]).toEqual([3, expect.stringMatching(/NOT_FOUND/)]);
    }
    const bad = await t.run('host', 'maintenance', 'h1', 'sideways');
    expect([bad.code, bad.json.error.code]).toEqual([2, 'USAGE']);
    expect((await t.run('host', 'maintenance', 'h1')).code).toBe(2);
    expect((await t.ok('host', 'show', 'h1')).host.status).toBe('enabled');
  });
});

describe('host maintenance with nowhere to go', () => {
  let env: Record<string, string>;
  const t = tools(() => env);
  let ids: Record<string, string>;

  beforeAll(async () => {
    env = await setupEnv([FAKE('solo'), ['flavor', 'create', 'f1', '--vcpus', '1', '--ram', '512', '--disk', '1']]);
    ids = await t.threeServers('solo');
  });

  it('the moves fail → exit 6 with the result document; every server where it was, in its state; nothing half-done', async () => {
    const before = await t.usage();
    const r = await t.run('host', 'maintenance', 'solo', 'on');
    expect(r.code).toBe(6);
    expect(r.json.host).toMatchObject({ name: 'solo', status: 'disabled', disabled_reason: 'maintenance' });
    const byName = Object.fromEntries(r.json.servers.map((o: Json) => [o.name, o]));
    expect(byName.run).toMatchObject({ server: ids.run, action: 'live-migrate', ok: false, to: null });
    expect(byName.off).toMatchObject({ server: ids.off, action: 'migrate', ok: false, to: null });
    expect(byName.run.detail).toMatch(/host/i);
    expect(byName.off.detail).toMatch(/host/i);
    expect(byName.bad).toMatchObject({ action: 'skip', ok: true });
    expect(states(await t.show('run'))).toEqual(['ACTIVE', 'active', null, 'solo']);
    expect((await t.show('run'))['OS-EXT-STS:power_state']).toBe(1);
    expect(states(await t.show('off'))).toEqual(['SHUTOFF', 'stopped', null, 'solo']);
    expect(states(await t.show('bad'))).toEqual(['ERROR', 'error', null, 'solo']);
    expect(await t.usage()).toEqual(before);
    expect(t.fakeHost('solo')).toEqual(Object.values(ids).sort());
    const open = (await t.ok('migration', 'list')).migrations.filter((m: Json) => !['error', 'failed', 'completed', 'confirmed', 'reverted', 'done'].includes(m.status));
    expect(open).toEqual([]);
    const human = await runCli(['host', 'maintenance', 'solo', 'on'], env);
    expect(human.code).toBe(6);
    expect(human.stdout).toMatch(/0 server\(s\) moved, 3 left on it/);
    expect(human.stdout).toMatch(/run\s+live-migrate\s+failed/);
    // The servers still work where they are, and off brings the host back.
    expect((await t.ok('server', 'start', 'off')).server.status).toBe('ACTIVE');
    expect((await t.ok('host', 'maintenance', 'solo', 'off')).host.status).toBe('enabled');
  });
});

describe('host probe, verify, prune-images and show on fake hosts', () => {
  let env: Record<string, string>;
  const t = tools(() => env);

  beforeAll(async () => {
    env = await setupEnv([FAKE('h1'), FAKE('h2')]);
  });

  it('probe skips fake hosts: {hosts: []}, with or without names; an unknown name → exit 3', async () => {
    for (const argv of [[], ['h1'], ['h1', 'h2']]) {
      const r = await t.run('host', 'probe', ...argv);
      expect([r.code, r.json]).toEqual([0, { hosts: [] }]);
    }
    expect((await runCli(['host', 'probe'], env)).stdout).toBe('No hosts reached over SSH.\n');
    const r = await t.run('host', 'probe', 'h1', 'nope');
    expect([r.code, r.json.error.message]).toEqual([3, expect.stringMatching(/nope/)]);
  });

  it('verify on a fake host → ok with its checks, exit 0; unknown → exit 3', async () => {
    const r = await t.run('host', 'verify', 'h1');
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ host: 'h1', ok: true, checks: [{ check: 'driver', ok: true, detail: 'fake host: nothing to connect to' }] });
    expect((await runCli(['host', 'verify', 'h1'], env)).stdout).toMatch(/driver\s+ok\s+fake host/);
    expect((await t.run('host', 'verify', 'nope')).code).toBe(3);
    expect((await t.run('host', 'verify')).code).toBe(2);
  });

  it('prune-images on a fake host → {host, removed: []}; bad --min-age → 2; unknown host → 3', async () => {
    expect(await t.ok('host', 'prune-images', 'h1')).toEqual({ host: 'h1', removed: [] });
    expect(await t.ok('host', 'prune-images', 'h1', '--min-age', '0')).toEqual({ host: 'h1', removed: [] });
    expect((await runCli(['host', 'prune-images', 'h2'], env)).stdout).toBe('Nothing to remove on h2.\n');
    expect((await t.run('host', 'prune-images', 'h1', '--min-age', '-1')).code).toBe(2);
    expect((await t.run('host', 'prune-images', 'nope')).code).toBe(3);
  });

  it('host show of a fake host: last_seen_up set, unreachable_since and last_error null — unchanged by the checks above', async () => {
    const h = (await t.ok('host', 'show', 'h1')).host;
    expect(h).toMatchObject({ name: 'h1', driver: 'fake', state: 'up', unreachable_since: null, last_error: null });
    expect(h.last_seen_up).toEqual(expect.any(String));
    expect(Number.isNaN(Date.parse(h.last_seen_up))).toBe(false);
    const listed = (await t.ok('host', 'list')).hosts.find((x: Json) => x.name === 'h1');
    expect([listed.last_seen_up, listed.unreachable_since, listed.last_error]).toEqual([h.last_seen_up, null, null]);
  });
});
