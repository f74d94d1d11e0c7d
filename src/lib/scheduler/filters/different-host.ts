/**
 * DifferentHostFilter: with the "different_host" hint (server uuids), only hosts running none of
 * those servers.
 */
import { hintList } from '../hints';
import { defineFilter } from './base';
import { runsAny } from './same-host';

export const DifferentHostFilter = defineFilter({
  name: 'DifferentHostFilter',
  runOncePerRequest: true,
  prepare(spec, ctx) {
    const uuids = hintList(spec, 'different_host');
    if (uuids.length === 0) return null;
    return {
      ...runsAny(ctx.pool, uuids, false),
      reason: (h) => `runs ${uuids.filter((u) => h.instanceUuids.has(u)).join(', ')} (different_host)`,
    };
  },
});
