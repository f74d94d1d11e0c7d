/**
 * FakeDriver: a hypervisor host that exists only as state (memory, or a JSON file per host
 * under the state path), with the behaviour of a real one: power-state transitions and their
 * refusals, a console log, cpu time, cold and live migration between fake hosts, and per-host
 * knobs that make operations slow (really waiting, so a CLI can be killed mid-spawn) or fail.
 * Without knobs and with memory state an operation is a few microseconds and sets no timer.
 */
import { randomUUID } from 'node:crypto';
import { HostError } from '../../lib/errors';
import { PowerState } from '../../lib/model/states';
import {
  InstanceNotFoundOnHost,
  type ComputeDriver, type DriverCapabilities, type HostResources, type HostTarget, type ImageRef,
  type InstanceInfo, type InstanceSpec, type MigrationToken,
} from '../driver';
import type { DriverEnvironment } from '../registry';
import { appendConsole, bootLines } from './console';
import { parseKnobs, type FakeKnobs, type FakeOperation } from './knobs';
import { FileStore, memoryStore, serverOf, type FakeServer, type HostState, type HostStore } from './state';
import * as T from './transitions';

export interface FakeDriverOptions {
  /** Epoch milliseconds; tests inject a clock to check cpu time and timestamps. */
  now?: () => number;
}

/** The token migrateDiskAndPowerOff hands to the destination (JSON, so it can be stored in a task row). */
export interface FakeMigrationToken extends MigrationToken {
  kind: 'fake-cold-migration';
  id: string;
  uuid: string;
  sourceHost: string;
  destHost: string;
  flavor: FakeServer['flavor'];
  imageId: string | null;
  disk: { path: string; format: 'qcow2'; sizeGb: number };
}

const CAPABILITIES: DriverCapabilities = Object.freeze({
  pause: true, suspend: true, rescue: true, resize: true, coldMigrate: true, liveMigrate: true, consoleLog: true,
});

const sleep = (s: number) => new Promise<void>((r) => setTimeout(r, s * 1000));

function flavorOf(inst: InstanceSpec): FakeServer['flavor'] {
  const f = inst.flavor;
  return { name: f.name, vcpus: f.vcpus, memoryMb: f.memoryMb, rootGb: f.rootGb, ephemeralGb: f.ephemeralGb, swapMb: f.swapMb };
}

function isToken(t: MigrationToken, uuid: string): t is FakeMigrationToken {
  return t?.kind === 'fake-cold-migration' && t.uuid === uuid && typeof t.id === 'string' && typeof t.sourceHost === 'string';
}

export class FakeDriver implements ComputeDriver {
  readonly type = 'fake';
  readonly capabilities = CAPABILITIES;
  readonly knobs: FakeKnobs;
  private readonly store: HostStore;
  private readonly now: () => number;

  constructor(readonly host: HostTarget, readonly env: DriverEnvironment, opts: FakeDriverOptions = {}) {
    this.knobs = parseKnobs(host);
    this.now = opts.now ?? Date.now;
    this.store = env.statePath ? new FileStore(env.statePath, { staleMs: this.knobs.lockStaleMs, timeoutMs: this.knobs.lockTimeoutMs }) : memoryStore;
  }

  private get name(): string {
    return this.host.name;
  }

  /** Throws the injected failure of `op` on `host` (default: this host). */
  private injected(op: FakeOperation, knobs = this.knobs, host = this.name): void {
    if (!knobs.fail.has(op)) return;
    throw new HostError(`Fake host ${host}: ${op} failed (injected failure: the host's driver config lists "${op}" under fail).`, {
      code: 'FAKE_INJECTED_FAILURE',
      hint: `Re-register host ${host} without --fake-fail ${op} to make ${op} work again.`,
      details: { host, operation: op },
    });
  }

  private async delay(op: FakeOperation): Promise<void> {
    const s = this.knobs.seconds[op];
    if (s) await sleep(s);
  }

  private need(s: HostState, uuid: string): FakeServer {
    const rec = serverOf(s, uuid);
    if (!rec) throw new InstanceNotFoundOnHost(uuid, this.name);
    return rec;
  }

  /** One operation on one existing server: delay, injected failure, then the change under the host's lock. */
  private async act<R>(op: FakeOperation, uuid: string, change: (rec: FakeServer, now: number) => R): Promise<R> {
    await this.delay(op);
    this.injected(op);
    return this.store.update(this.name, (s) => {
      const rec = this.need(s, uuid);
      if (rec.spawning) T.refuse(rec, this.name, op.replace(/_/g, ' '), 'a spawned server', 'Wait for the spawn to finish, or destroy the server.');
      const now = this.now();
      const out = change(rec, now);
      rec.updatedAt = new Date(now).toISOString();
      return out;
    });
  }

