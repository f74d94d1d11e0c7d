/**
 * Resize and cold migration (a resize to the same flavor), confirm and revert, as durable tasks.
 * The destination is claimed under the migration's uuid while the server's own allocation stays
 * on the source; when the server lands, its consumer adopts the new allocation and holds both
 * until a confirm drops the source's or a revert the destination's. A failure before the server
 * lands puts it back on the source as it was (with a fault); a process that dies is recovered
 * forward when the disks have been handed over, and back to the source otherwise.
 */
import { randomUUID } from 'node:crypto';
import { hostTarget } from '../compute/compute';
import { InvalidStateError, NovaliteError } from '../errors';
import { CellMapping } from '../model/cells';
import { Flavor } from '../model/compute';
import { MigrationStatus as M } from '../model/migrations';
import { Server } from '../model/servers';
import { PowerState, TaskState, VmState } from '../model/states';
import { amountOf, anyDelta, MoveBase, MovePayload, MoveScheduleInput, quotaDeltas, snapshotOf, SYSMETA } from './move-base';
import { TaskHandle } from './runner';

export interface ResizeRequest {
  cell: CellMapping;
  server: Server;
  type: 'resize' | 'migration';
  flavor: Flavor;
  schedule: MoveScheduleInput;
  userId: string;
  requestId: string;
}

const interrupted = (what: string) => new NovaliteError('MOVE_INTERRUPTED', 'host', `The ${what} was interrupted: the novalite process running it stopped before it finished.`);

export class ColdMoveTasks extends MoveBase {
  /** Runs a resize or cold migration to VERIFY_RESIZE (the CLI runs it inline). */
  async resize(q: ResizeRequest): Promise<Server> {
    const s = q.server;
    const migrationUuid = randomUUID();
    return this.d.runner.run(q.cell, { kind: 'resize', instanceUuid: s.uuid, payload: { migrationUuid } }, async (t) => {
      const r = await this.repos(q.cell);
      const neu = snapshotOf(q.flavor);
      await r.migrations.create({
        uuid: migrationUuid, instanceUuid: s.uuid, migrationType: q.type, status: M.PRE_MIGRATING, sourceCompute: s.host, sourceNode: s.node,
        oldInstanceTypeId: s.flavor.id, newInstanceTypeId: neu.id, userId: q.userId, projectId: s.projectId,
      }, this.now());
      if (!(await r.instances.update(s.uuid, { taskState: TaskState.RESIZE_PREP }, this.now(), [null]))) {
        await r.migrations.remove(migrationUuid);
        const now = await r.instances.get(s.uuid);
        throw new InvalidStateError(`Server ${s.name} changed state (task_state ${now?.taskState ?? 'deleted'}) before the ${q.type} could start.`);
      }
      await r.instances.setMetadata(s.uuid, { [SYSMETA.oldVmState]: s.vmState, [SYSMETA.oldFlavor]: JSON.stringify(s.flavor), [SYSMETA.newFlavor]: JSON.stringify(neu) }, this.now(), true);
      const { up } = quotaDeltas(s.flavor, neu);
      try {
        if (anyDelta(up)) await this.d.quotas.consume(s.projectId, s.userId ?? '', up);
      } catch (e) {
        await this.clearResizeMetadata(q.cell, s.uuid);
        await r.instances.update(s.uuid, { taskState: null }, this.now(), [TaskState.RESIZE_PREP]);
        await r.migrations.remove(migrationUuid);
        throw e;
      }
      const payload: MovePayload = { migrationUuid, oldVmState: s.vmState };
      await t.step('prepared', payload);
      payload.actionId = await r.actions.start({ instanceUuid: s.uuid, action: q.type === 'resize' ? 'resize' : 'migrate', requestId: q.requestId, userId: q.userId, projectId: s.projectId }, this.now());
      await t.step('scheduling', payload);
      const fail = async (e: unknown): Promise<never> => { await this.rollBack(q.cell, s.uuid, payload, e, 'scheduling'); throw e; };
      const p = await this.event(q.cell, payload.actionId, 'conductor_migrate_server', null,
        async () => (await this.d.placer.placeAndClaim(q.schedule, [migrationUuid]))[0]).catch(fail);
      const dest = await this.host(p.host).catch(fail);
      await r.migrations.update(migrationUuid, { status: M.MIGRATING, destCompute: p.host, destNode: p.nodename, destHost: dest.hostIp }, this.now());
      if (!(await r.instances.update(s.uuid, { taskState: TaskState.RESIZE_MIGRATING }, this.now(), [TaskState.RESIZE_PREP]))) {
        return fail(new InvalidStateError(`Server ${s.name} was deleted or reset during the ${q.type}.`));
      }
      await t.step('migrating', payload);
      const source = await this.host(s.host).catch(fail);
      // The destination may need the server's images (its disks are overlays on them).
      const image = await this.d.images.refFor(s.imageRef);
      payload.token = await this.event(q.cell, payload.actionId, 'compute_resize_instance', source.host,
        () => this.d.compute.call(source, 'migrate_disk_and_power_off', (drv) => drv.migrateDiskAndPowerOff(this.spec(s, s.flavor, image), hostTarget(dest))))
        .catch(async (e) => { await this.rollBack(q.cell, s.uuid, payload, e, 'migrating'); throw e; });
      await t.step('migrated', payload);
      await r.migrations.update(migrationUuid, { status: M.POST_MIGRATING }, this.now());
      await r.instances.update(s.uuid, { taskState: TaskState.RESIZE_MIGRATED }, this.now());
      return this.finish(t, q.cell, s.uuid, payload);
    });
  }

