/**
 * Nova's HostState.consume_from_request: after choosing a host, charge the request to the
 * in-memory host so the next decision (the next server of a multi-create, or the next request
 * against the same cached snapshot) sees it. The database claim is separate and authoritative;
 * this only keeps the snapshot honest between refreshes.
 */
import { requestedDiskGb } from './filters/capacity';
import { recordPlacement } from './instance-index';
import type { HostState, RequestSpec } from './types';

export function consumeFromRequest(h: HostState, spec: RequestSpec, instanceUuid?: string): void {
  h.usedVcpus += spec.flavor.vcpus;
  h.usedMemoryMb += spec.flavor.memoryMb;
  h.usedDiskGb += requestedDiskGb(spec);
  h.numInstances += 1;
  // Nova counts the new build as an I/O operation until the compute reports otherwise.
  h.numIoOps += 1;
  if (h.instancesByProject !== undefined) {
    h.instancesByProject[spec.projectId] = (h.instancesByProject[spec.projectId] ?? 0) + 1;
  }
  h.flavorIdsOnHost.add(String(spec.flavor.id));
  if (instanceUuid !== undefined) {
    h.instanceUuids.add(instanceUuid);
    recordPlacement(h, instanceUuid);
  }
  const group = spec.instanceGroup;
  if (group) {
    group.hosts.push(h.host);
    if (instanceUuid !== undefined && !group.members.includes(instanceUuid)) group.members.push(instanceUuid);
  }
}
