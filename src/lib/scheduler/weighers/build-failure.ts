/**
 * BuildFailureWeigher: pushes hosts with recent failed builds down. The multiplier (default
 * 1,000,000, large enough to dominate the others) is applied negated, so more failures mean a
 * lower weight; a host that builds successfully again has its count reset by the caller.
 */
import { fromColumn, type HostWeigher } from './base';

export const BuildFailureWeigher: HostWeigher = {
  name: 'BuildFailureWeigher',
  multiplierName: 'build_failure_weight_multiplier',
  negate: true,
  multiplier: (c) => c.buildFailureWeightMultiplier,
  prepare: (_spec, ctx) => fromColumn(ctx.pool.failedBuilds),
};
