// HostPool: what it reads live on every decision, what it caches, and how update()/invalidate()
// refresh the cache for one host or all.
import { HostPool, Scheduler } from '../../../src/lib/scheduler';
import { parseNumber } from '../../../src/lib/scheduler/host-pool';
import { agg, host, spec } from './helpers';

const select = (s: Scheduler, pool: HostPool, over = {}) => s.select(spec(over), pool)?.selected.host ?? null;

describe('HostPool caches', () => {
  it('refreshes per-aggregate limits of one host on update(host)', () => {
    const pool = new HostPool([host('a', { numInstances: 5, aggregates: [agg(1, { max_instances_per_host: '10' })] })]);
    const s = new Scheduler({ enabledFilters: ['AggregateNumInstancesFilter'] });
    expect(select(s, pool)).toBe('a');
    pool.hosts[0].aggregates = [agg(1, { max_instances_per_host: '5' })];
    expect(select(s, pool)).toBe('a'); // cached until told
    pool.update(pool.hosts[0]);
    expect(select(s, pool)).toBeNull();
  });

  it('refreshes zones and capability answers on update(host)', () => {
    const pool = new HostPool([host('a', { availabilityZone: 'az1', capabilities: { hypervisorType: 'kvm' } })]);
    const s = new Scheduler();
    const kvm = { flavor: { extraSpecs: { 'capabilities:hypervisor_type': 's== kvm' } } };
    expect(select(s, pool, { availabilityZone: 'az1', ...kvm })).toBe('a');
    pool.hosts[0].availabilityZone = 'az2';
    pool.hosts[0].capabilities = { hypervisorType: 'qemu' };
    pool.update(0);
    expect(select(s, pool, { availabilityZone: 'az1' })).toBeNull();
    expect(select(s, pool, { availabilityZone: 'az2' })).toBe('a');
    expect(select(s, pool, kvm)).toBeNull();
  });

  it('picks up a new aggregate key after invalidate()', () => {
    const pool = new HostPool([host('a', { usedMemoryMb: 16384 }), host('b', { usedMemoryMb: 8192 })]);
    const s = new Scheduler({ enabledWeighers: ['RAMWeigher'] });
    expect(select(s, pool)).toBe('b');
    pool.hosts[1].aggregates = [agg(1, { ram_weight_multiplier: '-1' })];
    pool.invalidate();
    expect(select(s, pool)).toBe('a');
  });

  it('finds hosts by object and by name, and refuses a stranger', () => {
    const pool = new HostPool([host('a'), host('b', { nodename: 'b-1' }), host('b', { nodename: 'b-2' })]);
    expect(pool.indexOf(pool.hosts[1])).toBe(1);
    expect(pool.indexOfHost('b')).toBe(1);
    expect(pool.indicesOfHost('b')).toEqual([1, 2]);
    expect(pool.indexOfHost('zz')).toBe(-1);
    expect(() => pool.update(host('zz'))).toThrow(RangeError);
  });
});

describe('parseNumber (Python int()/float() acceptance for aggregate metadata)', () => {
  it.each([
    ['8', true, 8], [' 8 ', true, 8], ['8.0', true, NaN], ['x', true, NaN],
    ['1.5', false, 1.5], ['.5', false, 0.5], ['2e1', false, 20], ['', false, NaN], ['1,5', false, NaN],
  ])('%j (integer %s) → %s', (text, integer, expected) => {
    expect(parseNumber(text, integer)).toBe(expected);
  });
});
