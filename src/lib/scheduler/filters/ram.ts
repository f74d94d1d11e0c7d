/**
 * RamFilter: the host must have room for the flavor's RAM under its RAM allocation ratio after
 * reserved host memory (Placement's MEMORY_MB check, which novalite, having no Placement, does
 * here), and a single server may not ask for more RAM than the host has in total.
 */
import { defineFilter } from './base';
import { RAM, capacityFilter } from './capacity';

export const RamFilter = defineFilter({
  name: 'RamFilter',
  resource: true,
  prepare: (spec, ctx) => capacityFilter(RAM, spec, ctx.pool, null, 'ram'),
});
