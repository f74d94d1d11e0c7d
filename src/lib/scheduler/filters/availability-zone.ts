/**
 * AvailabilityZoneFilter: when the request names an availability zone, only hosts in it. A
 * host's zone is the one the caller resolved (its aggregates' zone, else the default zone); as
 * in Nova, a host whose aggregates name several zones is in each of them. (Nova now does this
 * with a Placement pre-filter; novalite has no Placement, so it stays a filter.)
 */
import { defineFilter, hostsAre, keepWhere } from './base';

export const AvailabilityZoneFilter = defineFilter({
  name: 'AvailabilityZoneFilter',
  runOncePerRequest: true,
  staticData: true,
  prepare(spec, ctx) {
    const az = spec.availabilityZone;
    if (!az) return null;
    const inZone = ctx.pool.zoneMask(az);
    return {
      test: (_h, i) => inZone[i] === 1,
      filterAll: (idx, n) => keepWhere(idx, n, inZone),
      reason: (h) => `is in availability zone "${h.availabilityZone}", not "${az}"`,
      summary: (removed) => `${hostsAre(removed)} not in availability zone "${az}"`,
    };
  },
});
