/**
 * Rebuild, rescue/unrescue, shelve/shelve-offload/unshelve, reset-state, and soft delete with
 * restore and reclaim. Each action checks Nova's preconditions (ALLOW in model/states.ts) and the
 * lock, takes the server with a compare-and-swap on task_state, records an instance action and
 * runs as a durable task (conductor/rebuild-tasks.ts). Quota stays consumed while a server is
 * shelved, offloaded or soft-deleted, as Nova counts it; only a real delete frees it.
 */
import { randomUUID } from 'node:crypto';
import { isoTime } from '../clock';
import { RebuildTasks } from '../conductor/rebuild-tasks';
import type { Recover } from '../conductor/runner';
import { ConflictError, InvalidInputError, InvalidStateError, NotSupportedError } from '../errors';
import { CellMapping, isCell0 } from '../model/cells';
import type { Image } from '../model/images';
import type { Server } from '../model/servers';
import { ALLOW, TaskState, VmState } from '../model/states';
import { ServerActionsService } from './server-actions';
import type { ServerOpsDeps } from './server-ops-deps';

export class ServerRebuildsService {
  private readonly tasks: RebuildTasks;

  constructor(readonly d: ServerOpsDeps) {
    this.tasks = new RebuildTasks({
      stores: d.stores, clock: d.clock, config: d.config, compute: d.compute, runner: d.runner, placer: d.scheduling, tasks: d.tasks,
      hosts: { find: (name) => d.hosts.find(name) },
      images: { refFor: (id) => d.images.driverRef(id) },
    });
  }

  private now(): string { return isoTime(this.d.clock.now()); }

  /** Recovery for the task kinds this service creates (merged into the Context's recovery). */
  recoverers(): Record<string, Recover> {
    const t = this.tasks;
    return {
      rebuild: (h) => t.recoverRebuild(h), rescue: (h) => t.recoverRescue(h), shelve: (h) => t.recoverShelve(h),
      unshelve: (h) => t.recoverUnshelve(h), soft_delete: (h) => t.recoverSoftDelete(h), restore: (h) => t.recoverRestore(h),
    };
  }

  /** The server, checked for `pre` (Nova's precondition) and the lock, after recovering expired tasks. */
  private async take(ref: string, projectId: string | undefined, pre: string, needsHost = true): Promise<{ s: Server; cell: CellMapping }> {
    await this.d.servers.recover();
    const s = await this.d.servers.get(ref, projectId);
    if (s.locked) {
      throw new ConflictError(`Server ${s.name} is locked${s.systemMetadata.locked_reason ? ` (${s.systemMetadata.locked_reason})` : ''}.`, {
        code: 'SERVER_LOCKED', hint: `Run \`novalite server unlock ${s.uuid}\` first.`,
      });
    }
    ServerActionsService.assertAllowed(pre, s);
    if (needsHost && (!s.host || isCell0({ uuid: s.cellUuid }))) {
      throw new InvalidStateError(`Cannot ${pre.replace(/_/g, ' ')} server ${s.name}: it has no host (it was never placed, or its build failed).`, {
        hint: `Delete it (\`novalite server delete ${s.uuid}\`) and create it again.`, details: { vm_state: s.vmState, task_state: s.taskState, host: null },
      });
    }
    return { s, cell: await this.d.servers.cellOf(s) };
  }

  /** Moves task_state from idle to `task` (compare-and-swap) and starts the instance action. */
  private async begin(s: Server, cell: CellMapping, pre: string, task: string, action: string, userId: string | null): Promise<number> {
    const r = await this.d.stores.cell(cell);
    if (!(await r.instances.update(s.uuid, { taskState: task }, this.now(), ALLOW[pre].task ?? [null]))) {
      const now = await r.instances.get(s.uuid);
      throw new InvalidStateError(`Server ${s.name} changed state (task_state ${now?.taskState ?? 'none'}) before ${action} could start.`);
    }
    return r.actions.start({ instanceUuid: s.uuid, action, requestId: `req-${randomUUID()}`, userId, projectId: s.projectId }, this.now());
  }

