/**
 * ServerGroupAffinityFilter: for a group with the "affinity" policy, once a member has a host,
 * every further member must go to a host the group already uses. Not run once per request:
 * in a multi-create the first placement pins the rest.
 */
import { defineFilter, hostsAre } from './base';

export const ServerGroupAffinityFilter = defineFilter({
  name: 'ServerGroupAffinityFilter',
  staticData: true,
  prepare(spec, ctx) {
    const group = spec.instanceGroup;
    if (!group || group.policy !== 'affinity' || group.hosts.length === 0) return null;
    const names = [...new Set(group.hosts)];
    const allowed = new Set(names.flatMap((h) => ctx.pool.indicesOfHost(h)));
    return {
      test: (_h, i) => allowed.has(i),
      filterAll(idx, n) {
        let k = 0;
        for (let j = 0; j < n; j++) if (allowed.has(idx[j])) idx[k++] = idx[j];
        return k;
      },
      reason: () => `is not a host of affinity group ${group.name} (${names.join(', ')})`,
      summary: (removed) => `${hostsAre(removed)} not used by affinity group ${group.name} (${names.join(', ')})`,
    };
  },
});
