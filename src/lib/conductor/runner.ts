/**
 * The durable task runner. A long operation is a task row owned by this process with a lease
 * that a heartbeat renews; the CLI runs tasks inline, `serve` in workers. When a process dies
 * its lease expires, and whichever novalite process looks next takes the task over and lets the
 * task's own recover() bring the server to a definite state.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import { Clock, isoTime } from '../clock';
import { Config } from '../config';
import { Stores } from '../db/stores';
import type { TaskRow } from '../db/repos/tasks';
import { CellMapping, isCell0 } from '../model/cells';

export interface TaskHandle {
  task: TaskRow;
  cell: CellMapping;
  /** Records progress (and, when given, the payload to resume from). */
  step(name: string, payload?: object): Promise<void>;
}

export type Recover = (t: TaskHandle) => Promise<unknown>;

/**
 * Who wants to hear that a task of theirs has started: the REST API answers 202 as soon as a
 * request has become a durable task (a row with a lease) and lets the task run on.
 */
export const taskStarts = new AsyncLocalStorage<(task: TaskRow) => void>();

export class TaskRunner {
  readonly owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(private readonly stores: Stores, private readonly config: Config, private readonly clock: Clock) {}

  private leaseMs(): number { return this.config.get<number>('conductor', 'task_lease_seconds') * 1000; }
  private now(): string { return isoTime(this.clock.now()); }
  private leaseUntil(): string { return isoTime(new Date(this.clock.now().getTime() + this.leaseMs())); }

  private handle(task: TaskRow, cell: CellMapping): TaskHandle {
    return {
      task, cell,
      step: async (name, payload) => { await (await this.stores.cell(cell)).tasks.setStep(task.uuid, this.owner, name, payload, this.now()); },
    };
  }

  /** Creates a task owned by this process and runs `fn` under a heartbeat. */
  async run<T>(cell: CellMapping, spec: { kind: string; instanceUuid: string | null; payload: object }, fn: (t: TaskHandle) => Promise<T>): Promise<T> {
    const repo = (await this.stores.cell(cell)).tasks;
    const task = await repo.create({ uuid: randomUUID(), ...spec, owner: this.owner, leaseUntil: this.leaseUntil() }, this.now());
    taskStarts.getStore()?.(task);
    return this.supervise(task, cell, fn);
  }

  private async supervise<T>(task: TaskRow, cell: CellMapping, fn: (t: TaskHandle) => Promise<T>): Promise<T> {
    const repo = (await this.stores.cell(cell)).tasks;
    const beat = setInterval(() => {
      repo.heartbeat(task.uuid, this.owner, this.leaseUntil(), this.now()).catch(() => undefined);
    }, Math.max(200, this.leaseMs() / 3));
    beat.unref();
    try {
      const result = await fn(this.handle(task, cell));
      await repo.finish(task.uuid, this.owner, 'done', { ok: true }, this.now());
      return result;
    } catch (e) {
      await repo.finish(task.uuid, this.owner, 'failed', { error: (e as Error).message }, this.now()).catch(() => undefined);
      throw e;
    } finally {
      clearInterval(beat);
    }
  }

  /** Takes over tasks whose lease expired, in every cell, and recovers them. Returns how many. */
  async recoverExpired(recoverers: Record<string, Recover>): Promise<number> {
    let n = 0;
    const cells = (await (await this.stores.api()).cells.list()).filter((c) => !isCell0(c) && !c.disabled);
    for (const cell of cells) {
      const repo = (await this.stores.cell(cell)).tasks;
      for (const t of await repo.expired(this.now())) {
        if (!(await repo.takeOver(t.uuid, this.owner, this.leaseUntil(), this.now()))) continue;
        const rec = recoverers[t.kind];
        const fresh = (await repo.get(t.uuid))!;
        await this.supervise(fresh, cell, async (h) => (rec ? rec(h) : undefined)).catch(() => undefined);
        n++;
      }
    }
    return n;
  }
}
