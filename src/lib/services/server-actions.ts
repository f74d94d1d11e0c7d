/**
 * Actions on existing servers: power (stop, start, reboot, pause, suspend …), lock, console
 * log, the instance-action log, and `wait`. Each action checks Nova's preconditions, takes the
 * server with a compare-and-swap on task_state, and runs as a durable task.
 */
import { randomUUID } from 'node:crypto';
import { Clock, isoTime } from '../clock';
import type { PowerAction, ServerTasks } from '../conductor/server-tasks';
import { Stores } from '../db/stores';
import { ConflictError, HostError, InvalidInputError, InvalidStateError, isNovaliteError, NotFoundError, NoValidHostError, NotSupportedError, TimeoutError } from '../errors';
import { InstanceAction, Server } from '../model/servers';
import { ALLOW, checkAllowed, PowerState, serverStatus, TaskState, VmState } from '../model/states';
import type { ServersService } from './servers';

type DriverCall = PowerAction['call'];
const call = (f: DriverCall): DriverCall => f;

/** Each power action: its precondition, the task state while it runs, the driver call, the result. */
const POWER: Record<string, { pre: string; task: string; call: DriverCall; vm: string; power: number; capability?: string }> = {
  stop: { pre: 'stop', task: TaskState.POWERING_OFF, call: call((d, i) => d.powerOff(i)), vm: VmState.STOPPED, power: PowerState.SHUTDOWN },
  start: { pre: 'start', task: TaskState.POWERING_ON, call: call((d, i) => d.powerOn(i)), vm: VmState.ACTIVE, power: PowerState.RUNNING },
  reboot: { pre: 'reboot_soft', task: TaskState.REBOOTING, call: call((d, i) => d.reboot(i, 'SOFT')), vm: VmState.ACTIVE, power: PowerState.RUNNING },
  reboot_hard: { pre: 'reboot', task: TaskState.REBOOTING_HARD, call: call((d, i) => d.reboot(i, 'HARD')), vm: VmState.ACTIVE, power: PowerState.RUNNING },
  pause: { pre: 'pause', task: TaskState.PAUSING, call: call((d, i) => d.pause(i)), vm: VmState.PAUSED, power: PowerState.PAUSED, capability: 'pause' },
  unpause: { pre: 'unpause', task: TaskState.UNPAUSING, call: call((d, i) => d.unpause(i)), vm: VmState.ACTIVE, power: PowerState.RUNNING, capability: 'pause' },
  suspend: { pre: 'suspend', task: TaskState.SUSPENDING, call: call((d, i) => d.suspend(i)), vm: VmState.SUSPENDED, power: PowerState.SUSPENDED, capability: 'suspend' },
  resume: { pre: 'resume', task: TaskState.RESUMING, call: call((d, i) => d.resume(i)), vm: VmState.ACTIVE, power: PowerState.RUNNING, capability: 'suspend' },
};

export const POWER_ACTIONS = Object.keys(POWER);

export interface ActionDeps {
  stores: Stores;
  clock: Clock;
  servers: ServersService;
  tasks: ServerTasks;
  consoleOutput(s: Server): Promise<string>;
  capabilities(s: Server): Promise<Record<string, boolean> | null>;
}

export class ServerActionsService {
  constructor(private readonly d: ActionDeps) {}

  private now(): string { return isoTime(this.d.clock.now()); }

  private static assertUnlocked(s: Server): void {
    if (s.locked) {
      throw new ConflictError(`Server ${s.name} is locked${s.systemMetadata.locked_reason ? ` (${s.systemMetadata.locked_reason})` : ''}.`, {
        code: 'SERVER_LOCKED', hint: `Run \`novalite server unlock ${s.uuid}\` first.`,
      });
    }
  }