  private newRecord(inst: InstanceSpec, now: number): FakeServer {
    const at = new Date(now).toISOString();
    return {
      uuid: inst.uuid, name: inst.name, hostname: inst.hostname, powerState: PowerState.NOSTATE, flavor: flavorOf(inst),
      imageId: inst.image?.id ?? null, createdAt: at, updatedAt: at, console: [], rescued: false, rescueImageId: null,
      managedSave: false, spawning: null, cpuTimeNs: 0, runningSince: null, migration: null, migratedFrom: null, resizeLeftover: null,
    };
  }

  private absent(s: HostState, uuid: string, host = this.name): void {
    if (serverOf(s, uuid)) {
      throw new HostError(`Fake host ${host} already has a server ${uuid}.`, {
        code: 'FAKE_INSTANCE_EXISTS', hint: 'Destroy it there first.', details: { host, uuid },
      });
    }
  }

  private boot(rec: FakeServer, now: number): void {
    rec.powerState = PowerState.RUNNING;
    rec.runningSince = now;
    rec.cpuTimeNs = 0;
    appendConsole(rec, bootLines(rec));
  }

  async spawn(inst: InstanceSpec): Promise<void> {
    const seconds = this.knobs.seconds.spawn;
    if (!seconds) {
      this.injected('spawn');
      await this.store.update(this.name, (s) => {
        this.absent(s, inst.uuid);
        const now = this.now();
        const rec = this.newRecord(inst, now);
        this.boot(rec, now);
        s.instances[inst.uuid] = rec;
      });
      return;
    }
    // A slow spawn is visible while it runs (defined, NOSTATE), like a libvirt domain being
    // built; a process killed meanwhile leaves exactly that behind, for destroy to clean up.
    const spawnId = randomUUID();
    await this.store.update(this.name, (s) => {
      this.absent(s, inst.uuid);
      const rec = this.newRecord(inst, this.now());
      rec.spawning = spawnId;
      s.instances[inst.uuid] = rec;
    });
    await sleep(seconds);
    if (this.knobs.fail.has('spawn')) {
      await this.store.update(this.name, (s) => {
        if (serverOf(s, inst.uuid)?.spawning === spawnId) delete s.instances[inst.uuid];
      });
      this.injected('spawn');
    }
    await this.store.update(this.name, (s) => {
      const rec = serverOf(s, inst.uuid);
      // Destroyed (and perhaps spawned again) while this spawn was waiting: it is not ours to finish.
      if (rec?.spawning !== spawnId) throw new InstanceNotFoundOnHost(inst.uuid, this.name);
      const now = this.now();
      rec.spawning = null;
      rec.updatedAt = new Date(now).toISOString();
      this.boot(rec, now);
    });
  }

  async destroy(inst: InstanceSpec, _opts?: { destroyDisks?: boolean }): Promise<void> {
    await this.delay('destroy');
    this.injected('destroy');
    // Fake disks live in the record, so destroyDisks changes nothing here. A missing server is
    // already destroyed; checking first saves a locked write.
    if (!(await this.store.read(this.name, (s) => serverOf(s, inst.uuid) !== undefined))) return;
    await this.store.update(this.name, (s) => {
      delete s.instances[inst.uuid];
    });
  }

  reboot(inst: InstanceSpec, type: 'SOFT' | 'HARD'): Promise<void> {
    return this.act('reboot', inst.uuid, (rec, now) => T.reboot(rec, this.name, type, now));
  }

  powerOff(inst: InstanceSpec, _opts?: { timeoutSeconds?: number }): Promise<void> {
    return this.act('power_off', inst.uuid, (rec) => T.powerOff(rec, this.name));
  }

  powerOn(inst: InstanceSpec): Promise<void> {
    return this.act('power_on', inst.uuid, (rec, now) => T.powerOn(rec, this.name, now));
  }

  pause(inst: InstanceSpec): Promise<void> {
    return this.act('pause', inst.uuid, (rec, now) => T.pause(rec, this.name, now));
  }

  unpause(inst: InstanceSpec): Promise<void> {
    return this.act('unpause', inst.uuid, (rec, now) => T.unpause(rec, this.name, now));
  }

  suspend(inst: InstanceSpec): Promise<void> {
    return this.act('suspend', inst.uuid, (rec) => T.suspend(rec, this.name));
  }

