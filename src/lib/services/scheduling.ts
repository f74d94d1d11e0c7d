/**
 * Scheduling with claims: choose hosts with the pure scheduler over the cached host states,
 * then claim each choice atomically in its cell database. A claim lost to a concurrent
 * scheduler falls through to the alternates; only after a full reload finds nothing does the
 * request fail with NoValidHost and the per-filter explanation. Also `explain` and `capacity`.
 */
import { Clock, isoTime } from '../clock';
import { Config } from '../config';
import { Stores } from '../db/stores';
import { InvalidInputError, NoValidHostError } from '../errors';
import { Flavor, ServerGroup } from '../model/compute';
import { consumeFromRequest, HostPool, makeRequestSpec, requestedDiskGb, Scheduler } from '../scheduler';
import type { Explanation, HostState, RequestSpec } from '../scheduler';

export type { Explanation } from '../scheduler';
import { HostStateCache } from './host-states';

export interface ScheduleInput {
  flavor: Flavor;
  image?: { id: string; properties: Record<string, string | string[]> } | null;
  availabilityZone?: string | null;
  hints?: Record<string, string | string[]>;
  group?: ServerGroup | null;
  projectId: string;
  userId: string;
  /** Hosts tried before (reschedules): the Retry filter skips them. */
  retryHosts?: string[];
  /** Keep the server in its cell (reschedules cannot move a server between cells). */
  cellUuid?: string;
  /** An admin's choice of host (`server create --host`). */
  host?: string;
}

export interface Placement {
  consumerUuid: string;
  host: string;
  nodename: string;
  nodeUuid: string;
  cellUuid: string;
  availabilityZone: string;
  /** Claims lost to concurrent schedulers before this one held. */
  lostRaces: number;
}

/** Rounds of select → claim over a snapshot; the last round always runs on a fresh reload. */
const MAX_ROUNDS = 4;

export class SchedulingService {
  constructor(private readonly stores: Stores, private readonly clock: Clock,
    readonly cache: HostStateCache, readonly scheduler: Scheduler) {}

  private now(): string { return isoTime(this.clock.now()); }

  spec(input: ScheduleInput, uuids: string[] = []): RequestSpec {
    const f = input.flavor;
    const g = input.group;
    return makeRequestSpec({
      flavor: { id: f.id, flavorid: f.flavorid, name: f.name, vcpus: f.vcpus, memoryMb: f.memoryMb, rootGb: f.rootGb, ephemeralGb: f.ephemeralGb, swapMb: f.swapMb, extraSpecs: f.extraSpecs },
      image: input.image ?? null, projectId: input.projectId, userId: input.userId,
      availabilityZone: input.availabilityZone ?? null, schedulerHints: input.hints ?? {}, numInstances: Math.max(1, uuids.length),
      instanceGroup: g ? { uuid: g.uuid, name: g.name, policy: g.policy, rules: g.rules, members: [...g.members], hosts: this.cache.hostsOf(g.members) } : null,
      instanceUuid: uuids[0], instanceUuids: uuids.length ? uuids : undefined,
      ignoreHosts: input.retryHosts ?? [],
      requestedDestination: input.cellUuid || input.host ? { cellUuid: input.cellUuid, host: input.host } : null,
    });
  }

  async explain(input: ScheduleInput): Promise<Explanation> {
    return this.scheduler.explain(this.spec(input), await this.cache.pool({ fresh: true }));
  }

  /** What the claim checks: (total − reserved) × ratio, per-aggregate ratios applied when their filters are on. */
  private capacityOf(h: HostState, pool: HostPool): { vcpus: number; memoryMb: number; diskGb: number } {
    const on = new Set(this.scheduler.config.enabledFilters);
    const i = pool.hosts.indexOf(h);
    const ratio = (own: number, filter: string, key: string) => {
      if (!on.has(filter) || i < 0) return own;
      const m = pool.aggregateMin(key)[i];
      return Number.isNaN(m) ? own : m;
    };
    return {
      vcpus: (h.totalVcpus - h.reservedHostCpus) * ratio(h.cpuAllocationRatio, 'AggregateCoreFilter', 'cpu_allocation_ratio'),
      memoryMb: (h.totalMemoryMb - h.reservedHostMemoryMb) * ratio(h.ramAllocationRatio, 'AggregateRamFilter', 'ram_allocation_ratio'),
      diskGb: (h.totalDiskGb - Math.ceil(h.reservedHostDiskMb / 1024)) * ratio(h.diskAllocationRatio, 'AggregateDiskFilter', 'disk_allocation_ratio'),
    };
  }

