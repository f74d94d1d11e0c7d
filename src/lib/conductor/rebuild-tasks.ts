/**
 * Rebuild, rescue, shelve/unshelve and soft-delete/restore as durable tasks. A driver failure
 * leaves the server in a definite state: a rebuild whose spawn fails goes to ERROR (keeping its
 * host and claim, so it can be rebuilt again or deleted); every other action keeps (or returns to)
 * the state it started from, with a fault, and the error propagates. Every step is idempotent
 * (destroy, power off/on, release), so recovery of a task whose process died finishes the work
 * where that is safe and rolls it back otherwise — and only while the server still carries the
 * task_state this task set (a `reset-state` in between wins).
 */
import { withEvent } from './events';
import type { Clock } from '../clock';
import { isoTime } from '../clock';
import { instanceSpec, type Compute } from '../compute/compute';
import type { Config } from '../config';
import type { ServerPatch } from '../db/repos/instances';
import type { Stores } from '../db/stores';
import { HostError, isNovaliteError, NovaliteError } from '../errors';
import type { CellMapping } from '../model/cells';
import type { ComputeHost, Flavor, ServerGroup } from '../model/compute';
import type { Server } from '../model/servers';
import { PowerState, TaskState, VmState } from '../model/states';
import type { ComputeDriver, ImageRef } from '../../virt/driver';
import type { ImageSource, PlacementResult, Placer } from './deps';
import type { TaskHandle, TaskRunner } from './runner';
import type { ServerTasks } from './server-tasks';

export interface RebuildDeps {
  stores: Stores;
  clock: Clock;
  config: Config;
  compute: Compute;
  runner: TaskRunner;
  placer: Placer;
  images: ImageSource;
  hosts: { find(name: string): Promise<ComputeHost | null> };
  /** Faults in the same format as the other tasks. */
  tasks: Pick<ServerTasks, 'fault'>;
}

export interface UnshelveRequest { availabilityZone: string | null; group: ServerGroup | null; host?: string }

type Payload = { actionId?: number; origVmState?: string; offload?: boolean; rescueImage?: string | null };

/** The flavor a server was built with, as the scheduler wants it (the flavor itself may be gone). */
function flavorOf(s: Server): Flavor {
  return { ...s.flavor, rxtxFactor: 1, isPublic: true, disabled: false, description: null, projects: [], createdAt: s.createdAt };
}

const notOnHost = (e: unknown) => isNovaliteError(e) && e.code === 'INSTANCE_NOT_FOUND_ON_HOST';

/** vm_state that matches what the hypervisor reports (after an interrupted action). */
function vmFor(power: number): string {
  if (power === PowerState.RUNNING) return VmState.ACTIVE;
  if (power === PowerState.PAUSED) return VmState.PAUSED;
  if (power === PowerState.SUSPENDED) return VmState.SUSPENDED;
  return VmState.STOPPED;
}

export class RebuildTasks {
  constructor(private readonly d: RebuildDeps) {}

  private now(): string { return isoTime(this.d.clock.now()); }
  private repos(cell: CellMapping) { return this.d.stores.cell(cell); }
  private async load(cell: CellMapping, uuid: string | null): Promise<Server | null> { return uuid ? (await this.repos(cell)).instances.get(uuid) : null; }
  private call<T>(h: ComputeHost, op: string, fn: (drv: ComputeDriver) => Promise<T>): Promise<T> { return this.d.compute.call(h, op, fn); }
  private image(id: string | null): Promise<ImageRef | null> { return this.d.images.refFor(id); }

  private event<T>(cell: CellMapping, actionId: number, event: string, host: string | null, fn: () => Promise<T>): Promise<T> {
    return withEvent(this.d.stores, this.d.clock, cell, actionId, event, host, fn);
  }

