/**
 * AggregateIoOpsFilter: like IoOpsFilter, with the limit taken from the aggregate metadata key
 * "max_io_ops_per_host" (the minimum when several aggregates set it), falling back to the
 * configured max_io_ops_per_host when none does or the value is not an integer.
 */
import { defineFilter } from './base';

export const AggregateIoOpsFilter = defineFilter({
  name: 'AggregateIoOpsFilter',
  prepare(_spec, ctx) {
    const fallback = ctx.config.maxIoOpsPerHost;
    const mins = ctx.pool.aggregateMin('max_io_ops_per_host', true);
    const max = (i: number) => (Number.isNaN(mins[i]) ? fallback : mins[i]);
    return {
      test: (h, i) => h.numIoOps < max(i),
      reason: (h, i) => `has ${h.numIoOps} I/O operations running, the limit is ${max(i)}`,
    };
  },
});
