/**
 * What NumInstances/IoOps and their Aggregate* variants share: a per-host count that must stay
 * below a limit, the configured one or (Aggregate*) the minimum an aggregate sets under the
 * option's name, falling back to the configured one when none does or the value is no integer.
 */
import type { PreparedFilter } from './base';
import { hostsHave } from './base';

/** Top-level so V8 keeps it fast for every filter that uses it (see capacity.ts). */
function keepBelow(idx: Int32Array, n: number, counts: Float64Array, limit: number, override: Float64Array | null): number {
  let k = 0;
  for (let j = 0; j < n; j++) {
    const i = idx[j];
    if (counts[i] < (override !== null && override[i] === override[i] ? override[i] : limit)) idx[k++] = i;
  }
  return k;
}

export function countBelow(
  counts: Float64Array, limit: number, override: Float64Array | null, what: string, option: string,
): PreparedFilter {
  const max = (i: number) => (override !== null && override[i] === override[i] ? override[i] : limit);
  return {
    test: (_h, i) => counts[i] < max(i),
    filterAll: (idx, n) => keepBelow(idx, n, counts, limit, override),
    reason: (_h, i) => `has ${counts[i]} ${what}, the limit is ${max(i)}`,
    summary: (removed) => `${hostsHave(removed)} reached ${option}${override === null ? ` (${limit})` : ''}`,
  };
}
