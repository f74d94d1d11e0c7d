/**
 * Cell DB: atomic resource claims. A claim is one transaction: a conditional UPDATE of the
 * compute node that re-checks capacity against the row's own inventory, reserved amounts and
 * allocation ratios (so a stale scheduler snapshot can never overcommit), the allocation row,
 * and for server groups a row whose unique key makes conflicting placements impossible.
 */
import type { Knex } from 'knex';
import { Resources } from '../../model/compute';
import { claimSqlite, firstFreeSlot } from './claims-sqlite';

export interface ClaimDefaults {
  cpuAllocationRatio: number;
  ramAllocationRatio: number;
  diskAllocationRatio: number;
  reservedHostCpus: number;
  reservedHostMemoryMb: number;
  reservedHostDiskMb: number;
}

export interface ClaimRequest {
  nodeId: number;
  host: string;
  consumerUuid: string;
  resources: Resources;
  /**
   * The most each resource may reach on this node: (total − reserved) × allocation ratio,
   * with per-aggregate ratios already applied — the scheduler's arithmetic, re-checked here
   * against the usage in the row at commit time.
   */
  capacity: Resources;
  group?: { uuid: string; policy: 'affinity' | 'anti-affinity'; maxPerHost: number };
}

export type ClaimOutcome = { ok: true } | { ok: false; reason: 'capacity' | 'group' };

class GroupConflict extends Error {}

export class ClaimRepo {
  constructor(private readonly k: Knex, private readonly defaults: ClaimDefaults) {}

  async claim(req: ClaimRequest, now: string): Promise<ClaimOutcome> {
    if (this.k.client.config.client === 'better-sqlite3') return claimSqlite(this.k, req, now);
    const r = req.resources;
    try {
      const ok = await this.k.transaction(async (tx) => {
        const c = req.capacity;
        const q = tx('compute_nodes').where({ id: req.nodeId }).whereNull('deleted_at')
          .whereRaw('vcpus_used + ? <= ?', [r.vcpus, c.vcpus])
          .whereRaw('memory_mb_used + ? <= ?', [r.memoryMb, c.memoryMb])
          .whereRaw('local_gb_used + ? <= ?', [r.diskGb, c.diskGb]);
        const n = await q.update({
          vcpus_used: tx.raw('vcpus_used + ?', [r.vcpus]), memory_mb_used: tx.raw('memory_mb_used + ?', [r.memoryMb]),
          local_gb_used: tx.raw('local_gb_used + ?', [r.diskGb]), running_vms: tx.raw('running_vms + 1'),
          generation: tx.raw('generation + 1'), updated_at: now,
        });
        if (n !== 1) return false;
        await tx('allocations').insert({ consumer_uuid: req.consumerUuid, compute_node_id: req.nodeId, vcpus: r.vcpus, memory_mb: r.memoryMb, disk_gb: r.diskGb, created_at: now });
        if (req.group) await this.claimGroup(tx, req, now);
        return true;
      });
      return ok ? { ok: true } : { ok: false, reason: 'capacity' };
    } catch (e) {
      if (e instanceof GroupConflict) return { ok: false, reason: 'group' };
      throw e;
    }
  }

  /**
   * Anti-affinity: at most maxPerHost rows per (group, host), the unique slot key settling
   * races. Affinity: one pin row per group serialises the first placements (a concurrent
   * insert waits on the unique key), and a pin whose members are all gone moves freely.
   */
  private async claimGroup(tx: Knex.Transaction, req: ClaimRequest, now: string): Promise<void> {
    const g = req.group!;
    if (g.policy === 'affinity') {
      await tx('group_affinity_hosts').insert({ group_uuid: g.uuid, host: req.host, created_at: now }).onConflict('group_uuid').ignore();
      const pin = await tx('group_affinity_hosts').where({ group_uuid: g.uuid }).first('host');
      if (pin.host !== req.host) {
        const [live] = await tx('group_host_claims').where({ group_uuid: g.uuid }).count({ n: '*' });
        if (Number(live.n) > 0) throw new GroupConflict();
        await tx('group_affinity_hosts').where({ group_uuid: g.uuid }).update({ host: req.host });
      }
    }
    const taken = (await tx('group_host_claims').where({ group_uuid: g.uuid, host: req.host }).select('slot')).map((r: Record<string, any>) => Number(r.slot));
    const slot = firstFreeSlot(taken);
    if (g.policy === 'anti-affinity' && slot > g.maxPerHost) throw new GroupConflict();
    await tx('group_host_claims').insert({ group_uuid: g.uuid, host: req.host, slot, consumer_uuid: req.consumerUuid, created_at: now })
      .onConflict(['group_uuid', 'host', 'slot']).ignore();
    const mine = await tx('group_host_claims').where({ group_uuid: g.uuid, host: req.host, slot }).first('consumer_uuid');
    if (mine.consumer_uuid !== req.consumerUuid) throw new GroupConflict();
  }

