/**
 * Cold migration / resize (cross-host and same-host, confirm and revert) and live migration
 * between two fake hosts, in both state modes: the destination's own state is what changes.
 */
import { HostError } from '../../../../src/lib/errors';
import { PowerState } from '../../../../src/lib/model/states';
import { InstanceNotFoundOnHost } from '../../../../src/virt/driver';
import { resetFakeHosts, type FakeMigrationToken } from '../../../../src/virt/fake';
import { BIGGER, Drivers, MODES, hostName, inst, rejection } from './helpers';

describe.each(MODES)('migration between fake hosts (%s state)', (mode) => {
  let drivers: Drivers;
  beforeEach(() => { drivers = new Drivers(mode); });
  afterEach(() => { drivers.done(); resetFakeHosts(); });

  const pair = () => [drivers.make(hostName('src')), drivers.make(hostName('dst'))] as const;

  test('cold migration: power off and hand over a token, finish on the destination, clean up the source', async () => {
    const [src, dst] = pair();
    const i = inst();
    await src.spawn(i);
    const token = (await src.migrateDiskAndPowerOff(i, dst.host)) as FakeMigrationToken;
    expect(token).toMatchObject({ kind: 'fake-cold-migration', uuid: i.uuid, sourceHost: src.host.name, destHost: dst.host.name, disk: { format: 'qcow2', sizeGb: 20 } });
    expect(JSON.parse(JSON.stringify(token))).toEqual(token); // storable in a task row
    expect((await src.getInfo(i)).powerState).toBe(PowerState.SHUTDOWN);
    expect(await dst.listInstances()).toEqual([]);

    const resized = { ...i, flavor: BIGGER };
    await dst.finishMigration(resized, token, { powerOn: true });
    expect(await dst.getInfo(resized)).toMatchObject({ powerState: PowerState.RUNNING, memoryMb: 8192, vcpus: 4 });
    expect(await dst.getConsoleOutput(i)).toContain('booted');
    expect(await src.listInstances()).toEqual([i.uuid]); // kept until confirmed

    await dst.finishMigration(resized, token, { powerOn: true }); // a retried finish is harmless
    await src.cleanupMigrationSource(i);
    expect(await src.listInstances()).toEqual([]);
    await src.cleanupMigrationSource(i); // and so is a retried cleanup
    expect(await dst.listInstances()).toEqual([i.uuid]);
  });

  test('a retried migrateDiskAndPowerOff to the same destination returns the same token', async () => {
    const [src, dst] = pair();
    const i = inst();
    await src.spawn(i);
    const t1 = await src.migrateDiskAndPowerOff(i, dst.host);
    const t2 = await src.migrateDiskAndPowerOff(i, dst.host);
    expect(t2).toEqual(t1);
  });

  test('powering the source on again abandons the migration: the destination can no longer finish it', async () => {
    const [src, dst] = pair();
    const i = inst();
    await src.spawn(i);
    const token = await src.migrateDiskAndPowerOff(i, dst.host);
    await src.powerOn(i);
    expect((await src.record(i.uuid))!.migration).toBeNull();
    expect((await rejection(dst.finishMigration(i, token, { powerOn: true }))).code).toBe('FAKE_MIGRATION_NOT_STARTED');
    await src.cleanupMigrationSource(i);
    expect(await src.listInstances()).toEqual([i.uuid]);
  });

  test('finishMigration without powerOn leaves the server shut down', async () => {
    const [src, dst] = pair();
    const i = inst();
    await src.spawn(i);
    await src.powerOff(i);
    const token = await src.migrateDiskAndPowerOff(i, dst.host);
    await dst.finishMigration(i, token, { powerOn: false });
    expect((await dst.getInfo(i)).powerState).toBe(PowerState.SHUTDOWN);
  });

  test('revert: the destination destroys its copy, the source starts the old flavor again', async () => {
    const [src, dst] = pair();
    const i = inst();
    await src.spawn(i);
    const token = await src.migrateDiskAndPowerOff(i, dst.host);
    await dst.finishMigration({ ...i, flavor: BIGGER }, token, { powerOn: true });
    await dst.destroy(i);
    await src.finishRevertMigration(i, { powerOn: true });
    expect(await src.getInfo(i)).toMatchObject({ powerState: PowerState.RUNNING, memoryMb: 2048 });
    expect((await src.record(i.uuid))!.migration).toBeNull();
    await src.cleanupMigrationSource(i); // nothing to clean up any more: the server stays
    expect(await src.listInstances()).toEqual([i.uuid]);
  });

  test('same-host resize: the server is replaced in place; confirm keeps it, revert restores the old flavor', async () => {
    const [h] = pair();
    const [a, b] = [inst(), inst()];
    for (const i of [a, b]) {
      await h.spawn(i);
      const token = await h.migrateDiskAndPowerOff(i, h.host);
      await h.finishMigration({ ...i, flavor: BIGGER }, token, { powerOn: true });
      expect(await h.getInfo(i)).toMatchObject({ powerState: PowerState.RUNNING, memoryMb: 8192 });
    }
    await h.cleanupMigrationSource(a);
    expect(await h.getInfo(a)).toMatchObject({ powerState: PowerState.RUNNING, memoryMb: 8192 });
    expect((await h.record(a.uuid))!.resizeLeftover).toBeNull();
    await h.finishRevertMigration(b, { powerOn: false });
    expect(await h.getInfo(b)).toMatchObject({ powerState: PowerState.SHUTDOWN, memoryMb: 2048 });
    expect((await h.listInstances()).sort()).toEqual([a.uuid, b.uuid].sort());
  });

  test.each([
    ['no migration was started', async (i: ReturnType<typeof inst>, t: FakeMigrationToken) => ({ ...t, id: 'other' }), 'FAKE_MIGRATION_NOT_STARTED'],
    ['the token is for another server', async (_i: ReturnType<typeof inst>, t: FakeMigrationToken) => ({ ...t, uuid: 'someone-else' }), 'FAKE_BAD_MIGRATION_TOKEN'],
    ['the token sends the disks elsewhere', async (_i: ReturnType<typeof inst>, t: FakeMigrationToken) => ({ ...t, destHost: 'elsewhere' }), 'FAKE_BAD_MIGRATION_TOKEN'],
    ['the token is not a token', async () => ({}), 'FAKE_BAD_MIGRATION_TOKEN'],
  ])('finishMigration refuses when %s', async (_what, mangle, code) => {
    const [src, dst] = pair();
    const i = inst();
    await src.spawn(i);
    const token = (await src.migrateDiskAndPowerOff(i, dst.host)) as FakeMigrationToken;
    const e = await rejection(dst.finishMigration(i, await mangle(i, token), { powerOn: true }));
    expect(e).toBeInstanceOf(HostError);
    expect(e.code).toBe(code);
    expect(await dst.listInstances()).toEqual([]);
  });

  test('finishMigration refuses a destination that already has the server', async () => {
    const [src, dst] = pair();
    const i = inst();
    await src.spawn(i);
    const token = await src.migrateDiskAndPowerOff(i, dst.host);
    await dst.spawn(i);
    expect((await rejection(dst.finishMigration(i, token, { powerOn: true }))).code).toBe('FAKE_INSTANCE_EXISTS');
  });

  test('a rescued server is not cold-migrated', async () => {
    const [src, dst] = pair();
    const i = inst();
    await src.spawn(i);
    await src.rescue(i, null);
    expect((await rejection(src.migrateDiskAndPowerOff(i, dst.host))).code).toBe('FAKE_INVALID_STATE');
  });

  test.each([PowerState.RUNNING, PowerState.PAUSED])('live migration of a server in power state %s: destination written, source removed', async (ps) => {
    const [src, dst] = pair();
    const i = inst();
    await src.spawn(i);
    if (ps === PowerState.PAUSED) await src.pause(i);
    const before = await src.record(i.uuid);
    await src.liveMigrate(i, dst.host);
    expect(await src.listInstances()).toEqual([]);
    expect(await dst.listInstances()).toEqual([i.uuid]);
    await dst.postLiveMigrationAtDestination(i);
    const after = await dst.record(i.uuid);
    expect(after).toMatchObject({ powerState: ps, flavor: before!.flavor, console: before!.console, createdAt: before!.createdAt });
    expect(after!.migratedFrom).toEqual({ host: src.host.name, migrationId: null });
    expect(await rejection(src.postLiveMigrationAtDestination(i))).toBeInstanceOf(InstanceNotFoundOnHost);
    // And back again.
    await dst.liveMigrate(i, src.host);
    expect(await src.listInstances()).toEqual([i.uuid]);
  });

  test.each([
    ['shut down', async (d: ReturnType<Drivers['make']>, i: ReturnType<typeof inst>) => d.powerOff(i)],
    ['suspended', async (d: ReturnType<Drivers['make']>, i: ReturnType<typeof inst>) => d.suspend(i)],
    ['rescued', async (d: ReturnType<Drivers['make']>, i: ReturnType<typeof inst>) => d.rescue(i, null)],
  ])('live migration of a %s server is refused and changes nothing', async (_what, prepare) => {
    const [src, dst] = pair();
    const i = inst();
    await src.spawn(i);
    await prepare(src, i);
    const before = await src.record(i.uuid);
    const e = await rejection(src.liveMigrate(i, dst.host));
    expect(e.code).toBe('FAKE_INVALID_STATE');
    expect(await src.record(i.uuid)).toEqual(before);
    expect(await dst.listInstances()).toEqual([]);
  });

  test('live migration to a host that already has the server, or to itself, is refused; the source keeps it', async () => {
    const [src, dst] = pair();
    const i = inst();
    await src.spawn(i);
    await dst.spawn(i);
    expect((await rejection(src.liveMigrate(i, dst.host))).code).toBe('FAKE_INSTANCE_EXISTS');
    expect((await rejection(src.liveMigrate(i, src.host))).code).toBe('FAKE_SAME_HOST');
    expect((await src.getInfo(i)).powerState).toBe(PowerState.RUNNING);
  });
});
