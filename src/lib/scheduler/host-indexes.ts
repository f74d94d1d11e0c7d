/**
 * The slow-changing half of a HostPool: values derived from aggregates, zones, capabilities and
 * instance placement, built lazily on first use and kept per host so that one host's change
 * (HostPool.update) costs one host's work. Filters whose answer depends only on such data cache
 * it per request signature in a "static mask" instead of recomputing it for every decision.
 * Only the owner of the data knows when it changes: HostPool.update(host) / invalidate().
 */
import { InstanceIndex } from './instance-index';
import type { HostState } from './types';

const INT_RE = /^\s*[+-]?\d+\s*$/;
const FLOAT_RE = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const MAX_MASKS = 256;

/** Python's int()/float() acceptance, so an aggregate value Nova would reject is rejected here. */
export function parseNumber(value: string, integer: boolean): number {
  return (integer ? INT_RE : FLOAT_RE).test(value) ? Number(value) : NaN;
}

function inZone(h: HostState, az: string): number {
  if (h.availabilityZone === az) return 1;
  for (const a of h.aggregates) if (a.availabilityZone === az) return 1;
  return 0;
}

export class HostIndexes {
  readonly hosts: HostState[];
  private meta: Array<Map<string, Set<string>> | undefined> = [];
  private mins = new Map<string, { key: string; integer: boolean; values: Float64Array }>();
  private keys: Set<string> | undefined;
  private positions: Map<HostState, number> | undefined;
  private byName: Map<string, number[]> | undefined;
  private zones: Map<string, Uint8Array> | undefined;
  private masks = new Map<string, Int8Array>();
  private hvVersions: Float64Array | undefined;
  private hvUniform: boolean | undefined;
  /** Built on first use by a filter that asks about specific instances. */
  protected instances: InstanceIndex | undefined;

  constructor(hosts: HostState[]) {
    this.hosts = hosts;
  }

  get size(): number {
    return this.hosts.length;
  }

  /** Drops every derived value; call after adding or removing hosts or changing aggregates. */
  invalidate(): void {
    this.meta = [];
    this.mins.clear();
    this.keys = this.positions = this.byName = this.zones = this.hvVersions = this.instances = undefined;
    this.hvUniform = undefined;
    this.masks.clear();
  }

  /** Forgets what was derived from one host (HostPool.update calls this). */
  protected forgetHost(i: number): void {
    const h = this.hosts[i];
    this.meta[i] = undefined;
    // Keys only grow: a stale extra key just costs a per-host lookup that finds nothing.
    if (this.keys !== undefined) for (const agg of h.aggregates) for (const k of Object.keys(agg.metadata)) this.keys.add(k);
    if (this.zones !== undefined) for (const [az, mask] of this.zones) mask[i] = inZone(h, az);
    for (const m of this.mins.values()) m.values[i] = this.minFor(i, m.key, m.integer);
    for (const m of this.masks.values()) m[i] = -1;
    if (this.hvVersions !== undefined) this.hvVersions[i] = h.capabilities.hypervisorVersion ?? 0;
    this.hvUniform = undefined;
    this.instances?.reindex(i);
  }

  indexOf(host: HostState): number {
    if (this.positions === undefined) this.positions = new Map(this.hosts.map((h, i) => [h, i]));
    return this.positions.get(host) ?? -1;
  }

  /** Every node of a host, by host name. */
  indicesOfHost(name: string): readonly number[] {
    if (this.byName === undefined) {
      this.byName = new Map();
      this.hosts.forEach((h, i) => this.byName!.set(h.host, [...(this.byName!.get(h.host) ?? []), i]));
    }
    return this.byName.get(name) ?? [];
  }

  /** The first node of a host, by host name, or -1. */
  indexOfHost(name: string): number {
    return this.indicesOfHost(name)[0] ?? -1;
  }

