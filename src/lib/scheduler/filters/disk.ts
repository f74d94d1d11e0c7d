/**
 * DiskFilter: the host must have room for root + ephemeral + swap (in whole GB, root left out
 * when booting from a volume) under its disk allocation ratio after reserved disk, and the
 * request may not exceed the host's physical disk.
 */
import { defineFilter } from './base';
import { DISK, capacityReport, requestedDiskGb } from './capacity';

export const DiskFilter = defineFilter({
  name: 'DiskFilter',
  resource: true,
  prepare(spec) {
    const need = requestedDiskGb(spec);
    if (!(need > 0)) return null;
    return {
      test: (h) =>
        need <= h.totalDiskGb &&
        (h.totalDiskGb - Math.ceil(h.reservedHostDiskMb / 1024)) * h.diskAllocationRatio - h.usedDiskGb >= need,
      ...capacityReport(DISK, need, (h) => h.diskAllocationRatio),
    };
  },
});