  /** Destination side: the server starts there with its new flavor and waits for confirmation. */
  private async finish(t: TaskHandle, cell: CellMapping, uuid: string, payload: MovePayload): Promise<Server> {
    const r = await this.repos(cell);
    const s = (await r.instances.get(uuid))!;
    const mig = (await r.migrations.get(payload.migrationUuid))!;
    const { neu } = this.resizeFlavors(s);
    const powerOn = payload.oldVmState !== VmState.STOPPED;
    try {
      const dest = await this.host(mig.destCompute);
      await r.instances.update(uuid, { taskState: TaskState.RESIZE_FINISH }, this.now());
      const image = await this.d.images.refFor(s.imageRef);
      await this.event(cell, payload.actionId, 'compute_finish_resize', dest.host,
        () => this.d.compute.call(dest, 'finish_migration', (drv) => drv.finishMigration(this.spec(s, neu, image), payload.token ?? {}, { powerOn })));
    } catch (e) {
      await this.rollBack(cell, uuid, payload, e, 'finishing');
      throw e;
    }
    const now = this.now();
    await r.migrations.adoptAllocation(mig.uuid, uuid, now);
    const landed = await r.instances.update(uuid, {
      host: mig.destCompute, node: mig.destNode, flavor: neu, vmState: VmState.RESIZED, taskState: null,
      powerState: powerOn ? PowerState.RUNNING : PowerState.SHUTDOWN, progress: 100,
    }, now);
    if (!landed) {
      // Deleted meanwhile: its delete may have run before the adoption above.
      await this.d.placer.release({ consumerUuid: uuid, cellUuid: cell.uuid });
      await this.afterDelete(cell, mig.uuid, payload);
      throw interrupted('resize (the server was deleted)');
    }
    await r.migrations.update(mig.uuid, { status: M.FINISHED }, now);
    return this.settle(t, cell, uuid, payload);
  }

  /** After the server landed: shrinkage goes back to the quota, and the auto-confirm timer starts. */
  private async settle(t: TaskHandle, cell: CellMapping, uuid: string, payload: MovePayload): Promise<Server> {
    const r = await this.repos(cell);
    const s = (await r.instances.get(uuid))!;
    const { old, neu } = this.resizeFlavors(s);
    const { down } = quotaDeltas(old, neu);
    if (anyDelta(down)) await this.d.quotas.release(s.projectId, s.userId ?? '', down);
    await t.step('finished', payload);
    await this.finishAction(cell, payload.actionId);
    const window = this.d.config.get<number>('compute', 'resize_confirm_window');
    if (window > 0) await this.arm(cell, 'resize_auto_confirm', uuid, { migrationUuid: payload.migrationUuid }, window);
    return (await r.instances.get(uuid))!;
  }