  private async hostOf(s: Server): Promise<ComputeHost> {
    const h = s.host ? await this.d.hosts.find(s.host) : null;
    if (!h) throw new HostError(`Server ${s.uuid} has no usable host${s.host ? ` (host ${s.host} is not registered)` : ''}.`, { code: 'NO_USABLE_HOST' });
    return h;
  }

  /** Ends the action: the patch (task_state cleared) and the action closed; returns the server. */
  private async done(cell: CellMapping, uuid: string, patch: ServerPatch, actionId: number, message?: string): Promise<Server> {
    const r = await this.repos(cell);
    const now = this.now();
    await r.instances.update(uuid, { taskState: null, ...patch }, now);
    if (actionId) await r.actions.finish(actionId, now, message);
    return (await r.instances.get(uuid))!;
  }

  /** A step failed and the server keeps (or returns to) a state it can be used from: fault, task cleared, error re-thrown. */
  private async abort(cell: CellMapping, s: Server, e: unknown, actionId: number, patch: ServerPatch = {}): Promise<never> {
    await this.d.tasks.fault(cell, s.uuid, e, s.host);
    await this.done(cell, s.uuid, patch, actionId, (e as Error).message);
    throw e;
  }

  private run<T>(cell: CellMapping, kind: string, s: Server, payload: Payload, fn: (t: TaskHandle) => Promise<T>): Promise<T> {
    return this.d.runner.run(cell, { kind, instanceUuid: s.uuid, payload }, fn);
  }

  private interrupted(what: string, detail: string): NovaliteError {
    return new NovaliteError(`${what.toUpperCase()}_INTERRUPTED`, 'host', `The ${what} was interrupted: the novalite process running it stopped; ${detail}`);
  }

  // ---- rebuild -------------------------------------------------------------------------------

  /** Destroys the server on its host and spawns it again from its (new) image; ACTIVE, or ERROR with a fault. */
  rebuild(cell: CellMapping, s: Server, actionId: number, origVmState: string): Promise<Server> {
    return this.run(cell, 'rebuild', s, { actionId, origVmState }, (t) => this.doRebuild(t, s, actionId, origVmState));
  }

  private async doRebuild(t: TaskHandle, s: Server, actionId: number, origVmState: string): Promise<Server> {
    const r = await this.repos(t.cell);
    let host: ComputeHost | null = null;
    try {
      host = await this.hostOf(s);
      const h = host;
      const image = await this.image(s.imageRef);
      await this.event(t.cell, actionId, 'compute_rebuild_instance', h.host, async () => {
        await t.step('destroying');
        await this.call(h, 'destroy', (drv) => drv.destroy(instanceSpec(s, null), { destroyDisks: true }));
        await r.instances.update(s.uuid, { taskState: TaskState.REBUILD_SPAWNING, powerState: PowerState.NOSTATE }, this.now());
        await t.step('spawning');
        await this.call(h, 'spawn', (drv) => drv.spawn(instanceSpec(s, image)));
      });
    } catch (e) {
      const h = host;
      if (h) await this.call(h, 'destroy', (drv) => drv.destroy(instanceSpec(s, null), { destroyDisks: true })).catch(() => undefined);
      await this.d.tasks.fault(t.cell, s.uuid, e, s.host);
      return this.done(t.cell, s.uuid, { vmState: VmState.ERROR, powerState: PowerState.NOSTATE }, actionId, (e as Error).message);
    }
    const now = this.now();
    const patch: ServerPatch = { vmState: VmState.ACTIVE, powerState: PowerState.RUNNING, launchedAt: now, progress: 100 };
    if (origVmState === VmState.STOPPED) {
      // As Nova does: a server that was stopped is stopped again once rebuilt. Should that fail
      // it stays ACTIVE, which is a true and usable state.
      const h = host!;
      if (await this.call(h, 'power_off', (drv) => drv.powerOff(instanceSpec(s, null))).then(() => true, () => false)) {
        Object.assign(patch, { vmState: VmState.STOPPED, powerState: PowerState.SHUTDOWN });
      }
    }
    return this.done(t.cell, s.uuid, patch, actionId);
  }

