/**
 * The weighing and picking half of a decision, over flat typed arrays: survivors are positions
 * j = 0..n-1 whose pool index is idx[j], and every per-host number lives in a Float64Array at j.
 * Nothing here allocates per host. Implements Nova's normalisation (weights.normalize) and its
 * host_subset_size / shuffle_best_same_weighed_hosts choice.
 */
import type { HostPool } from './host-pool';
import type { HostState, RequestSpec } from './types';
import type { HostWeigher, PreparedWeigher, WeigherContext } from './weighers';

export interface ActiveWeigher {
  weigher: HostWeigher;
  prepared: PreparedWeigher;
  /** Configured multiplier, already negated for negate weighers. */
  multiplier: number;
  /** Per-pool-index aggregate overrides (NaN = none), or null when no aggregate sets the key. */
  overrides: Float64Array | null;
}

/** Weighers that can change the order for this request; the rest are skipped outright. */
export function prepareWeighers(weighers: readonly HostWeigher[], spec: RequestSpec, ctx: WeigherContext): ActiveWeigher[] {
  const out: ActiveWeigher[] = [];
  for (const w of weighers) {
    const base = w.multiplier(ctx.config);
    const hasOverride = ctx.pool.hasAggregateKey(w.multiplierName);
    if (base === 0 && !hasOverride) continue;
    const prepared = w.prepare(spec, ctx);
    if (prepared === null) continue;
    const overrides = hasOverride ? ctx.pool.aggregateMin(w.multiplierName) : null;
    out.push({ weigher: w, prepared, multiplier: w.negate ? -base : base, overrides });
  }
  return out;
}

/**
 * total[j] = Σ multiplier × normalised raw weight. With `parts`, parts[w][j] receives each
 * weigher's contribution (explanations only).
 */
export function weighHosts(
  active: readonly ActiveWeigher[], pool: HostPool, idx: Int32Array, n: number,
  total: Float64Array, raw: Float64Array, parts?: Float64Array[],
): void {
  total.fill(0, 0, n);
  if (n <= 1) return; // Nova does not weigh a single host
  const hosts: HostState[] = pool.hosts;
  for (let w = 0; w < active.length; w++) {
    const { weigher, prepared, multiplier, overrides } = active[w];
    const lo = weigher.minval;
    const hi = weigher.maxval;
    let min = Infinity;
    let max = -Infinity;
    for (let j = 0; j < n; j++) {
      const i = idx[j];
      let v = prepared.raw(hosts[i], i);
      if (lo !== undefined && v < lo) v = lo;
      if (hi !== undefined && v > hi) v = hi;
      raw[j] = v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (lo !== undefined) min = lo;
    if (hi !== undefined) max = hi;
    const part = parts?.[w];
    const range = max - min;
    if (range === 0) continue; // all equal: Nova normalises them all to 0
    for (let j = 0; j < n; j++) {
      let m = multiplier;
      if (overrides !== null) {
        const o = overrides[idx[j]];
        if (o === o) m = weigher.negate ? -o : o; // o === o: not NaN
      }
      const s = (m * (raw[j] - min)) / range;
      total[j] += s;
      if (part !== undefined) part[j] = s;
    }
  }
}

/**
 * The k best positions by total (ties: earlier position first, as Nova's stable sort), skipping
 * positions `skip` rejects. Insertion into a k-long list: O(n) for the small k used here.
 */
export function topPositions(total: Float64Array, n: number, k: number, skip?: (j: number) => boolean): number[] {
  const best: number[] = [];
  if (k <= 0) return best;
  for (let j = 0; j < n; j++) {
    const t = total[j];
    if (best.length === k && t <= total[best[k - 1]]) continue;
    if (skip !== undefined && skip(j)) continue;
    let p = best.length;
    while (p > 0 && total[best[p - 1]] < t) p--;
    best.splice(p, 0, j);
    if (best.length > k) best.pop();
  }
  return best;
}

/** Nova's choice: uniformly among the best host_subset_size (or all equal-best when shuffling). */
export function choosePosition(total: Float64Array, n: number, subset: number, shuffleEqualBest: boolean, rng: () => number): number {
  let size = Math.min(subset, n);
  const top = topPositions(total, n, size);
  if (shuffleEqualBest) {
    let equal = 0;
    for (let j = 0; j < n; j++) if (total[j] === total[top[0]]) equal++;
    if (equal > size) {
      const r = Math.floor(rng() * equal);
      for (let j = 0, seen = 0; j < n; j++) if (total[j] === total[top[0]] && seen++ === r) return j;
    }
  }
  size = top.length;
  return size === 1 ? top[0] : top[Math.min(size - 1, Math.floor(rng() * size))];
}
