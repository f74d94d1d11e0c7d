/**
 * Server tasks: build (spawn, rescheduling to another host on failure), delete, and the power
 * actions — each run under the TaskRunner, each leaving the server in a definite state on
 * failure, and each with a recover() for a task whose process died mid-way.
 */
import { withEvent } from './events';
import { instanceSpec } from '../compute/compute';
import { isoTime } from '../clock';
import { HostError, isNovaliteError, NovaliteError } from '../errors';
import { CellMapping } from '../model/cells';
import { Flavor, ServerGroup } from '../model/compute';
import { MigrationStatus } from '../model/migrations';
import { PowerState, TaskState, VmState } from '../model/states';
import { Server } from '../model/servers';
import type { ComputeDriver } from '../../virt/driver';
import { ConductorDeps, PlacementResult } from './deps';
import { TaskHandle } from './runner';

export interface BuildRequest {
  flavor: Flavor;
  image: { id: string; properties: Record<string, string | string[]> } | null;
  availabilityZone: string | null;
  hints: Record<string, string | string[]>;
  group: ServerGroup | null;
  projectId: string;
  userId: string;
  requestId: string;
}

/** What a power action does: the task state while it runs, the driver call, and the result. */
export interface PowerAction {
  action: string;
  taskState: string;
  call: (d: ComputeDriver, inst: ReturnType<typeof instanceSpec>) => Promise<void>;
  vmState: string;
  powerState: number;
}

/** Rejects with a HostError when `p` takes longer than `seconds` (0: no limit). */
function withTimeout<T>(p: Promise<T>, seconds: number, message: string): Promise<T> {
  if (!(seconds > 0)) return p;
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new HostError(message, { code: 'BUILD_TIMEOUT' })), seconds * 1000); });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

export class ServerTasks {
  constructor(private readonly d: ConductorDeps) {}

  private now(): string { return isoTime(this.d.clock.now()); }
  private async repos(cell: CellMapping) { return this.d.stores.cell(cell); }

  private event<T>(cell: CellMapping, actionId: number, event: string, host: string | null, fn: () => Promise<T>): Promise<T> {
    return withEvent(this.d.stores, this.d.clock, cell, actionId, event, host, fn);
  }

  /** Records a fault the way Nova does: the code of the error and its message. */
  async fault(cell: CellMapping, uuid: string, e: unknown, host: string | null): Promise<void> {
    const err = e as Error;
    const code = 500;
    const details = isNovaliteError(e) && e.details ? JSON.stringify(e.details) : (err.stack ?? null);
    await (await this.repos(cell)).instances.addFault(uuid, { code, message: err.message, details, host }, this.now());
  }

  /**
   * Spawns the server on its claimed host; on a driver failure cleans that host up, frees the
   * claim and tries the next host (up to [scheduler] max_attempts). Ends ACTIVE, or ERROR with
   * a fault and no allocation.
   */
  async build(cell: CellMapping, server: Server, req: BuildRequest, first: PlacementResult, actionId: number): Promise<Server> {
    const max = this.d.config.get<number>('scheduler', 'max_attempts');
    const tried: string[] = [];
    return this.d.runner.run(cell, { kind: 'build', instanceUuid: server.uuid, payload: { host: first.host, actionId } }, async (t) => {
      let placement: PlacementResult | null = first;
      let lastError: unknown = null;
      while (placement) {
        tried.push(placement.host);
        await t.step('spawning', { host: placement.host, actionId });
        try {
          return await this.spawnOn(cell, server, placement, actionId);
        } catch (e) {
          lastError = e;
          if (!(e instanceof HostError) || tried.length >= max) break;
          placement = await this.reschedule(cell, server, req, tried, actionId);
        }
      }
      return this.failBuild(cell, server, lastError, actionId);
    });
  }

