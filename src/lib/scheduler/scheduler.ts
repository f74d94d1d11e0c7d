/**
 * The pure filter scheduler: given a request and a snapshot of hosts, choose a host (plus
 * alternates for the caller to fall back on when its claim loses a race), place several servers
 * consuming as it goes, or explain a decision. No I/O: the caller loads hosts and claims.
 *
 * Speed matters (10,000 hosts in well under a millisecond), so a decision reuses typed-array
 * buffers, prepares each filter once per request, runs only filters and weighers that have
 * something to say, weighs only survivors and never sorts the full list.
 */
import type { NoValidHostError } from '../errors';
import { validateSchedulerConfig } from './config';
import { consumeFromRequest } from './consume';
import { buildSteps, describeRequest, explainMessage, noValidHostFromExplanation, type Explanation, type WeighedHost } from './explain';
import { findFilter, type HostFilter } from './filters';
import { validateHints } from './hints';
import { HostPool } from './host-pool';
import { PASSED, explainFilters, prefilter, prepareFilters, runFilters, type PrefilterStep } from './pipeline';
import type { HostState, RequestSpec, SchedulerConfig } from './types';
import { choosePosition, prepareWeighers, topPositions, weighHosts } from './weighing';
import { findWeigher, type HostWeigher } from './weighers';

export interface SelectOptions {
  /** How many alternates to return (default: max_attempts - 1). */
  alternates?: number;
  /** Random source for host_subset_size; inject a seeded one in tests. */
  rng?: () => number;
}

export interface Selection {
  selected: HostState;
  /** Next-best hosts in the selected host's cell, best first. */
  alternates: HostState[];
  weight: number;
}

export type HostsInput = HostState[] | HostPool;

let pendingSeq = 0;

function asPool(hosts: HostsInput): HostPool {
  return hosts instanceof HostPool ? hosts : new HostPool(hosts);
}

export class Scheduler {
  readonly config: SchedulerConfig;
  private readonly filters: HostFilter[];
  private readonly weighers: HostWeigher[];
  private idx = new Int32Array(0);
  private total = new Float64Array(0);
  private raw = new Float64Array(0);

  constructor(config: Partial<SchedulerConfig> = {}) {
    this.config = validateSchedulerConfig(config);
    this.filters = this.config.enabledFilters.map((n) => findFilter(n) as HostFilter);
    this.weighers = this.config.enabledWeighers.map((n) => findWeigher(n) as HostWeigher);
  }

  private buffers(size: number): void {
    if (this.idx.length >= size) return;
    this.idx = new Int32Array(size);
    this.total = new Float64Array(size);
    this.raw = new Float64Array(size);
  }

  /** Chooses a host, or returns null when no host passes (see noValidHostError for why). */
  select(spec: RequestSpec, hosts: HostsInput, opts: SelectOptions = {}): Selection | null {
    const all = this.selectMany(spec, hosts, 1, opts);
    return all === null ? null : all[0];
  }

  /**
   * Places `count` servers of one request, charging each to its host in memory before choosing
   * the next (Nova's consume_from_request), so they spread or stack as the weighers say and
   * group policies hold between them. Mutates the HostState objects (not the spec), recording
   * spec.instanceUuids[k] on the k-th host — pass them: without them a group request records
   * placeholders. Returns at least `minCount` (default `count`) selections, or null.
   */
  selectMany(spec: RequestSpec, hosts: HostsInput, count: number, opts: SelectOptions & { minCount?: number } = {}): Selection[] | null {
    validateHints(spec.schedulerHints);
    const pool = asPool(hosts);
    this.buffers(pool.size);
    const { idx, total, raw } = this;
    const ctx = { config: this.config, pool };
    const rng = opts.rng ?? Math.random;
    const alternates = opts.alternates ?? this.config.maxAttempts - 1;
    const work = count > 1 ? this.workingCopy(spec) : spec;
    let { n, forced } = prefilter(work, pool, idx);
    const chosen: number[] = [];
    const out: Selection[] = [];
    for (let k = 0; k < count && n > 0; k++) {
      if (count > 1) work.instanceUuid = this.instanceUuid(spec, k);
      const active = prepareFilters(this.filters, work, ctx, { forced, laterRound: k > 0 });
      n = runFilters(active, pool, idx, n);
      if (n === 0) break;
      weighHosts(prepareWeighers(this.weighers, work, ctx), pool, idx, n, total, raw);
      // One ranking pass serves both the choice and, usually, the alternates.
      const top = topPositions(total, n, this.config.hostSubsetSize + alternates + chosen.length + 1);
      const j = choosePosition(total, n, top, this.config.hostSubsetSize, this.config.shuffleBestSameWeighedHosts, rng);
      const host = pool.hosts[idx[j]];
      const alts = this.alternates(pool, idx, n, j, alternates, chosen, top);
      out.push({ selected: host, alternates: alts, weight: total[j] });
      chosen.push(idx[j]);
      if (count > 1) consumeFromRequest(host, work, work.instanceUuid);
    }
    return out.length >= (opts.minCount ?? count) && out.length > 0 ? out : null;
  }

