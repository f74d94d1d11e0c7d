/**
 * The filtering half of a decision: the request's host restrictions (requested destination,
 * ignore_hosts, force_hosts/force_nodes, as Nova's host manager applies them before filters),
 * then the enabled filters, filter by filter over a survivor list of pool indices. The hot loop
 * calls only `test`; when explaining, it also records which filter removed each host.
 */
import type { FilterContext, HostFilter, PreparedFilter } from './filters';
import type { HostPool, SyncGate } from './host-pool';
import type { RequestSpec } from './types';

export interface ActiveFilter {
  filter: HostFilter;
  prepared: PreparedFilter;
}

export interface PrefilterStep {
  step: string;
  removed: number;
}

/** Marks in failedAt for hosts a prefilter removed; filters use their position (>= 0). */
export const PASSED = -1;
export const PREFILTERED = -2;

function keep(pool: HostPool, idx: Int32Array, n: number, ok: (i: number) => boolean, failedAt?: Int16Array): number {
  let k = 0;
  for (let j = 0; j < n; j++) {
    const i = idx[j];
    if (ok(i)) idx[k++] = i;
    else if (failedAt) failedAt[i] = PREFILTERED;
  }
  return k;
}

/**
 * Fills idx with the candidate hosts and returns how many there are. `forced` tells the caller
 * that force_hosts/force_nodes chose them, so only the resource filters still apply (Nova skips
 * filters for forced hosts but Placement still checks capacity).
 */
export function prefilter(
  spec: RequestSpec, pool: HostPool, idx: Int32Array, steps?: PrefilterStep[], failedAt?: Int16Array,
): { n: number; forced: boolean } {
  const hosts = pool.hosts;
  let n = hosts.length;
  for (let i = 0; i < n; i++) idx[i] = i;
  const step = (name: string, ok: (i: number) => boolean) => {
    const before = n;
    n = keep(pool, idx, n, ok, failedAt);
    steps?.push({ step: name, removed: before - n });
  };
  const dest = spec.requestedDestination;
  if (dest?.host) step(`requested destination ${dest.host}${dest.node ? `/${dest.node}` : ''}`,
    (i) => hosts[i].host === dest.host && (!dest.node || hosts[i].nodename === dest.node));
  if (dest?.cellUuid && !dest.allowCrossCellMove) step(`requested cell ${dest.cellUuid}`, (i) => hosts[i].cellUuid === dest.cellUuid);
  const lower = (xs: string[] | undefined) => new Set((xs ?? []).map((x) => x.toLowerCase()));
  const ignore = lower(spec.ignoreHosts);
  if (ignore.size > 0) step('ignore_hosts', (i) => !ignore.has(hosts[i].host.toLowerCase()));
  const force = lower(spec.forceHosts);
  if (force.size > 0) step('force_hosts', (i) => force.has(hosts[i].host.toLowerCase()));
  const nodes = new Set(spec.forceNodes ?? []);
  if (nodes.size > 0) step('force_nodes', (i) => nodes.has(hosts[i].nodename));
  return { n, forced: force.size > 0 || nodes.size > 0 };
}

/** Prepares the filters for a request; filters with nothing to check are left out. */
export function prepareFilters(
  filters: readonly HostFilter[], spec: RequestSpec, ctx: FilterContext, opts: { forced: boolean; laterRound: boolean },
): ActiveFilter[] {
  const out: ActiveFilter[] = [];
  for (const filter of filters) {
    if (opts.forced && !filter.resource) continue;
    if (opts.laterRound && filter.runOncePerRequest) continue;
    const prepared = filter.prepare(spec, ctx);
    if (prepared !== null) out.push({ filter, prepared });
  }
  return out;
}

function apply(p: PreparedFilter, pool: HostPool, idx: Int32Array, n: number): number {
  if (p.filterAll !== undefined) return p.filterAll(idx, n);
  const hosts = pool.hosts;
  let k = 0;
  for (let j = 0; j < n; j++) {
    const i = idx[j];
    if (p.test(hosts[i], i)) idx[k++] = i;
  }
  return k;
}

/**
 * The hot path: compacts idx in place to the hosts passing every filter and returns how many.
 * Filters over cached static data run first, then the survivors' usage is synced — with the
 * Compute/Ram/Core/Disk checks folded into that pass — and the rest run. The order differs from the configured one, which cannot change the result (every filter
 * must pass), only which filter an explanation blames — explainFilters keeps the configured order.
 */
export function runFilters(active: readonly ActiveFilter[], pool: HostPool, idx: Int32Array, n: number): number {
  for (let f = 0; f < active.length && n > 0; f++) {
    if (active[f].filter.staticData) n = apply(active[f].prepared, pool, idx, n);
  }
  const gate: SyncGate = { usable: false, ramMb: 0, vcpus: 0, diskGb: 0 };
  for (const a of active) {
    const g = a.prepared.gate;
    if (g === undefined || a.filter.staticData) continue;
    if (g.kind === 'usable') gate.usable = true;
    else if (g.kind === 'ram') gate.ramMb = g.need;
    else if (g.kind === 'vcpu') gate.vcpus = g.need;
    else gate.diskGb = g.need;
  }
  n = pool.sync(idx, n, gate);
  for (let f = 0; f < active.length && n > 0; f++) {
    const a = active[f];
    if (!a.filter.staticData && a.prepared.gate === undefined) n = apply(a.prepared, pool, idx, n);
  }
  return n;
}

/**
 * The explaining path: every host synced, filters in the configured order, the position of the
 * filter that removed each host recorded in failedAt and each filter's removal count in counts;
 * it keeps going after the survivors run out so every filter reports.
 */
export function explainFilters(
  active: readonly ActiveFilter[], pool: HostPool, idx: Int32Array, n: number, failedAt: Int16Array, counts: number[],
): number {
  pool.syncAll();
  const hosts = pool.hosts;
  for (let f = 0; f < active.length; f++) {
    const p = active[f].prepared;
    let k = 0;
    for (let j = 0; j < n; j++) {
      const i = idx[j];
      if (p.test(hosts[i], i)) idx[k++] = i;
      else failedAt[i] = f;
    }
    counts.push(n - k);
    n = k;
  }
  return n;
}
