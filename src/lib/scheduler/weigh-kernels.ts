/**
 * The inner loops of weighing, as plain top-level functions over typed arrays (V8 keeps those
 * monomorphic and fast). Weighers whose raw weight is a pool column are handled four at a time:
 * one pass over the survivors reading four columns costs little more than one reading a single
 * column, because the per-host cost is the loop and the index gather, not the arithmetic.
 *
 * A column is read at at[j] (pool index) or, when `at` is null, at j (a per-position buffer).
 */

/** Min and max of one column over the survivors. */
export function minMax(column: Float64Array, at: Int32Array | null, n: number, out: Float64Array, o: number): void {
  let min = Infinity;
  let max = -Infinity;
  for (let j = 0; j < n; j++) {
    const v = column[at === null ? j : at[j]];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  out[o] = min;
  out[o + 1] = max;
}

/** minMax for four columns in one pass; out receives min0, max0, min1, max1, … */
export function minMax4(at: Int32Array, n: number, c0: Float64Array, c1: Float64Array, c2: Float64Array, c3: Float64Array, out: Float64Array): void {
  let a0 = Infinity, b0 = -Infinity, a1 = Infinity, b1 = -Infinity;
  let a2 = Infinity, b2 = -Infinity, a3 = Infinity, b3 = -Infinity;
  for (let j = 0; j < n; j++) {
    const i = at[j];
    let v = c0[i]; if (v < a0) a0 = v; if (v > b0) b0 = v;
    v = c1[i]; if (v < a1) a1 = v; if (v > b1) b1 = v;
    v = c2[i]; if (v < a2) a2 = v; if (v > b2) b2 = v;
    v = c3[i]; if (v < a3) a3 = v; if (v > b3) b3 = v;
  }
  out[0] = a0; out[1] = b0; out[2] = a1; out[3] = b1; out[4] = a2; out[5] = b2; out[6] = a3; out[7] = b3;
}

/** total[j] += (clamp(v, lo, hi) - min) × scale for one column. */
export function accumulate(
  total: Float64Array, column: Float64Array, at: Int32Array | null, n: number,
  lo: number, hi: number, min: number, scale: number,
): void {
  for (let j = 0; j < n; j++) {
    let v = column[at === null ? j : at[j]];
    if (v < lo) v = lo;
    else if (v > hi) v = hi;
    total[j] += (v - min) * scale;
  }
}

/**
 * accumulate for four columns in one pass; p holds lo, min, scale per column (12 numbers). Only
 * weighers without maxval come here, so the clamp is one-sided.
 */
export function accumulate4(
  total: Float64Array, at: Int32Array, n: number,
  c0: Float64Array, c1: Float64Array, c2: Float64Array, c3: Float64Array, p: Float64Array,
): void {
  const l0 = p[0], m0 = p[1], s0 = p[2], l1 = p[3], m1 = p[4], s1 = p[5];
  const l2 = p[6], m2 = p[7], s2 = p[8], l3 = p[9], m3 = p[10], s3 = p[11];
  for (let j = 0; j < n; j++) {
    const i = at[j];
    let v0 = c0[i], v1 = c1[i], v2 = c2[i], v3 = c3[i];
    if (v0 < l0) v0 = l0;
    if (v1 < l1) v1 = l1;
    if (v2 < l2) v2 = l2;
    if (v3 < l3) v3 = l3;
    total[j] += (v0 - m0) * s0 + (v1 - m1) * s1 + (v2 - m2) * s2 + (v3 - m3) * s3;
  }
}
