/**
 * Plain data the scheduler works on: what a host looks like to it (HostState), what is being
 * asked for (RequestSpec) and how it is tuned (SchedulerConfig). The DB layer builds these from
 * its rows; the scheduler never reads the database itself.
 */

/** A host aggregate as the scheduler sees it. Metadata values are strings, as in Nova. */
export interface AggregateInfo {
  id: number | string;
  name: string;
  availabilityZone?: string | null;
  metadata: Record<string, string>;
}

/** What the virt driver reports about a node (Nova's hypervisor_* fields and cpu_info). */
export interface HostCapabilities {
  arch?: string;
  hypervisorType?: string;
  /** Nova's integer encoding: major * 1_000_000 + minor * 1_000 + patch. */
  hypervisorVersion?: number;
  cpuModel?: string;
  cpuVendor?: string;
  cpuFeatures?: string[];
  maxPhysAddrBits?: number;
  /** [arch, hypervisor type, vm mode] triples, e.g. ['x86_64', 'kvm', 'hvm']. */
  supportedInstances?: Array<[string, string, string]>;
  machineTypes?: string[];
}

/**
 * One compute node. Usage counts what allocations consume (reserved amounts are separate), and
 * the allocation ratios are the host's effective values: the caller resolves them from the host,
 * the global config and Nova's initial_* defaults (see resolveAllocationRatio).
 *
 * Build these with makeHostState() so every object has the same shape: the filters' hot loops
 * stay monomorphic only if all hosts share one hidden class.
 */
export interface HostState {
  host: string;
  nodename: string;
  nodeUuid: string;
  cellUuid: string;
  totalVcpus: number;
  totalMemoryMb: number;
  totalDiskGb: number;
  usedVcpus: number;
  usedMemoryMb: number;
  usedDiskGb: number;
  reservedHostMemoryMb: number;
  reservedHostDiskMb: number;
  reservedHostCpus: number;
  cpuAllocationRatio: number;
  ramAllocationRatio: number;
  diskAllocationRatio: number;
  numInstances: number;
  /** Instances building, resizing, snapshotting, migrating … (Nova's io_workload stat). */
  numIoOps: number;
  instancesByProject: Record<string, number> | undefined;
  instanceUuids: Set<string>;
  /** String(flavor.id) of every instance on the host (TypeAffinityFilter). */
  flavorIdsOnHost: Set<string>;
  serviceUp: boolean;
  serviceDisabled: boolean;
  disabledReason: string | undefined;
  availabilityZone: string;
  aggregates: AggregateInfo[];
  capabilities: HostCapabilities;
  metrics: Record<string, number>;
  /** Free-form compute node stats; ComputeCapabilities and Json fall back to these keys. */
  stats: Record<string, string | number>;
  hostIp: string | undefined;
  failedBuilds: number;
  /** Bumped by every claim; the DB layer compares-and-swaps on it. The scheduler only reads it. */
  generation: number;
}

export interface FlavorSpec {
  /** Database id (TypeAffinityFilter compares this, as Nova compares instance_type_id). */
  id: number | string;
  flavorid: string;
  name: string;
  vcpus: number;
  memoryMb: number;
  rootGb: number;
  ephemeralGb: number;
  swapMb: number;
  extraSpecs: Record<string, string>;
}

export interface ImageSpec {
  id: string;
  properties: Record<string, string | string[]>;
}

export type GroupPolicy = 'affinity' | 'anti-affinity' | 'soft-affinity' | 'soft-anti-affinity';

export interface InstanceGroupSpec {
  uuid: string;
  name: string;
  policy: GroupPolicy;
  rules: { max_server_per_host?: number };
  /** Hosts already used by members. */
  hosts: string[];
  /** Instance uuids of the members (including the ones being scheduled, as in Nova). */
  members: string[];
}

export interface RequestedDestination {
  host?: string;
  node?: string;
  cellUuid?: string;
  allowCrossCellMove?: boolean;
}

export interface RequestSpec {
  flavor: FlavorSpec;
  image: ImageSpec | null;
  projectId: string;
  userId: string;
  availabilityZone?: string | null;
  schedulerHints: Record<string, string | string[]>;
  numInstances: number;
  instanceGroup?: InstanceGroupSpec | null;
  ignoreHosts?: string[];
  forceHosts?: string[];
  forceNodes?: string[];
  retry?: { numAttempts: number; hosts: string[] } | null;
  requestedDestination?: RequestedDestination | null;
  instanceUuid?: string;
  /** One uuid per instance of a multi-create; selectMany records them on the chosen hosts. */
  instanceUuids?: string[];
  /** Root disk on a volume: DISK_GB then counts only ephemeral and swap, as in Nova. */
  bootFromVolume?: boolean;
}

/**
 * The scheduler's knobs, named after Nova's [filter_scheduler] and [metrics] options in
 * camelCase. Multipliers may be overridden per host by aggregate metadata keys of the Nova name
 * (e.g. ram_weight_multiplier=-1.0 on an aggregate makes its hosts stack).
 */
export interface SchedulerConfig {
  enabledFilters: string[];
  enabledWeighers: string[];
  hostSubsetSize: number;
  shuffleBestSameWeighedHosts: boolean;
  /** Nova's [scheduler] max_attempts: one selected host plus max_attempts - 1 alternates. */
  maxAttempts: number;
  maxIoOpsPerHost: number;
  maxInstancesPerHost: number;
  isolatedImages: string[];
  isolatedHosts: string[];
  restrictIsolatedHostsToIsolatedImages: boolean;
  aggregateImagePropertiesIsolationNamespace: string | undefined;
  aggregateImagePropertiesIsolationSeparator: string;
  imagePropertiesDefaultArchitecture: string | undefined;
  ramWeightMultiplier: number;
  cpuWeightMultiplier: number;
  diskWeightMultiplier: number;
  ioOpsWeightMultiplier: number;
  numInstancesWeightMultiplier: number;
  hypervisorVersionWeightMultiplier: number;
  softAffinityWeightMultiplier: number;
  softAntiAffinityWeightMultiplier: number;
  buildFailureWeightMultiplier: number;
  crossCellMoveWeightMultiplier: number;
  /** [metrics] weight_setting: "name=ratio" entries. */
  metricsWeightSetting: string[];
  metricsWeightMultiplier: number;
  metricsRequired: boolean;
  metricsWeightOfUnavailable: number;
  /** Nova's initial_*_allocation_ratio: used when neither host nor global config sets one. */
  initialCpuAllocationRatio: number;
  initialRamAllocationRatio: number;
  initialDiskAllocationRatio: number;
  /** Global [DEFAULT] *_allocation_ratio; null means "not set" (Nova's default). */
  cpuAllocationRatio: number | null;
  ramAllocationRatio: number | null;
  diskAllocationRatio: number | null;
  /** Nova's track_instance_changes; the scheduler is told of changes by the caller, not RPC. */
  trackInstanceChanges: boolean;
}

export type FilterResult = { pass: true } | { pass: false; reason: string };
