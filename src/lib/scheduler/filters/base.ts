/**
 * The filter contract. A filter is prepared once per request (parse extra specs, hints, image
 * properties …) and the prepared object is then asked about each host. The hot path calls only
 * `test`; `reason`, `available` and `summary` are for explanations and run only when a caller
 * asks why.
 */
import type { FilterResult, HostState, RequestSpec, SchedulerConfig } from '../types';
import { HostPool } from '../host-pool';

export interface FilterContext {
  config: SchedulerConfig;
  pool: HostPool;
}

export interface PreparedFilter {
  /** `i` is the host's index in ctx.pool; hot filters read the pool's columns at i, not `h`. */
  test(h: HostState, i: number): boolean;
  /**
   * Optional bulk form of `test` for the hot path: keep, in order, the pool indices idx[0..n)
   * that pass, compacting idx in place, and return how many. Must agree with `test`.
   */
  filterAll?(idx: Int32Array, n: number): number;
  /** For ComputeFilter and Ram/Core/Disk: lets the hot path fold the check into HostPool.sync. */
  gate?: { kind: 'usable' } | { kind: 'ram' | 'vcpu' | 'disk'; need: number };
  /** Short, human, aggregable: "has 4096 MB RAM free, needs 8192 MB". */
  reason(h: HostState, i: number): string;
  /** Capacity filters: the amount the host could still give, so explain can report the largest. */
  available?(h: HostState, i: number): number;
  /** One line for all hosts this filter removed, e.g. "38 hosts have less than …". */
  summary?(removed: number, largestAvailable: number): string;
}

export interface FilterDef {
  name: string;
  /** Nova's run_filter_once_per_request: the answer cannot change while a multi-create consumes. */
  runOncePerRequest?: boolean;
  /** Stands in for a Placement resource check, so it still applies to forced hosts. */
  resource?: boolean;
  /**
   * Reads only slow-changing data cached in the pool (zones, aggregates, capabilities, names),
   * never the usage columns: the hot path runs such filters before it syncs usage, so hosts they
   * remove are never visited.
   */
  staticData?: boolean;
  /** Rejects configurations it cannot honour (e.g. no host data) at start-up. */
  validate?(config: SchedulerConfig): void;
  /** Returns null when the filter has nothing to check for this request (it then costs nothing). */
  prepare(spec: RequestSpec, ctx: FilterContext): PreparedFilter | null;
}

export interface HostFilter extends FilterDef {
  /** One-host convenience over prepare/test/reason, for tests and ad-hoc checks. */
  hostPasses(host: HostState, spec: RequestSpec, ctx: Partial<FilterContext> & { config: SchedulerConfig }): FilterResult;
}

export const PASS: FilterResult = Object.freeze({ pass: true }) as FilterResult;

export function defineFilter(def: FilterDef): HostFilter {
  return {
    ...def,
    hostPasses(host, spec, ctx) {
      const pool = ctx.pool ?? new HostPool([host]);
      const i = ctx.pool ? pool.indexOf(host) : 0;
      if (i < 0) throw new RangeError(`host ${host.host} is not in the given pool`);
      pool.sync(Int32Array.of(i), 1);
      const p = def.prepare(spec, { config: ctx.config, pool });
      if (p === null || p.test(host, i)) return PASS;
      return { pass: false, reason: p.reason(host, i) };
    },
  };
}

/** "1 host has" / "3 hosts have" — summaries read better with the verb agreeing. */
export function hostsHave(n: number): string {
  return n === 1 ? '1 host has' : `${n} hosts have`;
}

export function hostsAre(n: number): string {
  return n === 1 ? '1 host is' : `${n} hosts are`;
}

/** Bulk filtering by a 0/1 per-host mask. */
export function keepWhere(idx: Int32Array, n: number, mask: Uint8Array): number {
  let k = 0;
  for (let j = 0; j < n; j++) {
    const i = idx[j];
    if (mask[i] === 1) idx[k++] = i;
  }
  return k;
}

/**
 * test/filterAll over a predicate of slow-changing host data (capabilities, aggregates,
 * addresses), cached in the pool per request signature so repeated requests cost a mask read.
 */
export function cachedPredicate(pool: HostPool, signature: string, ok: (i: number) => boolean): Pick<PreparedFilter, 'test' | 'filterAll'> {
  const mask = pool.staticMask(signature);
  const test = (_h: HostState | null, i: number): boolean => {
    let v = mask[i];
    if (v < 0) v = mask[i] = ok(i) ? 1 : 0;
    return v === 1;
  };
  return {
    test,
    filterAll(idx, n) {
      let k = 0;
      for (let j = 0; j < n; j++) {
        const i = idx[j];
        const v = mask[i];
        if (v === 1 || (v < 0 && test(null, i))) idx[k++] = i;
      }
      return k;
    },
  };
}
