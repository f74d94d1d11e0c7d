/**
 * Scheduler hints come from users (`--hint k=v`, os:scheduler_hints), so they are checked
 * against Nova's API schema before any filter sees them: a hint of the wrong type is bad input
 * (InvalidInputError, exit 2), never a crash or a silent no-op. Unknown hints pass through, as
 * Nova allows additional properties. Also the accessors filters use to read hints.
 */
import { InvalidInputError } from '../errors';
import { compileQuery } from './filters/json-query';
import { parseIp } from './ip';
import type { RequestSpec } from './types';

const UUID_RE = /^(\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?)$/i;
const CIDR_RE = /^\/(\d{1,3})$/;

export function isUuid(s: unknown): boolean {
  return typeof s === 'string' && UUID_RE.test(s);
}

/** The first value of a hint (a CLI `--hint k=v` may arrive as a one-element list). */
export function hintValue(spec: RequestSpec, key: string): string | undefined {
  const v = spec.schedulerHints[key];
  if (Array.isArray(v)) return v.length > 0 ? v[0] : undefined;
  return v === '' ? undefined : v;
}

export function hintList(spec: RequestSpec, key: string): string[] {
  const v = spec.schedulerHints[key];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function bad(key: string, what: string, value: unknown): never {
  throw new InvalidInputError(`Scheduler hint "${key}" ${what}; got ${JSON.stringify(value)}.`, {
    code: 'INVALID_SCHEDULER_HINT',
    details: { hint: key, value },
  });
}

function stringOrList(key: string, v: unknown, item: (s: unknown) => boolean, what: string): void {
  const items = Array.isArray(v) ? v : [v];
  if (typeof v !== 'string' && !Array.isArray(v)) bad(key, `must be ${what} or a list of them`, v);
  for (const x of items) if (!item(x)) bad(key, `must be ${what} or a list of them`, v);
}

function single(key: string, v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string') return v[0];
  return bad(key, 'must be a single string', v);
}

export function validateHints(hints: unknown): void {
  if (hints === undefined || hints === null) return;
  if (typeof hints !== 'object' || Array.isArray(hints)) bad('(all)', 'must be an object of key: value', hints);
  const h = hints as Record<string, unknown>;
  for (const key of ['same_host', 'different_host', 'group']) {
    if (h[key] !== undefined) stringOrList(key, h[key], isUuid, 'a server UUID');
  }
  if (h.different_cell !== undefined) stringOrList('different_cell', h.different_cell, (x) => typeof x === 'string', 'a string');
  if (h.target_cell !== undefined) single('target_cell', h.target_cell);
  if (h.query !== undefined) {
    const q = single('query', h.query);
    if (q.trim() !== '') compileQuery(q);
  }
  let version: 4 | 6 | undefined;
  if (h.build_near_host_ip !== undefined) {
    const raw = single('build_near_host_ip', h.build_near_host_ip);
    const ip = parseIp(raw);
    if (ip === null) bad('build_near_host_ip', 'must be an IPv4 or IPv6 address', raw);
    version = ip.version;
  }
  if (h.cidr !== undefined) {
    const raw = single('cidr', h.cidr);
    const m = CIDR_RE.exec(raw);
    const max = version === 4 ? 32 : 128;
    if (m === null || Number(m[1]) > max) bad('cidr', `must be a prefix length /N with N from 0 to ${max}`, raw);
  }
  for (const [k, v] of Object.entries(h)) {
    const ok = typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
    if (!ok) bad(k, 'must be a string or a list of strings', v);
  }
}
