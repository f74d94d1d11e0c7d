/**
 * AggregateDiskFilter: like DiskFilter, but the allocation ratio may be set per aggregate with
 * the metadata key "disk_allocation_ratio"; when a host is in several aggregates that set it,
 * the minimum wins, and a host in none (or with an unparsable value) keeps its own ratio.
 */
import { defineFilter } from './base';
import { DISK, capacityFilter } from './capacity';

export const AggregateDiskFilter = defineFilter({
  name: 'AggregateDiskFilter',
  resource: true,
  prepare: (spec, ctx) => capacityFilter(DISK, spec, ctx.pool, ctx.pool.aggregateMin(DISK.ratioKey)),
});
