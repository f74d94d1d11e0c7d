/**
 * A set of hosts plus the per-host values derived from their aggregates (merged metadata,
 * per-aggregate minimums of numeric keys). Deriving them means walking every host's aggregates,
 * which is far too slow to redo on every decision over 10,000 hosts, so they are computed lazily
 * and cached here. Usage fields are always read live from the HostState objects; call
 * `invalidate()` (or build a new pool) when hosts are added or aggregates change.
 */
import type { HostState } from './types';

const INT_RE = /^\s*[+-]?\d+\s*$/;
const FLOAT_RE = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/** Python's int()/float() acceptance, so an aggregate value Nova would reject is rejected here. */
export function parseNumber(value: string, integer: boolean): number {
  return (integer ? INT_RE : FLOAT_RE).test(value) ? Number(value) : NaN;
}

export class HostPool {
  readonly hosts: HostState[];
  private meta: Array<Map<string, Set<string>> | undefined> = [];
  private mins = new Map<string, Float64Array>();
  private keys: Set<string> | undefined;
  private byName: Map<string, number> | undefined;

  constructor(hosts: HostState[]) {
    this.hosts = hosts;
  }

  get size(): number {
    return this.hosts.length;
  }

  invalidate(): void {
    this.meta = [];
    this.mins.clear();
    this.keys = undefined;
    this.byName = undefined;
  }

  /** Nova's aggregate_metadata_get_by_host: every key, values split on commas, unioned. */
  metadata(i: number): ReadonlyMap<string, ReadonlySet<string>> {
    let m = this.meta[i];
    if (m === undefined) {
      m = new Map();
      for (const agg of this.hosts[i].aggregates) {
        for (const [k, v] of Object.entries(agg.metadata)) {
          let set = m.get(k);
          if (set === undefined) m.set(k, (set = new Set()));
          for (const part of String(v).split(',')) set.add(part.trim());
        }
      }
      this.meta[i] = m;
    }
    return m;
  }

  /**
   * Per host, the minimum of an aggregate metadata key over the host's aggregates (Nova's
   * validate_num_values with min), or NaN when no aggregate sets it or any value does not parse —
   * Nova then falls back to the configured default.
   */
  aggregateMin(key: string, integer = false): Float64Array {
    const cacheKey = integer ? `${key}\u0000i` : key;
    let out = this.mins.get(cacheKey);
    if (out !== undefined) return out;
    out = new Float64Array(this.hosts.length).fill(NaN);
    if (this.hasAggregateKey(key)) {
      for (let i = 0; i < this.hosts.length; i++) {
        let min = NaN;
        let bad = false;
        for (const agg of this.hosts[i].aggregates) {
          const raw = agg.metadata[key];
          if (raw === undefined) continue;
          const v = parseNumber(raw, integer);
          if (Number.isNaN(v)) bad = true;
          else if (Number.isNaN(min) || v < min) min = v;
        }
        out[i] = bad ? NaN : min;
      }
    }
    this.mins.set(cacheKey, out);
    return out;
  }

  /** Whether any aggregate of any host sets this key; lets weighers skip per-host overrides. */
  hasAggregateKey(key: string): boolean {
    if (this.keys === undefined) {
      const keys = new Set<string>();
      const seen = new Set<unknown>();
      for (const h of this.hosts) {
        for (const agg of h.aggregates) {
          if (seen.has(agg)) continue;
          seen.add(agg);
          for (const k of Object.keys(agg.metadata)) keys.add(k);
        }
      }
      this.keys = keys;
    }
    return this.keys.has(key);
  }

  /** Index of a host by its host name (first node when a host has several). */
  indexOfHost(name: string): number {
    if (this.byName === undefined) {
      this.byName = new Map();
      for (let i = this.hosts.length - 1; i >= 0; i--) this.byName.set(this.hosts[i].host, i);
    }
    return this.byName.get(name) ?? -1;
  }
}
