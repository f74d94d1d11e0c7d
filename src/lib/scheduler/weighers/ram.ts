/**
 * RAMWeigher: ranks by physical free RAM. A positive ram_weight_multiplier spreads (emptiest
 * first, Nova's default); a negative one stacks (fullest first) — negative weights invert the
 * order instead of being clamped. Raw values below 0 (overcommitted hosts) count as 0.
 */
import { fromColumn, type HostWeigher } from './base';

export const RAMWeigher: HostWeigher = {
  name: 'RAMWeigher',
  multiplierName: 'ram_weight_multiplier',
  minval: 0,
  multiplier: (c) => c.ramWeightMultiplier,
  prepare: (_spec, ctx) => fromColumn(ctx.pool.freeRamMb),
};
