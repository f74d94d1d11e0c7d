/**
 * AggregateCoreFilter: like CoreFilter, but the allocation ratio may be set per aggregate with
 * the metadata key "cpu_allocation_ratio"; when a host is in several aggregates that set it,
 * the minimum wins, and a host in none (or with an unparsable value) keeps its own ratio.
 */
import { defineFilter } from './base';
import { VCPU, capacityFilter } from './capacity';

export const AggregateCoreFilter = defineFilter({
  name: 'AggregateCoreFilter',
  resource: true,
  prepare: (spec, ctx) => capacityFilter(VCPU, spec, ctx.pool, ctx.pool.aggregateMin(VCPU.ratioKey)),
});
