/**
 * IoOpsFilter: only hosts with fewer than max_io_ops_per_host concurrent I/O-heavy operations
 * (instances building, resizing, snapshotting, migrating …).
 */
import { defineFilter, hostsHave } from './base';

export const IoOpsFilter = defineFilter({
  name: 'IoOpsFilter',
  prepare(_spec, ctx) {
    const max = ctx.config.maxIoOpsPerHost;
    return {
      test: (h) => h.numIoOps < max,
      reason: (h) => `has ${h.numIoOps} I/O operations running, the limit is ${max}`,
      summary: (removed) => `${hostsHave(removed)} reached max_io_ops_per_host (${max})`,
    };
  },
});
