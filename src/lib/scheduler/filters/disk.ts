/**
 * DiskFilter (Placement's DISK_GB check): the host must have room for root + ephemeral + swap in
 * whole GB (root left out when booting from a volume) under its disk allocation ratio after
 * reserved disk, and a single server may not ask for more than the host has in total.
 */
import { defineFilter } from './base';
import { DISK, capacityFilter } from './capacity';

export const DiskFilter = defineFilter({
  name: 'DiskFilter',
  resource: true,
  prepare: (spec, ctx) => capacityFilter(DISK, spec, ctx.pool, null, 'disk'),
});