  /**
   * How many more servers of this request fit now, per host: the same filters decide which hosts
   * qualify, then each host is filled with the request in memory until its filters refuse.
   */
  async capacity(input: ScheduleInput): Promise<{ total: number; hosts: Array<{ host: string; fits: number }> }> {
    const hosts = (await this.cache.hosts({ fresh: true })).map((h) => ({ ...h, instanceUuids: new Set(h.instanceUuids), flavorIdsOnHost: new Set(h.flavorIdsOnHost) }));
    const spec = this.spec(input);
    const out: Array<{ host: string; fits: number }> = [];
    const pool = new HostPool(hosts);
    const need = { vcpus: spec.flavor.vcpus, memoryMb: spec.flavor.memoryMb, diskGb: requestedDiskGb(spec) };
    for (const h of hosts) {
      const one = new HostPool([h]);
      const cap = this.capacityOf(h, pool);
      let fits = 0;
      // The claim enforces capacity even when the resource filters are disabled, so check it too.
      while (fits < 100000 && this.scheduler.select(spec, one) !== null
        && h.usedVcpus + need.vcpus <= cap.vcpus && h.usedMemoryMb + need.memoryMb <= cap.memoryMb && h.usedDiskGb + need.diskGb <= cap.diskGb) {
        consumeFromRequest(h, spec, `capacity-${h.host}-${fits}`);
        fits++;
      }
      if (fits > 0) out.push({ host: h.host, fits });
    }
    out.sort((a, b) => b.fits - a.fits || a.host.localeCompare(b.host));
    return { total: out.reduce((a, b) => a + b.fits, 0), hosts: out };
  }

  /**
   * Places and claims one server per consumer uuid. With `minCount`, stops at the first
   * NoValidHost once that many are placed (Nova's min_count); otherwise all or nothing — on
   * failure it releases what it claimed.
   */
  async placeAndClaim(input: ScheduleInput, consumerUuids: string[], opts: { minCount?: number } = {}): Promise<Placement[]> {
    if (consumerUuids.length === 0) throw new InvalidInputError('Nothing to schedule.');
    const done: Placement[] = [];
    try {
      for (const uuid of consumerUuids) {
        try {
          done.push(await this.placeOne(input, uuid, done));
        } catch (e) {
          if (e instanceof NoValidHostError && opts.minCount !== undefined && done.length >= opts.minCount) return done;
          throw e;
        }
      }
      return done;
    } catch (e) {
      for (const p of done) await this.release(p).catch(() => undefined);
      if (done.length) this.cache.invalidate();
      throw e;
    }
  }

