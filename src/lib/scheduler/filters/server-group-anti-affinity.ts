/**
 * ServerGroupAntiAffinityFilter: for a group with the "anti-affinity" policy, a host may hold
 * fewer than max_server_per_host members (rule, default 1). A host already running the very
 * instance being scheduled passes (a move may consider its source host).
 */
import type { HostState, InstanceGroupSpec } from '../types';
import { defineFilter, hostsHave } from './base';

export function membersOnHost(h: HostState, group: InstanceGroupSpec): number {
  let n = 0;
  for (const m of group.members) if (h.instanceUuids.has(m)) n++;
  return n;
}

export const ServerGroupAntiAffinityFilter = defineFilter({
  name: 'ServerGroupAntiAffinityFilter',
  prepare(spec) {
    const group = spec.instanceGroup;
    if (!group || group.policy !== 'anti-affinity') return null;
    const max = Number(group.rules?.max_server_per_host ?? 1);
    const self = spec.instanceUuid;
    return {
      test: (h) => (self !== undefined && h.instanceUuids.has(self)) || membersOnHost(h, group) < max,
      reason: (h) => `already runs ${membersOnHost(h, group)} member(s) of anti-affinity group ${group.name} (max ${max})`,
      summary: (removed) => `${hostsHave(removed)} already ${max} member(s) of anti-affinity group ${group.name}`,
    };
  },
});
