/**
 * The scheduler's view of the cloud: one HostState per compute node, built from the cell
 * databases and the API database's aggregates, cached between decisions. A decision reads the
 * cache; a refresh compares every node's generation with the cached one and re-reads only the
 * nodes that changed (no timestamps, so clock skew between processes cannot hide a change).
 * The cache may be stale: claims re-check in the database, and NoValidHost is only declared
 * after a full reload.
 */
import { Clock } from '../clock';
import { Config } from '../config';
import { Stores } from '../db/stores';
import { isCell0, CellMapping } from '../model/cells';
import { Aggregate, ComputeHost } from '../model/compute';
import { HostPool, makeHostState, resolveAllocationRatio } from '../scheduler';
import type { AggregateInfo, HostState } from '../scheduler';
import { CellsService } from './cells';

export class HostStateCache {
  private states = new Map<string, HostState>();
  private hostOfConsumer = new Map<string, string>();
  private nodeIds = new Map<string, number>();
  private list: HostState[] | null = null;
  private hostPool: HostPool | null = null;
  private cells: CellMapping[] = [];
  private aggsByHost = new Map<string, AggregateInfo[]>();
  private azByHost = new Map<string, string>();
  private lastRefresh = 0;
  private loaded = false;

  constructor(private readonly stores: Stores, private readonly config: Config, private readonly clock: Clock,
    private readonly cellsService: CellsService, private readonly refreshEveryMs = Number(process.env.NL_REFRESH_MS ?? 200)) {}

  /** The current host states (same objects across calls, so in-memory consumption sticks). */
  async hosts(opts: { fresh?: boolean } = {}): Promise<HostState[]> {
    const now = this.clock.now().getTime();
    if (!this.loaded || opts.fresh) await this.reload();
    else if (now - this.lastRefresh >= this.refreshEveryMs) await this.refresh();
    if (!this.list) { this.list = [...this.states.values()]; this.hostPool = null; }
    return this.list;
  }

  /**
   * The scheduler's pool over the current host states. The cache tells it about every change it
   * makes (HostPool's protocol); callers charge placements through `pool.consume`.
   */
  async pool(opts: { fresh?: boolean } = {}): Promise<HostPool> {
    const hosts = await this.hosts(opts);
    if (!this.hostPool) this.hostPool = new HostPool(hosts);
    return this.hostPool;
  }

  /** Forces a full reload on the next read (after a rollback released claims). */
  invalidate(): void { this.loaded = false; }

  /** Records a claim made by this process, so the snapshot needs no refresh to see it. */
  noteClaim(consumerUuid: string, state: HostState): void {
    this.hostOfConsumer.set(consumerUuid, state.host);
    // A claim bumps the node's generation by one; if another process also claimed there, the
    // database holds a higher one and the next refresh re-reads the node.
    state.generation += 1;
  }

  /** Hosts currently holding any of these consumers (server-group members). */
  hostsOf(consumers: string[]): string[] {
    return [...new Set(consumers.map((c) => this.hostOfConsumer.get(c)).filter((h): h is string => !!h))];
  }

  nodeIdOf(h: HostState): number { return this.nodeIds.get(h.nodeUuid)!; }
  cellOf(h: HostState): CellMapping { return this.cells.find((c) => c.uuid === h.cellUuid)!; }

  private async loadAggregates(): Promise<void> {
    const aggs: Aggregate[] = await (await this.stores.api()).aggregates.list();
    this.aggsByHost.clear();
    this.azByHost.clear();
    for (const a of aggs) {
      const info: AggregateInfo = { id: a.id, name: a.name, availabilityZone: a.availabilityZone, metadata: a.metadata };
      for (const h of a.hosts) {
        const list = this.aggsByHost.get(h) ?? [];
        list.push(info);
        this.aggsByHost.set(h, list);
        if (a.availabilityZone && !this.azByHost.has(h)) this.azByHost.set(h, a.availabilityZone);
      }
    }
  }

  /** Full reload: cells, aggregates, every node. */
  async reload(): Promise<void> {
    const started = this.clock.now().getTime();
    this.cells = (await this.cellsService.list()).filter((c) => !isCell0(c) && !c.disabled);
    await this.loadAggregates();
    this.states.clear();
    this.nodeIds.clear();
    this.hostOfConsumer.clear();
    for (const cell of this.cells) {
      const repos = await this.stores.cell(cell);
      const hosts = await repos.hosts.list();
      const consumers = await repos.claims.consumersByNode();
      for (const h of hosts) this.put(h, consumers.get(h.nodeId));
    }
    this.list = null;
    this.hostPool = null;
    this.loaded = true;
    this.lastRefresh = started;
  }

