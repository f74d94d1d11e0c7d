/**
 * SameHostFilter: with the "same_host" hint (server uuids), only hosts running at least one of
 * those servers.
 */
import { hintList } from '../hints';
import type { HostPool } from '../host-pool';
import { defineFilter, type PreparedFilter } from './base';

/** test/filterAll over "runs any of these instances", looked up after the pool synced. */
export function runsAny(pool: HostPool, uuids: readonly string[], want: boolean): Pick<PreparedFilter, 'test' | 'filterAll'> {
  let hosts: Set<number> | undefined;
  const load = () => (hosts ??= new Set(pool.countOnHosts(uuids).keys()));
  return {
    test: (_h, i) => load().has(i) === want,
    filterAll(idx, n) {
      const set = load();
      let k = 0;
      for (let j = 0; j < n; j++) if (set.has(idx[j]) === want) idx[k++] = idx[j];
      return k;
    },
  };
}

export const SameHostFilter = defineFilter({
  name: 'SameHostFilter',
  runOncePerRequest: true,
  prepare(spec, ctx) {
    const uuids = hintList(spec, 'same_host');
    if (uuids.length === 0) return null;
    return { ...runsAny(ctx.pool, uuids, true), reason: () => 'runs none of the same_host servers' };
  },
});
