/**
 * The weighing and picking half of a decision, over flat typed arrays: survivors are positions
 * j = 0..n-1 whose pool index is idx[j], and every per-host number lives in a Float64Array at j.
 * Nothing here allocates per host. Implements Nova's normalisation (weights.normalize) and its
 * host_subset_size / shuffle_best_same_weighed_hosts choice.
 */
import type { HostPool } from './host-pool';
import type { RequestSpec } from './types';
import { accumulate, accumulate4, minMax, minMax4 } from './weigh-kernels';
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

interface Range {
  min: number;
  range: number;
}

/** Nova's normalisation bounds: clamp to minval/maxval, and use them instead of observed ends. */
function bounds(w: HostWeigher, min: number, max: number): Range {
  const lo = w.minval ?? -Infinity;
  const hi = w.maxval ?? Infinity;
  const a = w.minval ?? Math.min(Math.max(min, lo), hi);
  const b = w.maxval ?? Math.min(Math.max(max, lo), hi);
  return { min: a, range: b - a };
}

const scratch = new Float64Array(12);

/**
 * total[j] = Σ multiplier × normalised raw weight, all equal weights normalising to 0. With
 * `parts`, parts[w][j] receives each weigher's contribution (explanations only).
 */
export function weighHosts(
  active: readonly ActiveWeigher[], pool: HostPool, idx: Int32Array, n: number,
  total: Float64Array, raw: Float64Array, parts?: Float64Array[],
): void {
  total.fill(0, 0, n);
  if (n <= 1) return; // Nova does not weigh a single host
  const fast: ActiveWeigher[] = [];
  for (let w = 0; w < active.length; w++) {
    const a = active[w];
    if (parts === undefined && a.overrides === null && a.prepared.column !== undefined && a.weigher.maxval === undefined) {
      fast.push(a);
    } else {
      weighOne(a, pool, idx, n, total, raw, parts?.[w]);
    }
  }
  let f = 0;
  for (; f + 4 <= fast.length; f += 4) {
    const c = fast.slice(f, f + 4).map((a) => a.prepared.column as Float64Array);
    minMax4(idx, n, c[0], c[1], c[2], c[3], scratch);
    const p = new Float64Array(12);
    for (let k = 0; k < 4; k++) {
      const { min, range } = bounds(fast[f + k].weigher, scratch[2 * k], scratch[2 * k + 1]);
      p[3 * k] = fast[f + k].weigher.minval ?? -Infinity;
      p[3 * k + 1] = min;
      p[3 * k + 2] = range > 0 ? fast[f + k].multiplier / range : 0;
    }
    accumulate4(total, idx, n, c[0], c[1], c[2], c[3], p);
  }
  for (; f < fast.length; f++) weighOne(fast[f], pool, idx, n, total, raw, undefined);
}

/** One weigher: any raw source, aggregate multiplier overrides, optional per-weigher parts. */
function weighOne(
  a: ActiveWeigher, pool: HostPool, idx: Int32Array, n: number,
  total: Float64Array, raw: Float64Array, part: Float64Array | undefined,
): void {
  const { weigher, prepared, multiplier, overrides } = a;
  let column = prepared.column;
  let at: Int32Array | null = idx;
  if (column === undefined) {
    for (let j = 0; j < n; j++) raw[j] = prepared.raw(pool.hosts[idx[j]], idx[j]);
    column = raw;
    at = null;
  }
  minMax(column, at, n, scratch, 0);
  const { min, range } = bounds(weigher, scratch[0], scratch[1]);
  if (!(range > 0)) return;
  const lo = weigher.minval ?? -Infinity;
  const hi = weigher.maxval ?? Infinity;
  if (overrides === null && part === undefined) {
    accumulate(total, column, at, n, lo, hi, min, multiplier / range);
    return;
  }
  for (let j = 0; j < n; j++) {
    let m = multiplier;
    if (overrides !== null) {
      const o = overrides[idx[j]];
      if (o === o) m = weigher.negate ? -o : o; // o === o: not NaN
    }
    const v = Math.min(Math.max(column[at === null ? j : at[j]], lo), hi);
    const s = (m * (v - min)) / range;
    total[j] += s;
    if (part !== undefined) part[j] = s;
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

/**
 * Nova's choice: uniformly among the best host_subset_size, or with
 * shuffle_best_same_weighed_hosts among all hosts tied for the best weight if there are more.
 * `top` holds at least the best min(subset, n) positions, best first.
 */
export function choosePosition(
  total: Float64Array, n: number, top: readonly number[], subset: number, shuffleEqualBest: boolean, rng: () => number,
): number {
  const size = Math.min(subset, n, top.length);
  if (shuffleEqualBest) {
    const best = total[top[0]];
    let equal = 0;
    for (let j = 0; j < n; j++) if (total[j] === best) equal++;
    if (equal > size) {
      const r = Math.floor(rng() * equal);
      for (let j = 0, seen = 0; j < n; j++) if (total[j] === best && seen++ === r) return j;
    }
  }
  return size === 1 ? top[0] : top[Math.min(size - 1, Math.floor(rng() * size))];
}
