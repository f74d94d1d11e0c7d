/** Cell DB: compute hosts — a nova-compute service row plus its compute node. */
import type { Knex } from 'knex';
import { ComputeHost } from '../../model/compute';

type Row = Record<string, any>;
const json = (s: unknown, d: any) => { if (typeof s !== 'string' || !s) return d; try { return JSON.parse(s); } catch { return d; } };
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export interface NewHost {
  host: string; nodeUuid: string; serviceUuid: string; driver: string; hypervisorType: string; hypervisorVersion: number;
  vcpus: number; memoryMb: number; localGb: number; hostIp: string | null;
  cpuAllocationRatio: number | null; ramAllocationRatio: number | null; diskAllocationRatio: number | null;
  cpuInfo: Record<string, unknown>; stats: Record<string, string>; driverConfig: Record<string, unknown>;
  /** Usage to start from (bulk builds of simulated clouds). */
  used?: { vcpus: number; memoryMb: number; diskGb: number; runningVms: number };
}

const COLUMNS = ['cn.*', 's.id as s_id', 's.disabled as s_disabled', 's.disabled_reason as s_disabled_reason',
  's.forced_down as s_forced_down', 's.last_seen_up as s_last_seen_up', 's.unreachable_since as s_unreachable_since', 's.last_error as s_last_error',
  's.uuid as s_uuid', 's.updated_at as s_updated_at'];

export class HostRepo {
  constructor(private readonly k: Knex, private readonly cell: { uuid: string; name: string | null }) {}

  toHost(r: Row): ComputeHost {
    const dc = json(r.driver_config, {});
    return {
      nodeId: Number(r.id), nodeUuid: r.uuid, serviceId: num(r.s_id), serviceUuid: r.s_uuid ?? null, serviceUpdatedAt: r.s_updated_at ?? null, host: r.host, nodename: r.hypervisor_hostname,
      cellUuid: this.cell.uuid, cellName: this.cell.name, driver: dc.driver ?? 'fake', hypervisorType: r.hypervisor_type,
      hypervisorVersion: Number(r.hypervisor_version), vcpus: Number(r.vcpus), memoryMb: Number(r.memory_mb), localGb: Number(r.local_gb),
      vcpusUsed: Number(r.vcpus_used), memoryMbUsed: Number(r.memory_mb_used), localGbUsed: Number(r.local_gb_used),
      runningVms: Number(r.running_vms), cpuAllocationRatio: num(r.cpu_allocation_ratio), ramAllocationRatio: num(r.ram_allocation_ratio),
      diskAllocationRatio: num(r.disk_allocation_ratio), reservedHostMemoryMb: num(r.reserved_host_memory_mb),
      reservedHostDiskMb: num(r.reserved_host_disk_mb), reservedHostCpus: num(r.reserved_host_cpus), hostIp: r.host_ip ?? null,
      cpuInfo: json(r.cpu_info, {}), stats: json(r.stats, {}), metrics: json(r.metrics, {}), driverConfig: dc,
      generation: Number(r.generation), disabled: !!r.s_disabled, disabledReason: r.s_disabled_reason ?? null,
      forcedDown: !!r.s_forced_down, lastSeenUp: r.s_last_seen_up ?? null,
      unreachableSince: r.s_unreachable_since ?? null, lastError: r.s_last_error ?? null, createdAt: r.created_at, updatedAt: r.updated_at ?? null,
    };
  }

  private base(): Knex.QueryBuilder {
    return this.k('compute_nodes as cn')
      .leftJoin('services as s', (j) => j.on('s.id', '=', 'cn.service_id'))
      .whereNull('cn.deleted_at').select(COLUMNS);
  }

  async list(): Promise<ComputeHost[]> {
    return (await this.base().orderBy('cn.host')).map((r: Row) => this.toHost(r));
  }

