// Every weigher, Nova's normalisation, negative multipliers, aggregate overrides, and the batched
// hot path agreeing with the per-weigher sum.
import { HostError } from '../../../src/lib/errors';
import { HostPool, findWeigher, type HostState, type RequestSpec, type SchedulerConfig } from '../../../src/lib/scheduler';
import { prepareWeighers, weighHosts } from '../../../src/lib/scheduler/weighing';
import { agg, config, host, spec } from './helpers';

/**
 * Total weights per host with only `names` enabled. Runs the hot path and the explaining path
 * (per-weigher parts) and insists they agree.
 */
function weigh(names: string[], hosts: HostState[], s: RequestSpec = spec(), over: Partial<SchedulerConfig> = {}): Record<string, number> {
  const cfg = config({ enabledWeighers: names, ...over });
  const pool = new HostPool(hosts);
  pool.syncAll();
  const active = prepareWeighers(names.map((n) => findWeigher(n)!), s, { config: cfg, pool });
  const n = hosts.length;
  const idx = Int32Array.from(hosts.keys());
  const fast = new Float64Array(n);
  const slow = new Float64Array(n);
  weighHosts(active, pool, idx, n, fast, new Float64Array(n));
  const parts = active.map(() => new Float64Array(n));
  weighHosts(active, pool, idx, n, slow, new Float64Array(n), parts);
  hosts.forEach((_, j) => {
    expect(fast[j]).toBeCloseTo(slow[j], 9);
    expect(parts.reduce((sum, p) => sum + p[j], 0)).toBeCloseTo(slow[j], 9);
  });
  return Object.fromEntries(hosts.map((h, j) => [h.host, Number(fast[j].toFixed(6))]));
}

const ram = (name: string, usedMemoryMb: number, over: Partial<HostState> = {}) => host(name, { usedMemoryMb, ...over });

describe('normalisation (Nova weights.normalize)', () => {
  it('min-max to [0, 1]; the RAM weigher normalises against 0, its minval', () => {
    // free 32768, 16384, 8192 → /32768
    expect(weigh(['RAMWeigher'], [ram('a', 0), ram('b', 16384), ram('c', 24576)])).toEqual({ a: 1, b: 0.5, c: 0.25 });
  });
  it('all equal → all 0, even when not 0 (a weigher without minval)', () => {
    expect(weigh(['NumInstancesWeigher'], [host('a', { numInstances: 5 }), host('b', { numInstances: 5 })], spec(), { numInstancesWeightMultiplier: 1 }))
      .toEqual({ a: 0, b: 0 });
  });
  it('clamps below minval: an overcommitted host counts as 0 free', () => {
    expect(weigh(['RAMWeigher'], [ram('a', 0), ram('over', 40000)])).toEqual({ a: 1, over: 0 });
  });
  it('a single host is not weighed', () => {
    expect(weigh(['RAMWeigher'], [ram('a', 0)])).toEqual({ a: 0 });
  });
  it('sums multiplier × normalised over weighers', () => {
    const hosts = [host('a', { usedMemoryMb: 0, usedVcpus: 16 }), host('b', { usedMemoryMb: 16384, usedVcpus: 0 })];
    // RAM: a 1, b 0.5; CPU (free 0 vs 16): a 0, b 1
    expect(weigh(['RAMWeigher', 'CPUWeigher'], hosts, spec(), { ramWeightMultiplier: 2 })).toEqual({ a: 2, b: 2 });
  });
});

describe.each([
  ['RAMWeigher', 'ramWeightMultiplier', (n: string, free: number) => host(n, { usedMemoryMb: 32768 - free })],
  ['CPUWeigher', 'cpuWeightMultiplier', (n: string, free: number) => host(n, { usedVcpus: 16 - free })],
  ['DiskWeigher', 'diskWeightMultiplier', (n: string, free: number) => host(n, { usedDiskGb: 500 - free })],
])('%s', (name, option, make) => {
  const hosts = () => [make('empty', 16), make('half', 8), make('full', 0)];
  it('spreads by default (most free wins)', () => {
    expect(weigh([name], hosts())).toEqual({ empty: 1, half: 0.5, full: 0 });
  });
  it('stacks with a negative multiplier (least free wins), instead of spreading', () => {
    expect(weigh([name], hosts(), spec(), { [option]: -1 })).toEqual({ empty: -1, half: -0.5, full: 0 });
  });
  it('is skipped at multiplier 0', () => {
    expect(weigh([name], hosts(), spec(), { [option]: 0 })).toEqual({ empty: 0, half: 0, full: 0 });
  });
});

