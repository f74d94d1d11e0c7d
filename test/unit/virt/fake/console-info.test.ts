/**
 * What the fake host reports: console log content and its cap, getInfo (cpu time that grows
 * with uptime), listInstances, host resources and capabilities, and the registry entry.
 */
import { PowerState } from '../../../../src/lib/model/states';
import { driverFor } from '../../../../src/virt/registry';
import { CONSOLE_MAX_LINES, FakeDriver, resetFakeHosts } from '../../../../src/virt/fake';
import { Drivers, MODES, host, hostName, inst } from './helpers';

describe.each(MODES)('console log (%s state)', (mode) => {
  let drivers: Drivers;
  beforeEach(() => { drivers = new Drivers(mode); });
  afterEach(() => { drivers.done(); resetFakeHosts(); });

  test('spawn writes a boot; power events append to it', async () => {
    const d = drivers.make(hostName());
    const i = inst({ name: 'web1', hostname: 'web1' });
    await d.spawn(i);
    let log = await d.getConsoleOutput(i);
    const lines = log.trimEnd().split('\n');
    expect(lines[0]).toBe('[    0.000000] Linux version 6.1.0 (novalite-fake) (gcc (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC');
    expect(log).toContain('Memory: 2097152K available');
    expect(log).toContain('Brought up 1 node, 2 CPUs');
    expect(log).toContain('Hostname set to <web1>.');
    expect(lines[lines.length - 1]).toBe(`NOVALITE-FAKE: web1 (${i.uuid}) booted`);
    expect(log.endsWith('\n')).toBe(true);

    await d.reboot(i, 'SOFT');
    log = await d.getConsoleOutput(i);
    expect(log.slice(log.indexOf('reboot: Restarting system'))).toContain('Linux version 6.1.0');
    expect(log.match(/booted/g)).toHaveLength(2);

    await d.powerOff(i);
    expect((await d.getConsoleOutput(i)).trimEnd().split('\n').pop()).toBe('reboot: Power down');
    await d.powerOn(i);
    expect((await d.getConsoleOutput(i)).match(/\) booted/g)).toHaveLength(3);
    await d.simulate(i.uuid, 'crash');
    expect(await d.getConsoleOutput(i)).toContain('Kernel panic - not syncing');
  });

  test(`the log keeps only the last ${CONSOLE_MAX_LINES} lines`, async () => {
    const d = drivers.make(hostName());
    const i = inst();
    await d.spawn(i);
    const perBoot = (await d.getConsoleOutput(i)).trimEnd().split('\n').length;
    const reboots = Math.ceil(CONSOLE_MAX_LINES / perBoot) + 5;
    for (let k = 0; k < reboots; k++) await d.reboot(i, 'HARD');
    const lines = (await d.getConsoleOutput(i)).trimEnd().split('\n');
    expect(lines).toHaveLength(CONSOLE_MAX_LINES);
    expect(lines[lines.length - 1]).toBe(`NOVALITE-FAKE: ${i.name} (${i.uuid}) booted`);
    expect(lines.filter((l) => l.endsWith('booted')).length).toBeLessThan(reboots + 1);
  });

  test('listInstances lists every server of this host only', async () => {
    const [a, b] = [drivers.make(hostName()), drivers.make(hostName())];
    const servers = [inst(), inst(), inst()];
    for (const s of servers) await a.spawn(s);
    await b.spawn(inst());
    expect((await a.listInstances()).sort()).toEqual(servers.map((s) => s.uuid).sort());
    expect(await b.listInstances()).toHaveLength(1);
  });
});

describe('getInfo', () => {
  afterEach(() => resetFakeHosts());

  test('reports flavor sizes and a cpu time that grows while running, freezes while paused, resets when stopped', async () => {
    let now = 1_700_000_000_000;
    const d = new FakeDriver(host(hostName()), { statePath: '' }, { now: () => now });
    const i = inst();
    await d.spawn(i);
    expect(await d.getInfo(i)).toEqual({ powerState: PowerState.RUNNING, memoryMb: 2048, vcpus: 2, cpuTimeNs: 0 });
    now += 2000;
    expect((await d.getInfo(i)).cpuTimeNs).toBe(2e9);
    await d.pause(i);
    now += 3000;
    expect((await d.getInfo(i)).cpuTimeNs).toBe(2e9);
    await d.unpause(i);
    now += 1000;
    expect((await d.getInfo(i)).cpuTimeNs).toBe(3e9);
    await d.reboot(i, 'SOFT'); // same qemu process
    now += 1000;
    expect((await d.getInfo(i)).cpuTimeNs).toBe(4e9);
    await d.powerOff(i);
    now += 1000;
    expect(await d.getInfo(i)).toMatchObject({ powerState: PowerState.SHUTDOWN, cpuTimeNs: 0 });
    await d.powerOn(i);
    now += 500;
    expect((await d.getInfo(i)).cpuTimeNs).toBe(5e8);
    expect((await d.record(i.uuid))!.createdAt).toBe(new Date(1_700_000_000_000).toISOString());
  });
});

describe('host resources and capabilities', () => {
  test('defaults', async () => {
    const d = new FakeDriver(host(hostName()), { statePath: '' });
    expect(await d.getAvailableResource()).toEqual({
      vcpus: 8, memoryMb: 16384, localGb: 200, hypervisorType: 'fake', hypervisorVersion: 1000,
      cpuInfo: { arch: 'x86_64', model: 'fake', vendor: 'novalite', features: [] },
    });
    expect(d.type).toBe('fake');
    expect(Object.values(d.capabilities).every((v) => v === true)).toBe(true);
    expect(Object.keys(d.capabilities).sort()).toEqual(['coldMigrate', 'consoleLog', 'liveMigrate', 'pause', 'rescue', 'resize', 'suspend']);
  });

  test('totals come from driverConfig', async () => {
    const d = new FakeDriver(host(hostName(), { vcpus: 64, memoryMb: 262144, localGb: 4000 }), { statePath: '' });
    expect(await d.getAvailableResource()).toMatchObject({ vcpus: 64, memoryMb: 262144, localGb: 4000 });
  });

  test('the registry makes fake drivers', async () => {
    const d = driverFor('fake', host(hostName()), { statePath: '' });
    expect(d.type).toBe('fake');
    const i = inst();
    await d.spawn(i);
    expect(await d.listInstances()).toEqual([i.uuid]);
    resetFakeHosts();
  });
});
