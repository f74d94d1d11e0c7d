/** Flavors, aggregates, server groups and compute hosts as the core sees them. */

export interface Flavor {
  id: number;
  flavorid: string;
  name: string;
  vcpus: number;
  memoryMb: number;
  rootGb: number;
  ephemeralGb: number;
  swapMb: number;
  rxtxFactor: number;
  isPublic: boolean;
  disabled: boolean;
  description: string | null;
  extraSpecs: Record<string, string>;
  projects: string[];
  createdAt: string;
}

export interface Aggregate {
  id: number;
  uuid: string;
  name: string;
  availabilityZone: string | null;
  hosts: string[];
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string | null;
}

export type GroupPolicy = 'affinity' | 'anti-affinity' | 'soft-affinity' | 'soft-anti-affinity';
export const GROUP_POLICIES: GroupPolicy[] = ['affinity', 'anti-affinity', 'soft-affinity', 'soft-anti-affinity'];

export interface ServerGroup {
  id: number;
  uuid: string;
  name: string;
  projectId: string | null;
  userId: string | null;
  policy: GroupPolicy;
  rules: { max_server_per_host?: number };
  members: string[];
  createdAt: string;
}

export interface FakeDriverConfig {
  spawnSeconds?: number;
  fail?: string[];
}

/** A compute host: its service row and its (single) compute node. */
export interface ComputeHost {
  nodeId: number;
  nodeUuid: string;
  serviceId: number | null;
  /** The nova-compute service row's uuid and last update (the REST os-services view). */
  serviceUuid?: string | null;
  serviceUpdatedAt?: string | null;
  host: string;
  nodename: string;
  cellUuid: string;
  cellName: string | null;
  driver: string;
  hypervisorType: string;
  hypervisorVersion: number;
  vcpus: number;
  memoryMb: number;
  localGb: number;
  vcpusUsed: number;
  memoryMbUsed: number;
  localGbUsed: number;
  runningVms: number;
  cpuAllocationRatio: number | null;
  ramAllocationRatio: number | null;
  diskAllocationRatio: number | null;
  reservedHostMemoryMb: number | null;
  reservedHostDiskMb: number | null;
  reservedHostCpus: number | null;
  hostIp: string | null;
  cpuInfo: Record<string, unknown>;
  stats: Record<string, string>;
  metrics: Record<string, number>;
  driverConfig: Record<string, unknown>;
  generation: number;
  disabled: boolean;
  disabledReason: string | null;
  forcedDown: boolean;
  /** Agentless hosts: when contact was lost (null while it answers), and what went wrong. */
  unreachableSince?: string | null;
  lastError?: string | null;
  lastSeenUp: string | null;
  createdAt: string;
  updatedAt: string | null;
}

/** What one server takes from a host. */
export interface Resources {
  vcpus: number;
  memoryMb: number;
  diskGb: number;
}
