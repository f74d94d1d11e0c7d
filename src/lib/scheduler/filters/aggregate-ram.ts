/**
 * AggregateRamFilter: like RamFilter, but the allocation ratio may be set per aggregate with
 * the metadata key "ram_allocation_ratio"; when a host is in several aggregates that set it,
 * the minimum wins, and a host in none (or with an unparsable value) keeps its own ratio.
 */
import { defineFilter } from './base';
import { RAM, capacityFilter } from './capacity';

export const AggregateRamFilter = defineFilter({
  name: 'AggregateRamFilter',
  resource: true,
  prepare: (spec, ctx) => capacityFilter(RAM, spec, ctx.pool, ctx.pool.aggregateMin(RAM.ratioKey)),
});
