/**
 * DiskWeigher: ranks by physical free disk. Positive disk_weight_multiplier spreads, negative
 * stacks.
 */
import { fromColumn, type HostWeigher } from './base';

export const DiskWeigher: HostWeigher = {
  name: 'DiskWeigher',
  multiplierName: 'disk_weight_multiplier',
  minval: 0,
  multiplier: (c) => c.diskWeightMultiplier,
  prepare: (_spec, ctx) => fromColumn(ctx.pool.freeDiskMb),
};
