/** NumInstancesFilter: only hosts with fewer than max_instances_per_host instances. */
import { defineFilter } from './base';
import { countBelow } from './limits';

export const NumInstancesFilter = defineFilter({
  name: 'NumInstancesFilter',
  prepare: (_spec, ctx) =>
    countBelow(ctx.pool.numInstances, ctx.config.maxInstancesPerHost, null, 'instances', 'max_instances_per_host'),
});