  /** A rebuild is destructive by request, so an interrupted one is simply run again (destroy + spawn). */
  async recoverRebuild(t: TaskHandle): Promise<void> {
    const s = await this.load(t.cell, t.task.instanceUuid);
    if (!s || (s.taskState !== TaskState.REBUILDING && s.taskState !== TaskState.REBUILD_SPAWNING)) return;
    const p = t.task.payload as Payload;
    await this.doRebuild(t, s, Number(p.actionId ?? 0), p.origVmState ?? VmState.ACTIVE);
  }

  // ---- rescue / unrescue ---------------------------------------------------------------------

  rescue(cell: CellMapping, s: Server, actionId: number, rescueImage: string | null): Promise<Server> {
    return this.run(cell, 'rescue', s, { actionId, rescueImage }, async () => {
      const host = await this.hostOf(s).catch((e) => this.abort(cell, s, e, actionId));
      const own = await this.image(s.imageRef);
      const rescue = rescueImage ? await this.image(rescueImage) : own;
      try {
        await this.event(cell, actionId, 'compute_rescue_instance', host.host, () => this.call(host, 'rescue', (drv) => drv.rescue(instanceSpec(s, own), rescue)));
      } catch (e) {
        return this.abort(cell, s, e, actionId);
      }
      return this.done(cell, s.uuid, { vmState: VmState.RESCUED, powerState: PowerState.RUNNING }, actionId);
    });
  }

  unrescue(cell: CellMapping, s: Server, actionId: number): Promise<Server> {
    return this.run(cell, 'rescue', s, { actionId }, async () => {
      const host = await this.hostOf(s).catch((e) => this.abort(cell, s, e, actionId));
      try {
        await this.event(cell, actionId, 'compute_unrescue_instance', host.host, () => this.call(host, 'unrescue', (drv) => drv.unrescue(instanceSpec(s, null))));
      } catch (e) {
        return this.abort(cell, s, e, actionId);
      }
      return this.done(cell, s.uuid, { vmState: VmState.ACTIVE, powerState: PowerState.RUNNING }, actionId);
    });
  }

  /**
   * The power state says nothing about rescue mode, so an interrupted rescue or unrescue is
   * rolled out of rescue mode (an unrescue that fails means there was none) and the vm_state
   * taken from the host's power state; no answer from the host is ERROR with a fault.
   */
  async recoverRescue(t: TaskHandle): Promise<void> {
    const s = await this.load(t.cell, t.task.instanceUuid);
    if (!s || (s.taskState !== TaskState.RESCUING && s.taskState !== TaskState.UNRESCUING)) return;
    const actionId = Number((t.task.payload as Payload).actionId ?? 0);
    const host = s.host ? await this.d.hosts.find(s.host) : null;
    const spec = instanceSpec(s, null);
    if (host) await this.call(host, 'unrescue', (drv) => drv.unrescue(spec)).catch(() => undefined);
    const info = host ? await this.call(host, 'get_info', (drv) => drv.getInfo(spec)).catch(() => null) : null;
    const what = s.taskState === TaskState.RESCUING ? 'rescue' : 'unrescue';
    if (!info) {
      const e = this.interrupted(what, 'the server\'s host did not report it afterwards.');
      await this.d.tasks.fault(t.cell, s.uuid, e, s.host);
      await this.done(t.cell, s.uuid, { vmState: VmState.ERROR, powerState: PowerState.NOSTATE }, actionId, e.message);
      return;
    }
    await this.done(t.cell, s.uuid, { vmState: vmFor(info.powerState), powerState: info.powerState }, actionId, `${what} interrupted; the server was taken out of rescue mode`);
  }

  // ---- shelve / shelve-offload / unshelve ----------------------------------------------------

