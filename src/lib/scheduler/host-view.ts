/**
 * Host values under Nova's HostState attribute names, for the filters whose users write those
 * names: ComputeCapabilities extra specs ("capabilities:cpu_info:arch", "hypervisor_type") and
 * Json queries ("$free_ram_mb", "$stats.gpu"). Also the "free" amounts the weighers rank by.
 */
import type { HostState } from './types';

/** Physical free RAM, as Nova's HostState.free_ram_mb (no overcommit: the RAM weigher uses it). */
export function freeRamMb(h: HostState): number {
  return h.totalMemoryMb - h.reservedHostMemoryMb - h.usedMemoryMb;
}

/** Physical free disk in MB, as Nova's HostState.free_disk_mb. */
export function freeDiskMb(h: HostState): number {
  return h.totalDiskGb * 1024 - h.reservedHostDiskMb - h.usedDiskGb * 1024;
}

const NOVA_ATTRIBUTES = new Set([
  'host', 'nodename', 'uuid', 'hypervisor_hostname', 'cell_uuid', 'free_ram_mb', 'free_disk_mb',
  'disk_mb_used', 'total_usable_ram_mb', 'total_usable_disk_gb', 'vcpus_total', 'vcpus_used',
  'num_instances', 'num_io_ops', 'hypervisor_type', 'hypervisor_version', 'cpu_info',
  'supported_instances', 'host_ip', 'stats', 'metrics', 'cpu_allocation_ratio',
  'ram_allocation_ratio', 'disk_allocation_ratio', 'failed_builds', 'availability_zone',
  'aggregates',
]);

/** Whether a bare extra-spec key names a host attribute (Nova's hasattr(host_state, key)). */
export function isHostAttribute(name: string): boolean {
  return NOVA_ATTRIBUTES.has(name);
}

function cpuInfo(h: HostState): Record<string, unknown> {
  const c = h.capabilities;
  return {
    arch: c.arch, model: c.cpuModel, vendor: c.cpuVendor, features: c.cpuFeatures,
    maxphysaddr: c.maxPhysAddrBits === undefined ? undefined : { bits: c.maxPhysAddrBits },
  };
}

/** One top-level attribute; undefined when the host does not have it. */
export function hostAttribute(h: HostState, name: string): unknown {
  switch (name) {
    case 'host': return h.host;
    case 'nodename': case 'hypervisor_hostname': return h.nodename;
    case 'uuid': return h.nodeUuid;
    case 'cell_uuid': return h.cellUuid;
    case 'free_ram_mb': return freeRamMb(h);
    case 'free_disk_mb': return freeDiskMb(h);
    case 'disk_mb_used': return h.usedDiskGb * 1024 + h.reservedHostDiskMb;
    case 'total_usable_ram_mb': return h.totalMemoryMb;
    case 'total_usable_disk_gb': return h.totalDiskGb;
    case 'vcpus_total': return h.totalVcpus;
    case 'vcpus_used': return h.usedVcpus;
    case 'num_instances': return h.numInstances;
    case 'num_io_ops': return h.numIoOps;
    case 'hypervisor_type': return h.capabilities.hypervisorType;
    case 'hypervisor_version': return h.capabilities.hypervisorVersion;
    case 'cpu_info': return cpuInfo(h);
    case 'supported_instances': return h.capabilities.supportedInstances;
    case 'host_ip': return h.hostIp;
    case 'stats': return h.stats;
    case 'metrics': return h.metrics;
    case 'cpu_allocation_ratio': return h.cpuAllocationRatio;
    case 'ram_allocation_ratio': return h.ramAllocationRatio;
    case 'disk_allocation_ratio': return h.diskAllocationRatio;
    case 'failed_builds': return h.failedBuilds;
    case 'availability_zone': return h.availabilityZone;
    case 'aggregates': return h.aggregates.map((a) => a.name);
    default:
      return Object.prototype.hasOwnProperty.call(h, name) ? (h as unknown as Record<string, unknown>)[name] : undefined;
  }
}

/**
 * Walks a path of keys from the host. Like Nova, a top-level name the host lacks is looked up
 * in its stats, and a string met on the way is parsed as JSON (cpu_info is JSON in Nova).
 * Returns undefined as soon as a step is missing.
 */
export function hostValue(h: HostState, path: readonly string[]): unknown {
  let v: unknown = hostAttribute(h, path[0]);
  if (v === undefined || v === null) v = h.stats[path[0]];
  for (let k = 1; k < path.length && v !== undefined && v !== null; k++) {
    if (typeof v === 'string') {
      try {
        v = JSON.parse(v);
      } catch {
        return undefined;
      }
    }
    v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[path[k]] : undefined;
  }
  return v === null ? undefined : v;
}

/** Python's str() of a value, because Nova matches extra specs against str(capability). */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === 'string' ? `'${x}'` : pyStr(x))).join(', ')}]`;
  return JSON.stringify(v);
}
