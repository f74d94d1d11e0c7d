/**
 * DifferentHostFilter: with the "different_host" hint (server uuids), only hosts running none of
 * those servers.
 */
import { hintList } from '../hints';
import { defineFilter } from './base';
import { hostRunsAny } from './same-host';

export const DifferentHostFilter = defineFilter({
  name: 'DifferentHostFilter',
  runOncePerRequest: true,
  prepare(spec) {
    const uuids = hintList(spec, 'different_host');
    if (uuids.length === 0) return null;
    return {
      test: (h) => !hostRunsAny(h, uuids),
      reason: (h) => `runs ${uuids.filter((u) => h.instanceUuids.has(u)).join(', ')} (different_host)`,
    };
  },
});