  private async spawnOn(cell: CellMapping, server: Server, p: PlacementResult, actionId: number): Promise<Server> {
    const r = await this.repos(cell);
    const host = await this.d.hosts.find(p.host);
    if (!host) throw new HostError(`Host ${p.host} is no longer registered.`);
    await r.instances.update(server.uuid, { host: p.host, node: p.nodename, taskState: TaskState.SPAWNING }, this.now());
    const spec = instanceSpec(server, await this.d.images.refFor(server.imageRef));
    const limit = this.d.config.get<number>('compute', 'instance_build_timeout');
    try {
      await this.event(cell, actionId, 'compute__do_build_and_run_instance', p.host,
        () => withTimeout(this.d.compute.call(host, 'spawn', (drv) => drv.spawn(spec)), limit, `Build of ${server.name} on ${p.host} timed out after ${limit} s ([compute] instance_build_timeout).`));
    } catch (e) {
      await this.d.compute.call(host, 'destroy', (drv) => drv.destroy(spec, { destroyDisks: true })).catch(() => undefined);
      await this.d.placer.release({ consumerUuid: server.uuid, cellUuid: cell.uuid });
      throw e;
    }
    const now = this.now();
    const patch = { vmState: VmState.ACTIVE, taskState: null, powerState: PowerState.RUNNING, launchedAt: now, progress: 100 };
    await r.instances.update(server.uuid, patch, now);
    await r.actions.finish(actionId, now);
    return { ...server, ...patch, host: p.host, node: p.nodename, updatedAt: now };
  }

  private async reschedule(cell: CellMapping, server: Server, req: BuildRequest, tried: string[], actionId: number): Promise<PlacementResult | null> {
    try {
      return await this.event(cell, actionId, 'schedule_instances', null, async () => (await this.d.placer.placeAndClaim({
        flavor: req.flavor, image: req.image, availabilityZone: req.availabilityZone, hints: req.hints, group: req.group,
        projectId: req.projectId, userId: req.userId, retryHosts: tried, cellUuid: cell.uuid,
      }, [server.uuid]))[0]);
    } catch {
      return null;
    }
  }

  private async failBuild(cell: CellMapping, server: Server, e: unknown, actionId: number): Promise<Server> {
    const r = await this.repos(cell);
    const now = this.now();
    await this.fault(cell, server.uuid, e, null);
    await r.instances.update(server.uuid, { vmState: VmState.ERROR, taskState: null, powerState: PowerState.NOSTATE, host: null, node: null }, now);
    await r.actions.finish(actionId, now, (e as Error)?.message);
    return (await r.instances.get(server.uuid))!;
  }

  /** A build whose process died: keep it if the host runs it, otherwise clean up and fail it. */
  async recoverBuild(t: TaskHandle): Promise<void> {
    const r = await this.repos(t.cell);
    const server = await r.instances.get(t.task.instanceUuid ?? '');
    if (!server || server.vmState !== VmState.BUILDING) return;
    const host = server.host ? await this.d.hosts.find(server.host) : null;
    const spec = instanceSpec(server, null);
    if (host) {
      const info = await this.d.compute.call(host, 'get_info', (drv) => drv.getInfo(spec)).catch(() => null);
      if (info?.powerState === PowerState.RUNNING) {
        const now = this.now();
        await r.instances.update(server.uuid, { vmState: VmState.ACTIVE, taskState: null, powerState: PowerState.RUNNING, launchedAt: now, progress: 100 }, now);
        return;
      }
      await this.d.compute.call(host, 'destroy', (drv) => drv.destroy(spec, { destroyDisks: true })).catch(() => undefined);
    }
    await this.d.placer.release({ consumerUuid: server.uuid, cellUuid: t.cell.uuid });
    const actionId = Number((t.task.payload as { actionId?: number }).actionId ?? 0);
    const err = new NovaliteError('BUILD_INTERRUPTED', 'host', 'The build was interrupted: the novalite process running it stopped before the server was ready, and it was not running on the host afterwards.');
    await this.failBuild(t.cell, server, err, actionId);
  }

  /** Deletes a server everywhere: domain and disks, claims, quota, then the row (soft). Idempotent. */
  async delete(cell: CellMapping, server: Server, actionId: number): Promise<void> {
    try {
      await this.d.runner.run(cell, { kind: 'delete', instanceUuid: server.uuid, payload: { actionId } }, (t) => this.finishDelete(t.cell, server.uuid, actionId, server));
    } catch (e) {
      // Nova's rule: a delete that fails leaves the server in ERROR (deletable again), never stuck in `deleting`.
      const r = await this.repos(cell);
      await this.fault(cell, server.uuid, e, server.host);
      await r.instances.update(server.uuid, { vmState: VmState.ERROR, taskState: null }, this.now());
      await r.actions.finish(actionId, this.now(), (e as Error).message);
      throw e;
    }
  }