  /**
   * Puts the server back on its source as it was: whatever reached the destination goes, the
   * source starts the old server again (when it was running), the destination claim and the
   * quota taken for growth are released, and the fault says why. A source that cannot take the
   * server back leaves it in ERROR there.
   */
  private async rollBack(cell: CellMapping, uuid: string, payload: MovePayload, e: unknown, stage: 'scheduling' | 'migrating' | 'finishing'): Promise<void> {
    const r = await this.repos(cell);
    const s = await r.instances.get(uuid);
    const mig = await r.migrations.get(payload.migrationUuid);
    if (!mig) return;
    await this.d.placer.release({ consumerUuid: mig.uuid, cellUuid: cell.uuid });
    if (!s) return this.afterDelete(cell, mig.uuid, payload);
    const { old, neu, oldVmState } = this.resizeFlavors(s);
    const wasRunning = (payload.oldVmState ?? oldVmState) !== VmState.STOPPED;
    const source = await this.d.hosts.find(mig.sourceCompute ?? '');
    const dest = mig.destCompute && mig.destCompute !== mig.sourceCompute ? await this.d.hosts.find(mig.destCompute) : null;
    if (dest && stage === 'finishing') {
      await this.d.compute.call(dest, 'destroy', (drv) => drv.destroy(this.spec(s, neu), { destroyDisks: true })).catch(() => undefined);
    }
    let vmState = payload.oldVmState ?? oldVmState;
    if (source && stage !== 'scheduling') {
      // Refused when the source never handed the disks over: then there is nothing to undo.
      await this.d.compute.call(source, 'finish_revert_migration', (drv) => drv.finishRevertMigration(this.spec(s, old), { powerOn: wasRunning })).catch(() => undefined);
    }
    let info = await this.info(source, { ...s, flavor: old });
    if (info && wasRunning && info.powerState !== PowerState.RUNNING) {
      await this.d.compute.call(source!, 'power_on', (drv) => drv.powerOn(this.spec(s, old))).catch(() => undefined);
      info = await this.info(source, { ...s, flavor: old });
    }
    if (!info || (wasRunning && info.powerState !== PowerState.RUNNING)) vmState = VmState.ERROR;
    const { up } = quotaDeltas(old, neu);
    if (anyDelta(up)) await this.d.quotas.release(s.projectId, s.userId ?? '', up);
    await r.instances.update(uuid, {
      host: mig.sourceCompute, node: mig.sourceNode, flavor: old, vmState, taskState: null, powerState: info?.powerState ?? PowerState.NOSTATE,
    }, this.now());
    await r.migrations.update(mig.uuid, { status: M.ERROR }, this.now());
    await this.clearResizeMetadata(cell, uuid);
    await this.d.fault(cell, uuid, e, mig.sourceCompute);
    await this.finishAction(cell, payload.actionId, e);
  }

  /** The server was deleted while it moved: the delete freed its own allocation; free the rest. */
  private async afterDelete(cell: CellMapping, migrationUuid: string, payload: MovePayload): Promise<void> {
    const r = await this.repos(cell);
    const mig = (await r.migrations.get(migrationUuid))!;
    const s = await r.instances.get(mig.instanceUuid, { includeDeleted: true });
    await this.d.placer.release({ consumerUuid: mig.uuid, cellUuid: cell.uuid });
    for (const name of [mig.sourceCompute, mig.destCompute]) {
      const h = name && s ? await this.d.hosts.find(name) : null;
      if (h && s) await this.d.compute.call(h, 'destroy', (drv) => drv.destroy(this.spec(s), { destroyDisks: true })).catch(() => undefined);
    }
    if (s && payload.oldVmState) {
      // Growth taken at the start (the delete released the flavor the row had then: the old one).
      const { old, neu } = this.resizeFlavors(s);
      const { up } = quotaDeltas(old, neu);
      if (anyDelta(up) && s.flavor.id === old.id) await this.d.quotas.release(s.projectId, s.userId ?? '', up);
    }
    await r.migrations.update(mig.uuid, { status: M.ERROR }, this.now());
  }

