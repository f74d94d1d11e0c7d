/**
 * IoOpsWeigher: ranks by concurrent I/O operations. The default multiplier (-1.0) prefers
 * lightly loaded hosts; a positive one prefers busy hosts.
 */
import { fromColumn, type HostWeigher } from './base';

export const IoOpsWeigher: HostWeigher = {
  name: 'IoOpsWeigher',
  multiplierName: 'io_ops_weight_multiplier',
  minval: 0,
  multiplier: (c) => c.ioOpsWeightMultiplier,
  prepare: (_spec, ctx) => fromColumn(ctx.pool.numIoOps),
};