  /**
   * Node uuid and generation of every live node: the change probe of the scheduler's cache.
   * A scan of two columns rather than an index on updated_at, which every claim would have to
   * rewrite (the claim is the hot path; the probe runs a few times a second).
   */
  async generations(): Promise<Array<{ nodeUuid: string; generation: number }>> {
    const rows = await this.k('compute_nodes').whereNull('deleted_at').select('uuid', 'generation');
    return rows.map((r: Row) => ({ nodeUuid: r.uuid, generation: Number(r.generation) }));
  }

  async byUuids(uuids: string[]): Promise<ComputeHost[]> {
    const out: ComputeHost[] = [];
    for (let i = 0; i < uuids.length; i += 500) {
      out.push(...(await this.base().whereIn('cn.uuid', uuids.slice(i, i + 500))).map((r: Row) => this.toHost(r)));
    }
    return out;
  }

  async byName(host: string): Promise<ComputeHost | null> {
    const r = await this.base().where('cn.host', host).first();
    return r ? this.toHost(r) : null;
  }

  async create(h: NewHost, now: string): Promise<ComputeHost> {
    await this.k.transaction(async (tx) => {
      await tx('services').insert({ uuid: h.serviceUuid, host: h.host, binary: 'nova-compute', topic: 'compute', last_seen_up: now, created_at: now, updated_at: now });
      const svc = await tx('services').where({ uuid: h.serviceUuid }).first('id');
      await tx('compute_nodes').insert({
        uuid: h.nodeUuid, service_id: svc.id, host: h.host, hypervisor_hostname: h.host, hypervisor_type: h.hypervisorType,
        hypervisor_version: h.hypervisorVersion, vcpus: h.vcpus, memory_mb: h.memoryMb, local_gb: h.localGb, host_ip: h.hostIp,
        cpu_allocation_ratio: h.cpuAllocationRatio, ram_allocation_ratio: h.ramAllocationRatio, disk_allocation_ratio: h.diskAllocationRatio,
        cpu_info: JSON.stringify(h.cpuInfo), stats: JSON.stringify(h.stats), driver_config: JSON.stringify({ ...h.driverConfig, driver: h.driver }),
        mapped: true, created_at: now, updated_at: now,
      });
    });
    return (await this.byName(h.host))!;
  }

  /** Bulk insert for simulations and benchmarks (no per-row round trips). */
  async createMany(hosts: NewHost[], now: string): Promise<void> {
    await this.k.transaction(async (tx) => {
      for (let i = 0; i < hosts.length; i += 100) {
        const chunk = hosts.slice(i, i + 100);
        await tx('services').insert(chunk.map((h) => ({ uuid: h.serviceUuid, host: h.host, binary: 'nova-compute', topic: 'compute', last_seen_up: now, created_at: now, updated_at: now })));
        const svcs = await tx('services').whereIn('uuid', chunk.map((h) => h.serviceUuid)).select('id', 'uuid');
        const byUuid = new Map(svcs.map((s: Row) => [s.uuid, s.id]));
        await tx('compute_nodes').insert(chunk.map((h) => ({
          uuid: h.nodeUuid, service_id: byUuid.get(h.serviceUuid), host: h.host, hypervisor_hostname: h.host, hypervisor_type: h.hypervisorType,
          hypervisor_version: h.hypervisorVersion, vcpus: h.vcpus, memory_mb: h.memoryMb, local_gb: h.localGb, host_ip: h.hostIp,
          cpu_allocation_ratio: h.cpuAllocationRatio, ram_allocation_ratio: h.ramAllocationRatio, disk_allocation_ratio: h.diskAllocationRatio,
          cpu_info: JSON.stringify(h.cpuInfo), stats: JSON.stringify(h.stats), driver_config: JSON.stringify({ ...h.driverConfig, driver: h.driver }),
          vcpus_used: h.used?.vcpus ?? 0, memory_mb_used: h.used?.memoryMb ?? 0, local_gb_used: h.used?.diskGb ?? 0,
          running_vms: h.used?.runningVms ?? 0, mapped: true, created_at: now, updated_at: now,
        })));
      }
    });
  }

