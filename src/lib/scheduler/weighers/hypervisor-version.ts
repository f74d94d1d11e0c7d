/**
 * HypervisorVersionWeigher: prefers newer hypervisors (a host that reports no version counts as
 * version 0). A negative multiplier prefers older ones.
 */
import { fromColumn, type HostWeigher } from './base';

export const HypervisorVersionWeigher: HostWeigher = {
  name: 'HypervisorVersionWeigher',
  multiplierName: 'hypervisor_version_weight_multiplier',
  multiplier: (c) => c.hypervisorVersionWeightMultiplier,
  prepare(_spec, ctx) {
    const versions = ctx.pool.hypervisorVersions();
    // The usual cloud runs one version everywhere: equal weights normalise to 0, so skip the work.
    for (let i = 1; i < versions.length; i++) if (versions[i] !== versions[0]) return fromColumn(versions);
    return null;
  },
};
