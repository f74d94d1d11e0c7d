/**
 * Live migration and evacuation as durable tasks. Both claim the destination under the
 * migration's uuid; when the server runs there, its consumer drops the source allocation and
 * adopts the new one. A live migration that fails leaves the server running on the source; an
 * evacuation that fails after the scheduler chose a host leaves it in ERROR on its (down) source,
 * from where it can be evacuated again. The evacuated source keeps a stale copy until it is up
 * again: a timer task (and every move request) removes it then, and the migration is completed.
 */
import { randomUUID } from 'node:crypto';
import { hostTarget } from '../compute/compute';
import { InvalidStateError, NovaliteError } from '../errors';
import { CellMapping } from '../model/cells';
import { Migration, MigrationStatus as M } from '../model/migrations';
import { Server } from '../model/servers';
import { PowerState, TaskState, VmState } from '../model/states';
import { MoveBase, MovePayload, MoveScheduleInput } from './move-base';
import { TaskHandle } from './runner';

export interface HostMoveRequest {
  cell: CellMapping;
  server: Server;
  schedule: MoveScheduleInput;
  userId: string;
  requestId: string;
}

const interrupted = (what: string) => new NovaliteError('MOVE_INTERRUPTED', 'host', `The ${what} was interrupted: the novalite process running it stopped before it finished.`);
const IN_FLIGHT: string[] = [M.ACCEPTED, M.PRE_MIGRATING, M.PREPARING, M.RUNNING, M.MIGRATING, M.POST_MIGRATING];

export class HostMoveTasks extends MoveBase {
  /** Creates the migration row, then takes the server (compare-and-swap); refuses when it changed. */
  private async begin(t: TaskHandle, q: HostMoveRequest, migrationUuid: string, type: 'live-migration' | 'evacuation', task: string, action: string): Promise<MovePayload> {
    const s = q.server;
    const r = await this.repos(q.cell);
    await r.migrations.create({
      uuid: migrationUuid, instanceUuid: s.uuid, migrationType: type, status: M.ACCEPTED, sourceCompute: s.host, sourceNode: s.node,
      oldInstanceTypeId: s.flavor.id, newInstanceTypeId: s.flavor.id, userId: q.userId, projectId: s.projectId,
    }, this.now());
    if (!(await r.instances.update(s.uuid, { taskState: task }, this.now(), [s.taskState]))) {
      await r.migrations.remove(migrationUuid);
      throw new InvalidStateError(`Server ${s.name} changed state before the ${type} could start.`);
    }
    const payload: MovePayload = { migrationUuid, oldVmState: s.vmState };
    payload.actionId = await r.actions.start({ instanceUuid: s.uuid, action, requestId: q.requestId, userId: q.userId, projectId: s.projectId }, this.now());
    await t.step('scheduling', payload);
    return payload;
  }

  async liveMigrate(q: HostMoveRequest): Promise<Server> {
    const s = q.server;
    const migrationUuid = randomUUID();
    return this.d.runner.run(q.cell, { kind: 'live_migrate', instanceUuid: s.uuid, payload: { migrationUuid } }, async (t) => {
      const r = await this.repos(q.cell);
      const payload = await this.begin(t, q, migrationUuid, 'live-migration', TaskState.MIGRATING, 'live-migration');
      const fail = async (e: unknown): Promise<never> => { await this.abortLive(q.cell, s.uuid, payload, e); throw e; };
      const p = await this.event(q.cell, payload.actionId, 'conductor_live_migrate_instance', null,
        async () => (await this.d.placer.placeAndClaim(q.schedule, [migrationUuid]))[0]).catch(fail);
      const dest = await this.host(p.host).catch(fail);
      await r.migrations.update(migrationUuid, { status: M.PREPARING, destCompute: p.host, destNode: p.nodename, destHost: dest.hostIp }, this.now());
      const source = await this.host(s.host).catch(fail);
      await t.step('running', payload);
      await r.migrations.update(migrationUuid, { status: M.RUNNING }, this.now());
      const image = await this.d.images.refFor(s.imageRef);
      await this.event(q.cell, payload.actionId, 'compute_live_migration', source.host,
        () => this.d.compute.call(source, 'live_migration', (drv) => drv.liveMigrate(this.spec(s, s.flavor, image), hostTarget(dest)))).catch(fail);
      return this.landLive(q.cell, s.uuid, payload);
    });
  }