  async recoverResize(t: TaskHandle): Promise<void> {
    const payload = t.task.payload as MovePayload;
    const r = await this.repos(t.cell);
    const mig = await r.migrations.get(payload.migrationUuid ?? '');
    if (!mig) return; // refused before anything happened
    const s = await r.instances.get(mig.instanceUuid);
    if (!t.task.step) {
      // The migration row exists, but did our compare-and-swap take the server? Only we set resize_prep
      // with this migration pending and no other migration in flight. (Quota is taken after this.)
      const others = (await r.migrations.list({ instanceUuid: mig.instanceUuid })).filter((m) => m.uuid !== mig.uuid && [M.PRE_MIGRATING, M.MIGRATING, M.POST_MIGRATING].includes(m.status as never));
      if (s && s.taskState === TaskState.RESIZE_PREP && !others.length) {
        await this.clearResizeMetadata(t.cell, s.uuid);
        await r.instances.update(s.uuid, { taskState: null }, this.now(), [TaskState.RESIZE_PREP]);
      }
      await r.migrations.update(mig.uuid, { status: M.ERROR }, this.now());
      return;
    }
    if (!s) return this.afterDelete(t.cell, mig.uuid, payload);
    if (t.task.step === 'finished') return this.finishAction(t.cell, payload.actionId);
    if (mig.status === M.FINISHED) {
      await this.settle(t, t.cell, s.uuid, payload);
      return;
    }
    if (t.task.step === 'migrated' && payload.token) {
      await this.finish(t, t.cell, s.uuid, payload).catch(() => undefined);
      return;
    }
    const stage = t.task.step === 'migrating' ? 'migrating' : 'scheduling';
    await this.rollBack(t.cell, s.uuid, { ...payload, oldVmState: payload.oldVmState ?? s.vmState }, interrupted('resize'), stage);
  }

  /** Confirm: the source's copy and allocation go; the server stays where it is. */
  async confirm(cell: CellMapping, s: Server, migrationUuid: string, who: { userId: string | null; requestId: string }): Promise<Server> {
    return this.d.runner.run(cell, { kind: 'resize_confirm', instanceUuid: s.uuid, payload: { migrationUuid } }, async (t) => {
      const payload = await this.take(t, cell, s, migrationUuid, TaskState.RESIZE_CONFIRMING, M.CONFIRMING, 'confirmResize', who);
      return this.doConfirm(t, cell, s.uuid, payload);
    });
  }

  /** Revert: the destination's copy and allocation go; the server starts again on the source. */
  async revert(cell: CellMapping, s: Server, migrationUuid: string, who: { userId: string | null; requestId: string }): Promise<Server> {
    return this.d.runner.run(cell, { kind: 'resize_revert', instanceUuid: s.uuid, payload: { migrationUuid } }, async (t) => {
      const payload = await this.take(t, cell, s, migrationUuid, TaskState.RESIZE_REVERTING, M.REVERTING, 'revertResize', who);
      return this.doRevert(t, cell, s.uuid, payload);
    });
  }

  /** Takes a resized server for confirm or revert: task_state and migration status, both compare-and-swap. */
  private async take(t: TaskHandle, cell: CellMapping, s: Server, migrationUuid: string, task: string, status: string, action: string,
    who: { userId: string | null; requestId: string }): Promise<MovePayload> {
    const r = await this.repos(cell);
    if (!(await r.instances.update(s.uuid, { taskState: task }, this.now(), [null]))) {
      throw new InvalidStateError(`Server ${s.name} changed state before the ${action} could start.`);
    }
    if (!(await r.migrations.update(migrationUuid, { status }, this.now(), [M.FINISHED]))) {
      await r.instances.update(s.uuid, { taskState: null }, this.now(), [task]);
      throw new InvalidStateError(`The migration of server ${s.name} is no longer waiting for confirmation.`);
    }
    const actionId = await r.actions.start({ instanceUuid: s.uuid, action, requestId: who.requestId, userId: who.userId, projectId: s.projectId }, this.now());
    const payload: MovePayload = { migrationUuid, actionId };
    await t.step('taken', payload);
    return payload;
  }

  /** Gives a resized server back when confirm or revert could not do anything yet (it may be retried). */
  private async release(cell: CellMapping, uuid: string, payload: MovePayload, e: unknown, host: string | null): Promise<never> {
    const r = await this.repos(cell);
    await r.instances.update(uuid, { taskState: null }, this.now());
    await r.migrations.update(payload.migrationUuid, { status: M.FINISHED }, this.now());
    await this.d.fault(cell, uuid, e, host);
    await this.finishAction(cell, payload.actionId, e);
    throw e;
  }

