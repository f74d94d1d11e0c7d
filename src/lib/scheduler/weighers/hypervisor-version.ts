/**
 * HypervisorVersionWeigher: prefers newer hypervisors (a host that reports no version counts as
 * version 0). A negative multiplier prefers older ones.
 */
import type { HostWeigher } from './base';

export const HypervisorVersionWeigher: HostWeigher = {
  name: 'HypervisorVersionWeigher',
  multiplierName: 'hypervisor_version_weight_multiplier',
  multiplier: (c) => c.hypervisorVersionWeightMultiplier,
  prepare: () => ({ raw: (h) => h.capabilities.hypervisorVersion ?? 0 }),
};
