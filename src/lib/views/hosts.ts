/**
 * Serializers for compute hosts, shared by `--json` and (later) the REST API: a Compute API
 * hypervisor-like object (id is the compute node's uuid, as from microversion 2.53) plus what
 * novalite's registry adds: cell, availability zone, driver and the host's own allocation ratios
 * (null when the host uses the aggregate or global defaults).
 */
import type { ComputeHost } from '../model/compute';

/** A registry entry as the hosts service returns it (its AZ and liveness resolved). */
export type HostRecord = ComputeHost & { availabilityZone: string; up: boolean };

export interface HostView {
  id: string;
  name: string;
  host: string;
  hypervisor_hostname: string;
  hypervisor_type: string;
  hypervisor_version: number;
  host_ip: string | null;
  state: 'up' | 'down';
  status: 'enabled' | 'disabled';
  disabled_reason: string | null;
  vcpus: number;
  vcpus_used: number;
  memory_mb: number;
  memory_mb_used: number;
  local_gb: number;
  local_gb_used: number;
  running_vms: number;
  availability_zone: string;
  cell: string | null;
  cell_uuid: string;
  driver: string;
  driver_config: Record<string, unknown>;
  cpu_allocation_ratio: number | null;
  ram_allocation_ratio: number | null;
  disk_allocation_ratio: number | null;
  /** Last successful contact, and (agentless hosts) since when and why the host does not answer. */
  last_seen_up: string | null;
  unreachable_since: string | null;
  last_error: string | null;
}

export function hostView(h: HostRecord): HostView {
  // The repo keeps the driver name inside driver_config; it is shown once, as `driver`.
  const { driver: _driver, ...driverConfig } = h.driverConfig;
  return {
    id: h.nodeUuid,
    name: h.host,
    host: h.host,
    hypervisor_hostname: h.nodename,
    hypervisor_type: h.hypervisorType,
    hypervisor_version: h.hypervisorVersion,
    host_ip: h.hostIp,
    state: h.up ? 'up' : 'down',
    status: h.disabled ? 'disabled' : 'enabled',
    disabled_reason: h.disabledReason,
    vcpus: h.vcpus,
    vcpus_used: h.vcpusUsed,
    memory_mb: h.memoryMb,
    memory_mb_used: h.memoryMbUsed,
    local_gb: h.localGb,
    local_gb_used: h.localGbUsed,
    running_vms: h.runningVms,
    availability_zone: h.availabilityZone,
    cell: h.cellName,
    cell_uuid: h.cellUuid,
    driver: h.driver,
    driver_config: driverConfig,
    cpu_allocation_ratio: h.cpuAllocationRatio,
    ram_allocation_ratio: h.ramAllocationRatio,
    disk_allocation_ratio: h.diskAllocationRatio,
    last_seen_up: h.lastSeenUp ?? null,
    unreachable_since: h.unreachableSince ?? null,
    last_error: h.lastError ?? null,
  };
}