  /** Powers the server off on its host (the claim stays): SHELVED; with `offload`, offloaded at once. */
  shelve(cell: CellMapping, s: Server, actionId: number, offload: boolean): Promise<Server> {
    return this.run(cell, 'shelve', s, { actionId, offload, origVmState: s.vmState }, (t) => this.doShelve(t, s, actionId, offload));
  }

  private async doShelve(t: TaskHandle, s: Server, actionId: number, offload: boolean): Promise<Server> {
    const host = await this.hostOf(s).catch((e) => this.abort(t.cell, s, e, actionId));
    try {
      await this.event(t.cell, actionId, 'compute_shelve_instance', host.host, () => this.call(host, 'power_off', (drv) => drv.powerOff(instanceSpec(s, null))));
    } catch (e) {
      return this.abort(t.cell, s, e, actionId);
    }
    const r = await this.repos(t.cell);
    const now = this.now();
    await r.instances.setMetadata(s.uuid, { shelved_at: now, shelved_host: host.host }, now, true);
    if (!offload) return this.done(t.cell, s.uuid, { vmState: VmState.SHELVED, powerState: PowerState.SHUTDOWN }, actionId);
    await r.instances.update(s.uuid, { vmState: VmState.SHELVED, powerState: PowerState.SHUTDOWN, taskState: TaskState.SHELVING_OFFLOADING }, now);
    await t.step('offloading');
    return this.doOffload(t.cell, { ...s, vmState: VmState.SHELVED, taskState: TaskState.SHELVING_OFFLOADING }, actionId);
  }

  /** Destroys the shelved server on its host and frees the claim: SHELVED_OFFLOADED, no host. */
  offload(cell: CellMapping, s: Server, actionId: number): Promise<Server> {
    return this.run(cell, 'shelve', s, { actionId, offload: true }, () => this.doOffload(cell, s, actionId));
  }

  private async doOffload(cell: CellMapping, s: Server, actionId: number): Promise<Server> {
    const host = s.host ? await this.d.hosts.find(s.host) : null;
    if (host) {
      try {
        await this.event(cell, actionId, 'compute_shelve_offload_instance', host.host,
          () => this.call(host, 'destroy', (drv) => drv.destroy(instanceSpec(s, null), { destroyDisks: true })));
      } catch (e) {
        return this.abort(cell, s, e, actionId, { vmState: VmState.SHELVED });
      }
    }
    // Release before the row says "no host": a crash in between is finished by recovery.
    await this.d.placer.release({ consumerUuid: s.uuid, cellUuid: cell.uuid });
    const r = await this.repos(cell);
    await r.instances.setMetadata(s.uuid, { shelved_host: null }, this.now(), true);
    return this.done(cell, s.uuid, { vmState: VmState.SHELVED_OFFLOADED, powerState: PowerState.NOSTATE, host: null, node: null }, actionId);
  }

  /** Shelving is finished (power off again, then offload when asked); offloading is finished. */
  async recoverShelve(t: TaskHandle): Promise<void> {
    const s = await this.load(t.cell, t.task.instanceUuid);
    if (!s) return;
    const p = t.task.payload as Payload;
    const actionId = Number(p.actionId ?? 0);
    if (s.taskState === TaskState.SHELVING) await this.doShelve(t, s, actionId, !!p.offload);
    else if (s.taskState === TaskState.SHELVING_OFFLOADING) await this.doOffload(t.cell, s, actionId);
  }

  /** SHELVED: powered on where it is. SHELVED_OFFLOADED: scheduled and claimed anew, then spawned. */
  unshelve(cell: CellMapping, s: Server, actionId: number, req: UnshelveRequest): Promise<Server> {
    return this.run(cell, 'unshelve', s, { actionId }, (t) => this.doUnshelve(t, s, actionId, req));
  }

