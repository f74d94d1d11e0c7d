/** Cell DB: the instance-action log (`server event list/show`): one action per request, with events. */
import type { Knex } from 'knex';
import { InstanceAction } from '../../model/servers';

type Row = Record<string, any>;

/** The id of an inserted row: engines with RETURNING give rows, MySQL gives the insert id. */
export function insertedId(r: unknown[]): number {
  const first = r[0] as number | { id: number };
  return Number(typeof first === 'object' ? first.id : first);
}

export class InstanceActionRepo {
  constructor(private readonly k: Knex) {}

  async start(a: { instanceUuid: string; action: string; requestId: string; userId: string | null; projectId: string | null }, now: string): Promise<number> {
    return insertedId(await this.k('instance_actions').insert({
      action: a.action, instance_uuid: a.instanceUuid, request_id: a.requestId, user_id: a.userId, project_id: a.projectId, start_time: now, created_at: now,
    }, ['id']));
  }

  /** Starts an event; returns its id for finishEvent. */
  async startEvent(actionId: number, event: string, host: string | null, now: string): Promise<number> {
    return insertedId(await this.k('instance_actions_events').insert({ action_id: actionId, event, host, start_time: now, created_at: now }, ['id']));
  }

  /** Finishes the event `eventId`, or records a finished event when none was started. */
  async finishEvent(actionId: number, event: string, result: 'Success' | 'Error', now: string, details?: string, eventId?: number): Promise<void> {
    if (eventId !== undefined) {
      await this.k('instance_actions_events').where({ id: eventId }).update({ result, finish_time: now, details: details ?? null, updated_at: now });
      return;
    }
    await this.k('instance_actions_events').insert({ action_id: actionId, event, result, start_time: now, finish_time: now, details: details ?? null, created_at: now });
  }

  async finish(actionId: number, now: string, message?: string): Promise<void> {
    await this.k('instance_actions').where({ id: actionId }).update({ finish_time: now, message: message ?? null, updated_at: now });
  }

  private async hydrate(rows: Row[]): Promise<InstanceAction[]> {
    if (!rows.length) return [];
    const events = await this.k('instance_actions_events').whereIn('action_id', rows.map((r) => r.id)).orderBy('id');
    return rows.map((r) => ({
      action: r.action, instanceUuid: r.instance_uuid, requestId: r.request_id, userId: r.user_id ?? null, projectId: r.project_id ?? null,
      startTime: r.start_time ?? null, finishTime: r.finish_time ?? null, message: r.message ?? null,
      events: events.filter((e: Row) => Number(e.action_id) === Number(r.id)).map((e: Row) => ({
        event: e.event, result: e.result ?? null, startTime: e.start_time ?? null, finishTime: e.finish_time ?? null, host: e.host ?? null,
        traceback: e.traceback ?? null, details: e.details ?? null,
      })),
    }));
  }

  async list(instanceUuid: string): Promise<InstanceAction[]> {
    return this.hydrate(await this.k('instance_actions').where({ instance_uuid: instanceUuid }).orderBy('id', 'desc'));
  }

  async get(instanceUuid: string, requestId: string): Promise<InstanceAction | null> {
    const r = await this.k('instance_actions').where({ instance_uuid: instanceUuid, request_id: requestId }).first();
    return r ? (await this.hydrate([r]))[0] : null;
  }
}