  async finishDelete(cell: CellMapping, uuid: string, actionId: number, known?: Server): Promise<void> {
    const r = await this.repos(cell);
    const server = known ?? await r.instances.get(uuid);
    if (!server) return;
    const host = server.host ? await this.d.hosts.find(server.host) : null;
    if (host) {
      await this.event(cell, actionId, 'compute_terminate_instance', host.host,
        () => this.d.compute.call(host, 'destroy', (drv) => drv.destroy(instanceSpec(server, null), { destroyDisks: true })));
    }
    if (server.vmState === VmState.RESIZED) await this.dropResizeSource(cell, server);
    await this.d.placer.release({ consumerUuid: uuid, cellUuid: cell.uuid });
    await r.instances.softDelete(uuid, this.now());
    await this.d.quotas.release(server.projectId, server.userId ?? '', { instances: 1, cores: server.flavor.vcpus, ram: server.flavor.memoryMb });
    if (actionId) await r.actions.finish(actionId, this.now());
  }

  /** A server deleted in VERIFY_RESIZE also leaves its source copy: remove it, as Nova confirms the resize. */
  private async dropResizeSource(cell: CellMapping, server: Server): Promise<void> {
    const r = await this.repos(cell);
    const mig = await r.migrations.latest(server.uuid, [MigrationStatus.FINISHED]);
    if (!mig || !mig.sourceCompute || mig.sourceCompute === mig.destCompute) return;
    const source = await this.d.hosts.find(mig.sourceCompute);
    if (source) await this.d.compute.call(source, 'cleanup_migration_source', (drv) => drv.cleanupMigrationSource(instanceSpec(server, null)));
    await r.migrations.update(mig.uuid, { status: MigrationStatus.CONFIRMED }, this.now(), [MigrationStatus.FINISHED]);
  }

  async recoverDelete(t: TaskHandle): Promise<void> {
    await this.finishDelete(t.cell, t.task.instanceUuid ?? '', Number((t.task.payload as { actionId?: number }).actionId ?? 0));
  }

  /** A power action; on a driver failure the server keeps its state, gets a fault, and the error propagates. */
  async power(cell: CellMapping, server: Server, a: PowerAction, actionId: number): Promise<Server> {
    const r = await this.repos(cell);
    return this.d.runner.run(cell, { kind: 'power', instanceUuid: server.uuid, payload: { action: a.action, actionId } }, async () => {
      const host = server.host ? await this.d.hosts.find(server.host) : null;
      if (!host) throw new HostError(`Server ${server.uuid} has no usable host.`);
      try {
        await this.event(cell, actionId, `compute_${a.action}_instance`, host.host,
          () => this.d.compute.call(host, a.action, (drv) => a.call(drv, instanceSpec(server, null))));
      } catch (e) {
        await this.fault(cell, server.uuid, e, host.host);
        await r.instances.update(server.uuid, { taskState: null }, this.now());
        await r.actions.finish(actionId, this.now(), (e as Error).message);
        throw e;
      }
      await r.instances.update(server.uuid, { vmState: a.vmState, powerState: a.powerState, taskState: null }, this.now());
      await r.actions.finish(actionId, this.now());
      return (await r.instances.get(server.uuid))!;
    });
  }

  /** A power action whose process died: take the power state from the host and clear the task. */
  async recoverPower(t: TaskHandle): Promise<void> {
    const r = await this.repos(t.cell);
    const server = await r.instances.get(t.task.instanceUuid ?? '');
    if (!server) return;
    const host = server.host ? await this.d.hosts.find(server.host) : null;
    const info = host ? await this.d.compute.call(host, 'get_info', (drv) => drv.getInfo(instanceSpec(server, null))).catch(() => null) : null;
    const vm = info === null ? VmState.ERROR
      : info.powerState === PowerState.RUNNING ? VmState.ACTIVE
        : info.powerState === PowerState.PAUSED ? VmState.PAUSED
          : info.powerState === PowerState.SUSPENDED ? VmState.SUSPENDED : VmState.STOPPED;
    await r.instances.update(server.uuid, { vmState: vm, taskState: null, powerState: info?.powerState ?? PowerState.NOSTATE }, this.now());
  }
}
