/**
 * Cell DB: migration records (resize, cold and live migration, evacuation) and the two
 * allocation moves a migration needs beside ClaimRepo's claim and release: a destination claim
 * made under the migration's uuid is adopted by the server, and the allocation the server no
 * longer needs (the source after a confirm, the destination after a revert) is dropped. While a
 * resize waits for confirmation the server's consumer holds both, so deleting the server frees
 * both.
 */
import type { Knex } from 'knex';
import { Migration, MigrationType } from '../../model/migrations';
import { Resources } from '../../model/compute';

type Row = Record<string, any>;

export interface NewMigration {
  uuid: string; instanceUuid: string; migrationType: MigrationType; status: string;
  sourceCompute: string | null; sourceNode: string | null; oldInstanceTypeId: number | null; newInstanceTypeId: number | null;
  userId: string | null; projectId: string | null;
}

export interface MigrationPatch {
  status?: string; destCompute?: string | null; destNode?: string | null; destHost?: string | null;
}

export interface MigrationFilter {
  instanceUuid?: string; host?: string; status?: string; migrationType?: string; limit?: number;
}

const num = (v: unknown) => (v === null || v === undefined || v === '' ? null : Number(v));

export class MigrationRepo {
  constructor(private readonly k: Knex, private readonly cellUuid: string) {}

  private toMigration(r: Row): Migration {
    return {
      id: Number(r.id), uuid: r.uuid, instanceUuid: r.instance_uuid, migrationType: r.migration_type, status: r.status,
      sourceCompute: r.source_compute ?? null, sourceNode: r.source_node ?? null, destCompute: r.dest_compute ?? null,
      destNode: r.dest_node ?? null, destHost: r.dest_host ?? null, oldInstanceTypeId: num(r.old_instance_type_id),
      newInstanceTypeId: num(r.new_instance_type_id), userId: r.user_id ?? null, projectId: r.project_id ?? null,
      createdAt: r.created_at, updatedAt: r.updated_at ?? null, cellUuid: this.cellUuid,
    };
  }

  async create(m: NewMigration, now: string): Promise<Migration> {
    await this.k('migrations').insert({
      uuid: m.uuid, instance_uuid: m.instanceUuid, migration_type: m.migrationType, status: m.status,
      source_compute: m.sourceCompute, source_node: m.sourceNode,
      old_instance_type_id: m.oldInstanceTypeId === null ? null : String(m.oldInstanceTypeId),
      new_instance_type_id: m.newInstanceTypeId === null ? null : String(m.newInstanceTypeId),
      user_id: m.userId, project_id: m.projectId, created_at: now, updated_at: now,
    });
    return (await this.get(m.uuid))!;
  }

  async get(uuid: string): Promise<Migration | null> {
    const r = await this.k('migrations').where({ uuid }).whereNull('deleted_at').first();
    return r ? this.toMigration(r) : null;
  }

  /** Applies `patch` (only while the status is one of `expected`, when given); returns whether it did. */
  async update(uuid: string, patch: MigrationPatch, now: string, expected?: string[]): Promise<boolean> {
    const row: Row = { updated_at: now };
    if (patch.status !== undefined) row.status = patch.status;
    if (patch.destCompute !== undefined) row.dest_compute = patch.destCompute;
    if (patch.destNode !== undefined) row.dest_node = patch.destNode;
    if (patch.destHost !== undefined) row.dest_host = patch.destHost;
    const q = this.k('migrations').where({ uuid }).whereNull('deleted_at');
    if (expected) q.whereIn('status', expected);
    return (await q.update(row)) === 1;
  }

  /** A migration row that never took effect (the request was refused before anything happened). */
  async remove(uuid: string): Promise<void> {
    await this.k('migrations').where({ uuid }).delete();
  }