  private async doUnshelve(t: TaskHandle, s: Server, actionId: number, req: UnshelveRequest): Promise<Server> {
    const r = await this.repos(t.cell);
    const clear = { shelved_at: null, shelved_host: null };
    if (s.vmState === VmState.SHELVED) {
      const host = await this.hostOf(s).catch((e) => this.abort(t.cell, s, e, actionId));
      await r.instances.update(s.uuid, { taskState: TaskState.POWERING_ON }, this.now());
      try {
        await this.event(t.cell, actionId, 'compute_unshelve_instance', host.host, () => this.call(host, 'power_on', (drv) => drv.powerOn(instanceSpec(s, null))));
      } catch (e) {
        return this.abort(t.cell, s, e, actionId);
      }
      await r.instances.setMetadata(s.uuid, clear, this.now(), true);
      return this.done(t.cell, s.uuid, { vmState: VmState.ACTIVE, powerState: PowerState.RUNNING }, actionId);
    }
    const image = await this.image(s.imageRef);
    let p: PlacementResult;
    try {
      p = (await this.event(t.cell, actionId, 'schedule_instances', null, () => this.d.placer.placeAndClaim({
        flavor: flavorOf(s), image: image ? { id: image.id, properties: image.properties } : null, availabilityZone: req.availabilityZone,
        group: req.group, projectId: s.projectId, userId: s.userId ?? '', cellUuid: t.cell.uuid, host: req.host,
      }, [s.uuid])))[0];
    } catch (e) {
      return this.abort(t.cell, s, e, actionId);
    }
    const placed: Server = { ...s, host: p.host, node: p.nodename, availabilityZone: p.availabilityZone ?? s.availabilityZone, taskState: TaskState.SPAWNING };
    await r.instances.update(s.uuid, { host: placed.host, node: placed.node, availabilityZone: placed.availabilityZone, taskState: TaskState.SPAWNING }, this.now());
    await t.step('spawning', { actionId, host: p.host });
    try {
      const host = await this.hostOf(placed);
      await this.event(t.cell, actionId, 'compute_unshelve_instance', host.host, () => this.call(host, 'spawn', (drv) => drv.spawn(instanceSpec(placed, image))));
    } catch (e) {
      await this.undoPlacement(t.cell, placed);
      return this.abort(t.cell, placed, e, actionId, { host: null, node: null, availabilityZone: s.availabilityZone });
    }
    await r.instances.setMetadata(s.uuid, clear, this.now(), true);
    return this.done(t.cell, s.uuid, { vmState: VmState.ACTIVE, powerState: PowerState.RUNNING, launchedAt: this.now() }, actionId);
  }

  private async undoPlacement(cell: CellMapping, s: Server): Promise<void> {
    const host = s.host ? await this.d.hosts.find(s.host) : null;
    if (host) await this.call(host, 'destroy', (drv) => drv.destroy(instanceSpec(s, null), { destroyDisks: true })).catch(() => undefined);
    await this.d.placer.release({ consumerUuid: s.uuid, cellUuid: cell.uuid });
  }

  /**
   * A spawn or power-on that completed is kept (the host runs the server); otherwise a shelved
   * server stays SHELVED, and an offloaded one is cleaned off its new host, its claim freed and
   * left SHELVED_OFFLOADED, with a fault either way.
   */
  async recoverUnshelve(t: TaskHandle): Promise<void> {
    const s = await this.load(t.cell, t.task.instanceUuid);
    const states: Array<string | null> = [TaskState.UNSHELVING, TaskState.POWERING_ON, TaskState.SPAWNING];
    if (!s || !states.includes(s.taskState)) return;
    const actionId = Number((t.task.payload as Payload).actionId ?? 0);
    const host = s.host ? await this.d.hosts.find(s.host) : null;
    const info = host ? await this.call(host, 'get_info', (drv) => drv.getInfo(instanceSpec(s, null))).catch(() => null) : null;
    const r = await this.repos(t.cell);
    if (info?.powerState === PowerState.RUNNING) {
      await r.instances.setMetadata(s.uuid, { shelved_at: null, shelved_host: null }, this.now(), true);
      await this.done(t.cell, s.uuid, { vmState: VmState.ACTIVE, powerState: PowerState.RUNNING }, actionId);
      return;
    }
    const e = this.interrupted('unshelve', 'the server was not running on a host afterwards and stays shelved; unshelve it again.');
    await this.d.tasks.fault(t.cell, s.uuid, e, s.host);
    if (s.vmState === VmState.SHELVED) {
      await this.done(t.cell, s.uuid, { powerState: info?.powerState ?? PowerState.NOSTATE }, actionId, e.message);
      return;
    }
    await this.undoPlacement(t.cell, s);
    await this.done(t.cell, s.uuid, { vmState: VmState.SHELVED_OFFLOADED, powerState: PowerState.NOSTATE, host: null, node: null }, actionId, e.message);
  }

