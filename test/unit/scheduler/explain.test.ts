// explain(): per-filter removals and reasons, the per-host matrix, weights; and that the hot
// path (filters reordered, checks folded into the usage sync) keeps exactly the hosts explain keeps.
import { HostPool, Scheduler, findFilter, makeRequestSpec, type HostState } from '../../../src/lib/scheduler';
import { explainFilters, prefilter, prepareFilters, runFilters } from '../../../src/lib/scheduler/pipeline';
import { agg, config, host, seeded, spec } from './helpers';

describe('Scheduler.explain', () => {
  const hosts = () => [
    host('off', { serviceDisabled: true }),
    host('down', { serviceUp: false }),
    host('small', { usedMemoryMb: 30720 }),
    host('kvm1', { usedMemoryMb: 8192, capabilities: { hypervisorType: 'kvm' } }),
    host('kvm2', { usedMemoryMb: 0, capabilities: { hypervisorType: 'kvm' } }),
    host('qemu', { capabilities: { hypervisorType: 'qemu' } }),
  ];
  const request = () => spec({ flavor: { name: 'm1.medium', memoryMb: 4096, extraSpecs: { 'capabilities:hypervisor_type': 's== kvm' } } });

  it('gives per filter the hosts removed, in the configured order, with aggregated reasons', () => {
    const ex = new Scheduler().explain(request(), hosts());
    const steps = ex.filters.map((f) => [f.filter, f.applied, f.before, f.removed]);
    expect(steps).toEqual([
      ['ComputeFilter', true, 6, 2],
      ['AvailabilityZoneFilter', false, 4, 0], // no zone asked: not applied
      ['RamFilter', true, 4, 1],
      ['CoreFilter', true, 3, 0],
      ['DiskFilter', true, 3, 0],
      ['ComputeCapabilitiesFilter', true, 3, 1],
      ['ImagePropertiesFilter', false, 2, 0],
      ['ServerGroupAntiAffinityFilter', false, 2, 0],
      ['ServerGroupAffinityFilter', false, 2, 0],
    ]);
    const compute = ex.filters[0];
    expect(compute.summary).toBe('2 hosts are disabled or down');
    expect(compute.reasons).toEqual([{ reason: 'compute service is disabled', hosts: 1 }, { reason: 'compute service is down', hosts: 1 }]);
    expect(ex.filters[2]).toMatchObject({ summary: '1 host has less than 4096 MB RAM free (largest 2048 MB)', largestAvailable: 2048 });
    expect(ex.filters[5].summary).toBe('1 host removed: capabilities:hypervisor_type is "qemu", flavor wants "s== kvm"');
    expect(ex.hostsPassed).toBe(2);
    expect(ex.message).toBe('2 of 6 hosts can take flavor m1.medium (1 vCPU, 4096 MB RAM, 20 GB disk). Compute: 2 hosts are disabled or down. Ram: 1 host has less than 4096 MB RAM free (largest 2048 MB). ComputeCapabilities: 1 host removed: capabilities:hypervisor_type is "qemu", flavor wants "s== kvm".');
  });

  it('gives the per-host matrix: first failing filter and reason, or pass', () => {
    const ex = new Scheduler().explain(request(), hosts());
    const row = (name: string) => ex.matrix.find((m) => m.host === name);
    expect(row('off')).toMatchObject({ passed: false, filter: 'ComputeFilter', reason: 'compute service is disabled' });
    expect(row('small')).toMatchObject({ passed: false, filter: 'RamFilter', reason: 'has 2048 MB RAM free, needs 4096 MB' });
    expect(row('kvm1')).toEqual({ host: 'kvm1', nodename: 'kvm1', passed: true });
  });

  it('gives the chosen host and the runners-up with total and per-weigher weights', () => {
    const ex = new Scheduler().explain(request(), hosts());
    expect(ex.selected!.host).toBe('kvm2');
    expect(ex.runnersUp.map((r) => r.host)).toEqual(['kvm1']);
    for (const w of [ex.selected!, ...ex.runnersUp]) {
      const sum = Object.values(w.weights).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(w.weight, 9);
    }
    expect(ex.selected!.weights.RAMWeigher).toBeCloseTo(1, 9);
    expect(ex.weighers.map((w) => w.weigher)).toContain('RAMWeigher');
    expect(ex.weighers.map((w) => w.weigher)).not.toContain('NumInstancesWeigher'); // multiplier 0
  });

  it('groups many distinct reasons, most frequent first', () => {
    const hs = [1, 2, 3].map((k) => host(`h${k}`, { capabilities: { hypervisorType: k === 3 ? 'xen' : 'qemu' } }));
    const ex = new Scheduler().explain(request(), hs);
    expect(ex.filters[5].summary).toBe('3 hosts removed (2× capabilities:hypervisor_type is "qemu", flavor wants "s== kvm"; 1× capabilities:hypervisor_type is "xen", flavor wants "s== kvm")');
    expect(ex.selected).toBeNull();
    expect(ex.message).toMatch(/^No valid host was found for flavor m1.medium/);
  });

  it('reports what the request itself excluded', () => {
    const ex = new Scheduler().explain(spec({ ignoreHosts: ['kvm1', 'kvm2'] }), hosts());
    expect(ex.prefilters).toEqual([{ step: 'ignore_hosts', removed: 2 }]);
    expect(ex.matrix.find((m) => m.host === 'kvm1')).toMatchObject({ passed: false, filter: 'request' });
    expect(ex.filters[0].before).toBe(4);
  });

  it('chooses what select chooses', () => {
    const s = new Scheduler({ hostSubsetSize: 2 });
    expect(s.explain(request(), hosts(), { rng: () => 0.9 }).selected!.host).toBe(s.select(request(), hosts(), { rng: () => 0.9 })!.selected.host);
  });
});

