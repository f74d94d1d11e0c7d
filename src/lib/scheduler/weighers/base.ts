/**
 * The weigher contract. A weigher gives each surviving host a raw number (higher wins before the
 * multiplier); the scheduler normalises the raw numbers to [0, 1] across the hosts (min-max, all
 * equal → all 0, minval/maxval clamping and fixing the range as Nova's BaseWeigher does) and adds
 * multiplier × normalised to each host's total. The multiplier comes from config, overridden per
 * host by an aggregate metadata key of the Nova option name (the minimum when several set it).
 */
import type { HostPool } from '../host-pool';
import type { HostState, RequestSpec, SchedulerConfig } from '../types';

export interface WeigherContext {
  config: SchedulerConfig;
  pool: HostPool;
}

export interface PreparedWeigher {
  raw(h: HostState, i: number): number;
  /** When the raw weight is just a pool column (read at i), the hot loop reads it directly. */
  column?: Float64Array;
}

/** A weigher whose raw weight is a pool column. */
export function fromColumn(column: Float64Array): PreparedWeigher {
  return { raw: (_h, i) => column[i], column };
}

export interface HostWeigher {
  name: string;
  /** Nova's option name, e.g. ram_weight_multiplier; also the aggregate metadata key. */
  multiplierName: string;
  /** BuildFailureWeigher applies its (positive) multiplier negated, override included. */
  negate?: boolean;
  minval?: number;
  maxval?: number;
  multiplier(config: SchedulerConfig): number;
  /** Null when every host would weigh the same for this request (the weigher is then skipped). */
  prepare(spec: RequestSpec, ctx: WeigherContext): PreparedWeigher | null;
}

/** The effective multiplier of host i: aggregate override, else config; negated if asked. */
export function hostMultiplier(w: HostWeigher, ctx: WeigherContext, i: number): number {
  const base = w.multiplier(ctx.config);
  const v = ctx.pool.hasAggregateKey(w.multiplierName) ? ctx.pool.aggregateMin(w.multiplierName)[i] : NaN;
  const m = Number.isNaN(v) ? base : v;
  return w.negate ? -m : m;
}
