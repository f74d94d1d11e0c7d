/**
 * The per-host knobs: injected failures (each operation, and that a failing spawn leaves
 * nothing behind), real delays, and the validation of driverConfig.
 */
import { ConfigError, HostError } from '../../../../src/lib/errors';
import { PowerState } from '../../../../src/lib/model/states';
import { InstanceNotFoundOnHost, type InstanceSpec } from '../../../../src/virt/driver';
import { FAKE_OPERATIONS, resetFakeHosts, type FakeDriver } from '../../../../src/virt/fake';
import { BIGGER, Drivers, MODES, host, hostName, inst, rejection } from './helpers';

type Setup = (ok: FakeDriver, i: InstanceSpec) => Promise<void>;
type Call = (bad: FakeDriver, i: InstanceSpec, ctx: { ok: FakeDriver; other: FakeDriver }) => Promise<unknown>;

const none: Setup = async () => undefined;
/** op, state to prepare with the healthy driver, the call on the failing driver. */
const FAILURES: Array<[string, Setup, Call]> = [
  ['destroy', none, (d, i) => d.destroy(i)],
  ['reboot', none, (d, i) => d.reboot(i, 'SOFT')],
  ['power_off', none, (d, i) => d.powerOff(i)],
  ['power_on', (d, i) => d.powerOff(i), (d, i) => d.powerOn(i)],
  ['pause', none, (d, i) => d.pause(i)],
  ['unpause', (d, i) => d.pause(i), (d, i) => d.unpause(i)],
  ['suspend', none, (d, i) => d.suspend(i)],
  ['resume', (d, i) => d.suspend(i), (d, i) => d.resume(i)],
  ['rescue', none, (d, i) => d.rescue(i, null)],
  ['unrescue', (d, i) => d.rescue(i, null), (d, i) => d.unrescue(i)],
  ['migrate', none, (d, i, c) => d.migrateDiskAndPowerOff(i, c.other.host)],
  ['live_migrate', none, (d, i, c) => d.liveMigrate(i, c.other.host)],
  ['console', none, (d, i) => d.getConsoleOutput(i)],
  ['get_info', none, (d, i) => d.getInfo(i)],
  ['list_instances', none, (d) => d.listInstances()],
  ['get_available_resource', none, (d) => d.getAvailableResource()],
];

describe.each(MODES)('injected failures (%s state)', (mode) => {
  let drivers: Drivers;
  beforeEach(() => { drivers = new Drivers(mode); });
  afterEach(() => { drivers.done(); resetFakeHosts(); });

  test('the table covers every operation but spawn', () => {
    expect(FAILURES.map((f) => f[0]).sort()).toEqual(FAKE_OPERATIONS.filter((o) => o !== 'spawn').sort());
  });

  test.each(FAILURES)('%s fails with a HostError naming the host and changes nothing', async (op, setup, call) => {
    const name = hostName();
    const ok = drivers.make(name);
    const bad = drivers.make(name, { fail: [op] });
    const other = drivers.make(hostName());
    const i = inst();
    await ok.spawn(i);
    await setup(ok, i);
    const before = await ok.record(i.uuid);
    const e = await rejection(call(bad, i, { ok, other }));
    expect(e).toBeInstanceOf(HostError);
    expect(e.code).toBe('FAKE_INJECTED_FAILURE');
    expect(e.message).toContain(name);
    expect(e.message).toContain(op);
    expect(e.message).toMatch(/injected/);
    expect(await ok.record(i.uuid)).toEqual(before);
    expect(await other.listInstances()).toEqual([]);
  });

  test('a failing spawn leaves no record behind', async () => {
    const name = hostName();
    const bad = drivers.make(name, { fail: ['spawn'] });
    const e = await rejection(bad.spawn(inst()));
    expect(e).toBeInstanceOf(HostError);
    expect(e.message).toContain(name);
    expect(await drivers.make(name).listInstances()).toEqual([]);
  });

  test('a slow failing spawn shows the server while it builds, then leaves nothing', async () => {
    const name = hostName();
    const bad = drivers.make(name, { fail: ['spawn'], spawnSeconds: 0.15 });
    const i = inst();
    const t0 = Date.now();
    const spawning = rejection(bad.spawn(i));
    await new Promise((r) => setTimeout(r, 50));
    const watcher = drivers.make(name);
    expect(await watcher.listInstances()).toEqual([i.uuid]);
    expect((await watcher.getInfo(i)).powerState).toBe(PowerState.NOSTATE);
    const e = await spawning;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(e.code).toBe('FAKE_INJECTED_FAILURE');
    expect(await watcher.listInstances()).toEqual([]);
  });

  test('migrate fails on the destination side too (finishMigration)', async () => {
    const src = drivers.make(hostName());
    const dest = drivers.make(hostName(), { fail: ['migrate'] });
    const i = inst();
    await src.spawn(i);
    const token = await src.migrateDiskAndPowerOff(i, dest.host);
    const e = await rejection(dest.finishMigration({ ...i, flavor: BIGGER }, token, { powerOn: true }));
    expect(e.code).toBe('FAKE_INJECTED_FAILURE');
    expect(e.message).toContain(dest.host.name);
    expect(await dest.listInstances()).toEqual([]);
    expect((await src.record(i.uuid))!.migration).not.toBeNull();
  });

  test('a destination that refuses live migrations is named in the error; the source keeps running', async () => {
    const src = drivers.make(hostName());
    const dest = drivers.make(hostName(), { fail: ['live-migrate'] });
    const i = inst();
    await src.spawn(i);
    const e = await rejection(src.liveMigrate(i, dest.host));
    expect(e.code).toBe('FAKE_INJECTED_FAILURE');
    expect(e.message).toContain(dest.host.name);
    expect((await src.getInfo(i)).powerState).toBe(PowerState.RUNNING);
    expect(await dest.listInstances()).toEqual([]);
  });
});

