// Scheduler.select / selectMany / noValidHostError: choice, alternates, host_subset_size with an
// injected RNG, request restrictions, live usage through a reused pool, consumption in multi-create.
import { NoValidHostError } from '../../../src/lib/errors';
import { HostPool, Scheduler, consumeFromRequest, noValidHostError, type HostState } from '../../../src/lib/scheduler';
import { host, seeded, spec } from './helpers';

const names = (hs: HostState[]) => hs.map((h) => h.host);
const fleet = () => [
  host('a', { usedMemoryMb: 24576 }), // 8 GiB free
  host('b', { usedMemoryMb: 8192 }), // 24 GiB free: best for spreading
  host('c', { usedMemoryMb: 16384 }), // 16 GiB free
];
// Only RAM decides, so the expected order is easy to read: b, c, a.
const ramOnly = () => new Scheduler({ enabledWeighers: ['RAMWeigher'] });

describe('Scheduler.select', () => {
  it('picks the best-weighed host, with alternates best first', () => {
    const sel = ramOnly().select(spec(), fleet())!;
    expect(sel.selected.host).toBe('b');
    expect(names(sel.alternates)).toEqual(['c', 'a']); // max_attempts 3 → 2 alternates
    expect(sel.weight).toBeCloseTo(1, 9);
  });

  it('honours the alternates option and keeps alternates in the selected host\'s cell', () => {
    const hosts = [...fleet(), host('d', { cellUuid: 'cell2', usedMemoryMb: 20000 })]; // second-best, other cell
    expect(names(ramOnly().select(spec(), hosts, { alternates: 1 })!.alternates)).toEqual(['c']);
    expect(names(ramOnly().select(spec(), hosts, { alternates: 5 })!.alternates)).toEqual(['c', 'a']);
  });

  it('finds same-cell alternates even when other cells rank above them', () => {
    const hosts = [host('best', { usedMemoryMb: 0 }), ...[1, 2, 3, 4, 5].map((k) => host(`far${k}`, { cellUuid: 'cell2', usedMemoryMb: 1000 * k })),
      host('near', { usedMemoryMb: 20000 })];
    expect(names(ramOnly().select(spec(), hosts, { alternates: 1 })!.alternates)).toEqual(['near']);
  });

  it('returns null when nothing passes', () => {
    expect(ramOnly().select(spec({ flavor: { memoryMb: 65536 } }), fleet())).toBeNull();
    expect(ramOnly().select(spec(), [])).toBeNull();
  });

  it('stacks with a negative RAM multiplier', () => {
    const s = new Scheduler({ enabledWeighers: ['RAMWeigher'], ramWeightMultiplier: -1 });
    expect(s.select(spec(), fleet())!.selected.host).toBe('a');
  });

  it('host_subset_size: a random choice among the best N, from the injected RNG', () => {
    const s = new Scheduler({ enabledWeighers: ['RAMWeigher'], hostSubsetSize: 2 });
    expect(s.select(spec(), fleet(), { rng: () => 0 })!.selected.host).toBe('b');
    expect(s.select(spec(), fleet(), { rng: () => 0.99 })!.selected.host).toBe('c');
    const seen = new Set<string>();
    const rng = seeded(1);
    for (let k = 0; k < 50; k++) seen.add(s.select(spec(), fleet(), { rng })!.selected.host);
    expect([...seen].sort()).toEqual(['b', 'c']); // never the third-best
  });

  it('shuffle_best_same_weighed_hosts spreads among equal best hosts', () => {
    const equal = () => [host('x'), host('y'), host('z', { usedMemoryMb: 1024 })];
    const plain = new Scheduler({ enabledWeighers: ['RAMWeigher'] });
    expect(plain.select(spec(), equal(), { rng: () => 0.99 })!.selected.host).toBe('x'); // ties: first wins
    const shuffled = new Scheduler({ enabledWeighers: ['RAMWeigher'], shuffleBestSameWeighedHosts: true });
    expect(shuffled.select(spec(), equal(), { rng: () => 0.99 })!.selected.host).toBe('y');
  });

  it('respects ignore_hosts, force_hosts, force_nodes and the requested destination', () => {
    const s = ramOnly();
    expect(s.select(spec({ ignoreHosts: ['B'] }), fleet())!.selected.host).toBe('c'); // case-insensitive, as Nova
    expect(s.select(spec({ forceHosts: ['a'] }), fleet())!.selected.host).toBe('a');
    expect(s.select(spec({ forceNodes: ['c'] }), fleet())!.selected.host).toBe('c');
    expect(s.select(spec({ requestedDestination: { host: 'a' } }), fleet())!.selected.host).toBe('a');
    expect(s.select(spec({ requestedDestination: { host: 'nope' } }), fleet())).toBeNull();
  });

  it('forced hosts skip the policy filters but not the capacity checks', () => {
    const hosts = [host('off', { serviceDisabled: true }), host('tiny', { totalMemoryMb: 1024 })];
    expect(ramOnly().select(spec({ forceHosts: ['off'] }), hosts)!.selected.host).toBe('off');
    expect(ramOnly().select(spec({ forceHosts: ['tiny'] }), hosts)).toBeNull();
  });

  it('reads live usage from the host objects on every decision, through a reused pool', () => {
    const pool = new HostPool(fleet());
    const s = ramOnly();
    expect(s.select(spec(), pool)!.selected.host).toBe('b');
    pool.hosts[1].usedMemoryMb = 32768; // e.g. a refresh from the database
    expect(s.select(spec(), pool)!.selected.host).toBe('c');
    pool.hosts[2].serviceDisabled = true;
    expect(s.select(spec(), pool)!.selected.host).toBe('a');
  });

  it('sees inventory changes after pool.update(host)', () => {
    const pool = new HostPool([host('a', { totalMemoryMb: 1024 })]);
    const s = ramOnly();
    expect(s.select(spec(), pool)).toBeNull();
    pool.hosts[0].totalMemoryMb = 65536;
    pool.update(pool.hosts[0]);
    expect(s.select(spec(), pool)!.selected.host).toBe('a');
  });
});

