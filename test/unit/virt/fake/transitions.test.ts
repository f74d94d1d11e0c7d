/**
 * Every power transition of the fake driver and every refusal, from every reachable state,
 * in both state modes. A refusal must be a HostError and must leave the record untouched.
 */
import { HostError } from '../../../../src/lib/errors';
import { POWER_STATE_NAMES, PowerState } from '../../../../src/lib/model/states';
import { InstanceNotFoundOnHost, type InstanceSpec } from '../../../../src/virt/driver';
import { resetFakeHosts, type FakeDriver } from '../../../../src/virt/fake';
import { Drivers, MODES, hostName, inst, rejection } from './helpers';

const { RUNNING, SHUTDOWN, PAUSED, SUSPENDED, CRASHED } = PowerState;

type Start = 'RUNNING' | 'SHUTDOWN' | 'PAUSED' | 'SUSPENDED' | 'CRASHED' | 'RESCUED';
type Op = 'powerOff' | 'powerOn' | 'pause' | 'unpause' | 'suspend' | 'resume' | 'softReboot' | 'hardReboot' | 'rescue' | 'unrescue';

const reach: Record<Start, (d: FakeDriver, i: InstanceSpec) => Promise<void>> = {
  RUNNING: async () => undefined,
  SHUTDOWN: (d, i) => d.powerOff(i),
  PAUSED: (d, i) => d.pause(i),
  SUSPENDED: (d, i) => d.suspend(i),
  CRASHED: (d, i) => d.simulate(i.uuid, 'crash'),
  RESCUED: (d, i) => d.rescue(i, null),
};

const run: Record<Op, (d: FakeDriver, i: InstanceSpec) => Promise<void>> = {
  powerOff: (d, i) => d.powerOff(i),
  powerOn: (d, i) => d.powerOn(i),
  pause: (d, i) => d.pause(i),
  unpause: (d, i) => d.unpause(i),
  suspend: (d, i) => d.suspend(i),
  resume: (d, i) => d.resume(i),
  softReboot: (d, i) => d.reboot(i, 'SOFT'),
  hardReboot: (d, i) => d.reboot(i, 'HARD'),
  rescue: (d, i) => d.rescue(i, null),
  unrescue: (d, i) => d.unrescue(i),
};

/** Expected power state after op, 'R' for RUNNING in rescue mode, or null for a refusal. */
type Out = number | 'R' | null;
const X = null;
const OPS: Op[] = ['powerOff', 'powerOn', 'pause', 'unpause', 'suspend', 'resume', 'softReboot', 'hardReboot', 'rescue', 'unrescue'];
const TABLE: Record<Start, Out[]> = {
  //         powerOff  powerOn  pause   unpause  suspend    resume   soft     hard     rescue unrescue
  RUNNING:   [SHUTDOWN, RUNNING, PAUSED, X,       SUSPENDED, X,       RUNNING, RUNNING, 'R',   X],
  SHUTDOWN:  [SHUTDOWN, RUNNING, X,      X,       X,         X,       X,       RUNNING, 'R',   X],
  PAUSED:    [SHUTDOWN, X,       X,      RUNNING, SUSPENDED, X,       X,       RUNNING, X,     X],
  SUSPENDED: [SHUTDOWN, X,       X,      X,       X,         RUNNING, X,       RUNNING, X,     X],
  CRASHED:   [SHUTDOWN, RUNNING, X,      X,       X,         X,       X,       RUNNING, 'R',   X],
  RESCUED:   [X,        X,       X,      X,       X,         X,       X,       X,       X,     RUNNING],
};

const label = (o: Out) => (o === null ? 'a refusal' : o === 'R' ? 'Running in rescue mode' : POWER_STATE_NAMES[o]);
const cases = (Object.keys(TABLE) as Start[]).flatMap((from) => OPS.map((op, k) => [from, op, label(TABLE[from][k]), TABLE[from][k]] as const));

