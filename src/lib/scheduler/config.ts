/**
 * Scheduler configuration: Nova's defaults, novalite's deliberate departures from them, and the
 * start-up validation that turns an unknown filter or weigher name into a ConfigError (exit 7)
 * instead of a scheduler that silently ignores it.
 */
import { ConfigError } from '../errors';
import { FILTERS, findFilter } from './filters';
import type { SchedulerConfig } from './types';
import { WEIGHERS, findWeigher, isAllWeighers } from './weighers';
import { parseWeightSetting } from './weighers/metrics';

/** Nova's current [filter_scheduler] enabled_filters default, for reference and for `--nova-defaults`. */
export const NOVA_DEFAULT_FILTERS: readonly string[] = [
  'ComputeFilter',
  'ComputeCapabilitiesFilter',
  'ImagePropertiesFilter',
  'ServerGroupAntiAffinityFilter',
  'ServerGroupAffinityFilter',
];

/**
 * novalite's default: Nova's list plus what Nova delegates to Placement. Nova asks Placement for
 * allocation candidates before filtering, which removes hosts without room for the flavor's
 * VCPU, MEMORY_MB and DISK_GB and (since Nova 28) hosts outside the requested availability zone.
 * novalite has no Placement service, so the same checks are filters here: AvailabilityZone, Ram,
 * Core (Placement's VCPU) and Disk. The order puts the cheapest and most selective first; it does
 * not change the outcome, only how explanations attribute removals.
 */
export const DEFAULT_FILTERS: readonly string[] = [
  'ComputeFilter',
  'AvailabilityZoneFilter',
  'RamFilter',
  'CoreFilter',
  'DiskFilter',
  'ComputeCapabilitiesFilter',
  'ImagePropertiesFilter',
  'ServerGroupAntiAffinityFilter',
  'ServerGroupAffinityFilter',
];

export function defaultSchedulerConfig(): SchedulerConfig {
  return {
    enabledFilters: [...DEFAULT_FILTERS],
    enabledWeighers: Object.keys(WEIGHERS),
    hostSubsetSize: 1,
    shuffleBestSameWeighedHosts: false,
    maxAttempts: 3,
    maxIoOpsPerHost: 8,
    maxInstancesPerHost: 50,
    isolatedImages: [],
    isolatedHosts: [],
    restrictIsolatedHostsToIsolatedImages: true,
    aggregateImagePropertiesIsolationNamespace: undefined,
    aggregateImagePropertiesIsolationSeparator: '.',
    imagePropertiesDefaultArchitecture: undefined,
    ramWeightMultiplier: 1.0,
    cpuWeightMultiplier: 1.0,
    diskWeightMultiplier: 1.0,
    ioOpsWeightMultiplier: -1.0,
    numInstancesWeightMultiplier: 0.0,
    hypervisorVersionWeightMultiplier: 1.0,
    softAffinityWeightMultiplier: 1.0,
    softAntiAffinityWeightMultiplier: 1.0,
    buildFailureWeightMultiplier: 1000000.0,
    crossCellMoveWeightMultiplier: 1000000.0,
    metricsWeightSetting: [],
    metricsWeightMultiplier: 1.0,
    metricsRequired: true,
    metricsWeightOfUnavailable: -10000.0,
    // Nova (Stein and later): the [DEFAULT] *_allocation_ratio options default to unset and a new
    // compute node starts from initial_*_allocation_ratio = 4.0 / 1.0 / 1.0. The older 16.0 / 1.5 /
    // 1.0 defaults silently overcommitted RAM, which is why Nova moved away from them.
    initialCpuAllocationRatio: 4.0,
    initialRamAllocationRatio: 1.0,
    initialDiskAllocationRatio: 1.0,
    cpuAllocationRatio: null,
    ramAllocationRatio: null,
    diskAllocationRatio: null,
    trackInstanceChanges: true,
  };
}

/**
 * A host's effective ratio, Nova's precedence: a value set on the host itself, else the global
 * [DEFAULT] option, else the initial_* default. (Nova keeps a ratio changed through Placement
 * the same way a host value is kept here.)
 */
