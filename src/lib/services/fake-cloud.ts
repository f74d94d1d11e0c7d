/**
 * Builds a cloud of fake-driver hosts in bulk, for benchmarks, simulations and tests: mixed host
 * sizes, availability zones, aggregates with metadata, a few disabled hosts and existing usage,
 * or — with `capacityServers` — hosts sized so that exactly that many servers of one flavor fit.
 * Deterministic for a given seed.
 */
import { randomUUID } from 'node:crypto';
import { Clock, isoTime } from '../clock';
import { Stores } from '../db/stores';
import { isCell0 } from '../model/cells';
import type { NewHost } from '../db/repos/hosts';

export interface FakeCloudOptions {
  hosts: number;
  seed?: number;
  azs?: number;
  /** Size hosts so exactly this many servers of `slotFlavor` fit in total (no usage, none disabled). */
  capacityServers?: number;
  slotFlavor?: { vcpus: number; memoryMb: number; diskGb: number };
  /** Hosts get a name prefix, so several builds can share a cloud. */
  prefix?: string;
}

/** A small deterministic PRNG (mulberry32), so a benchmark's cloud is the same every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FakeCloudBuilder {
  constructor(private readonly stores: Stores, private readonly clock: Clock) {}

  async build(o: FakeCloudOptions): Promise<{ hosts: string[] }> {
    const rnd = seededRandom(o.seed ?? 42);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
    const api = await this.stores.api();
    const cells = (await api.cells.list()).filter((c) => !isCell0(c));
    const now = isoTime(this.clock.now());
    const names: string[] = [];
    const perCell = new Map<number, NewHost[]>();
    const slots = o.capacityServers !== undefined ? this.spread(o.capacityServers, o.hosts) : null;
    const slot = o.slotFlavor ?? { vcpus: 1, memoryMb: 1024, diskGb: 10 };
    const reservedMb = this.stores.claimDefaults().reservedHostMemoryMb;
    for (let i = 0; i < o.hosts; i++) {
      const host = `${o.prefix ?? 'fake'}-${String(i).padStart(5, '0')}`;
      names.push(host);
      const cell = cells[i % cells.length];
      const sized = slots
        ? { vcpus: slots[i] * slot.vcpus, memoryMb: slots[i] * slot.memoryMb + reservedMb, localGb: slots[i] * slot.diskGb, ratio: 1.0 }
        : { vcpus: pick([16, 32, 64, 128]), memoryMb: pick([64, 128, 256, 512]) * 1024, localGb: pick([1000, 2000, 4000]), ratio: null };
      const list = perCell.get(cell.id) ?? [];
      list.push({
        host, nodeUuid: randomUUID(), serviceUuid: randomUUID(), driver: 'fake', hypervisorType: 'fake', hypervisorVersion: 1000,
        vcpus: sized.vcpus, memoryMb: sized.memoryMb, localGb: sized.localGb, hostIp: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        cpuAllocationRatio: sized.ratio, ramAllocationRatio: sized.ratio, diskAllocationRatio: sized.ratio,
        cpuInfo: { arch: 'x86_64', model: pick(['Broadwell', 'Skylake', 'Icelake']), vendor: 'Intel', features: ['sse4_2', 'avx2'] },
        stats: {}, driverConfig: {}, used: slots ? undefined : this.usage(sized, rnd()),
      });
      perCell.set(cell.id, list);
    }
    for (const cell of cells) {
      const batch = perCell.get(cell.id) ?? [];
      const repos = await this.stores.cell(cell);
      await repos.hosts.createMany(batch, now);
      await api.hostMappings.mapHosts(cell.id, batch.map((h) => h.host), now);
      if (slots) continue;
      for (const h of batch) if (rnd() < 0.01) await repos.hosts.setDisabled(h.host, true, 'maintenance', now);
    }
    if (!slots) await this.aggregates(names, o.azs ?? 3, rnd);
    return { hosts: names };
  }

  /** Up to half of a host already used. */
  private usage(h: { vcpus: number; memoryMb: number; localGb: number }, r: number) {
    const f = r * 0.5;
    return { vcpus: Math.floor(h.vcpus * f), memoryMb: Math.floor(h.memoryMb * f), diskGb: Math.floor(h.localGb * f), runningVms: Math.floor(f * 20) };
  }

  /** Integer slots per host summing to `total`. */
  private spread(total: number, hosts: number): number[] {
    return Array.from({ length: hosts }, (_, i) => Math.floor(total / hosts) + (i < total % hosts ? 1 : 0));
  }

  private async aggregates(hosts: string[], azs: number, rnd: () => number): Promise<void> {
    const api = await this.stores.api();
    const now = isoTime(this.clock.now());
    const zones = await Promise.all(Array.from({ length: azs }, (_, z) =>
      api.aggregates.create({ uuid: randomUUID(), name: `az${z + 1}-${randomUUID().slice(0, 8)}`, metadata: { availability_zone: `az${z + 1}` } }, now)));
    const ssd = await api.aggregates.create({ uuid: randomUUID(), name: `ssd-${randomUUID().slice(0, 8)}`, metadata: { ssd: 'true', cpu_allocation_ratio: '2.0' } }, now);
    for (let z = 0; z < azs; z++) await api.aggregates.addHosts(zones[z].id, hosts.filter((_, i) => i % azs === z));
    await api.aggregates.addHosts(ssd.id, hosts.filter(() => rnd() < 0.2));
  }
}