  /** The guest runs on the destination: move the allocation and the server record there. */
  private async landLive(cell: CellMapping, uuid: string, payload: MovePayload): Promise<Server> {
    const r = await this.repos(cell);
    const s = (await r.instances.get(uuid))!;
    const mig = (await r.migrations.get(payload.migrationUuid))!;
    let failure: unknown = null;
    const dest = await this.host(mig.destCompute).catch((e) => { failure = e; return null; });
    if (dest) {
      await this.event(cell, payload.actionId, 'compute_post_live_migration_at_destination', dest.host,
        () => this.d.compute.call(dest, 'post_live_migration_at_destination', (drv) => drv.postLiveMigrationAtDestination(this.spec(s))))
        .catch((e) => { failure = e; });
    }
    await this.moveAllocation(cell, uuid, mig);
    const info = await this.info(dest, s);
    const landed = await r.instances.update(uuid, {
      host: mig.destCompute, node: mig.destNode, taskState: null, powerState: info?.powerState ?? s.powerState, vmState: failure || !info ? VmState.ERROR : s.vmState,
    }, this.now());
    if (!landed) return this.deletedMeanwhile(cell, mig);
    await r.migrations.update(mig.uuid, { status: failure ? M.ERROR : M.COMPLETED }, this.now());
    if (failure) await this.d.fault(cell, uuid, failure, mig.destCompute);
    await this.finishAction(cell, payload.actionId, failure ?? undefined);
    if (failure) throw failure;
    return (await r.instances.get(uuid))!;
  }

  /** The source's allocation goes and the server adopts the destination's (in that order: both retry safely). */
  private async moveAllocation(cell: CellMapping, uuid: string, mig: Migration): Promise<void> {
    const r = await this.repos(cell);
    const source = await this.d.hosts.find(mig.sourceCompute ?? '');
    if (source) await r.migrations.dropAllocation(uuid, source.nodeId, {}, this.now());
    await r.migrations.adoptAllocation(mig.uuid, uuid, this.now());
  }

  private async deletedMeanwhile(cell: CellMapping, mig: Migration): Promise<never> {
    const r = await this.repos(cell);
    await this.d.placer.release({ consumerUuid: mig.instanceUuid, cellUuid: cell.uuid });
    await this.d.placer.release({ consumerUuid: mig.uuid, cellUuid: cell.uuid });
    const s = await r.instances.get(mig.instanceUuid, { includeDeleted: true });
    const dest = await this.d.hosts.find(mig.destCompute ?? '');
    if (s && dest) await this.d.compute.call(dest, 'destroy', (drv) => drv.destroy(this.spec(s), { destroyDisks: true })).catch(() => undefined);
    await r.migrations.update(mig.uuid, { status: M.ERROR }, this.now());
    throw interrupted(`${mig.migrationType} (the server was deleted)`);
  }

  /** The live migration did not happen: the server keeps running on its source. */
  private async abortLive(cell: CellMapping, uuid: string, payload: MovePayload, e: unknown): Promise<void> {
    const r = await this.repos(cell);
    await this.d.placer.release({ consumerUuid: payload.migrationUuid, cellUuid: cell.uuid });
    await r.migrations.update(payload.migrationUuid, { status: M.ERROR }, this.now());
    const s = await r.instances.get(uuid);
    if (s) {
      const info = await this.info(await this.d.hosts.find(s.host ?? ''), s);
      await r.instances.update(uuid, { taskState: null, powerState: info?.powerState ?? s.powerState, vmState: info ? s.vmState : VmState.ERROR }, this.now());
      await this.d.fault(cell, uuid, e, s.host);
    }
    await this.finishAction(cell, payload.actionId, e);
  }

  async recoverLive(t: TaskHandle): Promise<void> {
    const payload = t.task.payload as MovePayload;
    const r = await this.repos(t.cell);
    const mig = await r.migrations.get(payload.migrationUuid ?? '');
    if (!mig || mig.status === M.COMPLETED || mig.status === M.ERROR) return;
    const s = await r.instances.get(mig.instanceUuid);
    if (!t.task.step) return this.unclaimed(t.cell, mig, s, TaskState.MIGRATING);
    if (!s) return this.deletedMeanwhile(t.cell, mig).catch(() => undefined);
    const dest = t.task.step === 'running' ? await this.d.hosts.find(mig.destCompute ?? '') : null;
    if (dest && (await this.info(dest, s))) {
      // The guest made it; a copy left on the source (the crash came between the two writes) goes.
      const source = await this.d.hosts.find(mig.sourceCompute ?? '');
      if (source && (await this.info(source, s))) await this.d.compute.call(source, 'destroy', (drv) => drv.destroy(this.spec(s), { destroyDisks: true })).catch(() => undefined);
      await this.landLive(t.cell, s.uuid, payload).catch(() => undefined);
      return;
    }
    await this.abortLive(t.cell, s.uuid, payload, interrupted('live migration'));
  }