  private async doConfirm(_t: TaskHandle, cell: CellMapping, uuid: string, payload: MovePayload): Promise<Server> {
    const r = await this.repos(cell);
    const s = (await r.instances.get(uuid))!;
    const mig = (await r.migrations.get(payload.migrationUuid))!;
    const { old, neu } = this.resizeFlavors(s);
    const source = await this.d.hosts.find(mig.sourceCompute ?? '');
    if (source) {
      await this.event(cell, payload.actionId, 'compute_confirm_resize', source.host,
        () => this.d.compute.call(source, 'cleanup_migration_source', (drv) => drv.cleanupMigrationSource(this.spec(s, old))))
        .catch((e) => this.release(cell, uuid, payload, e, source.host));
      const sameHost = mig.sourceCompute === mig.destCompute;
      await r.migrations.dropAllocation(uuid, source.nodeId, sameHost ? { keep: amountOf(neu), drop: amountOf(old) } : {}, this.now());
    }
    // Nova: a server that was stopped when resized stays stopped.
    const vmState = s.powerState === PowerState.SHUTDOWN ? VmState.STOPPED : VmState.ACTIVE;
    await r.instances.update(uuid, { vmState, taskState: null }, this.now());
    await r.migrations.update(mig.uuid, { status: M.CONFIRMED }, this.now());
    await this.clearResizeMetadata(cell, uuid);
    await this.finishAction(cell, payload.actionId);
    await this.disarm(cell, uuid, 'resize_auto_confirm');
    return (await r.instances.get(uuid))!;
  }

  private async doRevert(t: TaskHandle, cell: CellMapping, uuid: string, payload: MovePayload): Promise<Server> {
    const r = await this.repos(cell);
    const s = (await r.instances.get(uuid))!;
    const mig = (await r.migrations.get(payload.migrationUuid))!;
    const { old, neu, oldVmState } = this.resizeFlavors(s);
    const sameHost = mig.sourceCompute === mig.destCompute;
    const source = await this.d.hosts.find(mig.sourceCompute ?? '');
    const dest = await this.d.hosts.find(mig.destCompute ?? '');
    if (dest && !sameHost) {
      await this.event(cell, payload.actionId, 'compute_revert_resize', dest.host,
        () => this.d.compute.call(dest, 'destroy', (drv) => drv.destroy(this.spec(s, neu), { destroyDisks: true })))
        .catch((e) => this.release(cell, uuid, payload, e, dest.host));
    }
    const powerOn = oldVmState !== VmState.STOPPED;
    let failure: unknown = null;
    try {
      if (!source) throw new NovaliteError('HOST_NOT_FOUND', 'host', `Source host ${mig.sourceCompute} is not registered any more.`);
      const image = await this.d.images.refFor(s.imageRef);
      await this.event(cell, payload.actionId, 'compute_finish_revert_resize', source.host,
        () => this.d.compute.call(source, 'finish_revert_migration', (drv) => drv.finishRevertMigration(this.spec(s, old, image), { powerOn })));
    } catch (e) {
      // A retried revert finds the source already reverted: that is success.
      const there = await this.info(source, { ...s, flavor: old });
      if (!t.task.attempts || t.task.attempts < 2 || !there || there.memoryMb !== old.memoryMb) failure = e;
    }
    if (dest) await r.migrations.dropAllocation(uuid, dest.nodeId, sameHost ? { keep: amountOf(old), drop: amountOf(neu) } : {}, this.now());
    if (t.task.step !== 'quota') {
      const { up, down } = quotaDeltas(old, neu);
      // Growth is given back; shrinkage released at finish is taken again (no limit: the server had it).
      const back = { cores: up.cores - down.cores, ram: up.ram - down.ram };
      if (anyDelta(back)) await this.d.quotas.release(s.projectId, s.userId ?? '', back);
      await t.step('quota', payload);
    }
    const info = failure ? null : await this.info(source, { ...s, flavor: old });
    await r.instances.update(uuid, {
      host: mig.sourceCompute, node: mig.sourceNode, flavor: old, taskState: null,
      vmState: failure || !info ? VmState.ERROR : powerOn ? VmState.ACTIVE : VmState.STOPPED, powerState: info?.powerState ?? PowerState.NOSTATE,
    }, this.now());
    await r.migrations.update(mig.uuid, { status: failure ? M.ERROR : M.REVERTED }, this.now());
    await this.clearResizeMetadata(cell, uuid);
    if (failure) await this.d.fault(cell, uuid, failure, mig.sourceCompute);
    await this.finishAction(cell, payload.actionId, failure ?? undefined);
    await this.disarm(cell, uuid, 'resize_auto_confirm');
    if (failure) throw failure;
    return (await r.instances.get(uuid))!;
  }

