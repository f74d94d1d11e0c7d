/**
 * ServerGroupAffinityFilter: for a group with the "affinity" policy, once a member has a host,
 * every further member must go to a host the group already uses. Not run once per request:
 * in a multi-create the first placement pins the rest.
 */
import { defineFilter, hostsAre } from './base';

export const ServerGroupAffinityFilter = defineFilter({
  name: 'ServerGroupAffinityFilter',
  prepare(spec) {
    const group = spec.instanceGroup;
    if (!group || group.policy !== 'affinity' || group.hosts.length === 0) return null;
    const hosts = new Set(group.hosts);
    return {
      test: (h) => hosts.has(h.host),
      reason: () => `is not a host of affinity group ${group.name} (${[...hosts].join(', ')})`,
      summary: (removed) => `${hostsAre(removed)} not used by affinity group ${group.name} (${[...hosts].join(', ')})`,
    };
  },
});
