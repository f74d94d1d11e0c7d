/**
 * The scheduler's working copy of a set of hosts. Visiting a HostState object costs ~15 ns on
 * 10,000 hosts (cache misses across large objects) while a typed-array read costs ~1 ns, so a
 * decision visits each candidate object once (`sync`) to copy its capacity, usage and service
 * state into flat columns, and every filter and weigher after that reads columns.
 *
 * The HostState objects stay the truth for what changes per claim: usage, instance and I/O
 * counts, failed builds, service up/disabled — mutate them freely (a refresh from the database,
 * a claim, consumeFromRequest) and the next decision sees it. What a pool caches across
 * decisions is slow-changing data: inventory (totals, reserved amounts, allocation ratios),
 * aggregates, zones, capabilities, names and addresses (see HostIndexes). After changing those,
 * call `update(host)` for one host or `invalidate()` for all (also after adding or removing
 * hosts), or build a new pool.
 */
import { HostIndexes } from './host-indexes';
import type { HostState } from './types';

export { parseNumber } from './host-indexes';

/** Checks sync() can apply on the way (0 = no check). */
export interface SyncGate {
  usable: boolean;
  ramMb: number;
  vcpus: number;
  diskGb: number;
}

const NO_GATE: SyncGate = { usable: false, ramMb: 0, vcpus: 0, diskGb: 0 };

export class HostPool extends HostIndexes {
  readonly totalVcpus: Float64Array;
  readonly usedVcpus: Float64Array;
  readonly reservedCpus: Float64Array;
  readonly cpuRatio: Float64Array;
  readonly totalMemoryMb: Float64Array;
  readonly usedMemoryMb: Float64Array;
  readonly reservedMemoryMb: Float64Array;
  readonly ramRatio: Float64Array;
  readonly totalDiskGb: Float64Array;
  readonly usedDiskGb: Float64Array;
  /** Reserved disk as Placement reserves DISK_GB: reserved_host_disk_mb rounded up to whole GB. */
  readonly reservedDiskGb: Float64Array;
  readonly diskRatio: Float64Array;
  readonly reservedDiskMb: Float64Array;
  readonly numInstances: Float64Array;
  readonly numIoOps: Float64Array;
  readonly failedBuilds: Float64Array;
  /** Physical free RAM and disk (Nova's free_ram_mb, free_disk_mb) and free vCPUs under the ratio. */
  readonly freeRamMb: Float64Array;
  readonly freeDiskMb: Float64Array;
  readonly freeVcpus: Float64Array;
  /** 1 when the compute service is up and enabled. */
  readonly usable: Uint8Array;

  constructor(hosts: HostState[]) {
    super(hosts);
    const n = hosts.length;
    const col = () => new Float64Array(n);
    this.totalVcpus = col(); this.usedVcpus = col(); this.reservedCpus = col(); this.cpuRatio = col();
    this.totalMemoryMb = col(); this.usedMemoryMb = col(); this.reservedMemoryMb = col(); this.ramRatio = col();
    this.totalDiskGb = col(); this.usedDiskGb = col(); this.reservedDiskGb = col(); this.diskRatio = col(); this.reservedDiskMb = col();
    this.numInstances = col(); this.numIoOps = col(); this.failedBuilds = col();
    this.freeRamMb = col(); this.freeDiskMb = col(); this.freeVcpus = col();
    this.usable = new Uint8Array(n);
    for (let i = 0; i < n; i++) this.readInventory(i);
  }

  /** Totals, reserved amounts and ratios: they change with the host's inventory, not per claim. */
  private readInventory(i: number): void {
    const h = this.hosts[i];
    this.totalVcpus[i] = h.totalVcpus; this.reservedCpus[i] = h.reservedHostCpus; this.cpuRatio[i] = h.cpuAllocationRatio;
    this.totalMemoryMb[i] = h.totalMemoryMb; this.reservedMemoryMb[i] = h.reservedHostMemoryMb; this.ramRatio[i] = h.ramAllocationRatio;
    this.totalDiskGb[i] = h.totalDiskGb; this.reservedDiskGb[i] = Math.ceil(h.reservedHostDiskMb / 1024); this.diskRatio[i] = h.diskAllocationRatio;
    this.reservedDiskMb[i] = h.reservedHostDiskMb;
  }

