// The simple filters: service state, zones, instance and I/O limits, retry, flavor affinity,
// metrics, isolated hosts (both directions), and the two refused for lack of host data.
import { NotSupportedError } from '../../../src/lib/errors';
import { validateSchedulerConfig } from '../../../src/lib/scheduler';
import { agg, config, host, reasonFor, spec, survivors } from './helpers';

describe('AllHostsFilter', () => {
  it('passes everything, even a disabled host', () => {
    expect(survivors('AllHostsFilter', [host('a', { serviceDisabled: true })], spec())).toEqual(['a']);
  });
});

describe('ComputeFilter', () => {
  const hosts = [host('ok'), host('off', { serviceDisabled: true, disabledReason: 'maintenance' }), host('down', { serviceUp: false })];
  it('keeps only enabled, up services', () => {
    expect(survivors('ComputeFilter', hosts, spec())).toEqual(['ok']);
  });
  it('says why', () => {
    expect(reasonFor('ComputeFilter', hosts[1], spec())).toBe('compute service is disabled (maintenance)');
    expect(reasonFor('ComputeFilter', hosts[2], spec())).toBe('compute service is down');
  });
});

describe('AvailabilityZoneFilter', () => {
  const hosts = [
    host('a', { availabilityZone: 'az1' }),
    host('b', { availabilityZone: 'az2' }),
    // in two zones through its aggregates: a member of each
    host('c', { availabilityZone: 'az2', aggregates: [agg(1, {}, 'az2'), agg(2, {}, 'az3')] }),
  ];
  it.each([
    [null, ['a', 'b', 'c']], ['az1', ['a']], ['az2', ['b', 'c']], ['az3', ['c']], ['nowhere', []],
  ])('zone %s → %j', (az, expected) => {
    expect(survivors('AvailabilityZoneFilter', hosts, spec({ availabilityZone: az }))).toEqual(expected);
  });
  it('names the zones in its reason', () => {
    expect(reasonFor('AvailabilityZoneFilter', hosts[0], spec({ availabilityZone: 'az2' }))).toBe('is in availability zone "az1", not "az2"');
  });
});

describe('NumInstancesFilter and AggregateNumInstancesFilter', () => {
  const hosts = [
    host('few', { numInstances: 3 }),
    host('many', { numInstances: 50 }),
    host('agg', { numInstances: 5, aggregates: [agg(1, { max_instances_per_host: '10' }), agg(2, { max_instances_per_host: '5' })] }),
    host('bad', { numInstances: 5, aggregates: [agg(3, { max_instances_per_host: '2.5' })] }),
  ];
  it('limits by max_instances_per_host (default 50)', () => {
    expect(survivors('NumInstancesFilter', hosts, spec())).toEqual(['few', 'agg', 'bad']);
    expect(survivors('NumInstancesFilter', hosts, spec(), config({ maxInstancesPerHost: 5 }))).toEqual(['few']);
  });
  it('per aggregate: the minimum wins; a non-integer falls back to the config', () => {
    expect(survivors('AggregateNumInstancesFilter', hosts, spec(), config({ maxInstancesPerHost: 6 }))).toEqual(['few', 'bad']);
  });
});

describe('IoOpsFilter and AggregateIoOpsFilter', () => {
  const hosts = [host('idle', { numIoOps: 0 }), host('busy', { numIoOps: 8 }), host('agg', { numIoOps: 2, aggregates: [agg(1, { max_io_ops_per_host: '2' })] })];
  it('limits by max_io_ops_per_host (default 8)', () => {
    expect(survivors('IoOpsFilter', hosts, spec())).toEqual(['idle', 'agg']);
    expect(reasonFor('IoOpsFilter', hosts[1], spec())).toBe('has 8 I/O operations running, the limit is 8');
  });
  it('per aggregate', () => {
    expect(survivors('AggregateIoOpsFilter', hosts, spec())).toEqual(['idle']);
  });
});