export function resolveAllocationRatio(hostValue: number | null | undefined, globalValue: number | null | undefined, initial: number): number {
  if (hostValue !== null && hostValue !== undefined && hostValue > 0) return hostValue;
  if (globalValue !== null && globalValue !== undefined && globalValue > 0) return globalValue;
  return initial;
}

function fail(message: string, hint: string): never {
  throw new ConfigError(message, { code: 'SCHEDULER_CONFIG_INVALID', hint });
}

function checkNumber(cfg: SchedulerConfig, key: keyof SchedulerConfig, opts: { min?: number; integer?: boolean; nullable?: boolean }): void {
  const v = cfg[key];
  if (v === null && opts.nullable) return;
  const bad = typeof v !== 'number' || !Number.isFinite(v) || (opts.integer && !Number.isInteger(v)) || (opts.min !== undefined && v < opts.min);
  if (bad) fail(`Scheduler option ${key} = ${JSON.stringify(v)} is invalid.`, `Use ${opts.integer ? 'an integer' : 'a number'}${opts.min !== undefined ? ` >= ${opts.min}` : ''}.`);
}

/**
 * Merges `input` over the defaults, resolves filter and weigher names to their canonical
 * spelling (dropping duplicates), and checks every option. Throws ConfigError naming the first
 * unknown filter or weigher, or NotSupportedError for a filter novalite cannot honour.
 */
export function validateSchedulerConfig(input: Partial<SchedulerConfig> = {}): SchedulerConfig {
  const cfg: SchedulerConfig = { ...defaultSchedulerConfig(), ...input };
  const filters: string[] = [];
  for (const name of cfg.enabledFilters) {
    const f = findFilter(name);
    if (f === undefined) fail(`Unknown scheduler filter "${name}" in [filter_scheduler] enabled_filters.`, `Known filters: ${Object.keys(FILTERS).join(', ')}.`);
    if (!filters.includes(f.name)) filters.push(f.name);
  }
  const weighers: string[] = [];
  for (const name of cfg.enabledWeighers) {
    if (isAllWeighers(name)) {
      for (const w of Object.keys(WEIGHERS)) if (!weighers.includes(w)) weighers.push(w);
      continue;
    }
    const w = findWeigher(name);
    if (w === undefined) fail(`Unknown scheduler weigher "${name}" in [filter_scheduler] weight_classes.`, `Known weighers: ${Object.keys(WEIGHERS).join(', ')} (or "all").`);
    if (!weighers.includes(w.name)) weighers.push(w.name);
  }
  cfg.enabledFilters = filters;
  cfg.enabledWeighers = weighers;
  checkNumber(cfg, 'hostSubsetSize', { min: 1, integer: true });
  checkNumber(cfg, 'maxAttempts', { min: 1, integer: true });
  checkNumber(cfg, 'maxIoOpsPerHost', { min: 0, integer: true });
  checkNumber(cfg, 'maxInstancesPerHost', { min: 0, integer: true });
  for (const k of ['ramWeightMultiplier', 'cpuWeightMultiplier', 'diskWeightMultiplier', 'ioOpsWeightMultiplier',
    'numInstancesWeightMultiplier', 'hypervisorVersionWeightMultiplier', 'buildFailureWeightMultiplier',
    'crossCellMoveWeightMultiplier', 'metricsWeightMultiplier', 'metricsWeightOfUnavailable'] as const) {
    checkNumber(cfg, k, {});
  }
  // Nova gives the soft policies min=0.0: a negative value would turn affinity into anti-affinity.
  checkNumber(cfg, 'softAffinityWeightMultiplier', { min: 0 });
  checkNumber(cfg, 'softAntiAffinityWeightMultiplier', { min: 0 });
  for (const k of ['initialCpuAllocationRatio', 'initialRamAllocationRatio', 'initialDiskAllocationRatio'] as const) checkNumber(cfg, k, { min: 0 });
  for (const k of ['cpuAllocationRatio', 'ramAllocationRatio', 'diskAllocationRatio'] as const) checkNumber(cfg, k, { min: 0, nullable: true });
  parseWeightSetting(cfg.metricsWeightSetting);
  for (const name of filters) findFilter(name)?.validate?.(cfg);
  return cfg;
}