describe('Scheduler.selectMany', () => {
  it('consumes as it goes, so a multi-create spreads', () => {
    const hosts = [host('a'), host('b')];
    const picks = ramOnly().selectMany(spec({ flavor: { memoryMb: 4096 } }), hosts, 4)!;
    expect(picks.map((p) => p.selected.host)).toEqual(['a', 'b', 'a', 'b']);
    expect(hosts.map((h) => h.usedMemoryMb)).toEqual([8192, 8192]);
    expect(hosts.map((h) => h.numInstances)).toEqual([2, 2]);
  });

  it('fills hosts until nothing fits; minCount decides whether a partial result is enough', () => {
    const mk = () => [host('a', { totalMemoryMb: 8192 }), host('b', { totalMemoryMb: 4096 })];
    const s = spec({ flavor: { memoryMb: 4096 } });
    expect(ramOnly().selectMany(s, mk(), 4)).toBeNull();
    expect(ramOnly().selectMany(s, mk(), 4, { minCount: 2 })!.map((p) => p.selected.host).sort()).toEqual(['a', 'a', 'b']);
  });

  it('keeps anti-affinity members apart within one request', () => {
    const group = { uuid: 'g', name: 'g', policy: 'anti-affinity' as const, rules: {}, hosts: [], members: ['i1', 'i2', 'i3'] };
    const s = spec({ instanceGroup: group, instanceUuids: ['i1', 'i2', 'i3'] });
    const picks = new Scheduler().selectMany(s, [host('a'), host('b'), host('c')], 3)!;
    expect(new Set(picks.map((p) => p.selected.host)).size).toBe(3);
    expect(new Scheduler().selectMany(s, [host('a'), host('b')], 3)).toBeNull();
    expect(group.hosts).toEqual([]); // the caller's spec is not mutated
  });

  it('honours max_server_per_host across the request', () => {
    const group = { uuid: 'g', name: 'g', policy: 'anti-affinity' as const, rules: { max_server_per_host: 2 }, hosts: [], members: [] };
    const picks = new Scheduler().selectMany(spec({ instanceGroup: group }), [host('a'), host('b')], 4)!;
    expect(picks.map((p) => p.selected.host).sort()).toEqual(['a', 'a', 'b', 'b']);
  });

  it('pins an affinity group to the first host chosen', () => {
    const group = { uuid: 'g', name: 'g', policy: 'affinity' as const, rules: {}, hosts: [], members: [] };
    const picks = ramOnly().selectMany(spec({ instanceGroup: group, flavor: { memoryMb: 4096 } }), [host('a'), host('b')], 3)!;
    expect(new Set(picks.map((p) => p.selected.host)).size).toBe(1);
  });

  it('soft-anti-affinity spreads without refusing', () => {
    const group = { uuid: 'g', name: 'g', policy: 'soft-anti-affinity' as const, rules: {}, hosts: [], members: [] };
    const s = new Scheduler({ enabledWeighers: ['ServerGroupSoftAntiAffinityWeigher'] });
    const picks = s.selectMany(spec({ instanceGroup: group }), [host('a'), host('b')], 4)!;
    expect(picks.map((p) => p.selected.host)).toEqual(['a', 'b', 'a', 'b']);
  });

  it('gives alternates that are not already chosen for this request', () => {
    const picks = ramOnly().selectMany(spec({ flavor: { memoryMb: 1024 } }), [host('a'), host('b'), host('c')], 2)!;
    expect(names(picks[1].alternates)).not.toContain(picks[0].selected.host);
  });

  it('agrees with consumeFromRequest when a caller places one by one', () => {
    const hosts = [host('a'), host('b')];
    const s = ramOnly();
    const pool = new HostPool(hosts);
    const order: string[] = [];
    for (let k = 0; k < 4; k++) {
      const sel = s.select(spec({ flavor: { memoryMb: 4096 } }), pool)!;
      consumeFromRequest(sel.selected, spec({ flavor: { memoryMb: 4096 } }), `i${k}`);
      order.push(sel.selected.host);
    }
    expect(order).toEqual(['a', 'b', 'a', 'b']);
  });
});

describe('noValidHostError', () => {
  it('is a NoValidHostError (exit 5) naming each filter and the shortfall', () => {
    const hosts = [
      host('off', { serviceDisabled: true, disabledReason: 'maintenance' }),
      host('a', { usedMemoryMb: 28672 }),
      host('b', { usedMemoryMb: 30720 }),
    ];
    const err = noValidHostError(spec({ flavor: { name: 'm1.large', vcpus: 4, memoryMb: 8192, rootGb: 80 } }), hosts);
    expect(err).toBeInstanceOf(NoValidHostError);
    expect(err.exitCode).toBe(5);
    expect(err.message).toBe(
      'No valid host was found for flavor m1.large (4 vCPU, 8192 MB RAM, 80 GB disk): none of 3 hosts passed. ' +
      'Compute: 1 host is disabled or down. Ram: 2 hosts have less than 8192 MB RAM free (largest 4096 MB).',
    );
    const details = err.details as { filters: Array<{ filter: string; removed: number }> };
    expect(details.filters.filter((f) => f.removed > 0).map((f) => [f.filter, f.removed])).toEqual([['ComputeFilter', 1], ['RamFilter', 2]]);
    expect(err.hint).toContain('schedule explain --flavor m1.large');
  });
});
