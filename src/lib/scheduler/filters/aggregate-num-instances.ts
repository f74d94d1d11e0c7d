/**
 * AggregateNumInstancesFilter: like NumInstancesFilter, with the limit taken from the aggregate
 * metadata key "max_instances_per_host" (the minimum when several aggregates set it), falling back
 * to the configured max_instances_per_host when none does or the value is not an integer.
 */
import { defineFilter } from './base';
import { countBelow } from './limits';

export const AggregateNumInstancesFilter = defineFilter({
  name: 'AggregateNumInstancesFilter',
  prepare: (_spec, ctx) =>
    countBelow(ctx.pool.numInstances, ctx.config.maxInstancesPerHost, ctx.pool.aggregateMin('max_instances_per_host', true),
      'instances', 'max_instances_per_host'),
});
