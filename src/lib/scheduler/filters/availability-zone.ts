/**
 * AvailabilityZoneFilter: when the request names an availability zone, only hosts in it. A
 * host's zone is the one the caller resolved (its aggregates' zone, else the default zone);
 * as in Nova, a host whose aggregates name several zones is in each of them. (Nova now does this
 * with a Placement pre-filter; novalite has no Placement, so it stays a filter.)
 */
import type { HostState } from '../types';
import { defineFilter, hostsAre } from './base';

function inZone(h: HostState, az: string): boolean {
  if (h.availabilityZone === az) return true;
  for (const a of h.aggregates) if (a.availabilityZone === az) return true;
  return false;
}

export const AvailabilityZoneFilter = defineFilter({
  name: 'AvailabilityZoneFilter',
  runOncePerRequest: true,
  prepare(spec) {
    const az = spec.availabilityZone;
    if (!az) return null;
    return {
      test: (h) => inZone(h, az),
      reason: (h) => `is in availability zone "${h.availabilityZone}", not "${az}"`,
      summary: (removed) => `${hostsAre(removed)} not in availability zone "${az}"`,
    };
  },
});
