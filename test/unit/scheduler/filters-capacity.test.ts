// Ram/Core/Disk and Aggregate* capacity filters: Placement's arithmetic, reserved amounts,
// ratios, max_unit, per-aggregate minimum ratios, and the shortfall in their reasons.
import { HostPool, findFilter } from '../../../src/lib/scheduler';
import { agg, config, host, reasonFor, spec, survivors } from './helpers';

const flavor = (f: Record<string, number>) => spec({ flavor: { vcpus: 1, memoryMb: 1024, rootGb: 10, ...f } });

describe('RamFilter', () => {
  it.each([
    // [total, reserved, used, ratio, requested, passes]
    [32768, 0, 0, 1, 32768, true],
    [32768, 0, 1, 1, 32768, false],
    [32768, 512, 0, 1, 32768, false], // reserved memory is not for servers
    [32768, 0, 30000, 1.5, 16384, true], // (32768 × 1.5) − 30000 = 19152 free under overcommit
    [32768, 0, 40000, 1.5, 16384, false],
    [32768, 0, 0, 2.0, 40000, false], // never more than the host has in total, whatever the ratio
  ])('total %i, reserved %i, used %i, ratio %f, asks %i → %s', (total, reserved, used, ratio, asks, ok) => {
    const h = host('a', { totalMemoryMb: total, reservedHostMemoryMb: reserved, usedMemoryMb: used, ramAllocationRatio: ratio });
    expect(survivors('RamFilter', [h], flavor({ memoryMb: asks }))).toEqual(ok ? ['a'] : []);
  });

  it('explains the shortfall per host and in aggregate', () => {
    const s = flavor({ memoryMb: 8192 });
    expect(reasonFor('RamFilter', host('a', { usedMemoryMb: 28672 }), s)).toBe('has 4096 MB RAM free, needs 8192 MB');
    expect(reasonFor('RamFilter', host('b', { totalMemoryMb: 4096 }), s)).toBe('has 4096 MB RAM in total, needs 8192 MB');
    const p = findFilter('RamFilter')!.prepare(s, { config: config(), pool: new HostPool([]) })!;
    expect(p.summary!(38, 4096)).toBe('38 hosts have less than 8192 MB RAM free (largest 4096 MB)');
    expect(p.summary!(1, 0)).toBe('1 host has less than 8192 MB RAM free (largest 0 MB)');
  });
});

describe('CoreFilter (VCPU)', () => {
  it.each([
    [16, 0, 0, 1, 16, true],
    [16, 0, 15, 1, 2, false],
    [16, 2, 0, 1, 16, false], // reserved host CPUs
    [16, 0, 60, 4, 4, true], // (16 × 4) − 60 = 4
    [16, 0, 61, 4, 4, false],
    [16, 0, 0, 16, 17, false], // more vCPUs than the host has
  ])('total %i, reserved %i, used %i, ratio %f, asks %i → %s', (total, reserved, used, ratio, asks, ok) => {
    const h = host('a', { totalVcpus: total, reservedHostCpus: reserved, usedVcpus: used, cpuAllocationRatio: ratio });
    expect(survivors('CoreFilter', [h], flavor({ vcpus: asks }))).toEqual(ok ? ['a'] : []);
  });

  it('is found under Nova-style names too', () => {
    expect(findFilter('VCPUFilter')).toBe(findFilter('CoreFilter'));
    expect(reasonFor('CoreFilter', host('a', { usedVcpus: 14 }), flavor({ vcpus: 4 }))).toBe('has 2 vCPUs free, needs 4');
  });
});

describe('DiskFilter', () => {
  it('counts root + ephemeral + swap rounded up to whole GB', () => {
    const h = host('a', { totalDiskGb: 100, usedDiskGb: 50 });
    expect(survivors('DiskFilter', [h], flavor({ rootGb: 40, ephemeralGb: 10, swapMb: 0 }))).toEqual(['a']);
    expect(survivors('DiskFilter', [h], flavor({ rootGb: 40, ephemeralGb: 10, swapMb: 1 }))).toEqual([]);
  });
  it('leaves the root disk out when booting from a volume', () => {
    const h = host('a', { totalDiskGb: 100, usedDiskGb: 95 });
    const s = flavor({ rootGb: 80, ephemeralGb: 5 });
    expect(survivors('DiskFilter', [h], s)).toEqual([]);
    expect(survivors('DiskFilter', [h], { ...s, bootFromVolume: true })).toEqual(['a']);
  });
  it('rounds reserved disk up to whole GB, as Placement does', () => {
    const h = host('a', { totalDiskGb: 100, reservedHostDiskMb: 1 });
    expect(survivors('DiskFilter', [h], flavor({ rootGb: 100 }))).toEqual([]);
    expect(survivors('DiskFilter', [h], flavor({ rootGb: 99 }))).toEqual(['a']);
  });
  it('applies the disk allocation ratio', () => {
    const h = host('a', { totalDiskGb: 100, usedDiskGb: 100, diskAllocationRatio: 2 });
    expect(survivors('DiskFilter', [h], flavor({ rootGb: 100 }))).toEqual(['a']);
    expect(reasonFor('DiskFilter', host('b', { totalDiskGb: 100, usedDiskGb: 90 }), flavor({ rootGb: 20 }))).toBe('has 10 GB disk free, needs 20 GB');
  });
});

describe('AggregateRam/Core/DiskFilter: per-aggregate ratio, the minimum wins', () => {
  const used = { usedMemoryMb: 32768, usedVcpus: 16, usedDiskGb: 500, ramAllocationRatio: 1, cpuAllocationRatio: 1, diskAllocationRatio: 1 };
  const hosts = [
    host('none', used),
    host('one', { ...used, aggregates: [agg(1, { ram_allocation_ratio: '2.0', cpu_allocation_ratio: '2.0', disk_allocation_ratio: '2.0' })] }),
    host('two', { ...used, aggregates: [agg(1, { ram_allocation_ratio: '2.0', cpu_allocation_ratio: '2.0', disk_allocation_ratio: '2.0' }), agg(2, { ram_allocation_ratio: '1.0', cpu_allocation_ratio: '1.0', disk_allocation_ratio: '1.0' })] }),
    host('bad', { ...used, ramAllocationRatio: 2, cpuAllocationRatio: 2, diskAllocationRatio: 2, aggregates: [agg(3, { ram_allocation_ratio: 'lots', cpu_allocation_ratio: 'x', disk_allocation_ratio: '' })] }),
  ];
  it.each([
    ['AggregateRamFilter', flavor({ memoryMb: 1024 })],
    ['AggregateCoreFilter', flavor({ vcpus: 1 })],
    ['AggregateDiskFilter', flavor({ rootGb: 10 })],
  ])('%s', (name, s) => {
    // none: host ratio 1 → full; one: 2.0 → room; two: min(2.0, 1.0) = 1.0 → full;
    // bad: the aggregate value does not parse, so the host's own ratio (2) applies → room.
    expect(survivors(name, hosts, s)).toEqual(['one', 'bad']);
  });
  it('uses the same ratio in its reasons', () => {
    expect(reasonFor('AggregateRamFilter', host('x', { usedMemoryMb: 32768, aggregates: [agg(1, { ram_allocation_ratio: '1.5' })] }), flavor({ memoryMb: 20000 })))
      .toBe('has 16384 MB RAM free, needs 20000 MB');
  });
});