describe('the hot path and the explaining path agree (randomised)', () => {
  const rng = seeded(2024);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rng() * xs.length)];
  function randomHosts(n: number): HostState[] {
    return Array.from({ length: n }, (_, i) => host(`h${i}`, {
      totalVcpus: pick([4, 16, 64]), totalMemoryMb: pick([4096, 32768, 131072]), totalDiskGb: pick([50, 500, 2000]),
      usedVcpus: Math.floor(rng() * 80), usedMemoryMb: Math.floor(rng() * 140000), usedDiskGb: Math.floor(rng() * 2000),
      reservedHostMemoryMb: pick([0, 512, 4096]), reservedHostDiskMb: pick([0, 100, 2048]), reservedHostCpus: pick([0, 1]),
      cpuAllocationRatio: pick([1, 4, 16]), ramAllocationRatio: pick([1, 1.5]), diskAllocationRatio: pick([1, 2]),
      serviceDisabled: rng() < 0.1, serviceUp: rng() > 0.05, numInstances: Math.floor(rng() * 60), numIoOps: Math.floor(rng() * 10),
      availabilityZone: pick(['az1', 'az2']),
      aggregates: rng() < 0.3 ? [agg(1, { ram_allocation_ratio: pick(['0.5', '2.0']), max_instances_per_host: '40' })] : [],
      capabilities: { hypervisorType: pick(['kvm', 'qemu']), supportedInstances: [[pick(['x86_64', 'aarch64']), 'kvm', 'hvm']] },
    }));
  }
  const filters = ['ComputeFilter', 'AvailabilityZoneFilter', 'RamFilter', 'CoreFilter', 'DiskFilter', 'AggregateRamFilter',
    'NumInstancesFilter', 'AggregateNumInstancesFilter', 'IoOpsFilter', 'ComputeCapabilitiesFilter', 'ImagePropertiesFilter'];

  it('select() survivors equal explain() survivors over many random fleets and requests', () => {
    const cfg = config({ enabledFilters: filters });
    const counts: number[] = [];
    for (let round = 0; round < 40; round++) {
      const pool = new HostPool(randomHosts(60));
      const s = makeRequestSpec({
        flavor: { vcpus: pick([1, 4, 16]), memoryMb: pick([512, 8192, 65536]), rootGb: pick([0, 20, 400]), swapMb: pick([0, 1500]),
          extraSpecs: rng() < 0.5 ? { 'capabilities:hypervisor_type': 's== kvm' } : {} },
        availabilityZone: rng() < 0.5 ? pick(['az1', 'az2']) : null,
        image: rng() < 0.5 ? { id: 'i', properties: { hw_architecture: 'x86_64' } } : null,
      });
      const enabled = filters.map((f) => findFilter(f)!);
      const active = prepareFilters(enabled, s, { config: cfg, pool }, { forced: false, laterRound: false });
      const hot = new Int32Array(pool.size);
      const nHot = runFilters(active, pool, hot, prefilter(s, pool, hot).n);
      const slow = new Int32Array(pool.size);
      const nSlow = explainFilters(active, pool, slow, prefilter(s, pool, slow).n, new Int16Array(pool.size), []);
      expect(Array.from(hot.subarray(0, nHot))).toEqual(Array.from(slow.subarray(0, nSlow)));
      counts.push(nHot);
    }
    // The fleets must actually exercise both outcomes for this to mean anything.
    expect(counts.some((c) => c > 0)).toBe(true);
    expect(counts.every((c) => c < 60)).toBe(true);
  });
});
