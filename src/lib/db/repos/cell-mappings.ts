/** API DB: cell mappings, host mappings and instance mappings (cells v2 routing data). */
import type { Knex } from 'knex';
import { CellMapping, HostMapping, InstanceMapping } from '../../model/cells';

type Row = Record<string, any>;

const toCell = (r: Row): CellMapping => ({
  id: Number(r.id), uuid: r.uuid, name: r.name ?? null, databaseConnection: r.database_connection,
  transportUrl: r.transport_url ?? null, disabled: !!r.disabled, createdAt: r.created_at, updatedAt: r.updated_at ?? null,
});
const toHost = (r: Row): HostMapping => ({ id: Number(r.id), cellId: Number(r.cell_id), host: r.host, createdAt: r.created_at });
const toInst = (r: Row): InstanceMapping => ({
  id: Number(r.id), instanceUuid: r.instance_uuid, cellId: r.cell_id == null ? null : Number(r.cell_id),
  projectId: r.project_id, userId: r.user_id ?? null, queuedForDelete: !!r.queued_for_delete, createdAt: r.created_at,
});

/**
 * Cell mappings change rarely and are read on every request, so each process keeps them for a
 * few seconds (the same window Nova's cell cache uses to let a new cell appear); writes made
 * through this process drop the copy at once.
 */
const CELL_CACHE_MS = 5000;
const cellCache = new WeakMap<Knex, { at: number; cells: CellMapping[] }>();

export class CellMappingRepo {
  constructor(private readonly k: Knex) {}

  async list(): Promise<CellMapping[]> {
    const hit = cellCache.get(this.k);
    if (hit && Date.now() - hit.at < CELL_CACHE_MS) return hit.cells.map((c) => ({ ...c }));
    const cells = (await this.k('cell_mappings').orderBy('id')).map(toCell);
    cellCache.set(this.k, { at: Date.now(), cells });
    return cells.map((c) => ({ ...c }));
  }

  private forget(): void { cellCache.delete(this.k); }

  async byUuid(uuid: string): Promise<CellMapping | null> {
    const r = await this.k('cell_mappings').where({ uuid }).first();
    return r ? toCell(r) : null;
  }

  async byName(name: string): Promise<CellMapping | null> {
    const r = await this.k('cell_mappings').where({ name }).first();
    return r ? toCell(r) : null;
  }

  async create(c: Omit<CellMapping, 'id' | 'updatedAt'>): Promise<CellMapping> {
    this.forget();
    await this.k('cell_mappings').insert({
      uuid: c.uuid, name: c.name, database_connection: c.databaseConnection, transport_url: c.transportUrl,
      disabled: c.disabled, created_at: c.createdAt,
    });
    return (await this.byUuid(c.uuid))!;
  }

  async update(uuid: string, patch: { name?: string; databaseConnection?: string; disabled?: boolean }, now: string): Promise<void> {
    this.forget();
    const row: Row = { updated_at: now };
    if (patch.name !== undefined) row.name = patch.name;
    if (patch.databaseConnection !== undefined) row.database_connection = patch.databaseConnection;
    if (patch.disabled !== undefined) row.disabled = patch.disabled;
    await this.k('cell_mappings').where({ uuid }).update(row);
  }

  async delete(id: number): Promise<void> {
    this.forget();
    await this.k.transaction(async (tx) => {
      await tx('host_mappings').where({ cell_id: id }).delete();
      await tx('instance_mappings').where({ cell_id: id }).delete();
      await tx('cell_mappings').where({ id }).delete();
    });
  }
}

export class HostMappingRepo {
  constructor(private readonly k: Knex) {}

  async list(cellId?: number): Promise<HostMapping[]> {
    const q = this.k('host_mappings').orderBy(['cell_id', 'host']);
    if (cellId !== undefined) q.where({ cell_id: cellId });
    return (await q).map(toHost);
  }

  async byHost(host: string): Promise<HostMapping | null> {
    const r = await this.k('host_mappings').where({ host }).first();
    return r ? toHost(r) : null;
  }

