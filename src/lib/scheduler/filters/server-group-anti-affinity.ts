/**
 * ServerGroupAntiAffinityFilter: for a group with the "anti-affinity" policy, a host may hold
 * fewer than max_server_per_host members (rule, default 1). A host already running the very
 * instance being scheduled passes (a move may consider its source host).
 */
import { defineFilter, hostsHave } from './base';

export const ServerGroupAntiAffinityFilter = defineFilter({
  name: 'ServerGroupAntiAffinityFilter',
  prepare(spec, ctx) {
    const group = spec.instanceGroup;
    if (!group || group.policy !== 'anti-affinity') return null;
    const max = Number(group.rules?.max_server_per_host ?? 1);
    const { pool } = ctx;
    // Counted on first use, after the pool synced this decision's hosts.
    let counts: Map<number, number> | undefined;
    let self: readonly number[] = [];
    const load = (): Map<number, number> => {
      if (counts === undefined) {
        counts = pool.countOnHosts(group.members);
        if (spec.instanceUuid !== undefined) self = pool.hostsRunning(spec.instanceUuid);
      }
      return counts;
    };
    const ok = (i: number) => (load().get(i) ?? 0) < max || self.includes(i);
    return {
      test: (_h, i) => ok(i),
      filterAll(idx, n) {
        if (load().size === 0 && max > 0) return n;
        let k = 0;
        for (let j = 0; j < n; j++) if (ok(idx[j])) idx[k++] = idx[j];
        return k;
      },
      reason: (_h, i) => `already runs ${load().get(i) ?? 0} member(s) of anti-affinity group ${group.name} (max ${max})`,
      summary: (removed) => `${hostsHave(removed)} already ${max} member(s) of anti-affinity group ${group.name}`,
    };
  },
});
