/** API DB: host aggregates, their hosts and metadata (an AZ is the `availability_zone` key). */
import type { Knex } from 'knex';
import { Aggregate } from '../../model/compute';

type Row = Record<string, any>;

export class AggregateRepo {
  constructor(private readonly k: Knex) {}

  private async hydrate(rows: Row[]): Promise<Aggregate[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const hosts = await this.k('aggregate_hosts').whereIn('aggregate_id', ids).orderBy('host');
    const meta = await this.k('aggregate_metadata').whereIn('aggregate_id', ids);
    return rows.map((r) => {
      const metadata = Object.fromEntries(meta.filter((m: Row) => m.aggregate_id === r.id).map((m: Row) => [m.key, m.value]));
      return {
        id: Number(r.id), uuid: r.uuid, name: r.name, availabilityZone: metadata.availability_zone ?? null, metadata,
        hosts: hosts.filter((h: Row) => h.aggregate_id === r.id).map((h: Row) => h.host), createdAt: r.created_at, updatedAt: r.updated_at ?? null,
      };
    });
  }

  async list(): Promise<Aggregate[]> {
    return this.hydrate(await this.k('aggregates').orderBy('id'));
  }

  async find(ref: string): Promise<Aggregate | null> {
    const q = this.k('aggregates').where({ name: ref }).orWhere({ uuid: ref });
    if (/^\d+$/.test(ref)) q.orWhere({ id: Number(ref) });
    const r = await q.first();
    return r ? (await this.hydrate([r]))[0] : null;
  }

  async forHost(host: string): Promise<Aggregate[]> {
    return this.hydrate(await this.k('aggregates').whereIn('id', this.k('aggregate_hosts').where({ host }).select('aggregate_id')));
  }

  async create(a: { uuid: string; name: string; metadata: Record<string, string> }, now: string): Promise<Aggregate> {
    await this.k.transaction(async (tx) => {
      await tx('aggregates').insert({ uuid: a.uuid, name: a.name, created_at: now });
      const row = await tx('aggregates').where({ uuid: a.uuid }).first('id');
      const md = Object.entries(a.metadata);
      if (md.length) await tx('aggregate_metadata').insert(md.map(([key, value]) => ({ aggregate_id: row.id, key, value })));
    });
    return (await this.find(a.uuid))!;
  }

  async rename(id: number, name: string, now: string): Promise<void> {
    await this.k('aggregates').where({ id }).update({ name, updated_at: now });
  }

  /** Sets keys; a null value removes the key. */
  async setMetadata(id: number, md: Record<string, string | null>, now: string): Promise<void> {
    await this.k.transaction(async (tx) => {
      for (const [key, value] of Object.entries(md)) {
        if (value === null) { await tx('aggregate_metadata').where({ aggregate_id: id, key }).delete(); continue; }
        const n = await tx('aggregate_metadata').where({ aggregate_id: id, key }).update({ value });
        if (!n) await tx('aggregate_metadata').insert({ aggregate_id: id, key, value });
      }
      await tx('aggregates').where({ id }).update({ updated_at: now });
    });
  }

  async addHost(id: number, host: string): Promise<boolean> {
    if (await this.k('aggregate_hosts').where({ aggregate_id: id, host }).first()) return false;
    await this.k('aggregate_hosts').insert({ aggregate_id: id, host });
    return true;
  }

  async addHosts(id: number, hosts: string[]): Promise<void> {
    for (let i = 0; i < hosts.length; i += 200) {
      await this.k('aggregate_hosts').insert(hosts.slice(i, i + 200).map((host) => ({ aggregate_id: id, host })));
    }
  }

  async removeHost(id: number, host: string): Promise<number> {
    return this.k('aggregate_hosts').where({ aggregate_id: id, host }).delete();
  }

  async removeHostEverywhere(host: string): Promise<void> {
    await this.k('aggregate_hosts').where({ host }).delete();
  }

  async delete(id: number): Promise<void> {
    await this.k.transaction(async (tx) => {
      await tx('aggregate_metadata').where({ aggregate_id: id }).delete();
      await tx('aggregates').where({ id }).delete();
    });
  }
}