  static assertAllowed(action: string, s: Server): void {
    const why = checkAllowed(action, s.vmState, s.taskState);
    if (why) throw new InvalidStateError(`${why} Server ${s.name} is ${serverStatus(s.vmState, s.taskState)}.`, { details: { vm_state: s.vmState, task_state: s.taskState, needs: ALLOW[action] } });
  }

  /** Runs a power action to completion (the CLI runs tasks inline). */
  async power(ref: string, projectId: string | undefined, action: string, userId: string): Promise<Server> {
    const a = POWER[action];
    if (!a) throw new InvalidInputError(`Unknown action ${JSON.stringify(action)}.`);
    await this.d.servers.recover();
    const s = await this.d.servers.get(ref, projectId);
    ServerActionsService.assertUnlocked(s);
    ServerActionsService.assertAllowed(a.pre, s);
    if (a.capability) {
      const caps = await this.d.capabilities(s);
      if (caps && caps[a.capability] === false) throw new NotSupportedError(`The driver of host ${s.host} cannot ${action}.`);
    }
    const cell = await this.d.servers.cellOf(s);
    const r = await this.d.stores.cell(cell);
    const expected = ALLOW[a.pre].task ?? [null];
    if (!(await r.instances.update(s.uuid, { taskState: a.task }, this.now(), expected))) {
      const now = (await r.instances.get(s.uuid))!;
      throw new InvalidStateError(`Server ${s.name} changed state (task_state ${now.taskState}) before ${action} could start.`);
    }
    const actionId = await r.actions.start({ instanceUuid: s.uuid, action: action.replace('_hard', ''), requestId: `req-${randomUUID()}`, userId, projectId: s.projectId }, this.now());
    return this.d.tasks.power(cell, { ...s, taskState: a.task }, { action, taskState: a.task, call: a.call, vmState: a.vm, powerState: a.power }, actionId);
  }

  /** `lockedBy` is Nova's: 'owner' when the server's own project locked it, else 'admin' (unlocking that needs an admin). */
  async lock(ref: string, projectId: string | undefined, userId: string, reason?: string, lockedBy: 'owner' | 'admin' = 'admin'): Promise<Server> {
    const s = await this.d.servers.get(ref, projectId);
    const r = await this.d.stores.cell(await this.d.servers.cellOf(s));
    if (reason !== undefined && reason.length > 255) throw new InvalidInputError('A lock reason must be at most 255 characters.');
    await r.instances.update(s.uuid, { locked: true, lockedBy }, this.now());
    await r.instances.setMetadata(s.uuid, { locked_reason: reason ?? null }, this.now(), true);
    const id = await r.actions.start({ instanceUuid: s.uuid, action: 'lock', requestId: `req-${randomUUID()}`, userId, projectId: s.projectId }, this.now());
    await r.actions.finish(id, this.now());
    return (await r.instances.get(s.uuid))!;
  }

  async unlock(ref: string, projectId: string | undefined, userId: string): Promise<Server> {
    const s = await this.d.servers.get(ref, projectId);
    const r = await this.d.stores.cell(await this.d.servers.cellOf(s));
    await r.instances.update(s.uuid, { locked: false, lockedBy: null }, this.now());
    await r.instances.setMetadata(s.uuid, { locked_reason: null }, this.now(), true);
    const id = await r.actions.start({ instanceUuid: s.uuid, action: 'unlock', requestId: `req-${randomUUID()}`, userId, projectId: s.projectId }, this.now());
    await r.actions.finish(id, this.now());
    return (await r.instances.get(s.uuid))!;
  }

  /**
   * Records a finished instance action (with one finished event when `event` is given) without
   * changing the server: what the REST API notes for external events and migration requests.
   * Returns the action's request id.
   */
  async recordAction(s: Server, action: string, userId: string | null, opts: { event?: string; projectId?: string | null; requestId?: string } = {}): Promise<string> {
    const r = await this.d.stores.cell(await this.d.servers.cellOf(s));
    const requestId = opts.requestId ?? `req-${randomUUID()}`;
    const id = await r.actions.start({ instanceUuid: s.uuid, action, requestId, userId, projectId: opts.projectId ?? s.projectId }, this.now());
    if (opts.event) await r.actions.finishEvent(id, opts.event, 'Success', this.now(), undefined);
    await r.actions.finish(id, this.now());
    return requestId;
  }