  /** An image the server may boot: active, and fitting the server's flavor (as create checks). */
  private async usableImage(ref: string, s: Server): Promise<Image> {
    const image = await this.d.images.get(ref, s.projectId);
    if (image.status !== 'active') throw new ConflictError(`Image ${image.id} is ${image.status}, not active.`, { code: 'IMAGE_NOT_ACTIVE' });
    const f = s.flavor;
    if (image.minRam > f.memoryMb) throw new InvalidInputError(`Flavor ${f.name} has ${f.memoryMb} MB RAM; image ${image.name} needs at least ${image.minRam} MB.`, { code: 'FLAVOR_MEMORY_TOO_SMALL' });
    if (f.rootGb > 0 && image.minDisk > f.rootGb) throw new InvalidInputError(`Flavor ${f.name} has a ${f.rootGb} GB disk; image ${image.name} needs at least ${image.minDisk} GB.`, { code: 'FLAVOR_DISK_TOO_SMALL' });
    return image;
  }

  /** Destroys the server and spawns it again on the same host from `image` (default: its own). */
  async rebuild(ref: string, projectId: string | undefined, userId: string, opts: { image?: string } = {}): Promise<Server> {
    const { s, cell } = await this.take(ref, projectId, 'rebuild');
    let image: Image | null = null;
    if (opts.image) image = await this.usableImage(opts.image, s);
    else if (s.imageRef) {
      image = await this.usableImage(s.imageRef, s).catch((e) => {
        throw Object.assign(e, { hint: `The server's image ${s.imageRef} cannot be used any more; pass --image.` });
      });
    }
    const actionId = await this.begin(s, cell, 'rebuild', TaskState.REBUILDING, 'rebuild', userId);
    const r = await this.d.stores.cell(cell);
    // As Nova's API does: the server carries the new image (and its properties) from now on.
    const sys: Record<string, string | null> = Object.fromEntries(Object.keys(s.systemMetadata).filter((k) => k.startsWith('image_')).map((k) => [k, null]));
    for (const [k, v] of Object.entries(image?.properties ?? {})) sys[`image_${k}`] = String(v);
    await r.instances.update(s.uuid, { imageRef: image?.id ?? null }, this.now());
    await r.instances.setMetadata(s.uuid, sys, this.now(), true);
    return this.tasks.rebuild(cell, (await r.instances.get(s.uuid))!, actionId, s.vmState);
  }

  /** Boots the server from a rescue image (default: its own image) with its disk attached: RESCUE. */
  async rescue(ref: string, projectId: string | undefined, userId: string, opts: { image?: string } = {}): Promise<Server> {
    const { s, cell } = await this.take(ref, projectId, 'rescue');
    const host = await this.d.hosts.find(s.host!);
    if (host && !this.d.compute.driver(host).capabilities.rescue) throw new NotSupportedError(`The driver of host ${s.host} cannot rescue servers.`);
    const image = opts.image ? await this.usableImage(opts.image, s) : null;
    const actionId = await this.begin(s, cell, 'rescue', TaskState.RESCUING, 'rescue', userId);
    return this.tasks.rescue(cell, { ...s, taskState: TaskState.RESCUING }, actionId, image?.id ?? null);
  }

  async unrescue(ref: string, projectId: string | undefined, userId: string): Promise<Server> {
    const { s, cell } = await this.take(ref, projectId, 'unrescue');
    const actionId = await this.begin(s, cell, 'unrescue', TaskState.UNRESCUING, 'unrescue', userId);
    return this.tasks.unrescue(cell, { ...s, taskState: TaskState.UNRESCUING }, actionId);
  }

  /** Powers the server off and keeps its host: SHELVED; offloaded at once when [DEFAULT] shelved_offload_time is 0. */
  async shelve(ref: string, projectId: string | undefined, userId: string): Promise<Server> {
    const { s, cell } = await this.take(ref, projectId, 'shelve');
    const offload = this.d.config.get<number>('DEFAULT', 'shelved_offload_time') === 0;
    const actionId = await this.begin(s, cell, 'shelve', TaskState.SHELVING, 'shelve', userId);
    return this.tasks.shelve(cell, { ...s, taskState: TaskState.SHELVING }, actionId, offload);
  }

  /** Removes a shelved server from its host and frees its claim: SHELVED_OFFLOADED. */
  async shelveOffload(ref: string, projectId: string | undefined, userId: string): Promise<Server> {
    const { s, cell } = await this.take(ref, projectId, 'shelve_offload', false);
    const actionId = await this.begin(s, cell, 'shelve_offload', TaskState.SHELVING_OFFLOADING, 'shelveOffload', userId);
    return this.tasks.offload(cell, { ...s, taskState: TaskState.SHELVING_OFFLOADING }, actionId);
  }

