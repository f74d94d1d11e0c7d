/**
 * Explanations: turn what the pipeline recorded (which filter removed which host, the weights)
 * into the structure `schedule explain` prints and a NoValidHost error carries, and into one
 * readable message: per filter, how many hosts it removed and why, aggregated ("RamFilter: 38
 * hosts have less than 8192 MB RAM free (largest 4096 MB)"). Reasons are only computed here,
 * never on the hot path.
 */
import { NoValidHostError } from '../errors';
import { requestedDiskGb } from './filters/capacity';
import type { HostFilter } from './filters';
import type { HostPool } from './host-pool';
import { PASSED, PREFILTERED, type ActiveFilter, type PrefilterStep } from './pipeline';
import type { RequestSpec } from './types';

export interface FilterStep {
  filter: string;
  /** False when the request gave the filter nothing to check (it passed every host). */
  applied: boolean;
  before: number;
  removed: number;
  after: number;
  summary?: string;
  largestAvailable?: number;
  reasons: Array<{ reason: string; hosts: number }>;
}

export interface HostVerdict {
  host: string;
  nodename: string;
  passed: boolean;
  filter?: string;
  reason?: string;
}

export interface WeighedHost {
  host: string;
  nodename: string;
  weight: number;
  weights: Record<string, number>;
}

export interface Explanation {
  request: { flavor: string; vcpus: number; memoryMb: number; diskGb: number; availabilityZone: string | null; image: string | null; group: string | null };
  hostsConsidered: number;
  hostsPassed: number;
  prefilters: PrefilterStep[];
  filters: FilterStep[];
  weighers: Array<{ weigher: string; multiplier: number }>;
  matrix: HostVerdict[];
  selected: WeighedHost | null;
  runnersUp: WeighedHost[];
  message: string;
}

export interface Recording {
  pool: HostPool;
  enabled: readonly HostFilter[];
  active: readonly ActiveFilter[];
  counts: number[];
  failedAt: Int16Array;
  prefilters: PrefilterStep[];
  survivors: number;
}

export function describeRequest(spec: RequestSpec): Explanation['request'] {
  const f = spec.flavor;
  return {
    flavor: f.name, vcpus: f.vcpus, memoryMb: f.memoryMb, diskGb: requestedDiskGb(spec),
    availabilityZone: spec.availabilityZone ?? null, image: spec.image?.id ?? null, group: spec.instanceGroup?.name ?? null,
  };
}

function label(name: string): string {
  return name.endsWith('Filter') ? name.slice(0, -'Filter'.length) : name;
}

function genericSummary(removed: number, reasons: FilterStep['reasons']): string {
  const who = removed === 1 ? '1 host' : `${removed} hosts`;
  if (reasons.length === 1) return `${who} removed: ${reasons[0].reason}`;
  const top = reasons.slice(0, 3).map((r) => `${r.hosts}× ${r.reason}`).join('; ');
  return `${who} removed (${top}${reasons.length > 3 ? '; …' : ''})`;
}

/** Per-filter steps and the per-host matrix from a recorded run. */
export function buildSteps(rec: Recording): { filters: FilterStep[]; matrix: HostVerdict[] } {
  const { pool, active, failedAt } = rec;
  const perFilter = active.map(() => ({ reasons: new Map<string, number>(), largest: -Infinity }));
  const matrix: HostVerdict[] = pool.hosts.map((h, i) => {
    const f = failedAt[i];
    if (f === PASSED) return { host: h.host, nodename: h.nodename, passed: true };
    if (f === PREFILTERED) return { host: h.host, nodename: h.nodename, passed: false, filter: 'request', reason: 'excluded by the request (destination, ignore/force hosts)' };
    const p = active[f].prepared;
    const reason = p.reason(h, i);
    const agg = perFilter[f];
    agg.reasons.set(reason, (agg.reasons.get(reason) ?? 0) + 1);
    if (p.available) agg.largest = Math.max(agg.largest, p.available(h, i));
    return { host: h.host, nodename: h.nodename, passed: false, filter: active[f].filter.name, reason };
  });
  let before = pool.size - rec.prefilters.reduce((s, p) => s + p.removed, 0);
  const filters: FilterStep[] = [];
  for (const def of rec.enabled) {
    const f = active.findIndex((a) => a.filter === def);
    if (f < 0) {
      filters.push({ filter: def.name, applied: false, before, removed: 0, after: before, reasons: [] });
      continue;
    }
    const removed = rec.counts[f];
    const reasons = [...perFilter[f].reasons].map(([reason, hosts]) => ({ reason, hosts })).sort((a, b) => b.hosts - a.hosts);
    const step: FilterStep = { filter: def.name, applied: true, before, removed, after: before - removed, reasons };
    if (removed > 0) {
      const largest = perFilter[f].largest;
      const p = active[f].prepared;
      if (largest > -Infinity) step.largestAvailable = largest;
      step.summary = p.summary ? p.summary(removed, Math.max(0, largest)) : genericSummary(removed, reasons);
    }
    filters.push(step);
    before -= removed;
  }
  return { filters, matrix };
}

export function explainMessage(request: Explanation['request'], considered: number, passed: number, prefilters: PrefilterStep[], filters: FilterStep[]): string {
  const what = `flavor ${request.flavor} (${request.vcpus} vCPU, ${request.memoryMb} MB RAM, ${request.diskGb} GB disk)`;
  const parts = [
    ...prefilters.filter((p) => p.removed > 0).map((p) => `${p.step}: ${p.removed === 1 ? '1 host' : `${p.removed} hosts`} excluded`),
    ...filters.filter((f) => f.removed > 0).map((f) => `${label(f.filter)}: ${f.summary}`),
  ];
  const head = passed > 0
    ? `${passed} of ${considered} hosts can take ${what}.`
    : `No valid host was found for ${what}: ${considered === 0 ? 'there are no hosts' : `none of ${considered} hosts passed`}.`;
  return parts.length > 0 ? `${head} ${parts.join('. ')}.` : head;
}

/** The NoValidHost error for an explanation; details hold the explanation (matrix capped). */
export function noValidHostFromExplanation(ex: Explanation): NoValidHostError {
  const cap = 100;
  const details = ex.matrix.length > cap
    ? { ...ex, matrix: ex.matrix.filter((v) => !v.passed).slice(0, cap), matrixOmitted: ex.matrix.length - cap }
    : ex;
  return new NoValidHostError(ex.message, {
    details,
    hint: `Run \`novalite schedule explain --flavor ${ex.request.flavor}\` for the per-host matrix; free capacity, pick a smaller flavor or relax the filters.`,
  });
}
