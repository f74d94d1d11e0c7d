// Scheduler configuration: Nova's defaults, name aliases, and ConfigError naming unknown names.
import { ConfigError, NotSupportedError } from '../../../src/lib/errors';
import {
  DEFAULT_FILTERS, FILTERS, NOVA_DEFAULT_FILTERS, Scheduler, WEIGHERS, defaultSchedulerConfig,
  resolveAllocationRatio, validateSchedulerConfig,
} from '../../../src/lib/scheduler';

function error(fn: () => unknown): Error & { exitCode?: number; hint?: string } {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('scheduler configuration', () => {
  it("defaults to Nova's filters plus the Placement checks novalite does as filters", () => {
    const cfg = defaultSchedulerConfig();
    for (const f of NOVA_DEFAULT_FILTERS) expect(cfg.enabledFilters).toContain(f);
    for (const f of ['AvailabilityZoneFilter', 'RamFilter', 'CoreFilter', 'DiskFilter']) expect(cfg.enabledFilters).toContain(f);
    expect(cfg.enabledFilters).toEqual([...DEFAULT_FILTERS]);
    expect(cfg.enabledWeighers).toEqual(Object.keys(WEIGHERS));
  });

  it("uses Nova's defaults for the knobs", () => {
    expect(defaultSchedulerConfig()).toMatchObject({
      hostSubsetSize: 1, maxAttempts: 3, maxIoOpsPerHost: 8, maxInstancesPerHost: 50,
      ramWeightMultiplier: 1, cpuWeightMultiplier: 1, diskWeightMultiplier: 1, ioOpsWeightMultiplier: -1,
      numInstancesWeightMultiplier: 0, buildFailureWeightMultiplier: 1e6, crossCellMoveWeightMultiplier: 1e6,
      metricsRequired: true, metricsWeightOfUnavailable: -10000, restrictIsolatedHostsToIsolatedImages: true,
      initialCpuAllocationRatio: 4, initialRamAllocationRatio: 1, initialDiskAllocationRatio: 1,
    });
  });

  it('every default filter and weigher is registered', () => {
    for (const f of DEFAULT_FILTERS) expect(FILTERS[f]).toBeDefined();
    expect(validateSchedulerConfig()).toEqual(defaultSchedulerConfig());
  });

  it.each([
    ['RamFilter', 'RamFilter'], ['ram', 'RamFilter'], ['Ram', 'RamFilter'],
    ['nova.scheduler.filters.ram_filter.RamFilter', 'RamFilter'], ['VCPUFilter', 'CoreFilter'],
    ['AggregateMultiTenancyIsolation', 'AggregateMultiTenancyIsolation'], ['numatopologyfilter', 'NUMATopologyFilter'],
  ])('accepts filter name %s as %s', (name, canonical) => {
    if (canonical === 'NUMATopologyFilter') {
      expect(() => validateSchedulerConfig({ enabledFilters: [name] })).toThrow(NotSupportedError);
      return;
    }
    expect(validateSchedulerConfig({ enabledFilters: [name, canonical] }).enabledFilters).toEqual([canonical]);
  });

  it('names an unknown filter, as a config error (exit 7)', () => {
    const e = error(() => validateSchedulerConfig({ enabledFilters: ['ComputeFilter', 'RamFiltr'] }));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toContain('"RamFiltr"');
    expect(e.exitCode).toBe(7);
    expect(e.hint).toContain('RamFilter');
  });

  it('names an unknown weigher the same way, and refuses it in a Scheduler too', () => {
    const e = error(() => new Scheduler({ enabledWeighers: ['RAMWeigher', 'FooWeigher'] }));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toContain('"FooWeigher"');
  });

  it.each([
    [['all'], Object.keys(WEIGHERS)],
    [['nova.scheduler.weights.all_weighers'], Object.keys(WEIGHERS)],
    [['nova.scheduler.weights.ram.RAMWeigher', 'cpu', 'RAMWeigher'], ['RAMWeigher', 'CPUWeigher']],
    [[], []],
  ])('weighers %j → %j', (names, expected) => {
    expect(validateSchedulerConfig({ enabledWeighers: names }).enabledWeighers).toEqual(expected);
  });

  it.each([
    [{ hostSubsetSize: 0 }, /hostSubsetSize/],
    [{ hostSubsetSize: 1.5 }, /hostSubsetSize/],
    [{ maxIoOpsPerHost: -1 }, /maxIoOpsPerHost/],
    [{ ramWeightMultiplier: Number.NaN }, /ramWeightMultiplier/],
    [{ softAffinityWeightMultiplier: -1 }, /softAffinityWeightMultiplier/], // Nova: min=0.0
    [{ metricsWeightSetting: ['cpu.percent'] }, /not name=ratio/],
    [{ metricsWeightSetting: ['cpu.percent=lots'] }, /not name=ratio/],
    [{ cpuAllocationRatio: -2 }, /cpuAllocationRatio/],
  ])('rejects %j', (over, message) => {
    const e = error(() => validateSchedulerConfig(over));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toMatch(message);
  });
});

describe('resolveAllocationRatio', () => {
  it.each([
    [2, 8, 4, 2], // the host's own value wins
    [null, 8, 4, 8], // then the global option
    [undefined, null, 4, 4], // then Nova's initial_* default
    [0, null, 1, 1], // 0 means unset, as in Nova
  ])('host %s, global %s, initial %s → %s', (h, g, i, expected) => {
    expect(resolveAllocationRatio(h, g, i)).toBe(expected);
  });
});