  /** A task that died before it recorded taking the server: undo the take only if it was ours. */
  private async unclaimed(cell: CellMapping, mig: Migration, s: Server | null, task: string): Promise<void> {
    const r = await this.repos(cell);
    const others = (await r.migrations.list({ instanceUuid: mig.instanceUuid })).filter((m) => m.uuid !== mig.uuid && IN_FLIGHT.includes(m.status));
    if (s && s.taskState === task && !others.length) await r.instances.update(s.uuid, { taskState: null }, this.now(), [task]);
    await r.migrations.update(mig.uuid, { status: M.ERROR }, this.now());
  }

  /** Rebuilds the server of a down host on another one, from its image (Nova's evacuate). */
  async evacuate(q: HostMoveRequest): Promise<Server> {
    const s = q.server;
    const migrationUuid = randomUUID();
    return this.d.runner.run(q.cell, { kind: 'evacuate', instanceUuid: s.uuid, payload: { migrationUuid } }, async (t) => {
      const r = await this.repos(q.cell);
      const payload = await this.begin(t, q, migrationUuid, 'evacuation', TaskState.REBUILDING, 'evacuate');
      const fail = async (e: unknown): Promise<never> => { await this.abortEvacuate(q.cell, s.uuid, payload, e, false); throw e; };
      const p = await this.event(q.cell, payload.actionId, 'conductor_rebuild_server', null,
        async () => (await this.d.placer.placeAndClaim(q.schedule, [migrationUuid]))[0]).catch(fail);
      const dest = await this.host(p.host).catch(fail);
      await r.migrations.update(migrationUuid, { status: M.PRE_MIGRATING, destCompute: p.host, destNode: p.nodename, destHost: dest.hostIp }, this.now());
      await t.step('rebuilding', payload);
      return this.rebuildOn(q.cell, s.uuid, payload, false);
    });
  }

  private async rebuildOn(cell: CellMapping, uuid: string, payload: MovePayload, resume: boolean): Promise<Server> {
    const r = await this.repos(cell);
    const s = (await r.instances.get(uuid))!;
    const mig = (await r.migrations.get(payload.migrationUuid))!;
    const stopped = payload.oldVmState === VmState.STOPPED;
    try {
      const dest = await this.host(mig.destCompute);
      await r.instances.update(uuid, { host: dest.host, node: mig.destNode, taskState: TaskState.REBUILD_SPAWNING }, this.now());
      const spec = this.spec(s, s.flavor, await this.d.images.refFor(s.imageRef));
      await this.event(cell, payload.actionId, 'compute_rebuild_instance', dest.host, async () => {
        let there = resume ? await this.info(dest, s) : null;
        if (there && there.powerState === PowerState.NOSTATE) { // a spawn that never finished
          await this.d.compute.call(dest, 'destroy', (drv) => drv.destroy(spec, { destroyDisks: true }));
          there = null;
        }
        if (!there) await this.d.compute.call(dest, 'spawn', (drv) => drv.spawn(spec));
        // Nova: an evacuated server that was stopped is stopped again on its new host.
        if (stopped && there?.powerState !== PowerState.SHUTDOWN) await this.d.compute.call(dest, 'power_off', (drv) => drv.powerOff(spec));
      });
    } catch (e) {
      await this.abortEvacuate(cell, uuid, payload, e, true);
      throw e;
    }
    await this.moveAllocation(cell, uuid, mig);
    const now = this.now();
    const landed = await r.instances.update(uuid, {
      vmState: stopped ? VmState.STOPPED : VmState.ACTIVE, taskState: null, powerState: stopped ? PowerState.SHUTDOWN : PowerState.RUNNING, launchedAt: now, progress: 100,
    }, now);
    if (!landed) return this.deletedMeanwhile(cell, mig);
    await r.migrations.update(mig.uuid, { status: M.DONE }, now);
    await this.finishAction(cell, payload.actionId);
    await this.arm(cell, 'evacuate_cleanup', uuid, { migrationUuid: mig.uuid }, 0);
    return (await r.instances.get(uuid))!;
  }

