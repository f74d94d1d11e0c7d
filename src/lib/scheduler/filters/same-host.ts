/**
 * SameHostFilter: with the "same_host" hint (server uuids), only hosts running at least one of
 * those servers.
 */
import { hintList } from '../hints';
import type { HostState } from '../types';
import { defineFilter } from './base';

export function hostRunsAny(h: HostState, uuids: readonly string[]): boolean {
  for (const u of uuids) if (h.instanceUuids.has(u)) return true;
  return false;
}

export const SameHostFilter = defineFilter({
  name: 'SameHostFilter',
  runOncePerRequest: true,
  prepare(spec) {
    const uuids = hintList(spec, 'same_host');
    if (uuids.length === 0) return null;
    return {
      test: (h) => hostRunsAny(h, uuids),
      reason: () => `runs none of the same_host servers`,
    };
  },
});