describe('RetryFilter', () => {
  it('skips hosts and nodes already tried', () => {
    const hosts = [host('a'), host('b'), host('c', { nodename: 'c-node' })];
    expect(survivors('RetryFilter', hosts, spec({ retry: { numAttempts: 2, hosts: ['b', 'c-node'] } }))).toEqual(['a']);
    expect(survivors('RetryFilter', hosts, spec())).toEqual(['a', 'b', 'c']);
  });
});

describe('TypeAffinityFilter', () => {
  it('keeps a host to one flavor', () => {
    const hosts = [host('empty'), host('same', { flavorIdsOnHost: new Set(['7']) }), host('other', { flavorIdsOnHost: new Set(['8']) }), host('mixed', { flavorIdsOnHost: new Set(['7', '8']) })];
    expect(survivors('TypeAffinityFilter', hosts, spec({ flavor: { id: 7 } }))).toEqual(['empty', 'same']);
  });
});

describe('AggregateTypeAffinityFilter', () => {
  it('restricts hosts whose aggregates set instance_type', () => {
    const hosts = [host('free'), host('small', { aggregates: [agg(1, { instance_type: 'm1.tiny, m1.small' })] }), host('big', { aggregates: [agg(2, { instance_type: 'm1.xlarge' })] })];
    expect(survivors('AggregateTypeAffinityFilter', hosts, spec({ flavor: { name: 'm1.small' } }))).toEqual(['free', 'small']);
  });
});

describe('MetricsFilter', () => {
  it('requires every metric of weight_setting', () => {
    const cfg = config({ metricsWeightSetting: ['cpu.percent=-1.0', 'mem.free=1'] });
    const hosts = [host('all', { metrics: { 'cpu.percent': 10, 'mem.free': 5 } }), host('some', { metrics: { 'cpu.percent': 10 } })];
    expect(survivors('MetricsFilter', hosts, spec(), cfg)).toEqual(['all']);
    expect(reasonFor('MetricsFilter', hosts[1], spec(), cfg)).toBe('does not report metrics mem.free');
    expect(survivors('MetricsFilter', hosts, spec())).toEqual(['all', 'some']);
  });
});

describe('IsolatedHostsFilter', () => {
  const hosts = [host('iso'), host('plain')];
  const image = (id: string) => spec({ image: { id, properties: {} } });
  const cfg = (restrict: boolean) => config({ isolatedHosts: ['iso'], isolatedImages: ['img-iso'], restrictIsolatedHostsToIsolatedImages: restrict });
  it.each([
    // restrict = true: isolation both ways
    [true, 'img-iso', ['iso']],
    [true, 'img-plain', ['plain']],
    // restrict = false: isolated hosts also take other images
    [false, 'img-iso', ['iso']],
    [false, 'img-plain', ['iso', 'plain']],
  ])('restrict=%s, image %s → %j', (restrict, img, expected) => {
    expect(survivors('IsolatedHostsFilter', hosts, image(img), cfg(restrict))).toEqual(expected);
  });
  it('with no isolated images, a restricted isolated host takes nothing', () => {
    expect(survivors('IsolatedHostsFilter', hosts, image('x'), config({ isolatedHosts: ['iso'] }))).toEqual(['plain']);
    expect(survivors('IsolatedHostsFilter', hosts, image('x'), config({ isolatedHosts: ['iso'], restrictIsolatedHostsToIsolatedImages: false }))).toEqual(['iso', 'plain']);
  });
  it('a volume-backed server (no image) is not isolated', () => {
    expect(survivors('IsolatedHostsFilter', hosts, spec(), cfg(true))).toEqual(['plain']);
  });
});

describe('PciPassthroughFilter and NUMATopologyFilter', () => {
  it.each(['PciPassthroughFilter', 'NUMATopologyFilter'])('%s is known but refused at start-up', (name) => {
    expect(() => validateSchedulerConfig({ enabledFilters: ['ComputeFilter', name] })).toThrow(NotSupportedError);
    expect(() => validateSchedulerConfig({ enabledFilters: [name] })).toThrow(/do not report/);
  });
});
