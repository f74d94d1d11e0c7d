/**
 * File-backed fake hosts: state survives the driver object (another CLI process), updates from
 * parallel drivers and parallel processes are never lost, and locks left by dead or stuck
 * processes are dealt with.
 */
import { spawn as spawnProcess, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { HostError } from '../../../../src/lib/errors';
import { PowerState } from '../../../../src/lib/model/states';
import { resetFakeHosts } from '../../../../src/virt/fake';
import { Drivers, hostName, inst, rejection, stateDir } from './helpers';

const ROOT = path.resolve(__dirname, '../../../..');

describe('file state', () => {
  let drivers: Drivers;
  beforeEach(() => { drivers = new Drivers('file'); });
  afterEach(() => drivers.done());

  const hostDir = () => path.join(drivers.statePath, 'fake-hosts');

  test('state outlives the driver object: a second driver on the same statePath sees and changes it', async () => {
    const name = hostName();
    const i = inst();
    await drivers.make(name).spawn(i);
    await drivers.make(name).pause(i);
    const third = drivers.make(name);
    expect(await third.listInstances()).toEqual([i.uuid]);
    expect((await third.getInfo(i)).powerState).toBe(PowerState.PAUSED);
    const file = path.join(hostDir(), `${name}.json`);
    const onDisk = JSON.parse(readFileSync(file, 'utf8'));
    expect(onDisk.instances[i.uuid].powerState).toBe(PowerState.PAUSED);
    // Nothing left over: no lock, no temp file.
    expect(readdirSync(hostDir())).toEqual([`${name}.json`]);
  });

  test('memory state is not file state, and vice versa', async () => {
    const name = hostName();
    const i = inst();
    await drivers.make(name).spawn(i);
    const mem = new Drivers('memory');
    expect(await mem.make(name).listInstances()).toEqual([]);
    await mem.make(name).spawn(inst());
    expect(await drivers.make(name).listInstances()).toEqual([i.uuid]);
    resetFakeHosts();
  });

  test('parallel spawns and power changes from two driver objects on one host lose nothing', async () => {
    const name = hostName();
    const a = drivers.make(name);
    const b = drivers.make(name);
    const servers = Array.from({ length: 60 }, () => inst());
    await Promise.all(servers.map((s, k) => (k % 2 ? a : b).spawn(s)));
    expect((await a.listInstances()).sort()).toEqual(servers.map((s) => s.uuid).sort());
    await Promise.all(servers.map((s, k) => (k % 2 ? b : a).powerOff(s)));
    for (const s of servers) expect((await b.getInfo(s)).powerState).toBe(PowerState.SHUTDOWN);
    await Promise.all(servers.slice(0, 30).map((s, k) => (k % 2 ? a : b).destroy(s)));
    expect((await b.listInstances()).sort()).toEqual(servers.slice(30).map((s) => s.uuid).sort());
  });

  test('a stale lock is broken', async () => {
    const name = hostName();
    mkdirSync(hostDir(), { recursive: true });
    const lock = path.join(hostDir(), `${name}.lock`);
    writeFileSync(lock, JSON.stringify({ pid: 1, host: 'another-machine', token: 'x' }));
    const old = (Date.now() - 60_000) / 1000;
    utimesSync(lock, old, old);
    const t0 = Date.now();
    await drivers.make(name).spawn(inst());
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(existsSync(lock)).toBe(false);
  });

  test('a fresh lock is waited for until it is stale, within the bounded wait', async () => {
    const name = hostName();
    mkdirSync(hostDir(), { recursive: true });
    const lock = path.join(hostDir(), `${name}.lock`);
    writeFileSync(lock, JSON.stringify({ pid: 1, host: 'another-machine', token: 'x' }));
    const t0 = Date.now();
    await drivers.make(name, { lockStaleSeconds: 0.3, lockTimeoutSeconds: 5 }).spawn(inst());
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(existsSync(lock)).toBe(false);
  });

  test('a lock held by a live process makes the operation fail after the bounded wait, changing nothing', async () => {
    const name = hostName();
    const d = drivers.make(name, { lockTimeoutSeconds: 0.2 });
    const i = inst();
    await d.spawn(i);
    const lock = path.join(hostDir(), `${name}.lock`);
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), token: 'mine' }));
    const t0 = Date.now();
    const e = await rejection(d.powerOff(i));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    expect(e).toBeInstanceOf(HostError);
    expect(e.code).toBe('FAKE_HOST_LOCKED');
    expect(e.message).toContain(name);
    expect(existsSync(lock)).toBe(true);
    expect((await d.getInfo(i)).powerState).toBe(PowerState.RUNNING);
  });

  test('a lock left by a process of this machine that is gone is broken at once', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.pid']);
    expect(dead.pid).toBeGreaterThan(0);
    const name = hostName();
    mkdirSync(hostDir(), { recursive: true });
    const lock = path.join(hostDir(), `${name}.lock`);
    writeFileSync(lock, JSON.stringify({ pid: dead.pid, host: os.hostname(), token: 'killed' }));
    const t0 = Date.now();
    await drivers.make(name, { lockTimeoutSeconds: 2 }).spawn(inst());
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  test('a state file someone broke is reported, not silently emptied', async () => {
    const name = hostName();
    mkdirSync(hostDir(), { recursive: true });
    writeFileSync(path.join(hostDir(), `${name}.json`), '{"version": 1, "instances": {');
    const e = await rejection(drivers.make(name).listInstances());
    expect(e).toBeInstanceOf(HostError);
    expect(e.code).toBe('FAKE_STATE_UNREADABLE');
    expect((await rejection(drivers.make(name).spawn(inst()))).code).toBe('FAKE_STATE_UNREADABLE');
  });

  test('a host name cannot climb out of the state directory', async () => {
    const d = drivers.make('../../escape');
    await d.spawn(inst());
    expect(readdirSync(hostDir())).toEqual(['%2E.%2F..%2Fescape.json']);
  });
});