  /** Frees everything a consumer holds in this cell; returns how many allocations it removed. */
  async release(consumerUuid: string, now: string): Promise<number> {
    return this.k.transaction(async (tx) => {
      const allocs = await tx('allocations').where({ consumer_uuid: consumerUuid });
      for (const a of allocs) {
        await tx('compute_nodes').where({ id: a.compute_node_id }).update({
          vcpus_used: tx.raw('vcpus_used - ?', [a.vcpus]), memory_mb_used: tx.raw('memory_mb_used - ?', [a.memory_mb]),
          local_gb_used: tx.raw('local_gb_used - ?', [a.disk_gb]), running_vms: tx.raw('running_vms - 1'),
          generation: tx.raw('generation + 1'), updated_at: now,
        });
      }
      await tx('allocations').where({ consumer_uuid: consumerUuid }).delete();
      await tx('group_host_claims').where({ consumer_uuid: consumerUuid }).delete();
      return allocs.length;
    });
  }

  /** Consumer uuids per compute node (SameHost/DifferentHost need to know who is where). */
  async consumersByNode(): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    for (const r of await this.k('allocations').select('compute_node_id', 'consumer_uuid')) {
      const id = Number(r.compute_node_id);
      const list = out.get(id) ?? [];
      list.push(r.consumer_uuid);
      out.set(id, list);
    }
    return out;
  }

  async forConsumer(consumerUuid: string): Promise<Array<{ nodeId: number } & Resources>> {
    const rows = await this.k('allocations').where({ consumer_uuid: consumerUuid });
    return rows.map((a: Record<string, any>) => ({ nodeId: Number(a.compute_node_id), vcpus: a.vcpus, memoryMb: a.memory_mb, diskGb: a.disk_gb }));
  }

  /**
   * Allocations whose consumer is neither a live server nor a migration still in progress
   * (`finalStatuses` are the migration states that hold nothing any more).
   */
  async leaked(finalStatuses: string[]): Promise<Array<{ consumerUuid: string; host: string; vcpus: number; memoryMb: number; diskGb: number }>> {
    const rows = await this.k('allocations as a')
      .join('compute_nodes as cn', 'cn.id', 'a.compute_node_id')
      .leftJoin('instances as i', (j) => j.on('i.uuid', '=', 'a.consumer_uuid').andOnNull('i.deleted_at'))
      .leftJoin('migrations as m', (j) => j.on('m.uuid', '=', 'a.consumer_uuid').andOnNotIn('m.status', finalStatuses))
      .whereNull('i.id').whereNull('m.id')
      .select('a.consumer_uuid', 'cn.host', 'a.vcpus', 'a.memory_mb', 'a.disk_gb');
    return rows.map((r: Record<string, any>) => ({ consumerUuid: r.consumer_uuid, host: r.host, vcpus: Number(r.vcpus), memoryMb: Number(r.memory_mb), diskGb: Number(r.disk_gb) }));
  }

  /** Hosts whose usage exceeds their capacity, or disagrees with the sum of allocations. */
  async inconsistentNodes(): Promise<Array<{ nodeId: number; host: string; problem: string }>> {
    const rows = await this.k('compute_nodes as cn').whereNull('cn.deleted_at')
      .leftJoin(this.k('allocations').select('compute_node_id').sum({ v: 'vcpus', m: 'memory_mb', d: 'disk_gb' }).count({ n: '*' }).groupBy('compute_node_id').as('a'), 'a.compute_node_id', 'cn.id')
      .select('cn.id', 'cn.host', 'cn.vcpus_used', 'cn.memory_mb_used', 'cn.local_gb_used', 'cn.running_vms', 'a.v', 'a.m', 'a.d', 'a.n');
    const out: Array<{ nodeId: number; host: string; problem: string }> = [];
    for (const r of rows as Array<Record<string, any>>) {
      if (Number(r.vcpus_used) !== Number(r.v ?? 0) || Number(r.memory_mb_used) !== Number(r.m ?? 0) || Number(r.local_gb_used) !== Number(r.d ?? 0)) {
        out.push({ nodeId: Number(r.id), host: r.host, problem: 'usage differs from the sum of allocations' });
      }
    }
    return out;
  }

  /** Hosts whose usage exceeds what their inventory, reserved amounts and ratios allow. */
  async overcommittedNodes(): Promise<Array<{ nodeId: number; host: string }>> {
    const d = this.defaults;
    const rows = await this.k('compute_nodes').whereNull('deleted_at').where((w) => w
      .whereRaw('vcpus_used > (vcpus - COALESCE(reserved_host_cpus, ?)) * COALESCE(cpu_allocation_ratio, ?)', [d.reservedHostCpus, d.cpuAllocationRatio])
      .orWhereRaw('memory_mb_used > (memory_mb - COALESCE(reserved_host_memory_mb, ?)) * COALESCE(ram_allocation_ratio, ?)', [d.reservedHostMemoryMb, d.ramAllocationRatio])
      .orWhereRaw('local_gb_used > (local_gb - COALESCE(reserved_host_disk_mb, ?) / 1024.0) * COALESCE(disk_allocation_ratio, ?)', [d.reservedHostDiskMb, d.diskAllocationRatio]))
      .select('id', 'host');
    return rows.map((r: Record<string, any>) => ({ nodeId: Number(r.id), host: r.host }));
  }
}