  // ---- soft delete / restore -----------------------------------------------------------------

  /** Powers the server off and keeps it (domain, claim, quota): SOFT_DELETED until restored or reclaimed. */
  softDelete(cell: CellMapping, s: Server, actionId: number): Promise<Server> {
    return this.run(cell, 'soft_delete', s, { actionId }, () => this.doSoftDelete(cell, s, actionId));
  }

  private async doSoftDelete(cell: CellMapping, s: Server, actionId: number): Promise<Server> {
    const host = await this.hostOf(s).catch((e) => this.abort(cell, s, e, actionId));
    const spec = instanceSpec(s, null);
    let power: number = PowerState.SHUTDOWN;
    try {
      await this.event(cell, actionId, 'compute_soft_delete_instance', host.host, async () => {
        // A rescue domain is not the server's own: leave rescue mode so restore starts the server.
        if (s.vmState === VmState.RESCUED) await this.call(host, 'unrescue', (drv) => drv.unrescue(spec)).catch(() => undefined);
        await this.call(host, 'power_off', (drv) => drv.powerOff(spec));
      });
    } catch (e) {
      if (!notOnHost(e)) return this.abort(cell, s, e, actionId);
      power = PowerState.NOSTATE; // nothing left on the host to keep
    }
    const now = this.now();
    await (await this.repos(cell)).instances.setMetadata(s.uuid, { soft_deleted_at: now }, now, true);
    return this.done(cell, s.uuid, { vmState: VmState.SOFT_DELETED, powerState: power }, actionId);
  }

  async recoverSoftDelete(t: TaskHandle): Promise<void> {
    const s = await this.load(t.cell, t.task.instanceUuid);
    if (s?.taskState !== TaskState.SOFT_DELETING) return;
    await this.doSoftDelete(t.cell, s, Number((t.task.payload as Payload).actionId ?? 0));
  }

  /** Powers a soft-deleted server on again: ACTIVE. A failure leaves it SOFT_DELETED with a fault. */
  restore(cell: CellMapping, s: Server, actionId: number): Promise<Server> {
    return this.run(cell, 'restore', s, { actionId }, () => this.doRestore(cell, s, actionId));
  }

  private async doRestore(cell: CellMapping, s: Server, actionId: number): Promise<Server> {
    const host = await this.hostOf(s).catch((e) => this.abort(cell, s, e, actionId));
    try {
      await this.event(cell, actionId, 'compute_restore_instance', host.host, () => this.call(host, 'power_on', (drv) => drv.powerOn(instanceSpec(s, null))));
    } catch (e) {
      return this.abort(cell, s, e, actionId);
    }
    const now = this.now();
    await (await this.repos(cell)).instances.setMetadata(s.uuid, { soft_deleted_at: null, shelved_at: null, shelved_host: null }, now, true);
    return this.done(cell, s.uuid, { vmState: VmState.ACTIVE, powerState: PowerState.RUNNING }, actionId);
  }

  async recoverRestore(t: TaskHandle): Promise<void> {
    const s = await this.load(t.cell, t.task.instanceUuid);
    if (s?.taskState !== TaskState.RESTORING) return;
    await this.doRestore(t.cell, s, Number((t.task.payload as Payload).actionId ?? 0));
  }
}
