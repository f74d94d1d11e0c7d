/**
 * HypervisorVersionWeigher: prefers newer hypervisors (a host that reports no version counts as
 * version 0). A negative multiplier prefers older ones.
 */
import { fromColumn, type HostWeigher } from './base';

export const HypervisorVersionWeigher: HostWeigher = {
  name: 'HypervisorVersionWeigher',
  multiplierName: 'hypervisor_version_weight_multiplier',
  multiplier: (c) => c.hypervisorVersionWeightMultiplier,
  // The usual cloud runs one version everywhere: equal weights normalise to 0, so skip the work.
  prepare: (_spec, ctx) => (ctx.pool.hypervisorVersionsUniform() ? null : fromColumn(ctx.pool.hypervisorVersions())),
};