describe.each(MODES)('fake driver transitions (%s state)', (mode) => {
  let drivers: Drivers;
  beforeEach(() => { drivers = new Drivers(mode); });
  afterEach(() => { drivers.done(); resetFakeHosts(); });

  test.each(cases)('%s → %s gives %s', async (from, op, _label, out) => {
    const d = drivers.make(hostName());
    const i = inst();
    await d.spawn(i);
    await reach[from](d, i);
    const before = await d.record(i.uuid);
    if (out === null) {
      const e = await rejection(run[op](d, i));
      expect(e).toBeInstanceOf(HostError);
      expect(e.code).toBe('FAKE_INVALID_STATE');
      expect(e.message).toContain(d.host.name);
      expect(e.message).toContain(i.uuid);
      expect(await d.record(i.uuid)).toEqual(before);
      return;
    }
    await run[op](d, i);
    const rec = await d.record(i.uuid);
    expect(rec!.rescued).toBe(out === 'R');
    expect(rec!.powerState).toBe(out === 'R' ? RUNNING : out);
    expect((await d.getInfo(i)).powerState).toBe(rec!.powerState);
    // Only a suspend leaves a managed-save image; every way out of SUSPENDED consumes or discards it.
    expect(rec!.managedSave).toBe(out === SUSPENDED);
  });

  test('spawn gives RUNNING; a second spawn of the same uuid is refused and changes nothing', async () => {
    const d = drivers.make(hostName());
    const i = inst();
    await d.spawn(i);
    expect((await d.getInfo(i)).powerState).toBe(RUNNING);
    const before = await d.record(i.uuid);
    const e = await rejection(d.spawn({ ...i, name: 'twin' }));
    expect(e).toBeInstanceOf(HostError);
    expect(e.code).toBe('FAKE_INSTANCE_EXISTS');
    expect(await d.record(i.uuid)).toEqual(before);
  });

  test('destroy removes the server and is idempotent', async () => {
    const d = drivers.make(hostName());
    const i = inst();
    await d.spawn(i);
    await d.destroy(i, { destroyDisks: true });
    expect(await d.listInstances()).toEqual([]);
    await d.destroy(i);
    await d.destroy(inst());
    expect(await d.listInstances()).toEqual([]);
  });

  const perServer: Array<[string, (d: FakeDriver, i: InstanceSpec) => Promise<unknown>]> = [
    ['reboot', (d, i) => d.reboot(i, 'HARD')], ['powerOff', (d, i) => d.powerOff(i)], ['powerOn', (d, i) => d.powerOn(i)],
    ['pause', (d, i) => d.pause(i)], ['unpause', (d, i) => d.unpause(i)], ['suspend', (d, i) => d.suspend(i)],
    ['resume', (d, i) => d.resume(i)], ['rescue', (d, i) => d.rescue(i, null)], ['unrescue', (d, i) => d.unrescue(i)],
    ['migrateDiskAndPowerOff', (d, i) => d.migrateDiskAndPowerOff(i, d.host)], ['liveMigrate', (d, i) => d.liveMigrate(i, { name: hostName(), address: null, driverConfig: {} })],
    ['postLiveMigrationAtDestination', (d, i) => d.postLiveMigrationAtDestination(i)], ['getInfo', (d, i) => d.getInfo(i)],
    ['getConsoleOutput', (d, i) => d.getConsoleOutput(i)], ['simulate', (d, i) => d.simulate(i.uuid, 'crash')],
  ];
  test.each(perServer)('%s of a server the host does not have throws InstanceNotFoundOnHost', async (_name, call) => {
    const d = drivers.make(hostName());
    await d.spawn(inst()); // another server is there
    const i = inst();
    const e = await rejection(call(d, i));
    expect(e).toBeInstanceOf(InstanceNotFoundOnHost);
    expect((e as InstanceNotFoundOnHost).uuid).toBe(i.uuid);
    expect((e as InstanceNotFoundOnHost).host).toBe(d.host.name);
  });

  test('rescue keeps the rescue image; unrescue boots the server itself again', async () => {
    const d = drivers.make(hostName());
    const i = inst();
    await d.spawn(i);
    await d.rescue(i, { id: 'img-rescue', name: 'rescue', checksum: null, size: 1, diskFormat: 'raw', properties: {}, path: null });
    expect((await d.record(i.uuid))!.rescueImageId).toBe('img-rescue');
    expect(await d.getConsoleOutput(i)).toMatch(/booted in rescue mode\n$/);
    await d.unrescue(i);
    const rec = await d.record(i.uuid);
    expect(rec!.rescued).toBe(false);
    expect(rec!.rescueImageId).toBeNull();
    expect(await d.getConsoleOutput(i)).toMatch(/\) booted\n$/);
  });

  test('a guest that shuts itself down or vanishes is seen by getInfo and listInstances', async () => {
    const d = drivers.make(hostName());
    const [a, b] = [inst(), inst()];
    await d.spawn(a);
    await d.spawn(b);
    await d.simulate(a.uuid, 'shutdown');
    expect((await d.getInfo(a)).powerState).toBe(SHUTDOWN);
    await d.simulate(b.uuid, 'vanish');
    expect(await d.listInstances()).toEqual([a.uuid]);
    await d.simulate(a.uuid, 'crash');
    expect((await d.getInfo(a)).powerState).toBe(CRASHED);
  });
});