describe('delays', () => {
  let drivers: Drivers;
  beforeEach(() => { drivers = new Drivers('memory'); });
  afterEach(() => { drivers.done(); resetFakeHosts(); jest.restoreAllMocks(); });

  test.each(MODES)('spawnSeconds really delays the spawn (%s state)', async (mode) => {
    const ds = new Drivers(mode);
    try {
      const d = ds.make(hostName(), { spawnSeconds: 0.2 });
      const i = inst();
      const t0 = performance.now();
      await d.spawn(i);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(180);
      expect((await d.getInfo(i)).powerState).toBe(PowerState.RUNNING);
      expect(await d.getConsoleOutput(i)).toContain('booted');
    } finally {
      ds.done();
    }
  });

  test('opSeconds delays that operation only', async () => {
    const d = drivers.make(hostName(), { opSeconds: { pause: 0.15, 'power-off': 0.05 } });
    const i = inst();
    let t0 = performance.now();
    await d.spawn(i);
    expect(performance.now() - t0).toBeLessThan(100);
    t0 = performance.now();
    await d.pause(i);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    t0 = performance.now();
    await d.unpause(i);
    expect(performance.now() - t0).toBeLessThan(100);
  });

  test('without knobs no operation sets a timer', async () => {
    const spy = jest.spyOn(global, 'setTimeout');
    const d = drivers.make(hostName());
    const other = drivers.make(hostName());
    const i = inst();
    await d.spawn(i);
    await d.reboot(i, 'SOFT');
    await d.pause(i);
    await d.suspend(i);
    await d.resume(i);
    await d.liveMigrate(i, other.host);
    await other.getInfo(i);
    await other.getConsoleOutput(i);
    await other.destroy(i);
    expect(spy).not.toHaveBeenCalled();
  });

  test('a server destroyed while it spawns is not brought back: the spawn reports it gone', async () => {
    const d = drivers.make(hostName(), { spawnSeconds: 0.15 });
    const i = inst();
    const spawning = rejection(d.spawn(i));
    await new Promise((r) => setTimeout(r, 30));
    const e0 = await rejection(d.pause(i));
    expect(e0.code).toBe('FAKE_INVALID_STATE'); // still being spawned
    await d.destroy(i);
    expect(await spawning).toBeInstanceOf(InstanceNotFoundOnHost);
    expect(await d.listInstances()).toEqual([]);
  });
});

describe('driverConfig validation', () => {
  const make = (config: Record<string, unknown>) => () => drivers.make(hostName(), config);
  const drivers = new Drivers('memory');

  test.each([
    ['an unknown operation in fail', { fail: ['reboto'] }],
    ['fail that is not a list', { fail: 3 }],
    ['a negative spawnSeconds', { spawnSeconds: -1 }],
    ['a spawnSeconds that is not a number', { spawnSeconds: 'soon' }],
    ['an unknown operation in opSeconds', { opSeconds: { fly: 1 } }],
    ['opSeconds that is not an object', { opSeconds: [1] }],
    ['vcpus that is not a whole number', { vcpus: 1.5 }],
  ])('%s is a ConfigError naming the host', (_what, config) => {
    expect(make(config)).toThrow(ConfigError);
    try {
      make(config)();
    } catch (e) {
      expect((e as ConfigError).code).toBe('FAKE_DRIVER_CONFIG');
      expect((e as ConfigError).message).toMatch(/Fake host fake-/);
    }
  });

  test('operation names are accepted in CLI, camel and snake spelling, and as a comma list', () => {
    const d = drivers.make(hostName(), { fail: 'power-off, liveMigrate,PAUSE', opSeconds: { 'power_on': '0.5' }, spawnSeconds: 2 });
    expect([...d.knobs.fail].sort()).toEqual(['live_migrate', 'pause', 'power_off']);
    expect(d.knobs.seconds).toEqual({ power_on: 0.5, spawn: 2 });
  });

  test('the config host add writes is understood', () => {
    const d = drivers.make(hostName(), { fail: [], spawnSeconds: 1.5, driver: 'fake' });
    expect(d.knobs.fail.size).toBe(0);
    expect(d.knobs.seconds.spawn).toBe(1.5);
    expect(host('x').driverConfig).toEqual({});
  });
});