  /**
   * A shelved server is powered on where it is; an offloaded one is scheduled anew — into
   * `availabilityZone` when given (only for an offloaded server, as Nova's 2.77), else into the
   * zone it was in unless that is the default zone, and within its server group's policy.
   */
  async unshelve(ref: string, projectId: string | undefined, userId: string, opts: { availabilityZone?: string; host?: string } = {}): Promise<Server> {
    const { s, cell } = await this.take(ref, projectId, 'unshelve', false);
    const offloaded = s.vmState === VmState.SHELVED_OFFLOADED;
    if (opts.host !== undefined && !offloaded) {
      throw new InvalidStateError(`A host can only be given to unshelve a SHELVED_OFFLOADED server; ${s.name} is SHELVED and keeps its host.`, {
        details: { vm_state: s.vmState, task_state: s.taskState, needs: [VmState.SHELVED_OFFLOADED] },
      });
    }
    if (opts.host !== undefined && !(await this.d.hosts.find(opts.host))) throw new InvalidInputError(`Compute host ${opts.host} could not be found.`, { code: 'HOST_NOT_FOUND', hint: 'Run `novalite host list`.' });
    if (opts.availabilityZone !== undefined && !offloaded) {
      throw new InvalidStateError(`An availability zone can only be given to unshelve a SHELVED_OFFLOADED server; ${s.name} is SHELVED and keeps its host.`, {
        details: { vm_state: s.vmState, task_state: s.taskState, needs: [VmState.SHELVED_OFFLOADED] },
      });
    }
    if (!offloaded && !s.host) throw new InvalidStateError(`Server ${s.name} is shelved but has no host.`, { hint: `Run \`novalite server shelve-offload ${s.uuid}\`, then unshelve it.` });
    const dflt = this.d.config.get<string>('DEFAULT', 'default_availability_zone');
    const az = opts.availabilityZone ?? (s.availabilityZone && s.availabilityZone !== dflt ? s.availabilityZone : null);
    const group = offloaded ? (await (await this.d.stores.api()).serverGroups.list(s.projectId)).find((g) => g.members.includes(s.uuid)) ?? null : null;
    const actionId = await this.begin(s, cell, 'unshelve', TaskState.UNSHELVING, 'unshelve', userId);
    return this.tasks.unshelve(cell, { ...s, taskState: TaskState.UNSHELVING }, actionId, { availabilityZone: az, group, host: opts.host });
  }

  /**
   * Admin: vm_state error (or active with `active`), task_state cleared — the way out of a state
   * a failed or abandoned action left behind. Ignores the lock and the preconditions, as Nova's
   * os-resetState; a recovery that runs later leaves the server alone (its task state is gone).
   */
  async resetState(ref: string, projectId: string | undefined, opts: { active?: boolean } = {}): Promise<Server> {
    await this.d.servers.recover();
    const s = await this.d.servers.get(ref, projectId);
    const r = await this.d.stores.cell(await this.d.servers.cellOf(s));
    await r.instances.update(s.uuid, { vmState: opts.active ? VmState.ACTIVE : VmState.ERROR, taskState: null }, this.now());
    return (await r.instances.get(s.uuid))!;
  }

  /** Brings a soft-deleted server back: powered on, ACTIVE. */
  async restore(ref: string, projectId: string | undefined, userId: string): Promise<Server> {
    const { s, cell } = await this.take(ref, projectId, 'restore');
    const actionId = await this.begin(s, cell, 'restore', TaskState.RESTORING, 'restore', userId);
    return this.tasks.restore(cell, { ...s, taskState: TaskState.RESTORING }, actionId);
  }