describe('CPUWeigher', () => {
  it('counts free vCPUs under the allocation ratio', () => {
    const hosts = [host('r4', { cpuAllocationRatio: 4, usedVcpus: 32 }), host('r1', { usedVcpus: 0 })];
    // free: 16×4−32 = 32 vs 16
    expect(weigh(['CPUWeigher'], hosts)).toEqual({ r4: 1, r1: 0.5 });
  });
});

describe('IoOpsWeigher', () => {
  const hosts = () => [host('idle', { numIoOps: 0 }), host('busy', { numIoOps: 4 })];
  it('prefers idle hosts by default (-1.0)', () => {
    expect(weigh(['IoOpsWeigher'], hosts())).toEqual({ idle: 0, busy: -1 });
  });
  it('prefers busy hosts with a positive multiplier', () => {
    expect(weigh(['IoOpsWeigher'], hosts(), spec(), { ioOpsWeightMultiplier: 2 })).toEqual({ idle: 0, busy: 2 });
  });
});

describe('NumInstancesWeigher', () => {
  const hosts = () => [host('few', { numInstances: 1 }), host('many', { numInstances: 9 })];
  it('is off by default (0.0)', () => {
    expect(weigh(['NumInstancesWeigher'], hosts())).toEqual({ few: 0, many: 0 });
  });
  it('a negative multiplier prefers fewer instances', () => {
    expect(weigh(['NumInstancesWeigher'], hosts(), spec(), { numInstancesWeightMultiplier: -1 })).toEqual({ few: 0, many: -1 });
  });
});

describe('aggregate multiplier overrides', () => {
  it('an aggregate key of the option name overrides the multiplier for its hosts; the minimum wins', () => {
    const hosts = [
      host('spread', { usedMemoryMb: 16384 }),
      host('stack', { usedMemoryMb: 16384, aggregates: [agg(1, { ram_weight_multiplier: '-1.0' })] }),
      host('min', { usedMemoryMb: 16384, aggregates: [agg(2, { ram_weight_multiplier: '3' }), agg(3, { ram_weight_multiplier: '2' })] }),
      host('empty', { usedMemoryMb: 0 }),
    ];
    expect(weigh(['RAMWeigher'], hosts)).toEqual({ spread: 0.5, stack: -0.5, min: 1, empty: 1 });
  });
  it('works even when the configured multiplier is 0', () => {
    const hosts = [host('a', { numInstances: 4, aggregates: [agg(1, { num_instances_weight_multiplier: '1' })] }), host('b', { numInstances: 2 })];
    expect(weigh(['NumInstancesWeigher'], hosts)).toEqual({ a: 1, b: 0 });
  });
});

describe('MetricsWeigher', () => {
  const hosts = () => [host('a', { metrics: { cpu: 10, mem: 100 } }), host('b', { metrics: { cpu: 90, mem: 300 } })];
  it('Σ metric × ratio, normalised', () => {
    // a: −10 + 100 = 90, b: −90 + 300 = 210
    expect(weigh(['MetricsWeigher'], hosts(), spec(), { metricsWeightSetting: ['cpu=-1', 'mem=1'] })).toEqual({ a: 0, b: 1 });
  });
  it('with no weight_setting it does nothing', () => {
    expect(weigh(['MetricsWeigher'], hosts())).toEqual({ a: 0, b: 0 });
  });
  it('a missing metric is an error when required (the default)', () => {
    const hs = [...hosts(), host('c', { metrics: { cpu: 1 } })];
    expect(() => weigh(['MetricsWeigher'], hs, spec(), { metricsWeightSetting: ['mem=1'] })).toThrow(HostError);
  });
  it('…and weight_of_unavailable when not required', () => {
    const hs = [...hosts(), host('c', { metrics: { cpu: 1 } })];
    const w = weigh(['MetricsWeigher'], hs, spec(), { metricsWeightSetting: ['mem=1'], metricsRequired: false });
    expect(w.c).toBe(0);
    expect(w.b).toBe(1);
    expect(w.a).toBeGreaterThan(0.97); // (100 + 10000) / (300 + 10000)
  });
});

const U1 = '11111111-1111-1111-1111-111111111111';
const U2 = '22222222-2222-2222-2222-222222222222';
const U3 = '33333333-3333-3333-3333-333333333333';
const groupHosts = () => [host('two', { instanceUuids: new Set([U1, U2]) }), host('one', { instanceUuids: new Set([U3]) }), host('none')];
const grouped = (policy: 'soft-affinity' | 'soft-anti-affinity' | 'affinity') =>
  spec({ instanceGroup: { uuid: 'g', name: 'g', policy, rules: {}, hosts: ['two', 'one'], members: [U1, U2, U3] } });

