/**
 * The power-state machine of a fake server: what each guest operation does to a record and
 * when a real hypervisor would refuse it (libvirt's "domain is not running", "domain is not
 * paused" …). Pure functions on one record; the driver adds timing, failures and persistence.
 * Every function checks before it mutates, so a refusal leaves the record untouched.
 */
import { HostError } from '../../lib/errors';
import { POWER_STATE_NAMES, PowerState } from '../../lib/model/states';
import { PANIC_LINES, REBOOT_LINES, SHUTDOWN_LINES, appendConsole, bootLines } from './console';
import type { FakeServer } from './state';

const { RUNNING, PAUSED, SHUTDOWN, CRASHED, SUSPENDED } = PowerState;

function describe(rec: FakeServer): string {
  if (rec.spawning) return 'still being spawned';
  if (rec.rescued) return 'in rescue mode';
  return POWER_STATE_NAMES[rec.powerState] ?? `in power state ${rec.powerState}`;
}

export function refuse(rec: FakeServer, host: string, action: string, needs: string, hint?: string): never {
  throw new HostError(`Cannot ${action} server ${rec.uuid} on fake host ${host}: it is ${describe(rec)}, and ${action} needs ${needs}.`, {
    code: 'FAKE_INVALID_STATE',
    hint,
    details: { host, uuid: rec.uuid, action, powerState: rec.powerState, rescued: rec.rescued },
  });
}

function notRescued(rec: FakeServer, host: string, action: string): void {
  if (rec.rescued) refuse(rec, host, action, 'a server out of rescue mode', 'Unrescue it first.');
}

/**
 * A new qemu process: cpu time starts again, any managed-save image is consumed or discarded,
 * and an outgoing cold migration is abandoned (the source disks are in use again), which is
 * also how a revert that powers the source back on ends it.
 */
function start(rec: FakeServer, now: number): void {
  rec.migration = null;
  rec.powerState = RUNNING;
  rec.cpuTimeNs = 0;
  rec.runningSince = now;
  rec.managedSave = false;
}

/** The qemu process is gone. */
function stop(rec: FakeServer, state: PowerState): void {
  rec.powerState = state;
  rec.cpuTimeNs = 0;
  rec.runningSince = null;
}

/** CPU time of the current qemu process: it grows while the guest runs, freezes while paused. */
export function cpuTimeNs(rec: FakeServer, now: number): number {
  return rec.cpuTimeNs + (rec.runningSince === null ? 0 : Math.max(0, now - rec.runningSince) * 1e6);
}

export function powerOff(rec: FakeServer, host: string): void {
  notRescued(rec, host, 'power off');
  if (rec.powerState === SHUTDOWN) return; // already off: nothing to do, as Nova's stop expects
  if (rec.powerState === RUNNING) appendConsole(rec, SHUTDOWN_LINES);
  stop(rec, SHUTDOWN);
  rec.managedSave = false; // stopping a suspended server discards its saved memory
}

export function powerOn(rec: FakeServer, host: string, now: number): void {
  notRescued(rec, host, 'power on');
  if (rec.powerState === RUNNING) return;
  if (rec.powerState !== SHUTDOWN && rec.powerState !== CRASHED) {
    refuse(rec, host, 'power on', 'Shutdown or Crashed', rec.powerState === PAUSED ? 'Unpause it.' : 'Resume it.');
  }
  start(rec, now);
  appendConsole(rec, bootLines(rec));
}

export function reboot(rec: FakeServer, host: string, type: 'SOFT' | 'HARD', now: number): void {
  notRescued(rec, host, type === 'SOFT' ? 'soft reboot' : 'hard reboot');
  if (type === 'SOFT') {
    // The guest reboots itself: same qemu process, so cpu time keeps growing.
    if (rec.powerState !== RUNNING) refuse(rec, host, 'soft reboot', 'Running', 'A hard reboot works from any power state.');
    appendConsole(rec, REBOOT_LINES);
  } else {
    // Destroy and start again from the definition, whatever the guest was doing.
    start(rec, now);
  }
  appendConsole(rec, bootLines(rec));
}

export function pause(rec: FakeServer, host: string, now: number): void {
  notRescued(rec, host, 'pause');
  if (rec.powerState !== RUNNING) refuse(rec, host, 'pause', 'Running');
  rec.cpuTimeNs = cpuTimeNs(rec, now);
  rec.runningSince = null;
  rec.powerState = PAUSED;
}

export function unpause(rec: FakeServer, host: string, now: number): void {
  notRescued(rec, host, 'unpause');
  if (rec.powerState !== PAUSED) refuse(rec, host, 'unpause', 'Paused');
  rec.powerState = RUNNING;
  rec.runningSince = now;
}

export function suspend(rec: FakeServer, host: string): void {
  notRescued(rec, host, 'suspend');
  if (rec.powerState !== RUNNING && rec.powerState !== PAUSED) refuse(rec, host, 'suspend', 'Running or Paused');
  stop(rec, SUSPENDED);
  rec.managedSave = true;
}

export function resume(rec: FakeServer, host: string, now: number): void {
  notRescued(rec, host, 'resume');
  if (rec.powerState !== SUSPENDED) refuse(rec, host, 'resume', 'Suspended');
  start(rec, now); // restores the managed-save image in a new qemu process
}

export function rescue(rec: FakeServer, host: string, rescueImageId: string | null, now: number): void {
  notRescued(rec, host, 'rescue');
  if (rec.powerState !== RUNNING && rec.powerState !== SHUTDOWN && rec.powerState !== CRASHED) {
    refuse(rec, host, 'rescue', 'Running, Shutdown or Crashed');
  }
  if (rec.powerState === RUNNING) appendConsole(rec, SHUTDOWN_LINES);
  rec.rescued = true;
  rec.rescueImageId = rescueImageId ?? rec.imageId;
  start(rec, now);
  appendConsole(rec, bootLines(rec, 'rescue'));
}

export function unrescue(rec: FakeServer, host: string, now: number): void {
  if (!rec.rescued) refuse(rec, host, 'unrescue', 'rescue mode');
  rec.rescued = false;
  rec.rescueImageId = null;
  start(rec, now);
  appendConsole(rec, bootLines(rec));
}

/** What a host-side event does (for tests of power-state sync): the guest crashed or shut itself down. */
export function guestEvent(rec: FakeServer, event: 'crash' | 'shutdown'): void {
  if (event === 'crash') {
    appendConsole(rec, PANIC_LINES);
    stop(rec, CRASHED);
  } else {
    if (rec.powerState === RUNNING) appendConsole(rec, SHUTDOWN_LINES);
    stop(rec, SHUTDOWN);
  }
}
