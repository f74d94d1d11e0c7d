/**
 * CoreFilter (Placement's VCPU check; Nova's old CoreFilter): the host must have room for the
 * flavor's vCPUs under its CPU allocation ratio after reserved host CPUs, and a single server
 * may not ask for more vCPUs than the host has in total.
 */
import { defineFilter } from './base';
import { VCPU, capacityFilter } from './capacity';

export const CoreFilter = defineFilter({
  name: 'CoreFilter',
  resource: true,
  prepare: (spec, ctx) => capacityFilter(VCPU, spec, ctx.pool, null, 'vcpu'),
});
