/**
 * ComputeFilter: only hosts whose compute service is enabled and up. A disabled service says
 * why when the admin gave a reason (`host disable --reason`).
 */
import { defineFilter, hostsAre, keepWhere } from './base';

export const ComputeFilter = defineFilter({
  name: 'ComputeFilter',
  runOncePerRequest: true,
  prepare(_spec, ctx) {
    const usable = ctx.pool.usable;
    return {
      test: (_h, i) => usable[i] === 1,
      filterAll: (idx, n) => keepWhere(idx, n, usable),
      gate: { kind: 'usable' },
      reason: (h) =>
        h.serviceDisabled
          ? `compute service is disabled${h.disabledReason ? ` (${h.disabledReason})` : ''}`
          : 'compute service is down',
      summary: (removed) => `${hostsAre(removed)} disabled or down`,
    };
  },
});
