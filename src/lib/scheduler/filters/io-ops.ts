/**
 * IoOpsFilter: only hosts with fewer than max_io_ops_per_host concurrent I/O-heavy operations
 * (instances building, resizing, snapshotting, migrating …).
 */
import { defineFilter } from './base';
import { countBelow } from './limits';

export const IoOpsFilter = defineFilter({
  name: 'IoOpsFilter',
  prepare: (_spec, ctx) =>
    countBelow(ctx.pool.numIoOps, ctx.config.maxIoOpsPerHost, null, 'I/O operations running', 'max_io_ops_per_host'),
});
