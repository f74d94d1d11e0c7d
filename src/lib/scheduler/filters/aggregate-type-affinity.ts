/**
 * AggregateTypeAffinityFilter: a host whose aggregates set "instance_type" (comma-separated
 * flavor names) only takes those flavors; hosts with no such metadata take any flavor.
 */
import { cachedPredicate, defineFilter } from './base';

export const AggregateTypeAffinityFilter = defineFilter({
  name: 'AggregateTypeAffinityFilter',
  runOncePerRequest: true,
  staticData: true,
  prepare(spec, ctx) {
    const name = spec.flavor.name;
    const { pool } = ctx;
    return {
      ...cachedPredicate(pool, `flavortype\0${name}`, (i) => {
        const allowed = pool.metadata(i).get('instance_type');
        return allowed === undefined || allowed.has(name);
      }),
      reason: (_h, i) => `only takes flavors ${[...(pool.metadata(i).get('instance_type') ?? [])].join(', ')}`,
    };
  },
});