  resume(inst: InstanceSpec): Promise<void> {
    return this.act('resume', inst.uuid, (rec, now) => T.resume(rec, this.name, now));
  }

  rescue(inst: InstanceSpec, rescueImage: ImageRef | null): Promise<void> {
    return this.act('rescue', inst.uuid, (rec, now) => T.rescue(rec, this.name, rescueImage?.id ?? null, now));
  }

  unrescue(inst: InstanceSpec): Promise<void> {
    return this.act('unrescue', inst.uuid, (rec, now) => T.unrescue(rec, this.name, now));
  }

  async migrateDiskAndPowerOff(inst: InstanceSpec, dest: HostTarget): Promise<MigrationToken> {
    return this.act('migrate', inst.uuid, (rec, now): FakeMigrationToken => {
      T.powerOff(rec, this.name); // refuses a rescued server
      // A retry towards the same destination (a recovered task) gets the same token back.
      if (rec.migration?.destHost !== dest.name) rec.migration = { id: randomUUID(), destHost: dest.name, startedAt: new Date(now).toISOString() };
      return {
        kind: 'fake-cold-migration', id: rec.migration.id, uuid: rec.uuid, sourceHost: this.name, destHost: dest.name,
        flavor: { ...rec.flavor }, imageId: rec.imageId,
        disk: { path: `fake://${this.name}/${rec.uuid}/disk`, format: 'qcow2', sizeGb: rec.flavor.rootGb },
      };
    });
  }

  async finishMigration(inst: InstanceSpec, token: MigrationToken, opts: { powerOn: boolean }): Promise<void> {
    if (!isToken(token, inst.uuid)) {
      throw new HostError(`Fake host ${this.name} cannot finish the migration of ${inst.uuid}: the token is not a fake migration token for this server.`, { code: 'FAKE_BAD_MIGRATION_TOKEN', details: { token } });
    }
    if (token.destHost !== this.name) {
      throw new HostError(`Fake host ${this.name} cannot finish the migration of ${inst.uuid}: its disks were sent to ${token.destHost}.`, { code: 'FAKE_BAD_MIGRATION_TOKEN', details: { token } });
    }
    await this.delay('migrate');
    this.injected('migrate');
    const sameHost = token.sourceHost === this.name;
    if (!sameHost) {
      // The disks must have been copied here: the source still holds the migration.
      const copied = await this.store.read(token.sourceHost, (s) => serverOf(s, inst.uuid)?.migration?.id === token.id);
      const done = await this.store.read(this.name, (s) => serverOf(s, inst.uuid)?.migratedFrom?.migrationId === token.id);
      if (!copied && !done) {
        throw new HostError(`Fake host ${this.name} has no disks of ${inst.uuid} from ${token.sourceHost} for migration ${token.id}.`, { code: 'FAKE_MIGRATION_NOT_STARTED', hint: 'Run migrateDiskAndPowerOff on the source first.' });
      }
    }
    await this.store.update(this.name, (s) => {
      const now = this.now();
      const existing = serverOf(s, inst.uuid);
      if (existing?.migratedFrom?.migrationId === token.id) return; // already finished (a retry)
      let leftover: FakeServer['resizeLeftover'] = null;
      if (existing) {
        if (!sameHost || existing.migration?.id !== token.id) this.absent(s, inst.uuid);
        leftover = { flavor: existing.flavor, imageId: existing.imageId };
      }
      const rec = this.newRecord(inst, now);
      if (existing) {
        // Same host: same instance directory, same console log, same domain age.
        rec.console = existing.console;
        rec.createdAt = existing.createdAt;
      }
      rec.migratedFrom = { host: token.sourceHost, migrationId: token.id };
      rec.resizeLeftover = leftover;
      if (opts.powerOn) this.boot(rec, now);
      else rec.powerState = PowerState.SHUTDOWN;
      s.instances[inst.uuid] = rec;
    });
  }

  async cleanupMigrationSource(inst: InstanceSpec): Promise<void> {
    const rec = await this.store.read(this.name, (s) => serverOf(s, inst.uuid));
    if (!rec || (!rec.migration && !rec.resizeLeftover)) return; // nothing left (or already cleaned up)
    await this.store.update(this.name, (s) => {
      const r = serverOf(s, inst.uuid);
      if (r?.resizeLeftover) r.resizeLeftover = null; // same-host resize: the server stays, its old disks go
      else if (r?.migration) delete s.instances[inst.uuid];
    });
  }