  async recoverConfirm(t: TaskHandle): Promise<void> {
    if (t.task.step !== 'taken') return this.undoTake(t, TaskState.RESIZE_CONFIRMING, M.CONFIRMING);
    await this.doConfirm(t, t.cell, t.task.instanceUuid ?? '', t.task.payload as MovePayload).catch(() => undefined);
  }

  async recoverRevert(t: TaskHandle): Promise<void> {
    if (t.task.step !== 'taken' && t.task.step !== 'quota') return this.undoTake(t, TaskState.RESIZE_REVERTING, M.REVERTING);
    await this.doRevert(t, t.cell, t.task.instanceUuid ?? '', t.task.payload as MovePayload).catch(() => undefined);
  }

  /** A confirm or revert that died before it recorded taking the server: give it back as it was. */
  private async undoTake(t: TaskHandle, task: string, status: string): Promise<void> {
    const r = await this.repos(t.cell);
    const uuid = t.task.instanceUuid ?? '';
    const migrationUuid = String((t.task.payload as MovePayload).migrationUuid ?? '');
    await r.migrations.update(migrationUuid, { status: M.FINISHED }, this.now(), [status]);
    const s = await r.instances.get(uuid);
    const mig = await r.migrations.get(migrationUuid);
    if (s && s.taskState === task && mig?.status === M.FINISHED) await r.instances.update(uuid, { taskState: null }, this.now(), [task]);
  }

  /**
   * A server deleted while it waited in VERIFY_RESIZE: the delete removed it from its current
   * host and freed its allocations, but not the copy its source kept. Clean that up (Nova
   * confirms a resize when the server is deleted) and close the migration.
   */
  async sweep(cell: CellMapping): Promise<void> {
    const r = await this.repos(cell);
    for (const mig of await r.migrations.list({ status: M.FINISHED })) {
      const s = await r.instances.get(mig.instanceUuid, { includeDeleted: true });
      if (s && !s.deletedAt) continue;
      const source = await this.d.hosts.find(mig.sourceCompute ?? '');
      if (s && source && mig.sourceCompute !== mig.destCompute) {
        const ok = await this.d.compute.call(source, 'cleanup_migration_source', (drv) => drv.cleanupMigrationSource(this.spec(s))).then(() => true, () => false);
        if (!ok) continue;
      }
      await r.migrations.update(mig.uuid, { status: M.CONFIRMED }, this.now(), [M.FINISHED]);
    }
  }

  /** `[compute] resize_confirm_window` passed: confirm, unless the server moved on meanwhile. */
  async autoConfirm(t: TaskHandle): Promise<void> {
    const r = await this.repos(t.cell);
    const migrationUuid = String((t.task.payload as MovePayload).migrationUuid ?? '');
    const mig = await r.migrations.get(migrationUuid);
    const s = await r.instances.get(t.task.instanceUuid ?? '');
    if (t.task.step === 'taken' && s) {
      await this.doConfirm(t, t.cell, s.uuid, t.task.payload as MovePayload);
      return;
    }
    if (!s || mig?.status !== M.FINISHED || s.vmState !== VmState.RESIZED) return;
    if (s.taskState !== null) {
      await this.arm(t.cell, 'resize_auto_confirm', s.uuid, { migrationUuid }, 5); // busy: look again shortly
      return;
    }
    const payload = await this.take(t, t.cell, s, migrationUuid, TaskState.RESIZE_CONFIRMING, M.CONFIRMING, 'confirmResize', { userId: null, requestId: `req-${randomUUID()}` });
    await this.doConfirm(t, t.cell, s.uuid, payload);
  }
}