  /**
   * The soft-delete hook of ServersService.delete (a delete without --force): with
   * [DEFAULT] reclaim_instance_interval > 0, an idle server that has run on a host is powered
   * off and kept — domain, claim, quota — as SOFT_DELETED. Returns null when a real delete
   * applies instead: no interval, a server that never launched or has no host (offloaded), one
   * busy with another task, or one already soft-deleted (deleting it again deletes it).
   */
  async softDelete(s: Server, userId: string): Promise<Server | null> {
    if (!(this.d.config.get<number>('DEFAULT', 'reclaim_instance_interval') > 0)) return null;
    const hard: string[] = [VmState.SOFT_DELETED, VmState.SHELVED_OFFLOADED, VmState.BUILDING, VmState.DELETED];
    if (!s.host || !s.launchedAt || s.taskState !== null || hard.includes(s.vmState) || isCell0({ uuid: s.cellUuid })) return null;
    const cell = await this.d.servers.cellOf(s);
    const r = await this.d.stores.cell(cell);
    if (!(await r.instances.update(s.uuid, { taskState: TaskState.SOFT_DELETING }, this.now(), [null]))) return null;
    const actionId = await r.actions.start({ instanceUuid: s.uuid, action: 'delete', requestId: `req-${randomUUID()}`, userId, projectId: s.projectId }, this.now());
    return this.tasks.softDelete(cell, { ...s, taskState: TaskState.SOFT_DELETING }, actionId);
  }

  /**
   * The lazy periodic work: soft-deleted servers older than reclaim_instance_interval are
   * deleted for real, and shelved servers older than a positive shelved_offload_time are
   * offloaded. Called before commands (with task recovery); costs nothing when both are off.
   * Returns how many servers it handled.
   */
  async reclaim(): Promise<number> {
    const interval = this.d.config.get<number>('DEFAULT', 'reclaim_instance_interval');
    const offloadAfter = this.d.config.get<number>('DEFAULT', 'shelved_offload_time');
    if (interval <= 0 && offloadAfter <= 0) return 0;
    const cells = (await (await this.d.stores.api()).cells.list()).filter((c) => !isCell0(c) && !c.disabled);
    const now = this.d.clock.now().getTime();
    const older = (s: Server, key: string, seconds: number) => now - Date.parse(s.systemMetadata[key] ?? s.updatedAt ?? s.createdAt) >= seconds * 1000;
    let n = 0;
    for (const cell of cells) {
      const r = await this.d.stores.cell(cell);
      if (interval > 0) {
        for (const s of await r.instances.list({ vmStates: [VmState.SOFT_DELETED] })) {
          if (s.taskState === null && older(s, 'soft_deleted_at', interval) && await this.reclaimOne(cell, s)) n++;
        }
      }
      if (offloadAfter > 0) {
        for (const s of await r.instances.list({ vmStates: [VmState.SHELVED] })) {
          if (s.taskState !== null || !older(s, 'shelved_at', offloadAfter)) continue;
          if (!(await r.instances.update(s.uuid, { taskState: TaskState.SHELVING_OFFLOADING }, this.now(), [null]))) continue;
          const actionId = await r.actions.start({ instanceUuid: s.uuid, action: 'shelveOffload', requestId: `req-${randomUUID()}`, userId: s.userId, projectId: s.projectId }, this.now());
          if (await this.tasks.offload(cell, { ...s, taskState: TaskState.SHELVING_OFFLOADING }, actionId).then(() => true, () => false)) n++;
        }
      }
    }
    return n;
  }

  /** Deletes a soft-deleted server for real; a failure leaves it soft-deleted (with a fault) for the next sweep. */
  private async reclaimOne(cell: CellMapping, s: Server): Promise<boolean> {
    const r = await this.d.stores.cell(cell);
    if (!(await r.instances.update(s.uuid, { taskState: TaskState.DELETING }, this.now(), [null]))) return false;
    const actionId = await r.actions.start({ instanceUuid: s.uuid, action: 'delete', requestId: `req-${randomUUID()}`, userId: s.userId, projectId: s.projectId }, this.now());
    try {
      await this.d.tasks.delete(cell, { ...s, taskState: TaskState.DELETING }, actionId);
    } catch (e) {
      await this.d.tasks.fault(cell, s.uuid, e, s.host).catch(() => undefined);
      await r.instances.update(s.uuid, { taskState: null }, this.now(), [TaskState.DELETING]).catch(() => undefined);
      await r.actions.finish(actionId, this.now(), (e as Error).message).catch(() => undefined);
      return false;
    }
    const api = await this.d.stores.api();
    await api.instanceMappings.queueForDelete(s.uuid, this.now());
    await api.serverGroups.removeMember(s.uuid);
    return true;
  }
}
