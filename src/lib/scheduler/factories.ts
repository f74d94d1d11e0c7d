/**
 * Builders for HostState and RequestSpec with every field present in one fixed order. The DB
 * layer, tests and benchmarks should all use them: hosts of one shape keep the filter loops
 * monomorphic, which is a large part of the scheduler's speed.
 */
import type { FlavorSpec, HostState, RequestSpec } from './types';

export type HostStateInit = Partial<HostState> & Pick<HostState, 'host'>;

export function makeHostState(init: HostStateInit): HostState {
  return {
    host: init.host,
    nodename: init.nodename ?? init.host,
    nodeUuid: init.nodeUuid ?? '',
    cellUuid: init.cellUuid ?? '',
    totalVcpus: init.totalVcpus ?? 0,
    totalMemoryMb: init.totalMemoryMb ?? 0,
    totalDiskGb: init.totalDiskGb ?? 0,
    usedVcpus: init.usedVcpus ?? 0,
    usedMemoryMb: init.usedMemoryMb ?? 0,
    usedDiskGb: init.usedDiskGb ?? 0,
    reservedHostMemoryMb: init.reservedHostMemoryMb ?? 0,
    reservedHostDiskMb: init.reservedHostDiskMb ?? 0,
    reservedHostCpus: init.reservedHostCpus ?? 0,
    cpuAllocationRatio: init.cpuAllocationRatio ?? 4.0,
    ramAllocationRatio: init.ramAllocationRatio ?? 1.0,
    diskAllocationRatio: init.diskAllocationRatio ?? 1.0,
    numInstances: init.numInstances ?? 0,
    numIoOps: init.numIoOps ?? 0,
    instancesByProject: init.instancesByProject,
    instanceUuids: init.instanceUuids ?? new Set(),
    flavorIdsOnHost: init.flavorIdsOnHost ?? new Set(),
    serviceUp: init.serviceUp ?? true,
    serviceDisabled: init.serviceDisabled ?? false,
    disabledReason: init.disabledReason,
    availabilityZone: init.availabilityZone ?? 'nova',
    aggregates: init.aggregates ?? [],
    capabilities: init.capabilities ?? {},
    metrics: init.metrics ?? {},
    stats: init.stats ?? {},
    hostIp: init.hostIp,
    failedBuilds: init.failedBuilds ?? 0,
    generation: init.generation ?? 0,
  };
}

export type RequestSpecInit = Partial<Omit<RequestSpec, 'flavor'>> & { flavor?: Partial<FlavorSpec> };

export function makeRequestSpec(init: RequestSpecInit = {}): RequestSpec {
  const f = init.flavor ?? {};
  return {
    flavor: {
      id: f.id ?? 1,
      flavorid: f.flavorid ?? String(f.id ?? 1),
      name: f.name ?? 'm1.small',
      vcpus: f.vcpus ?? 1,
      memoryMb: f.memoryMb ?? 2048,
      rootGb: f.rootGb ?? 20,
      ephemeralGb: f.ephemeralGb ?? 0,
      swapMb: f.swapMb ?? 0,
      extraSpecs: f.extraSpecs ?? {},
    },
    image: init.image ?? null,
    projectId: init.projectId ?? 'project',
    userId: init.userId ?? 'user',
    availabilityZone: init.availabilityZone ?? null,
    schedulerHints: init.schedulerHints ?? {},
    numInstances: init.numInstances ?? 1,
    instanceGroup: init.instanceGroup ?? null,
    ignoreHosts: init.ignoreHosts ?? [],
    forceHosts: init.forceHosts ?? [],
    forceNodes: init.forceNodes ?? [],
    retry: init.retry ?? null,
    requestedDestination: init.requestedDestination ?? null,
    instanceUuid: init.instanceUuid,
    instanceUuids: init.instanceUuids,
    bootFromVolume: init.bootFromVolume ?? false,
  };
}
