/**
 * The weigher registry: an explicit name → weigher map, validated at start-up. Lookups accept
 * Nova's class names in any case, without the "Weigher" suffix, or as dotted paths; the Nova
 * name nova.scheduler.weights.all_weighers (or "all") stands for every weigher.
 */
import type { HostWeigher } from './base';
import { BuildFailureWeigher } from './build-failure';
import { CPUWeigher } from './cpu';
import { CrossCellWeigher } from './cross-cell';
import { DiskWeigher } from './disk';
import { HypervisorVersionWeigher } from './hypervisor-version';
import { IoOpsWeigher } from './io-ops';
import { MetricsWeigher } from './metrics';
import { NumInstancesWeigher } from './num-instances';
import { RAMWeigher } from './ram';
import { ServerGroupSoftAffinityWeigher, ServerGroupSoftAntiAffinityWeigher } from './soft-affinity';

export const WEIGHERS: Readonly<Record<string, HostWeigher>> = Object.fromEntries(
  [
    RAMWeigher, CPUWeigher, DiskWeigher, IoOpsWeigher, NumInstancesWeigher, MetricsWeigher,
    ServerGroupSoftAffinityWeigher, ServerGroupSoftAntiAffinityWeigher, BuildFailureWeigher,
    CrossCellWeigher, HypervisorVersionWeigher,
  ].map((w) => [w.name, w]),
);

export const ALL_WEIGHERS = 'all';

function lookupKey(name: string): string {
  const last = name.trim().split('.').pop() ?? '';
  return last.toLowerCase().replace(/weigher$/, '');
}

const BY_KEY = new Map<string, HostWeigher>(Object.values(WEIGHERS).map((w) => [lookupKey(w.name), w]));

/** True for the names that mean "every weigher". */
export function isAllWeighers(name: string): boolean {
  const k = lookupKey(name);
  return k === 'all' || k === 'all_weighers';
}

export function findWeigher(name: string): HostWeigher | undefined {
  return BY_KEY.get(lookupKey(name));
}

export type { HostWeigher, PreparedWeigher, WeigherContext } from './base';
