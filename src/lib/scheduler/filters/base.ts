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
  /** `i` is the host's index in ctx.pool, for per-host caches (aggregate metadata …). */
  test(h: HostState, i: number): boolean;
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
      const i = ctx.pool ? pool.hosts.indexOf(host) : 0;
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
