/**
 * What Ram/Core/Disk and their Aggregate* variants share. novalite has no Placement service, so
 * these filters do Placement's job with Placement's arithmetic, per resource class:
 *   capacity = (total - reserved) × allocation_ratio,  fits when used + requested <= capacity
 * and, like Placement's max_unit (and Nova's old "do not overcommit against itself" check), a
 * single server may never ask for more than the host physically has in total.
 */
import type { HostState, RequestSpec } from '../types';
import { hostsHave, type PreparedFilter } from './base';

export interface Resource {
  /** Label in reasons: "RAM", "vCPUs", "disk". */
  label: string;
  unit: string;
  /** Aggregate metadata key of the per-aggregate allocation ratio. */
  ratioKey: string;
  total(h: HostState): number;
  reserved(h: HostState): number;
  used(h: HostState): number;
  ratio(h: HostState): number;
  need(spec: RequestSpec): number;
}

/** DISK_GB as Nova asks Placement for it: root (unless on a volume) + ephemeral + swap rounded up. */
export function requestedDiskGb(spec: RequestSpec): number {
  const f = spec.flavor;
  return (spec.bootFromVolume ? 0 : f.rootGb) + f.ephemeralGb + Math.ceil(f.swapMb / 1024);
}

export const RAM: Resource = {
  label: 'RAM', unit: ' MB', ratioKey: 'ram_allocation_ratio',
  total: (h) => h.totalMemoryMb, reserved: (h) => h.reservedHostMemoryMb, used: (h) => h.usedMemoryMb,
  ratio: (h) => h.ramAllocationRatio, need: (s) => s.flavor.memoryMb,
};

export const VCPU: Resource = {
  label: 'vCPUs', unit: '', ratioKey: 'cpu_allocation_ratio',
  total: (h) => h.totalVcpus, reserved: (h) => h.reservedHostCpus, used: (h) => h.usedVcpus,
  ratio: (h) => h.cpuAllocationRatio, need: (s) => s.flavor.vcpus,
};

export const DISK: Resource = {
  label: 'disk', unit: ' GB', ratioKey: 'disk_allocation_ratio',
  total: (h) => h.totalDiskGb, reserved: (h) => Math.ceil(h.reservedHostDiskMb / 1024),
  used: (h) => h.usedDiskGb, ratio: (h) => h.diskAllocationRatio, need: requestedDiskGb,
};

export function freeAmount(r: Resource, h: HostState, ratio: number): number {
  return (r.total(h) - r.reserved(h)) * ratio - r.used(h);
}

/** The explaining half of a capacity filter; `ratioOf` gives the ratio the test used. */
export function capacityReport(
  r: Resource,
  need: number,
  ratioOf: (h: HostState, i: number) => number,
): Omit<PreparedFilter, 'test'> {
  const available = (h: HostState, i: number) =>
    Math.max(0, Math.floor(Math.min(freeAmount(r, h, ratioOf(h, i)), r.total(h))));
  return {
    available,
    reason(h, i) {
      if (need > r.total(h)) return `has ${r.total(h)}${r.unit} ${r.label} in total, needs ${need}${r.unit}`;
      return `has ${available(h, i)}${r.unit} ${r.label} free, needs ${need}${r.unit}`;
    },
    summary(removed, largest) {
      const less = r.unit === '' ? 'fewer' : 'less';
      return `${hostsHave(removed)} ${less} than ${need}${r.unit} ${r.label} free (largest ${largest}${r.unit})`;
    },
  };
}

/** The whole prepared filter for a ratio source, used by the Aggregate* variants. */
export function capacityCheck(
  r: Resource,
  spec: RequestSpec,
  ratioOf: (h: HostState, i: number) => number,
): PreparedFilter | null {
  const need = r.need(spec);
  if (!(need > 0)) return null;
  return {
    test: (h, i) => need <= r.total(h) && freeAmount(r, h, ratioOf(h, i)) >= need,
    ...capacityReport(r, need, ratioOf),
  };
}

/** Per-aggregate ratio: the minimum over the host's aggregates, else the host's own. */
export function aggregateRatio(r: Resource, mins: Float64Array): (h: HostState, i: number) => number {
  return (h, i) => (Number.isNaN(mins[i]) ? r.ratio(h) : mins[i]);
}
