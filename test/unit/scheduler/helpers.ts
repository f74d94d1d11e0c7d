/**
 * Builders for the scheduler unit tests: small hosts and requests with readable overrides, and
 * `survivors()`, which runs one filter over a pool through both of its paths (per-host `test`
 * and bulk `filterAll`) and fails the test if they disagree.
 */
import { seededRandom } from '../../../src/lib/services/fake-cloud';
import {
  HostPool, findFilter, makeHostState, makeRequestSpec, validateSchedulerConfig,
  type HostState, type RequestSpec, type RequestSpecInit, type SchedulerConfig,
} from '../../../src/lib/scheduler';

export function config(over: Partial<SchedulerConfig> = {}): SchedulerConfig {
  return validateSchedulerConfig(over);
}

/** A 16 vCPU / 32 GiB / 500 GB host with ratios 1.0, so numbers in tests are easy to follow. */
export function host(name: string, over: Partial<HostState> = {}): HostState {
  return makeHostState({
    host: name, nodename: name, nodeUuid: `node-${name}`, cellUuid: 'cell1',
    totalVcpus: 16, totalMemoryMb: 32768, totalDiskGb: 500,
    cpuAllocationRatio: 1, ramAllocationRatio: 1, diskAllocationRatio: 1,
    ...over,
  });
}

export function spec(over: RequestSpecInit = {}): RequestSpec {
  return makeRequestSpec(over);
}

export function agg(id: number, metadata: Record<string, string>, availabilityZone?: string) {
  return { id, name: `agg${id}`, availabilityZone: availabilityZone ?? null, metadata };
}

/** Names of the hosts passing `filterName`; asserts test() and filterAll() agree. */
export function survivors(filterName: string, hosts: HostState[], s: RequestSpec, cfg: SchedulerConfig = config()): string[] {
  const filter = findFilter(filterName);
  if (!filter) throw new Error(`no filter ${filterName}`);
  const pool = new HostPool(hosts);
  pool.syncAll();
  const p = filter.prepare(s, { config: cfg, pool });
  if (p === null) return hosts.map((h) => h.host);
  const byTest = hosts.filter((h, i) => p.test(h, i)).map((h) => h.host);
  if (p.filterAll) {
    const idx = Int32Array.from(hosts.keys());
    const k = p.filterAll(idx, idx.length);
    const bulk = Array.from(idx.subarray(0, k)).map((i) => hosts[i].host);
    expect(bulk).toEqual(byTest);
  }
  return byTest;
}

/** The reason a filter gives for one host, or 'pass'. */
export function reasonFor(filterName: string, h: HostState, s: RequestSpec, cfg: SchedulerConfig = config()): string {
  const r = findFilter(filterName)!.hostPasses(h, s, { config: cfg });
  return r.pass ? 'pass' : r.reason;
}

/** A seeded random source (mulberry32) for host_subset_size and property tests. */
export const seeded = seededRandom;