  async setDisabled(host: string, disabled: boolean, reason: string | null, now: string): Promise<void> {
    await this.k.transaction(async (tx) => {
      await tx('services').where({ host, binary: 'nova-compute' }).whereNull('deleted_at').update({ disabled, disabled_reason: reason, updated_at: now });
      // Touch the node so scheduler caches in other processes see the change.
      await tx('compute_nodes').where({ host }).whereNull('deleted_at').update({ updated_at: now });
    });
  }

  /** Nova's forced_down: the host counts as down (evacuation allowed) until cleared. */
  async setForcedDown(host: string, down: boolean, now: string): Promise<void> {
    await this.k.transaction(async (tx) => {
      await tx('services').where({ host, binary: 'nova-compute' }).whereNull('deleted_at').update({ forced_down: down, updated_at: now });
      await tx('compute_nodes').where({ host }).whereNull('deleted_at').update({ updated_at: now, generation: tx.raw('generation + 1') });
    });
  }

  /**
   * Records a contact with the host: success clears the unreachable mark, failure sets it (once,
   * keeping the first time). The node's generation moves only when up/down flips, so schedulers
   * in other processes re-read it then and steady heartbeats cost them nothing.
   */
  async recordContact(host: string, ok: boolean, error: string | null, now: string): Promise<{ changed: boolean }> {
    return this.k.transaction(async (tx) => {
      const row = await tx('services').where({ host, binary: 'nova-compute' }).whereNull('deleted_at').first('id', 'unreachable_since');
      if (!row) return { changed: false };
      const wasDown = !!row.unreachable_since;
      await tx('services').where({ id: row.id }).update(ok
        ? { last_seen_up: now, unreachable_since: null, last_error: null, updated_at: now }
        : { unreachable_since: row.unreachable_since ?? now, last_error: (error ?? 'unreachable').slice(0, 2000), updated_at: now });
      const changed = wasDown === ok;
      if (changed) await tx('compute_nodes').where({ host }).whereNull('deleted_at').update({ updated_at: now, generation: tx.raw('generation + 1') });
      return { changed };
    });
  }

  /** Replaces what the driver keeps about the host (a re-pinned key, a new probe's findings). */
  async updateDriver(host: string, fields: { driverConfig: Record<string, unknown>; driver: string; vcpus?: number; memoryMb?: number; localGb?: number; hypervisorVersion?: number; cpuInfo?: Record<string, unknown> }, now: string): Promise<void> {
    const upd: Row = { driver_config: JSON.stringify({ ...fields.driverConfig, driver: fields.driver }), updated_at: now, generation: this.k.raw('generation + 1') };
    if (fields.vcpus !== undefined) upd.vcpus = fields.vcpus;
    if (fields.memoryMb !== undefined) upd.memory_mb = fields.memoryMb;
    if (fields.localGb !== undefined) upd.local_gb = fields.localGb;
    if (fields.hypervisorVersion !== undefined) upd.hypervisor_version = fields.hypervisorVersion;
    if (fields.cpuInfo !== undefined) upd.cpu_info = JSON.stringify(fields.cpuInfo);
    await this.k('compute_nodes').where({ host }).whereNull('deleted_at').update(upd);
  }

  async setUsage(nodeId: number, used: { vcpus: number; memoryMb: number; diskGb: number; runningVms: number }, now: string): Promise<void> {
    await this.k('compute_nodes').where({ id: nodeId }).update({
      vcpus_used: used.vcpus, memory_mb_used: used.memoryMb, local_gb_used: used.diskGb, running_vms: used.runningVms, updated_at: now,
    });
  }

  async softDelete(host: string, now: string): Promise<void> {
    await this.k.transaction(async (tx) => {
      await tx('compute_nodes').where({ host }).whereNull('deleted_at').update({ deleted_at: now, updated_at: now });
      await tx('services').where({ host }).whereNull('deleted_at').update({ deleted_at: now, updated_at: now });
    });
  }
}
