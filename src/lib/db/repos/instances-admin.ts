/** Cell DB: the instance queries that cells v2 administration needs (mapping, host checks). */
import type { Knex } from 'knex';

type Row = Record<string, any>;

export class InstanceAdminRepo {
  constructor(private readonly k: Knex) {}

  /** Live instances with id > `afterId`, oldest first; for resumable map-instances batches. */
  async page(afterId: number, limit: number): Promise<Array<{ id: number; uuid: string; projectId: string; userId: string | null }>> {
    const rows = await this.k('instances').whereNull('deleted_at').where('id', '>', afterId).orderBy('id').limit(limit)
      .select('id', 'uuid', 'project_id', 'user_id');
    return rows.map((r: Row) => ({ id: Number(r.id), uuid: r.uuid, projectId: r.project_id, userId: r.user_id ?? null }));
  }

  async countLive(host?: string): Promise<number> {
    const q = this.k('instances').whereNull('deleted_at');
    if (host !== undefined) q.where({ host });
    const [r] = await q.count({ n: '*' });
    return Number(r.n);
  }

  async byUuid(uuid: string): Promise<{ uuid: string; deleted: boolean } | null> {
    const r = await this.k('instances').where({ uuid }).first('uuid', 'deleted_at');
    return r ? { uuid: r.uuid, deleted: r.deleted_at != null } : null;
  }
}