/**
 * The fake driver as several short-lived CLI processes use it: the modules are transpiled to
 * plain JS (what `npm run build` would make) and run in child processes on one state directory.
 */
describe('several processes on one host', () => {
  let out: { path: string; done: () => void };
  let state: { path: string; done: () => void };
  beforeAll(() => {
    out = stateDir();
    const todo = [path.join(ROOT, 'src/virt/fake/index.ts')];
    const seen = new Set<string>();
    while (todo.length) {
      const file = todo.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/from '(\.[^']+)'/g)) todo.push(`${path.resolve(path.dirname(file), m[1])}.ts`);
      const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
      const dest = path.join(out.path, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
      mkdirSync(path.dirname(dest), { recursive: true });
      writeFileSync(dest, js);
    }
  });
  beforeEach(() => { state = stateDir(); });
  afterEach(() => state.done());
  afterAll(() => out.done());

  const start = (script: string, args: string[]) => {
    const p = spawnProcess(process.execPath, ['-e', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const done = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) => {
      let stderr = '';
      p.stderr.on('data', (d) => { stderr += d; });
      p.on('close', (code, signal) => resolve({ code, signal, stderr }));
    });
    return { pid: p.pid!, done };
  };
  const fakeModule = () => import('../../../../src/virt/fake');

  const SPAWNER = `
    const [mod, statePath, host, who, count] = process.argv.slice(1);
    const { createFakeDriver } = require(mod);
    const d = createFakeDriver({ name: host, address: null, driverConfig: {} }, { statePath });
    const flavor = { name: 'f', vcpus: 1, memoryMb: 512, rootGb: 1, ephemeralGb: 0, swapMb: 0, extraSpecs: {} };
    (async () => {
      await Promise.all(Array.from({ length: Number(count) }, (_, k) => {
        const uuid = who + '-' + k;
        return d.spawn({ uuid, name: uuid, hostname: uuid, projectId: 'p', userId: null, flavor, image: null,
          userData: null, keyData: null, metadata: {}, configDrive: false, network: 'none' });
      }));
    })().catch((e) => { console.error(e); process.exit(1); });`;

  test('four processes spawning in parallel on one host lose no server', async () => {
    const mod = path.join(out.path, 'src/virt/fake/index.js');
    const name = hostName();
    const results = await Promise.all([0, 1, 2, 3].map((k) => start(SPAWNER, [mod, state.path, name, `p${k}`, '25']).done));
    for (const r of results) expect(r).toMatchObject({ code: 0, stderr: '' });
    const uuids = await (await fakeModule()).createFakeDriver({ name, address: null, driverConfig: {} }, { statePath: state.path }).listInstances();
    expect(uuids.length).toBe(100);
    expect(new Set(uuids).size).toBe(100);
  }, 30_000);

  test('a process killed in the middle of a slow spawn leaves a defined, not started server that destroy removes', async () => {
    const mod = path.join(out.path, 'src/virt/fake/index.js');
    const name = hostName();
    const slow = SPAWNER.replace('driverConfig: {}', 'driverConfig: { spawnSeconds: 30 }');
    const running = start(slow, [mod, state.path, name, 'k', '1']);
    const file = path.join(state.path, 'fake-hosts', `${name}.json`);
    const deadline = Date.now() + 10_000;
    while (!existsSync(file) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const d = (await fakeModule()).createFakeDriver({ name, address: null, driverConfig: {} }, { statePath: state.path });
    expect(await d.listInstances()).toEqual(['k-0']);
    const spec = { ...inst(), uuid: 'k-0' };
    expect((await d.getInfo(spec)).powerState).toBe(PowerState.NOSTATE);
    process.kill(running.pid, 'SIGKILL');
    expect((await running.done).signal).toBe('SIGKILL');
    await d.destroy(spec);
    expect(await d.listInstances()).toEqual([]);
  }, 30_000);
});
