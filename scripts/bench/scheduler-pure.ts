/**
 * Micro-benchmark of the pure scheduler (no database): N generated hosts, R mixed single-server
 * requests, each decision followed by an in-memory consume as a committed claim would do.
 * Prints one JSON line {hosts, requests, decisions_per_s, p50_ms, p99_ms, heap_mb}.
 *
 *   npx tsc -p tsconfig.json --outDir /tmp/sb && node --expose-gc /tmp/sb/scripts/bench/scheduler-pure.js --hosts 10000 --requests 5000
 */
import { HostPool, Scheduler, consumeFromRequest, makeHostState, makeRequestSpec } from '../../src/lib/scheduler';
import type { AggregateInfo, HostState, RequestSpec } from '../../src/lib/scheduler';
import { seededRandom } from '../../src/lib/services/fake-cloud';

function arg(name: string, fallback: number): number {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 ? Number(process.argv[k + 1]) : fallback;
}

/** A seeded generator so runs are comparable. */
const rng = seededRandom;

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

function makeHosts(n: number, r: () => number): HostState[] {
  const azs = ['az1', 'az2', 'az3'];
  const aggs: AggregateInfo[] = [];
  for (let a = 0; a < 12; a++) {
    aggs.push({ id: a, name: `agg${a}`, availabilityZone: azs[a % 3], metadata: { ssd: a % 2 ? 'true' : 'false', rack: `r${a}`, ...(a === 5 ? { cpu_allocation_ratio: '2.0' } : {}) } });
  }
  const hosts: HostState[] = [];
  for (let i = 0; i < n; i++) {
    const vcpus = pick(r, [16, 32, 48, 64, 96, 128]);
    const mem = pick(r, [64, 128, 192, 256, 384, 512]) * 1024;
    const disk = pick(r, [1000, 2000, 3000, 4000]);
    const fill = r() * 0.7;
    const agg = aggs[i % aggs.length];
    hosts.push(makeHostState({
      host: `cmp${i}`, nodename: `cmp${i}`, nodeUuid: `node-${i}`, cellUuid: 'cell1',
      totalVcpus: vcpus, totalMemoryMb: mem, totalDiskGb: disk,
      usedVcpus: Math.floor(vcpus * 4 * fill), usedMemoryMb: Math.floor(mem * fill), usedDiskGb: Math.floor(disk * fill),
      reservedHostMemoryMb: 512, reservedHostDiskMb: 0, reservedHostCpus: 0,
      cpuAllocationRatio: 4.0, ramAllocationRatio: 1.0, diskAllocationRatio: 1.0,
      numInstances: Math.floor(fill * 30), numIoOps: Math.floor(r() * 3),
      instanceUuids: new Set(), flavorIdsOnHost: new Set(),
      serviceUp: true, serviceDisabled: r() < 0.01, availabilityZone: agg.availabilityZone ?? 'nova',
      aggregates: [agg],
      capabilities: {
        arch: 'x86_64', hypervisorType: 'kvm', hypervisorVersion: 8002000, cpuModel: 'EPYC',
        cpuFeatures: r() < 0.5 ? ['avx2', 'sse4_2'] : ['sse4_2'],
        supportedInstances: [['x86_64', 'kvm', 'hvm'], ['i686', 'kvm', 'hvm']],
      },
      failedBuilds: r() < 0.02 ? 1 : 0,
    }));
  }
  return hosts;
}

function makeRequests(n: number, r: () => number): RequestSpec[] {
  const flavors = [
    { id: 1, name: 'm1.tiny', vcpus: 1, memoryMb: 512, rootGb: 1 },
    { id: 2, name: 'm1.small', vcpus: 1, memoryMb: 2048, rootGb: 20 },
    { id: 3, name: 'm1.medium', vcpus: 2, memoryMb: 4096, rootGb: 40 },
    { id: 4, name: 'm1.large', vcpus: 4, memoryMb: 8192, rootGb: 80 },
    { id: 5, name: 'm1.xlarge', vcpus: 8, memoryMb: 16384, rootGb: 160 },
  ];
  const out: RequestSpec[] = [];
  for (let k = 0; k < n; k++) {
    const f = pick(r, flavors);
    const extraSpecs: Record<string, string> = r() < 0.2 ? { 'capabilities:cpu_info:features': '<in> avx2', 'hw:cpu_policy': 'shared' } : {};
    const group = r() < 0.1
      ? { uuid: `g${k % 50}`, name: `g${k % 50}`, policy: 'anti-affinity' as const, rules: {}, hosts: [], members: [`i${k}`] }
      : null;
    out.push(makeRequestSpec({
      flavor: { ...f, extraSpecs },
      image: r() < 0.5 ? { id: 'img1', properties: { hw_architecture: 'x86_64' } } : { id: 'img2', properties: {} },
      availabilityZone: r() < 0.3 ? pick(r, ['az1', 'az2', 'az3']) : null,
      instanceGroup: group,
      instanceUuid: `i${k}`,
    }));
  }
  return out;
}

function main(): void {
  const nHosts = arg('hosts', 10000);
  const nRequests = arg('requests', 5000);
  const r = rng(42);
  const pool = new HostPool(makeHosts(nHosts, r));
  const requests = makeRequests(nRequests, r);
  const scheduler = new Scheduler();
  const pickRng = rng(7);
  for (let k = 0; k < 200; k++) scheduler.select(requests[k % requests.length], pool, { rng: pickRng }); // warm-up
  const times = new Float64Array(nRequests);
  const start = process.hrtime.bigint();
  let placed = 0;
  for (let k = 0; k < nRequests; k++) {
    const t0 = process.hrtime.bigint();
    const s = scheduler.select(requests[k], pool, { rng: pickRng });
    if (s !== null) {
      consumeFromRequest(s.selected, requests[k], requests[k].instanceUuid);
      placed++;
    }
    times[k] = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  (globalThis as { gc?: () => void }).gc?.();
  const sorted = Array.from(times).sort((a, b) => a - b);
  const q = (p: number) => Number(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(3));
  console.log(JSON.stringify({
    hosts: nHosts, requests: nRequests, placed,
    decisions_per_s: Math.round(nRequests / elapsed), p50_ms: q(0.5), p99_ms: q(0.99),
    heap_mb: Math.round(process.memoryUsage().heapUsed / 1048576),
  }));
}

main();
