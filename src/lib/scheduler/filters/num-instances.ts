/** NumInstancesFilter: only hosts with fewer than max_instances_per_host instances. */
import { defineFilter, hostsHave } from './base';

export const NumInstancesFilter = defineFilter({
  name: 'NumInstancesFilter',
  prepare(_spec, ctx) {
    const max = ctx.config.maxInstancesPerHost;
    return {
      test: (h) => h.numInstances < max,
      reason: (h) => `has ${h.numInstances} instances, the limit is ${max}`,
      summary: (removed) => `${hostsHave(removed)} reached max_instances_per_host (${max})`,
    };
  },
});