  /**
   * The evacuation did not happen. Before a host was chosen the server keeps its state; once
   * the rebuild started, it is in ERROR on its source (as in Nova), ready to be evacuated again.
   */
  private async abortEvacuate(cell: CellMapping, uuid: string, payload: MovePayload, e: unknown, started: boolean): Promise<void> {
    const r = await this.repos(cell);
    const mig = (await r.migrations.get(payload.migrationUuid))!;
    await this.d.placer.release({ consumerUuid: mig.uuid, cellUuid: cell.uuid });
    const s = await r.instances.get(uuid);
    const dest = started ? await this.d.hosts.find(mig.destCompute ?? '') : null;
    if (dest && s) await this.d.compute.call(dest, 'destroy', (drv) => drv.destroy(this.spec(s), { destroyDisks: true })).catch(() => undefined);
    if (s) {
      await r.instances.update(uuid, { host: mig.sourceCompute, node: mig.sourceNode, taskState: null, ...(started ? { vmState: VmState.ERROR, powerState: PowerState.NOSTATE } : {}) }, this.now());
      await this.d.fault(cell, uuid, e, mig.destCompute);
    }
    await r.migrations.update(mig.uuid, { status: started ? M.FAILED : M.ERROR }, this.now());
    await this.finishAction(cell, payload.actionId, e);
  }

  async recoverEvacuate(t: TaskHandle): Promise<void> {
    const payload = t.task.payload as MovePayload;
    const r = await this.repos(t.cell);
    const mig = await r.migrations.get(payload.migrationUuid ?? '');
    if (!mig || [M.DONE, M.COMPLETED, M.ERROR, M.FAILED].includes(mig.status as never)) return;
    const s = await r.instances.get(mig.instanceUuid);
    if (!t.task.step) return this.unclaimed(t.cell, mig, s, TaskState.REBUILDING);
    if (!s) return this.deletedMeanwhile(t.cell, mig).catch(() => undefined);
    if (t.task.step === 'rebuilding') {
      await this.rebuildOn(t.cell, s.uuid, payload, true).catch(() => undefined);
      return;
    }
    await this.abortEvacuate(t.cell, s.uuid, payload, interrupted('evacuation'), false);
  }

  /**
   * Removes an evacuated server's stale copy from its source once that host is up again (Nova's
   * compute does this when it starts); true when nothing is left to do.
   */
  async cleanupSource(cell: CellMapping, mig: Migration): Promise<boolean> {
    const r = await this.repos(cell);
    const source = await this.d.hosts.find(mig.sourceCompute ?? '');
    if (source && !this.d.hosts.isUp(source)) return false;
    const s = await r.instances.get(mig.instanceUuid, { includeDeleted: true });
    if (source && s && s.host !== source.host) {
      try {
        await this.d.compute.call(source, 'destroy', (drv) => drv.destroy(this.spec(s), { destroyDisks: true }));
      } catch {
        return false;
      }
    }
    await r.migrations.update(mig.uuid, { status: M.COMPLETED }, this.now(), [M.DONE]);
    return true;
  }

  /** Timer: clean the source up, or look again after `[DEFAULT] service_down_time`. */
  async cleanupTimer(t: TaskHandle): Promise<void> {
    const r = await this.repos(t.cell);
    const mig = await r.migrations.get(String((t.task.payload as MovePayload).migrationUuid ?? ''));
    if (!mig || mig.status !== M.DONE) return;
    if (!(await this.cleanupSource(t.cell, mig))) {
      await this.arm(t.cell, 'evacuate_cleanup', mig.instanceUuid, { migrationUuid: mig.uuid }, this.d.config.get<number>('DEFAULT', 'service_down_time'));
    }
  }

  /** Cleans up every evacuation of this cell whose source is up again. */
  async sweep(cell: CellMapping): Promise<void> {
    const r = await this.repos(cell);
    for (const mig of await r.migrations.list({ migrationType: 'evacuation', status: M.DONE })) await this.cleanupSource(cell, mig).catch(() => false);
  }
}
