/**
 * NumInstancesWeigher: ranks by instance count. The default multiplier (0.0) disables it; a
 * negative one prefers hosts with fewer instances, a positive one packs.
 */
import { fromColumn, type HostWeigher } from './base';

export const NumInstancesWeigher: HostWeigher = {
  name: 'NumInstancesWeigher',
  multiplierName: 'num_instances_weight_multiplier',
  multiplier: (c) => c.numInstancesWeightMultiplier,
  prepare: (_spec, ctx) => fromColumn(ctx.pool.numInstances),
};