  async consoleLog(ref: string, projectId: string | undefined, lines?: number): Promise<string> {
    if (lines !== undefined && (!Number.isInteger(lines) || lines < 1)) throw new InvalidInputError('--lines must be a positive integer.');
    const s = await this.d.servers.get(ref, projectId);
    ServerActionsService.assertAllowed('console_log', s);
    const out = await this.d.consoleOutput(s);
    if (lines === undefined) return out;
    const all = out.endsWith('\n') ? out.slice(0, -1).split('\n') : out.split('\n');
    return `${all.slice(-lines).join('\n')}\n`;
  }

  async events(ref: string, projectId: string | undefined): Promise<InstanceAction[]> {
    const s = await this.d.servers.get(ref, projectId, { includeDeleted: true });
    return (await this.d.stores.cell(await this.d.servers.cellOf(s))).actions.list(s.uuid);
  }

  async event(ref: string, projectId: string | undefined, requestId: string): Promise<InstanceAction> {
    const s = await this.d.servers.get(ref, projectId, { includeDeleted: true });
    const a = await (await this.d.stores.cell(await this.d.servers.cellOf(s))).actions.get(s.uuid, requestId);
    if (!a) throw new NotFoundError('Instance action', requestId, { hint: `Run \`novalite server event list ${s.uuid}\`.` });
    return a;
  }

  /**
   * Waits until the server's status is one of `targets` (DELETED: until it is gone). ERROR when
   * ERROR is not a target fails with the fault (NoValidHost exit 5, else exit 6); running out of
   * time is a TimeoutError (exit 8) naming the status and the last action event.
   */
  async wait(ref: string, projectId: string | undefined, targets: string[], timeoutS: number, pollMs = 500): Promise<Server | null> {
    const want = targets.map((t) => t.toUpperCase());
    if (!(timeoutS > 0)) throw new InvalidInputError('--timeout must be a positive number of seconds.');
    const deadline = Date.now() + timeoutS * 1000;
    let uuid = ref;
    for (;;) {
      await this.d.servers.recover();
      let s: Server | null = null;
      try {
        s = await this.d.servers.get(uuid, projectId);
        uuid = s.uuid;
      } catch (e) {
        if (isNovaliteError(e) && e.category === 'not_found' && want.includes('DELETED')) return null;
        throw e;
      }
      const status = serverStatus(s.vmState, s.taskState);
      if (want.includes(status)) return s;
      if (status === 'ERROR') {
        const msg = `Server ${s.name} went to ERROR: ${s.fault?.message ?? 'no fault recorded'}`;
        throw /no valid host/i.test(s.fault?.message ?? '') ? new NoValidHostError(msg, { details: { fault: s.fault } }) : new HostError(msg, { code: 'SERVER_ERROR', details: { fault: s.fault } });
      }
      if (Date.now() >= deadline) {
        const last = (await this.events(s.uuid, projectId))[0];
        const ev = last?.events[last.events.length - 1];
        throw new TimeoutError(`Timed out after ${timeoutS} s waiting for server ${s.name} to be ${want.join(' or ')}; it is ${status} (vm_state ${s.vmState}, task_state ${s.taskState ?? 'none'}).`, {
          hint: ev ? `Last event: ${last.action} / ${ev.event} ${ev.result ?? 'in progress'}.` : undefined,
          details: { status, last_action: last ? { action: last.action, request_id: last.requestId, event: ev?.event ?? null, result: ev?.result ?? null } : null },
        });
      }
      await new Promise((res) => setTimeout(res, Math.min(pollMs, Math.max(10, deadline - Date.now()))));
    }
  }
}
