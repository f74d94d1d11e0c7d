/**
 * CPUWeigher: ranks by free vCPUs under the CPU allocation ratio. Positive
 * cpu_weight_multiplier spreads, negative stacks.
 */
import { fromColumn, type HostWeigher } from './base';

export const CPUWeigher: HostWeigher = {
  name: 'CPUWeigher',
  multiplierName: 'cpu_weight_multiplier',
  minval: 0,
  multiplier: (c) => c.cpuWeightMultiplier,
  prepare: (_spec, ctx) => fromColumn(ctx.pool.freeVcpus),
};