  /**
   * Not part of ComputeDriver (see the report on driver.ts): the source side of a reverted
   * resize or migration — the server is started again from the disks the source kept, with its
   * old flavor. For a same-host resize this is the only correct revert (destroying "the
   * destination" would destroy the server itself).
   */
  async finishRevertMigration(inst: InstanceSpec, opts: { powerOn: boolean }): Promise<void> {
    await this.act('migrate', inst.uuid, (rec, now) => {
      if (rec.resizeLeftover) {
        rec.flavor = rec.resizeLeftover.flavor;
        rec.imageId = rec.resizeLeftover.imageId;
        rec.resizeLeftover = null;
        rec.migratedFrom = null;
        T.guestEvent(rec, 'shutdown'); // the resized domain goes; the old one is defined again, off
      } else if (rec.migration) {
        rec.migration = null;
      } else {
        T.refuse(rec, this.name, 'revert a migration of', 'a migration in progress');
      }
      if (opts.powerOn) this.boot(rec, now);
    });
  }

  async liveMigrate(inst: InstanceSpec, dest: HostTarget): Promise<void> {
    if (dest.name === this.name) {
      throw new HostError(`Cannot live-migrate ${inst.uuid} from fake host ${this.name} to itself.`, { code: 'FAKE_SAME_HOST', hint: 'Choose another destination host.' });
    }
    await this.delay('live_migrate');
    this.injected('live_migrate');
    this.injected('live_migrate', parseKnobs(dest), dest.name); // the destination may refuse incoming guests
    const rec = await this.store.read(this.name, (s) => this.need(s, inst.uuid));
    if (rec.spawning || rec.rescued || rec.migration || (rec.powerState !== PowerState.RUNNING && rec.powerState !== PowerState.PAUSED)) {
      T.refuse(rec, this.name, 'live-migrate', 'Running or Paused, out of rescue mode and not being cold-migrated');
    }
    // Destination first, then the source: a crash in between leaves the server on both hosts
    // (as a real live migration that died at the end does), never on neither.
    const copy = structuredClone(rec);
    await this.store.update(dest.name, (s) => {
      this.absent(s, inst.uuid, dest.name);
      copy.migratedFrom = { host: this.name, migrationId: null };
      copy.resizeLeftover = null;
      copy.updatedAt = new Date(this.now()).toISOString();
      s.instances[inst.uuid] = copy;
    });
    await this.store.update(this.name, (s) => {
      delete s.instances[inst.uuid];
    });
  }

  async postLiveMigrationAtDestination(inst: InstanceSpec): Promise<void> {
    await this.store.read(this.name, (s) => this.need(s, inst.uuid));
  }

  async getInfo(inst: InstanceSpec): Promise<InstanceInfo> {
    this.injected('get_info');
    return this.store.read(this.name, (s) => {
      const rec = this.need(s, inst.uuid);
      return { powerState: rec.powerState, memoryMb: rec.flavor.memoryMb, vcpus: rec.flavor.vcpus, cpuTimeNs: T.cpuTimeNs(rec, this.now()) };
    });
  }

  async listInstances(): Promise<string[]> {
    this.injected('list_instances');
    return this.store.read(this.name, (s) => Object.keys(s.instances));
  }

  async getConsoleOutput(inst: InstanceSpec): Promise<string> {
    await this.delay('console');
    this.injected('console');
    return this.store.read(this.name, (s) => {
      const lines = this.need(s, inst.uuid).console;
      return lines.length ? `${lines.join('\n')}\n` : '';
    });
  }

  async getAvailableResource(): Promise<HostResources> {
    this.injected('get_available_resource');
    return {
      vcpus: this.knobs.vcpus, memoryMb: this.knobs.memoryMb, localGb: this.knobs.localGb, hypervisorType: 'fake', hypervisorVersion: 1000,
      cpuInfo: { arch: 'x86_64', model: 'fake', vendor: 'novalite', features: [] },
    };
  }

  /**
   * Not part of ComputeDriver: something happens on the host behind novalite's back, for tests
   * of power-state sync and orphan detection — the guest crashes, shuts itself down, or the
   * domain vanishes (someone ran `virsh undefine`).
   */
  async simulate(uuid: string, event: 'crash' | 'shutdown' | 'vanish'): Promise<void> {
    await this.store.update(this.name, (s) => {
      const rec = this.need(s, uuid);
      if (event === 'vanish') delete s.instances[uuid];
      else T.guestEvent(rec, event);
    });
  }

  /** A copy of the host's record of `uuid` (tests, debugging), or null. */
  async record(uuid: string): Promise<FakeServer | null> {
    return this.store.read(this.name, (s) => {
      const rec = serverOf(s, uuid);
      return rec ? structuredClone(rec) : null;
    });
  }
}
