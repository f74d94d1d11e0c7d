/**
 * Cell DB: durable tasks. A task row has an owner and a lease; the owner renews the lease with
 * heartbeats while it works. Taking a task is a compare-and-swap on (owner, lease), so exactly one
 * process runs it, and a task whose owner died is taken over once its lease has expired.
 */
import type { Knex } from 'knex';

type Row = Record<string, any>;

export type TaskStatus = 'pending' | 'running' | 'done' | 'failed';

export interface TaskRow {
  uuid: string;
  kind: string;
  instanceUuid: string | null;
  state: TaskStatus;
  step: string | null;
  owner: string | null;
  leaseExpiresAt: string | null;
  attempts: number;
  payload: Record<string, unknown>;
  result: Record<string, unknown> | null;
  createdAt: string;
}

const toTask = (r: Row): TaskRow => ({
  uuid: r.uuid, kind: r.kind, instanceUuid: r.instance_uuid ?? null, state: r.state, step: r.step ?? null, owner: r.owner ?? null,
  leaseExpiresAt: r.lease_expires_at ?? null, attempts: Number(r.attempts), payload: JSON.parse(r.payload ?? '{}'),
  result: r.result ? JSON.parse(r.result) : null, createdAt: r.created_at,
});

export class TaskRepo {
  constructor(private readonly k: Knex) {}

  /** Creates a task already owned by `owner` (the process that will run it inline). */
  async create(t: { uuid: string; kind: string; instanceUuid: string | null; payload: object; owner: string; leaseUntil: string }, now: string): Promise<TaskRow> {
    await this.k('tasks').insert({
      uuid: t.uuid, kind: t.kind, instance_uuid: t.instanceUuid, state: 'running', owner: t.owner, lease_expires_at: t.leaseUntil,
      heartbeat_at: now, attempts: 1, payload: JSON.stringify(t.payload), created_at: now, updated_at: now,
    });
    return {
      uuid: t.uuid, kind: t.kind, instanceUuid: t.instanceUuid, state: 'running', step: null, owner: t.owner, leaseExpiresAt: t.leaseUntil,
      attempts: 1, payload: t.payload as Record<string, unknown>, result: null, createdAt: now,
    };
  }

  async get(uuid: string): Promise<TaskRow | null> {
    const r = await this.k('tasks').where({ uuid }).first();
    return r ? toTask(r) : null;
  }

  /** Renews the lease; false when another process has taken the task over. */
  async heartbeat(uuid: string, owner: string, leaseUntil: string, now: string): Promise<boolean> {
    return (await this.k('tasks').where({ uuid, owner, state: 'running' }).update({ lease_expires_at: leaseUntil, heartbeat_at: now, updated_at: now })) === 1;
  }

  async setStep(uuid: string, owner: string, step: string, payload: object | undefined, now: string): Promise<boolean> {
    const row: Row = { step, updated_at: now };
    if (payload) row.payload = JSON.stringify(payload);
    return (await this.k('tasks').where({ uuid, owner }).update(row)) === 1;
  }

  async finish(uuid: string, owner: string, state: 'done' | 'failed', result: object, now: string): Promise<void> {
    await this.k('tasks').where({ uuid, owner }).update({ state, result: JSON.stringify(result), lease_expires_at: null, updated_at: now });
  }

  /** Running tasks whose lease ran out before `now`. */
  async expired(now: string, limit = 50): Promise<TaskRow[]> {
    return (await this.k('tasks').where({ state: 'running' }).where('lease_expires_at', '<', now).orderBy('id').limit(limit)).map(toTask);
  }

  /** Takes over an expired task; false when someone else was faster or the owner came back. */
  async takeOver(uuid: string, owner: string, leaseUntil: string, now: string): Promise<boolean> {
    const n = await this.k('tasks').where({ uuid, state: 'running' }).where('lease_expires_at', '<', now)
      .update({ owner, lease_expires_at: leaseUntil, heartbeat_at: now, attempts: this.k.raw('attempts + 1'), updated_at: now });
    return n === 1;
  }

  async activeFor(instanceUuid: string): Promise<TaskRow[]> {
    return (await this.k('tasks').where({ instance_uuid: instanceUuid, state: 'running' })).map(toTask);
  }
}
