/**
 * What Ram/Core/Disk and their Aggregate* variants share. novalite has no Placement service, so
 * these filters do Placement's job with Placement's arithmetic, per resource class:
 *   capacity = (total - reserved) × allocation_ratio,  fits when used + requested <= capacity
 * and, like Placement's max_unit (and Nova's old "do not overcommit against itself" check), a
 * single server may never ask for more than the host physically has in total.
 */
import type { HostPool } from '../host-pool';
import type { RequestSpec } from '../types';
import { hostsHave, type PreparedFilter } from './base';

export interface Resource {
  /** Label in reasons: "RAM", "vCPUs", "disk". */
  label: string;
  unit: string;
  /** Aggregate metadata key of the per-aggregate allocation ratio. */
  ratioKey: string;
  need(spec: RequestSpec): number;
  columns(pool: HostPool): { total: Float64Array; reserved: Float64Array; used: Float64Array; ratio: Float64Array };
}

/** DISK_GB as Nova asks Placement for it: root (unless on a volume) + ephemeral + swap rounded up. */
export function requestedDiskGb(spec: RequestSpec): number {
  const f = spec.flavor;
  return (spec.bootFromVolume ? 0 : f.rootGb) + f.ephemeralGb + Math.ceil(f.swapMb / 1024);
}

export const RAM: Resource = {
  label: 'RAM', unit: ' MB', ratioKey: 'ram_allocation_ratio', need: (s) => s.flavor.memoryMb,
  columns: (p) => ({ total: p.totalMemoryMb, reserved: p.reservedMemoryMb, used: p.usedMemoryMb, ratio: p.ramRatio }),
};

export const VCPU: Resource = {
  label: 'vCPUs', unit: '', ratioKey: 'cpu_allocation_ratio', need: (s) => s.flavor.vcpus,
  columns: (p) => ({ total: p.totalVcpus, reserved: p.reservedCpus, used: p.usedVcpus, ratio: p.cpuRatio }),
};

export const DISK: Resource = {
  label: 'disk', unit: ' GB', ratioKey: 'disk_allocation_ratio', need: requestedDiskGb,
  columns: (p) => ({ total: p.totalDiskGb, reserved: p.reservedDiskGb, used: p.usedDiskGb, ratio: p.diskRatio }),
};

/**
 * The bulk loop, a top-level function on purpose: V8 optimises a closure's loop for its own
 * context only while a single closure of it exists, and Ram, Core and Disk would make three.
 */
function keepFitting(
  idx: Int32Array, n: number, need: number, total: Float64Array, reserved: Float64Array,
  used: Float64Array, ratio: Float64Array, override: Float64Array | null,
): number {
  let k = 0;
  for (let j = 0; j < n; j++) {
    const i = idx[j];
    let q = ratio[i];
    if (override !== null && override[i] === override[i]) q = override[i];
    if (need <= total[i] && (total[i] - reserved[i]) * q - used[i] >= need) idx[k++] = i;
  }
  return k;
}

/**
 * The prepared filter for one resource. `override` holds per-aggregate ratios (NaN = use the
 * host's), for the Aggregate* variants.
 */
export function capacityFilter(
  r: Resource, spec: RequestSpec, pool: HostPool, override: Float64Array | null = null, gate?: 'ram' | 'vcpu' | 'disk',
): PreparedFilter | null {
  const need = r.need(spec);
  if (!(need > 0)) return null;
  const { total, reserved, used, ratio } = r.columns(pool);
  const ratioAt = (i: number) => (override !== null && override[i] === override[i] ? override[i] : ratio[i]);
  const free = (i: number) => (total[i] - reserved[i]) * ratioAt(i) - used[i];
  const available = (_h: unknown, i: number) => Math.max(0, Math.floor(Math.min(free(i), total[i])));
  return {
    test: (_h, i) => need <= total[i] && free(i) >= need,
    filterAll: (idx, n) => keepFitting(idx, n, need, total, reserved, used, ratio, override),
    gate: gate === undefined ? undefined : { kind: gate, need },
    available,
    reason(h, i) {
      if (need > total[i]) return `has ${total[i]}${r.unit} ${r.label} in total, needs ${need}${r.unit}`;
      return `has ${available(h, i)}${r.unit} ${r.label} free, needs ${need}${r.unit}`;
    },
    summary(removed, largest) {
      const less = r.unit === '' ? 'fewer' : 'less';
      return `${hostsHave(removed)} ${less} than ${need}${r.unit} ${r.label} free (largest ${largest}${r.unit})`;
    },
  };
}
