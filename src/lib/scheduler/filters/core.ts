/**
 * CoreFilter (Nova's VCPU check): the host must have room for the flavor's vCPUs under its CPU
 * allocation ratio after reserved host CPUs, and the flavor may not exceed the host's physical
 * vCPU count.
 */
import { defineFilter } from './base';
import { VCPU, capacityReport } from './capacity';

export const CoreFilter = defineFilter({
  name: 'CoreFilter',
  resource: true,
  prepare(spec) {
    const need = spec.flavor.vcpus;
    if (!(need > 0)) return null;
    return {
      test: (h) =>
        need <= h.totalVcpus &&
        (h.totalVcpus - h.reservedHostCpus) * h.cpuAllocationRatio - h.usedVcpus >= need,
      ...capacityReport(VCPU, need, (h) => h.cpuAllocationRatio),
    };
  },
});
