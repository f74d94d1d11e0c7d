/**
 * TypeAffinityFilter: a host runs one flavor only — it qualifies when empty or when every
 * instance on it has the requested flavor (compared by flavor database id, as Nova does).
 */
import { defineFilter } from './base';

export const TypeAffinityFilter = defineFilter({
  name: 'TypeAffinityFilter',
  prepare(spec) {
    const id = String(spec.flavor.id);
    return {
      test: (h) => h.flavorIdsOnHost.size === 0 || (h.flavorIdsOnHost.size === 1 && h.flavorIdsOnHost.has(id)),
      reason: () => `runs other flavors than ${spec.flavor.name}`,
    };
  },
});