  /** Whether every host reports the same hypervisor version (the version weigher then has nothing to say). */
  hypervisorVersionsUniform(): boolean {
    if (this.hvUniform === undefined) {
      const v = this.hypervisorVersions();
      this.hvUniform = v.every((x) => x === v[0]);
    }
    return this.hvUniform;
  }

  /** Hypervisor versions (0 when unknown), from the capabilities. */
  hypervisorVersions(): Float64Array {
    if (this.hvVersions === undefined) {
      this.hvVersions = new Float64Array(this.hosts.length);
      for (let i = 0; i < this.hosts.length; i++) this.hvVersions[i] = this.hosts[i].capabilities.hypervisorVersion ?? 0;
    }
    return this.hvVersions;
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

  private minFor(i: number, key: string, integer: boolean): number {
    let min = NaN;
    for (const agg of this.hosts[i].aggregates) {
      const raw = agg.metadata[key];
      if (raw === undefined) continue;
      const v = parseNumber(raw, integer);
      if (Number.isNaN(v)) return NaN; // Nova falls back to the default when any value is bad
      if (Number.isNaN(min) || v < min) min = v;
    }
    return min;
  }

  /** Per host, the minimum of a numeric aggregate key (Nova's validate_num_values), NaN if none. */
  aggregateMin(key: string, integer = false): Float64Array {
    const cacheKey = integer ? `${key}\u0000i` : key;
    let m = this.mins.get(cacheKey);
    if (m === undefined) {
      const values = new Float64Array(this.hosts.length).fill(NaN);
      if (this.hasAggregateKey(key)) for (let i = 0; i < values.length; i++) values[i] = this.minFor(i, key, integer);
      this.mins.set(cacheKey, (m = { key, integer, values }));
    }
    return m.values;
  }

  /** Whether any aggregate of any host sets this key; lets weighers skip per-host overrides. */
  hasAggregateKey(key: string): boolean {
    if (this.keys === undefined) {
      this.keys = new Set();
      for (const h of this.hosts) for (const agg of h.aggregates) for (const k of Object.keys(agg.metadata)) this.keys.add(k);
    }
    return this.keys.has(key);
  }

  /** 1 where host i is in the zone: its own zone, or (as in Nova) any zone its aggregates name. */
  zoneMask(az: string): Uint8Array {
    if (this.zones === undefined) this.zones = new Map();
    let mask = this.zones.get(az);
    if (mask === undefined) {
      mask = new Uint8Array(this.hosts.length);
      for (let i = 0; i < mask.length; i++) mask[i] = inZone(this.hosts[i], az);
      this.zones.set(az, mask);
    }
    return mask;
  }

  /**
   * A per-host cache of a predicate over slow-changing data, keyed by the request's signature:
   * -1 not computed yet, 0 fails, 1 passes. Filled lazily by the filter, reset by update().
   */
  staticMask(key: string): Int8Array {
    let m = this.masks.get(key);
    if (m === undefined) {
      if (this.masks.size >= MAX_MASKS) this.masks.clear();
      m = new Int8Array(this.hosts.length).fill(-1);
      this.masks.set(key, m);
    }
    return m;
  }

  /** Pool indices of the hosts running an instance (see InstanceIndex for how it stays right). */
  hostsRunning(uuid: string): readonly number[] {
    if (this.instances === undefined) this.instances = new InstanceIndex(this.hosts, (h) => this.indexOf(h));
    let found = this.instances.hostsRunning(uuid);
    if (found === null) {
      this.instances = new InstanceIndex(this.hosts, (h) => this.indexOf(h));
      found = this.instances.hostsRunning(uuid) ?? [];
    }
    return found;
  }

  /** For each host running any of these instances, how many of them it runs. */
  countOnHosts(uuids: readonly string[]): Map<number, number> {
    const counts = new Map<number, number>();
    for (const u of new Set(uuids)) for (const i of this.hostsRunning(u)) counts.set(i, (counts.get(i) ?? 0) + 1);
    return counts;
  }
}
