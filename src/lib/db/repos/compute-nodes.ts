/** Cell DB: compute nodes as cells v2 host discovery needs them. */
import type { Knex } from 'knex';

type Row = Record<string, any>;

export class ComputeNodeRepo {
  constructor(private readonly k: Knex) {}

  /** Live compute nodes whose host has not been mapped to the cell yet. */
  async unmapped(): Promise<Array<{ id: number; host: string; nodename: string }>> {
    const rows = await this.k('compute_nodes').whereNull('deleted_at').where({ mapped: false }).orderBy('id')
      .select('id', 'host', 'hypervisor_hostname');
    return rows.map((r: Row) => ({ id: Number(r.id), host: r.host, nodename: r.hypervisor_hostname }));
  }

  async markMapped(ids: number[]): Promise<void> {
    for (let i = 0; i < ids.length; i += 500) {
      await this.k('compute_nodes').whereIn('id', ids.slice(i, i + 500)).update({ mapped: true });
    }
  }
}