  /**
   * The uuid recorded on the host for the k-th server. Group policies count members by uuid, so
   * when the caller gave none a unique placeholder stands in (callers should pass instanceUuids).
   */
  private instanceUuid(spec: RequestSpec, k: number): string | undefined {
    const given = spec.instanceUuids?.[k] ?? (k === 0 ? spec.instanceUuid : undefined);
    if (given !== undefined || !spec.instanceGroup) return given;
    return `pending-${++pendingSeq}`;
  }

  private workingCopy(spec: RequestSpec): RequestSpec {
    const g = spec.instanceGroup;
    return { ...spec, instanceGroup: g ? { ...g, hosts: [...g.hosts], members: [...g.members] } : g };
  }

  /** The best `count` other hosts in the chosen host's cell, not already chosen for this request. */
  private alternates(pool: HostPool, idx: Int32Array, n: number, j: number, count: number, chosen: number[], top: number[]): HostState[] {
    const cell = pool.hosts[idx[j]].cellUuid;
    const skip = (p: number) => p === j || pool.hosts[idx[p]].cellUuid !== cell || chosen.includes(idx[p]);
    let picks = top.filter((p) => !skip(p)).slice(0, count);
    if (picks.length < count && top.length < n) picks = topPositions(this.total, n, count, skip);
    return picks.map((p) => pool.hosts[idx[p]]);
  }

  /** The same decision as select(), with the whole picture: filters, matrix, weights. */
  explain(spec: RequestSpec, hosts: HostsInput, opts: SelectOptions & { runnersUp?: number } = {}): Explanation {
    validateHints(spec.schedulerHints);
    const pool = asPool(hosts);
    this.buffers(pool.size);
    const { idx, total, raw } = this;
    const ctx = { config: this.config, pool };
    const failedAt = new Int16Array(pool.size).fill(PASSED);
    const prefilters: PrefilterStep[] = [];
    const { n: candidates, forced } = prefilter(spec, pool, idx, prefilters, failedAt);
    const active = prepareFilters(this.filters, spec, ctx, { forced, laterRound: false });
    const counts: number[] = [];
    const n = explainFilters(active, pool, idx, candidates, failedAt, counts);
    const enabled = forced ? this.filters.filter((f) => f.resource) : this.filters;
    const { filters, matrix } = buildSteps({ pool, enabled, active, counts, failedAt, prefilters, survivors: n });
    const weighers = prepareWeighers(this.weighers, spec, ctx);
    const parts = weighers.map(() => new Float64Array(n));
    let selected: WeighedHost | null = null;
    let runnersUp: WeighedHost[] = [];
    if (n > 0) {
      weighHosts(weighers, pool, idx, n, total, raw, parts);
      const describe = (p: number): WeighedHost => {
        const h = pool.hosts[idx[p]];
        const weights = Object.fromEntries(weighers.map((w, k) => [w.weigher.name, parts[k][p]]));
        return { host: h.host, nodename: h.nodename, weight: total[p], weights };
      };
      const top = topPositions(total, n, this.config.hostSubsetSize);
      const j = choosePosition(total, n, top, this.config.hostSubsetSize, this.config.shuffleBestSameWeighedHosts, opts.rng ?? Math.random);
      selected = describe(j);
      runnersUp = topPositions(total, n, opts.runnersUp ?? 5, (p) => p === j).map(describe);
    }
    const request = describeRequest(spec);
    return {
      request, hostsConsidered: pool.size, hostsPassed: n, prefilters, filters,
      weighers: weighers.map((w) => ({ weigher: w.weigher.name, multiplier: w.multiplier })),
      matrix, selected, runnersUp,
      message: explainMessage(request, pool.size, n, prefilters, filters),
    };
  }

  /** Why nothing fits, as the error to raise: message per filter, details the explanation. */
  noValidHostError(spec: RequestSpec, hosts: HostsInput): NoValidHostError {
    return noValidHostFromExplanation(this.explain(spec, hosts, { rng: () => 0 }));
  }
}

/** Convenience for callers holding a config rather than a Scheduler. */
export function noValidHostError(spec: RequestSpec, hosts: HostsInput, config: Partial<SchedulerConfig> = {}): NoValidHostError {
  return new Scheduler(config).noValidHostError(spec, hosts);
}
