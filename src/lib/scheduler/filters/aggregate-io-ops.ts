/**
 * AggregateIoOpsFilter: like IoOpsFilter, with the limit taken from the aggregate metadata key
 * "max_io_ops_per_host" (the minimum when several aggregates set it), falling back to the
 * configured max_io_ops_per_host when none does or the value is not an integer.
 */
import { defineFilter } from './base';
import { countBelow } from './limits';

export const AggregateIoOpsFilter = defineFilter({
  name: 'AggregateIoOpsFilter',
  prepare: (_spec, ctx) =>
    countBelow(ctx.pool.numIoOps, ctx.config.maxIoOpsPerHost, ctx.pool.aggregateMin('max_io_ops_per_host', true),
      'I/O operations running', 'max_io_ops_per_host'),
});