  /**
   * Copies the live numbers (usage, counts, failed builds, service state) of hosts idx[0..n)
   * into the columns: one object visit per host, the dominant cost of a decision, so it reads
   * only what changes between decisions. With a gate, it also applies the checks of
   * ComputeFilter and the Ram/Core/Disk filters while the values are at hand, compacting idx
   * to the hosts that pass; returns the count kept.
   */
  sync(idx: Int32Array, n: number, gate: SyncGate = NO_GATE): number {
    const hosts = this.hosts;
    const { usedVcpus, usedMemoryMb, usedDiskGb, numInstances, numIoOps, failedBuilds, usable } = this;
    const { totalVcpus, reservedCpus, cpuRatio, totalMemoryMb, reservedMemoryMb, ramRatio } = this;
    const { totalDiskGb, reservedDiskMb, reservedDiskGb, diskRatio, freeRamMb, freeDiskMb, freeVcpus } = this;
    const known = this.instances?.known;
    const needUsable = gate.usable;
    const ram = gate.ramMb;
    const vcpu = gate.vcpus;
    const disk = gate.diskGb;
    let k = 0;
    for (let j = 0; j < n; j++) {
      const i = idx[j];
      const h = hosts[i];
      const uv = h.usedVcpus, um = h.usedMemoryMb, ud = h.usedDiskGb;
      const up = h.serviceUp && !h.serviceDisabled ? 1 : 0;
      if (known !== undefined && h.instanceUuids !== known[i]) {
        known[i] = h.instanceUuids; // a replaced set: the instance index re-reads this host
        this.instances!.markDirty(i);
      }
      usedVcpus[i] = uv; usedMemoryMb[i] = um; usedDiskGb[i] = ud;
      numInstances[i] = h.numInstances; numIoOps[i] = h.numIoOps; failedBuilds[i] = h.failedBuilds;
      usable[i] = up;
      const tm = totalMemoryMb[i], tv = totalVcpus[i], td = totalDiskGb[i];
      freeRamMb[i] = tm - reservedMemoryMb[i] - um;
      freeDiskMb[i] = td * 1024 - reservedDiskMb[i] - ud * 1024;
      freeVcpus[i] = (tv - reservedCpus[i]) * cpuRatio[i] - uv;
      // The same arithmetic as capacity.ts; explain runs that one, and a test holds them equal.
      if (needUsable && up === 0) continue;
      if (ram > 0 && !(ram <= tm && (tm - reservedMemoryMb[i]) * ramRatio[i] - um >= ram)) continue;
      if (vcpu > 0 && !(vcpu <= tv && freeVcpus[i] >= vcpu)) continue;
      if (disk > 0 && !(disk <= td && (td - reservedDiskGb[i]) * diskRatio[i] - ud >= disk)) continue;
      idx[k++] = i;
    }
    return k;
  }

  /** sync() for every host (explanations and one-host checks). */
  syncAll(): void {
    const idx = new Int32Array(this.hosts.length);
    for (let i = 0; i < idx.length; i++) idx[i] = i;
    this.sync(idx, idx.length);
  }

  /** Re-reads one host's inventory and slow-changing data after the caller changed them. */
  update(host: HostState | number): void {
    const i = typeof host === 'number' ? host : this.indexOf(host);
    if (i < 0 || i >= this.hosts.length) throw new RangeError(`host ${typeof host === 'number' ? host : host.host} is not in this pool`);
    this.readInventory(i);
    this.forgetHost(i);
  }

  override invalidate(): void {
    super.invalidate();
    for (let i = 0; i < this.hosts.length; i++) this.readInventory(i);
  }
}