  private async placeOne(input: ScheduleInput, uuid: string, earlier: Placement[]): Promise<Placement> {
    let lostRaces = 0;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const pool = await this.cache.pool({ fresh: round > 0 });
      const spec = this.spec(input, [uuid]);
      if (spec.instanceGroup) spec.instanceGroup.hosts.push(...earlier.map((p) => p.host));
      const sel = this.scheduler.select(spec, pool);
      if (!sel) {
        if (round === 0) continue;
        throw this.scheduler.noValidHostError(spec, pool);
      }
      for (const cand of [sel.selected, ...sel.alternates]) {
        const ok = await this.claimOn(cand, pool, spec, uuid, input.group);
        if (ok) {
          consumeFromRequest(cand, spec, uuid);
          this.cache.noteClaim(uuid, cand);
          return { consumerUuid: uuid, host: cand.host, nodename: cand.nodename, nodeUuid: cand.nodeUuid, cellUuid: cand.cellUuid, availabilityZone: cand.availabilityZone, lostRaces };
        }
        lostRaces++;
        await this.cache.refreshNode(cand);
      }
    }
    const err = this.scheduler.noValidHostError(this.spec(input, [uuid]), await this.cache.pool({ fresh: true }));
    throw new NoValidHostError(`${err.message} (${lostRaces} claims were lost to concurrent requests)`, { details: err.details });
  }

  private async claimOn(h: HostState, pool: HostPool, spec: RequestSpec, uuid: string, group?: ServerGroup | null): Promise<boolean> {
    const repos = await this.stores.cell(this.cache.cellOf(h));
    const g = group && (group.policy === 'affinity' || group.policy === 'anti-affinity')
      ? { uuid: group.uuid, policy: group.policy, maxPerHost: group.rules.max_server_per_host ?? 1 } : undefined;
    const r = await repos.claims.claim({
      nodeId: this.cache.nodeIdOf(h), host: h.host, consumerUuid: uuid,
      resources: { vcpus: spec.flavor.vcpus, memoryMb: spec.flavor.memoryMb, diskGb: requestedDiskGb(spec) },
      capacity: this.capacityOf(h, pool), group: g,
    }, this.now());
    return r.ok;
  }

  async release(p: Pick<Placement, 'consumerUuid' | 'cellUuid'>): Promise<number> {
    const cell = (await (await this.stores.api()).cells.byUuid(p.cellUuid));
    if (!cell) return 0;
    return (await this.stores.cell(cell)).claims.release(p.consumerUuid, this.now());
  }

  /** Reads [filter_scheduler], [scheduler], [metrics] into the pure scheduler's config. */
  static configFrom(c: Config): ConstructorParameters<typeof Scheduler>[0] {
    const fs = (k: string) => c.get('filter_scheduler', k);
    const filters = fs('enabled_filters') as string[] | null;
    const weighers = fs('weight_classes') as string[] | null;
    return {
      ...(filters ? { enabledFilters: filters } : {}),
      ...(weighers ? { enabledWeighers: weighers } : {}),
      hostSubsetSize: fs('host_subset_size') as number, maxIoOpsPerHost: fs('max_io_ops_per_host') as number,
      maxInstancesPerHost: fs('max_instances_per_host') as number, maxAttempts: c.get<number>('scheduler', 'max_attempts'),
      ramWeightMultiplier: fs('ram_weight_multiplier') as number, cpuWeightMultiplier: fs('cpu_weight_multiplier') as number,
      diskWeightMultiplier: fs('disk_weight_multiplier') as number, ioOpsWeightMultiplier: fs('io_ops_weight_multiplier') as number,
      numInstancesWeightMultiplier: fs('num_instances_weight_multiplier') as number,
      softAffinityWeightMultiplier: fs('soft_affinity_weight_multiplier') as number,
      softAntiAffinityWeightMultiplier: fs('soft_anti_affinity_weight_multiplier') as number,
      buildFailureWeightMultiplier: fs('build_failure_weight_multiplier') as number,
      crossCellMoveWeightMultiplier: fs('cross_cell_move_weight_multiplier') as number,
      isolatedImages: fs('isolated_images') as string[], isolatedHosts: fs('isolated_hosts') as string[],
      restrictIsolatedHostsToIsolatedImages: fs('restrict_isolated_hosts_to_isolated_images') as boolean,
      metricsWeightMultiplier: c.get<number>('metrics', 'weight_multiplier'), metricsWeightSetting: c.get<string[]>('metrics', 'weight_setting'),
      metricsRequired: c.get<boolean>('metrics', 'required'), metricsWeightOfUnavailable: c.get<number>('metrics', 'weight_of_unavailable'),
      cpuAllocationRatio: c.get('compute', 'cpu_allocation_ratio'), ramAllocationRatio: c.get('compute', 'ram_allocation_ratio'),
      diskAllocationRatio: c.get('compute', 'disk_allocation_ratio'),
    };
  }
}