  async count(cellId: number): Promise<number> {
    const [r] = await this.k('host_mappings').where({ cell_id: cellId }).count({ n: '*' });
    return Number(r.n);
  }

  /** Inserts mappings for hosts not mapped yet; returns the hosts it mapped. */
  async mapHosts(cellId: number, hosts: string[], now: string): Promise<string[]> {
    if (hosts.length === 0) return [];
    return this.k.transaction(async (tx) => {
      const existing = new Set((await tx('host_mappings').whereIn('host', hosts).select('host')).map((r: Row) => r.host));
      const fresh = [...new Set(hosts)].filter((h) => !existing.has(h));
      for (let i = 0; i < fresh.length; i += 200) {
        await tx('host_mappings').insert(fresh.slice(i, i + 200).map((host) => ({ cell_id: cellId, host, created_at: now })));
      }
      return fresh;
    });
  }

  async delete(cellId: number, host: string): Promise<number> {
    return this.k('host_mappings').where({ cell_id: cellId, host }).delete();
  }
}

export class InstanceMappingRepo {
  constructor(private readonly k: Knex) {}

  async byInstance(uuid: string): Promise<InstanceMapping | null> {
    const r = await this.k('instance_mappings').where({ instance_uuid: uuid }).first();
    return r ? toInst(r) : null;
  }

  async count(cellId: number): Promise<number> {
    const [r] = await this.k('instance_mappings').where({ cell_id: cellId }).count({ n: '*' });
    return Number(r.n);
  }

  /** Which of `uuids` already have a mapping. */
  async existing(uuids: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < uuids.length; i += 500) {
      const rows = await this.k('instance_mappings').whereIn('instance_uuid', uuids.slice(i, i + 500)).select('instance_uuid');
      rows.forEach((r: Row) => out.add(r.instance_uuid));
    }
    return out;
  }

  async createMany(rows: Array<{ instanceUuid: string; cellId: number; projectId: string; userId: string | null }>, now: string): Promise<void> {
    for (let i = 0; i < rows.length; i += 200) {
      await this.k('instance_mappings').insert(rows.slice(i, i + 200).map((r) => ({
        instance_uuid: r.instanceUuid, cell_id: r.cellId, project_id: r.projectId, user_id: r.userId,
        queued_for_delete: false, created_at: now,
      })));
    }
  }

  /** A mapping before the server has a cell; the idempotency key is unique per project. */
  async createPending(m: { instanceUuid: string; projectId: string; userId: string | null; idempotencyKey: string | null }, now: string): Promise<void> {
    await this.k('instance_mappings').insert({
      instance_uuid: m.instanceUuid, cell_id: null, project_id: m.projectId, user_id: m.userId, queued_for_delete: false,
      idempotency_key: m.idempotencyKey, created_at: now,
    });
  }

  async setCell(uuids: string[], cellId: number, now: string): Promise<void> {
    await this.k('instance_mappings').whereIn('instance_uuid', uuids).update({ cell_id: cellId, updated_at: now });
  }

  async byIdempotencyKey(projectId: string, key: string): Promise<InstanceMapping[]> {
    return (await this.k('instance_mappings').where({ project_id: projectId, idempotency_key: key }).orderBy('id')).map(toInst);
  }

  async queueForDelete(uuid: string, now: string): Promise<void> {
    await this.k('instance_mappings').where({ instance_uuid: uuid }).update({ queued_for_delete: true, updated_at: now });
  }

  async deletePending(uuids: string[]): Promise<void> {
    await this.k('instance_mappings').whereIn('instance_uuid', uuids).whereNull('cell_id').delete();
  }

  /** Removes the API-side records of servers that were archived out of a cell. */
  async deleteForInstances(uuids: string[]): Promise<number> {
    let n = 0;
    for (let i = 0; i < uuids.length; i += 500) {
      const chunk = uuids.slice(i, i + 500);
      await this.k('request_specs').whereIn('instance_uuid', chunk).delete();
      await this.k('build_requests').whereIn('instance_uuid', chunk).delete();
      n += await this.k('instance_mappings').whereIn('instance_uuid', chunk).delete();
    }
    return n;
  }
}