  /** Newest first (created_at, then id), as Nova's os-migrations lists them. */
  async list(f: MigrationFilter = {}): Promise<Migration[]> {
    const q = this.k('migrations').whereNull('deleted_at');
    if (f.instanceUuid) q.where({ instance_uuid: f.instanceUuid });
    if (f.status) q.where({ status: f.status });
    if (f.migrationType) q.where({ migration_type: f.migrationType });
    if (f.host) q.where((w) => w.where({ source_compute: f.host }).orWhere({ dest_compute: f.host }));
    q.orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]);
    if (f.limit) q.limit(f.limit);
    return (await q).map((r: Row) => this.toMigration(r));
  }

  /** The newest migration of a server in one of `statuses`, or null. */
  async latest(instanceUuid: string, statuses: string[]): Promise<Migration | null> {
    return (await this.list({ instanceUuid })).find((m) => statuses.includes(m.status)) ?? null;
  }

  /**
   * The server's consumer takes over the allocations claimed under the migration's uuid. On a
   * node where it already holds one (a resize to the same host) the two are merged into one
   * allocation row. Idempotent: a migration that holds nothing any more changes nothing.
   */
  async adoptAllocation(migrationUuid: string, instanceUuid: string, now: string): Promise<number> {
    return this.k.transaction(async (tx) => {
      const rows = await tx('allocations').where({ consumer_uuid: migrationUuid });
      for (const a of rows) {
        const mine = await tx('allocations').where({ consumer_uuid: instanceUuid, compute_node_id: a.compute_node_id }).first();
        if (!mine) {
          await tx('allocations').where({ id: a.id }).update({ consumer_uuid: instanceUuid });
          continue;
        }
        await tx('allocations').where({ id: mine.id }).update({
          vcpus: Number(mine.vcpus) + Number(a.vcpus), memory_mb: Number(mine.memory_mb) + Number(a.memory_mb), disk_gb: Number(mine.disk_gb) + Number(a.disk_gb),
        });
        await tx('allocations').where({ id: a.id }).delete();
        // One allocation row less on the node: running_vms counts rows (claim +1, release −1).
        await tx('compute_nodes').where({ id: a.compute_node_id }).update({ running_vms: tx.raw('running_vms - 1'), generation: tx.raw('generation + 1'), updated_at: now });
      }
      await tx('group_host_claims').where({ consumer_uuid: migrationUuid }).update({ consumer_uuid: instanceUuid });
      return rows.length;
    });
  }

  /**
   * Frees what the server holds on one node. Without `keep`, the whole allocation there goes.
   * With `keep` (a resize on one host, where the allocation is old + new merged), the allocation
   * shrinks to `keep` — but only while it is exactly `keep + drop`, so a retry changes nothing.
   */
  async dropAllocation(instanceUuid: string, nodeId: number, opts: { keep?: Resources; drop?: Resources }, now: string): Promise<boolean> {
    return this.k.transaction(async (tx) => {
      const a = await tx('allocations').where({ consumer_uuid: instanceUuid, compute_node_id: nodeId }).first();
      if (!a) return false;
      const node = await tx('compute_nodes').where({ id: nodeId }).first('host');
      const have = { vcpus: Number(a.vcpus), memoryMb: Number(a.memory_mb), diskGb: Number(a.disk_gb) };
      const { keep, drop } = opts;
      if (keep && drop) {
        const merged = have.vcpus === keep.vcpus + drop.vcpus && have.memoryMb === keep.memoryMb + drop.memoryMb && have.diskGb === keep.diskGb + drop.diskGb;
        if (!merged) return false;
        await tx('allocations').where({ id: a.id }).update({ vcpus: keep.vcpus, memory_mb: keep.memoryMb, disk_gb: keep.diskGb });
        await tx('compute_nodes').where({ id: nodeId }).update({
          vcpus_used: tx.raw('vcpus_used - ?', [drop.vcpus]), memory_mb_used: tx.raw('memory_mb_used - ?', [drop.memoryMb]),
          local_gb_used: tx.raw('local_gb_used - ?', [drop.diskGb]), generation: tx.raw('generation + 1'), updated_at: now,
        });
        // The merged allocation carried two group slots on this host; the newest goes.
        const slots = await tx('group_host_claims').where({ consumer_uuid: instanceUuid, host: node?.host ?? '' }).orderBy('slot', 'desc');
        if (slots.length > 1) await tx('group_host_claims').where({ id: slots[0].id }).delete();
        return true;
      }
      await tx('allocations').where({ id: a.id }).delete();
      await tx('compute_nodes').where({ id: nodeId }).update({
        vcpus_used: tx.raw('vcpus_used - ?', [have.vcpus]), memory_mb_used: tx.raw('memory_mb_used - ?', [have.memoryMb]),
        local_gb_used: tx.raw('local_gb_used - ?', [have.diskGb]), running_vms: tx.raw('running_vms - 1'), generation: tx.raw('generation + 1'), updated_at: now,
      });
      await tx('group_host_claims').where({ consumer_uuid: instanceUuid, host: node?.host ?? '' }).delete();
      return true;
    });
  }
}