  /** Incremental: re-reads the nodes whose generation differs from the cached one. */
  async refresh(): Promise<void> {
    const started = this.clock.now().getTime();
    for (const cell of this.cells) {
      const repos = await this.stores.cell(cell);
      // Most changed rows are our own claims, already applied in memory with their generation:
      // compare generations first and read whole rows only for nodes someone else changed.
      const stale = (await repos.hosts.generations())
        .filter((g) => this.states.get(g.nodeUuid)?.generation !== g.generation).map((g) => g.nodeUuid);
      if (stale.length) for (const h of await repos.hosts.byUuids(stale)) this.update(h);
    }
    this.lastRefresh = started;
  }

  /** Re-reads one node (after a lost claim race). */
  async refreshNode(state: HostState): Promise<void> {
    const repos = await this.stores.cell(this.cellOf(state));
    const h = await repos.hosts.byName(state.host);
    if (h) this.update(h);
  }

  private update(h: ComputeHost): void {
    const s = this.states.get(h.nodeUuid);
    if (!s) { this.put(h, undefined); this.list = null; this.hostPool = null; return; }
    s.usedVcpus = h.vcpusUsed;
    s.usedMemoryMb = h.memoryMbUsed;
    s.usedDiskGb = h.localGbUsed;
    s.numInstances = h.runningVms;
    s.serviceDisabled = h.disabled;
    s.serviceUp = !h.forcedDown && !h.unreachableSince;
    s.disabledReason = h.disabledReason ?? undefined;
    s.numIoOps = Number((h.stats as Record<string, string | number>).io_workload ?? 0);
    s.generation = h.generation;
    this.hostPool?.update(s);
  }

  private put(h: ComputeHost, consumers: string[] | undefined): void {
    const sc = this.config;
    const stats = h.stats as Record<string, string | number>;
    const s: HostState = makeHostState({
      host: h.host, nodename: h.nodename, nodeUuid: h.nodeUuid, cellUuid: h.cellUuid,
      totalVcpus: h.vcpus, totalMemoryMb: h.memoryMb, totalDiskGb: h.localGb,
      usedVcpus: h.vcpusUsed, usedMemoryMb: h.memoryMbUsed, usedDiskGb: h.localGbUsed,
      reservedHostMemoryMb: h.reservedHostMemoryMb ?? sc.get<number>('compute', 'reserved_host_memory_mb'),
      reservedHostDiskMb: h.reservedHostDiskMb ?? sc.get<number>('compute', 'reserved_host_disk_mb'),
      reservedHostCpus: h.reservedHostCpus ?? sc.get<number>('compute', 'reserved_host_cpus'),
      cpuAllocationRatio: resolveAllocationRatio(h.cpuAllocationRatio, sc.get('compute', 'cpu_allocation_ratio'), 4.0),
      ramAllocationRatio: resolveAllocationRatio(h.ramAllocationRatio, sc.get('compute', 'ram_allocation_ratio'), 1.0),
      diskAllocationRatio: resolveAllocationRatio(h.diskAllocationRatio, sc.get('compute', 'disk_allocation_ratio'), 1.0),
      numInstances: h.runningVms, numIoOps: Number(stats.io_workload ?? 0), instancesByProject: undefined,
      instanceUuids: new Set(consumers ?? []), flavorIdsOnHost: new Set(),
      serviceUp: !h.forcedDown && !h.unreachableSince, serviceDisabled: h.disabled, disabledReason: h.disabledReason ?? undefined,
      availabilityZone: this.azByHost.get(h.host) ?? sc.get<string>('DEFAULT', 'default_availability_zone'),
      aggregates: this.aggsByHost.get(h.host) ?? [],
      capabilities: {
        arch: h.cpuInfo.arch as string | undefined, hypervisorType: h.hypervisorType, hypervisorVersion: h.hypervisorVersion,
        cpuModel: h.cpuInfo.model as string | undefined, cpuVendor: h.cpuInfo.vendor as string | undefined,
        cpuFeatures: (h.cpuInfo.features as string[] | undefined) ?? [],
      },
      metrics: h.metrics, stats, hostIp: h.hostIp ?? undefined, failedBuilds: Number(stats.failed_builds ?? 0), generation: h.generation,
    });
    for (const c of consumers ?? []) this.hostOfConsumer.set(c, h.host);
    this.states.set(h.nodeUuid, s);
    this.nodeIds.set(h.nodeUuid, h.nodeId);
  }
}
