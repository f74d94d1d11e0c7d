/**
 * RamFilter: the host must have room for the flavor's RAM under its RAM allocation ratio
 * (Placement's MEMORY_MB check, which novalite does here as it has no Placement), and the
 * flavor may not exceed the host's physical RAM.
 */
import { defineFilter } from './base';
import { RAM, capacityReport } from './capacity';

export const RamFilter = defineFilter({
  name: 'RamFilter',
  resource: true,
  prepare(spec) {
    const need = spec.flavor.memoryMb;
    if (!(need > 0)) return null;
    return {
      // Written out instead of going through RAM.* so this hot loop stays monomorphic.
      test: (h) =>
        need <= h.totalMemoryMb &&
        (h.totalMemoryMb - h.reservedHostMemoryMb) * h.ramAllocationRatio - h.usedMemoryMb >= need,
      ...capacityReport(RAM, need, (h) => h.ramAllocationRatio),
    };
  },
});
