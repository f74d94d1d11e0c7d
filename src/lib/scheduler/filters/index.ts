/**
 * The filter registry: an explicit name → filter map (no plugin discovery), so that
 * [filter_scheduler] enabled_filters can be validated at start-up. Names are Nova's class names;
 * lookups also accept the name without its "Filter" suffix, any case, a Nova dotted path
 * (nova.scheduler.filters.ram_filter.RamFilter) and VCPUFilter for CoreFilter.
 */
import type { HostFilter } from './base';
import { AggregateCoreFilter } from './aggregate-core';
import { AggregateDiskFilter } from './aggregate-disk';
import { AggregateImagePropertiesIsolation } from './aggregate-image-properties-isolation';
import { AggregateInstanceExtraSpecsFilter } from './aggregate-instance-extra-specs';
import { AggregateIoOpsFilter } from './aggregate-io-ops';
import { AggregateMultiTenancyIsolation } from './aggregate-multitenancy-isolation';
import { AggregateNumInstancesFilter } from './aggregate-num-instances';
import { AggregateRamFilter } from './aggregate-ram';
import { AggregateTypeAffinityFilter } from './aggregate-type-affinity';
import { AllHostsFilter } from './all-hosts';
import { AvailabilityZoneFilter } from './availability-zone';
import { ComputeCapabilitiesFilter } from './compute-capabilities';
import { ComputeFilter } from './compute';
import { CoreFilter } from './core';
import { DifferentHostFilter } from './different-host';
import { DiskFilter } from './disk';
import { ImagePropertiesFilter } from './image-properties';
import { IoOpsFilter } from './io-ops';
import { IsolatedHostsFilter } from './isolated-hosts';
import { JsonFilter } from './json';
import { MetricsFilter } from './metrics';
import { NUMATopologyFilter } from './numa-topology';
import { NumInstancesFilter } from './num-instances';
import { PciPassthroughFilter } from './pci-passthrough';
import { RamFilter } from './ram';
import { RetryFilter } from './retry';
import { SameHostFilter } from './same-host';
import { ServerGroupAffinityFilter } from './server-group-affinity';
import { ServerGroupAntiAffinityFilter } from './server-group-anti-affinity';
import { SimpleCIDRAffinityFilter } from './simple-cidr-affinity';
import { TypeAffinityFilter } from './type-affinity';

export const FILTERS: Readonly<Record<string, HostFilter>> = Object.fromEntries(
  [
    AllHostsFilter, ComputeFilter, AvailabilityZoneFilter, RamFilter, CoreFilter, DiskFilter,
    AggregateRamFilter, AggregateCoreFilter, AggregateDiskFilter, ComputeCapabilitiesFilter,
    ImagePropertiesFilter, AggregateInstanceExtraSpecsFilter, AggregateMultiTenancyIsolation,
    AggregateImagePropertiesIsolation, NumInstancesFilter, AggregateNumInstancesFilter, IoOpsFilter,
    AggregateIoOpsFilter, JsonFilter, SameHostFilter, DifferentHostFilter, SimpleCIDRAffinityFilter,
    ServerGroupAffinityFilter, ServerGroupAntiAffinityFilter, RetryFilter, IsolatedHostsFilter,
    TypeAffinityFilter, AggregateTypeAffinityFilter, MetricsFilter, PciPassthroughFilter, NUMATopologyFilter,
  ].map((f) => [f.name, f]),
);

function lookupKey(name: string): string {
  const last = name.trim().split('.').pop() ?? '';
  return last.toLowerCase().replace(/filter$/, '');
}

const BY_KEY = new Map<string, HostFilter>(Object.values(FILTERS).map((f) => [lookupKey(f.name), f]));
BY_KEY.set('vcpu', CoreFilter);

/** The filter for a configured name, or undefined when there is none. */
export function findFilter(name: string): HostFilter | undefined {
  return BY_KEY.get(lookupKey(name));
}

export type { FilterContext, FilterDef, HostFilter, PreparedFilter } from './base';
