/**
 * ComputeFilter: only hosts whose compute service is enabled and up. A disabled service says
 * why when the admin gave a reason (`host disable --reason`).
 */
import { defineFilter, hostsAre } from './base';

export const ComputeFilter = defineFilter({
  name: 'ComputeFilter',
  runOncePerRequest: true,
  prepare: () => ({
    test: (h) => !h.serviceDisabled && h.serviceUp,
    reason: (h) =>
      h.serviceDisabled
        ? `compute service is disabled${h.disabledReason ? ` (${h.disabledReason})` : ''}`
        : 'compute service is down',
    summary: (removed) => `${hostsAre(removed)} disabled or down`,
  }),
});
