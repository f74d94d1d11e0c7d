/**
 * AggregateNumInstancesFilter: like NumInstancesFilter, with the limit taken from the aggregate
 * metadata key "max_instances_per_host" (the minimum when several aggregates set it), falling back
 * to the configured max_instances_per_host when none does or the value is not an integer.
 */
import { defineFilter } from './base';

export const AggregateNumInstancesFilter = defineFilter({
  name: 'AggregateNumInstancesFilter',
  prepare(_spec, ctx) {
    const fallback = ctx.config.maxInstancesPerHost;
    const mins = ctx.pool.aggregateMin('max_instances_per_host', true);
    const max = (i: number) => (Number.isNaN(mins[i]) ? fallback : mins[i]);
    return {
      test: (h, i) => h.numInstances < max(i),
      reason: (h, i) => `has ${h.numInstances} instances, the limit is ${max(i)}`,
    };
  },
});