describe('ServerGroupSoftAffinityWeigher / ServerGroupSoftAntiAffinityWeigher', () => {
  it('soft-affinity prefers hosts with more members', () => {
    expect(weigh(['ServerGroupSoftAffinityWeigher'], groupHosts(), grouped('soft-affinity'))).toEqual({ two: 1, one: 0.5, none: 0 });
  });
  it('soft-anti-affinity prefers hosts with fewer members', () => {
    expect(weigh(['ServerGroupSoftAntiAffinityWeigher'], groupHosts(), grouped('soft-anti-affinity'))).toEqual({ two: 0, one: 0.5, none: 1 });
  });
  it('each only acts on its own policy', () => {
    expect(weigh(['ServerGroupSoftAffinityWeigher', 'ServerGroupSoftAntiAffinityWeigher'], groupHosts(), grouped('affinity')))
      .toEqual({ two: 0, one: 0, none: 0 });
  });
  it('scales with its multiplier', () => {
    expect(weigh(['ServerGroupSoftAffinityWeigher'], groupHosts(), grouped('soft-affinity'), { softAffinityWeightMultiplier: 10 }))
      .toEqual({ two: 10, one: 5, none: 0 });
  });
});

describe('BuildFailureWeigher', () => {
  it('sinks hosts with failed builds by a large default multiplier', () => {
    expect(weigh(['BuildFailureWeigher'], [host('ok'), host('flaky', { failedBuilds: 3 }), host('bad', { failedBuilds: 6 })]))
      .toEqual({ ok: 0, flaky: -500000, bad: -1000000 });
  });
  it('negates an aggregate override too', () => {
    const hosts = [host('ok', { aggregates: [agg(1, { build_failure_weight_multiplier: '10' })] }), host('bad', { failedBuilds: 1, aggregates: [agg(1, { build_failure_weight_multiplier: '10' })] })];
    expect(weigh(['BuildFailureWeigher'], hosts)).toEqual({ ok: 0, bad: -10 });
  });
});

describe('CrossCellWeigher', () => {
  const hosts = () => [host('home', { cellUuid: 'c1' }), host('away', { cellUuid: 'c2' })];
  it('prefers the source cell during a cross-cell move', () => {
    const s = spec({ requestedDestination: { cellUuid: 'c1', allowCrossCellMove: true } });
    expect(weigh(['CrossCellWeigher'], hosts(), s)).toEqual({ home: 1000000, away: 0 });
  });
  it('does nothing otherwise', () => {
    expect(weigh(['CrossCellWeigher'], hosts(), spec({ requestedDestination: { cellUuid: 'c1' } }))).toEqual({ home: 0, away: 0 });
  });
});

describe('HypervisorVersionWeigher', () => {
  it('prefers newer hypervisors', () => {
    const hosts = [host('new', { capabilities: { hypervisorVersion: 8002000 } }), host('old', { capabilities: { hypervisorVersion: 4000000 } }), host('unknown')];
    expect(weigh(['HypervisorVersionWeigher'], hosts)).toEqual({ new: 1, old: 0.499875, unknown: 0 });
  });
});

describe('several weighers at once', () => {
  it('the batched hot path equals the per-weigher sum (random hosts, distinct multipliers)', () => {
    let seed = 7;
    const r = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const hosts = Array.from({ length: 40 }, (_, i) => host(`h${i}`, {
      usedMemoryMb: Math.floor(r() * 40000), usedVcpus: Math.floor(r() * 20), usedDiskGb: Math.floor(r() * 600),
      numIoOps: Math.floor(r() * 8), numInstances: Math.floor(r() * 30), failedBuilds: r() < 0.2 ? 1 : 0,
      capabilities: { hypervisorVersion: r() < 0.5 ? 6000000 : 8000000 },
    }));
    const all = ['RAMWeigher', 'CPUWeigher', 'DiskWeigher', 'IoOpsWeigher', 'NumInstancesWeigher', 'BuildFailureWeigher', 'HypervisorVersionWeigher'];
    const over = { ramWeightMultiplier: 1.5, cpuWeightMultiplier: -2, diskWeightMultiplier: 0.25, ioOpsWeightMultiplier: -3, numInstancesWeightMultiplier: 0.5, buildFailureWeightMultiplier: 7, hypervisorVersionWeightMultiplier: 11 };
    const together = weigh(all, hosts, spec(), over);
    // Each weigher alone, summed, must give the same totals.
    const alone = all.map((w) => weigh([w], hosts, spec(), over));
    for (const h of hosts) expect(together[h.host]).toBeCloseTo(alone.reduce((s, a) => s + a[h.host], 0), 5);
    expect(new Set(Object.values(together)).size).toBeGreaterThan(30);
  });
});
