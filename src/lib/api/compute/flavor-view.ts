/**
 * Flavors as the REST API shows them per microversion (Nova's flavors view builder): the brief
 * entry of GET /flavors, the full one elsewhere (swap "" for none until 2.75, description from
 * 2.55, extra_specs from 2.61 when the caller's policy lets them see those), and the listing
 * rules of GET /flavors[/detail]: who sees which flavors, is_public, minRam/minDisk, sort and
 * limit/marker paging.
 */
import type { FastifyRequest } from 'fastify';
import { InvalidInputError, NotFoundError } from '../../errors';
import type { Flavor } from '../../model/compute';
import type { Caller, ApiDeps } from '../types';
import { allowed, links } from './flavor-params';
import { checkQuery, first, paging, type Query } from './limit-query';

export const EXTRA_SPECS_INDEX = 'os_compute_api:os-flavor-extra-specs:index';

export const SORT_KEYS = ['created_at', 'description', 'disabled', 'ephemeral_gb', 'flavorid', 'id', 'is_public', 'memory_mb', 'name', 'root_gb', 'rxtx_factor', 'swap', 'updated_at', 'vcpu_weight', 'vcpus'];

export function briefFlavor(deps: ApiDeps, req: FastifyRequest, f: Flavor): Record<string, unknown> {
  const out: Record<string, unknown> = { id: f.flavorid, name: f.name, links: links(deps, req, 'flavors', f.flavorid) };
  if (req.mv.gte('2.55')) out.description = f.description;
  return out;
}

/** Whether views at this request include extra_specs (2.61, and the extra-specs index policy allows it). */
export function withExtraSpecs(deps: ApiDeps, req: FastifyRequest): boolean {
  return req.mv.gte('2.61') && allowed(deps, req, EXTRA_SPECS_INDEX);
}

export function fullFlavor(deps: ApiDeps, req: FastifyRequest, f: Flavor, specs = withExtraSpecs(deps, req)): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: f.flavorid, name: f.name, ram: f.memoryMb, disk: f.rootGb,
    swap: req.mv.gte('2.75') ? f.swapMb : f.swapMb || '',
    'OS-FLV-EXT-DATA:ephemeral': f.ephemeralGb, 'OS-FLV-DISABLED:disabled': f.disabled, vcpus: f.vcpus,
    'os-flavor-access:is_public': f.isPublic, rxtx_factor: f.rxtxFactor || '', links: links(deps, req, 'flavors', f.flavorid),
  };
  if (req.mv.gte('2.55')) out.description = f.description;
  if (specs) out.extra_specs = { ...f.extraSpecs };
  return out;
}

/** A caller without the admin role sees public flavors and the private ones shared with their project. */
export function visibleTo(f: Flavor, caller: Caller): boolean {
  return caller.isAdmin || f.isPublic || f.projects.includes(caller.projectId);
}

/** GET /flavors/{id}: by flavor id only (a name is a 404, so clients fall back to listing). */
export async function loadFlavor(deps: ApiDeps, req: FastifyRequest, id: string): Promise<Flavor> {
  let f: Flavor | null = null;
  try {
    f = await deps.ctx.flavors.get(id);
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
  if (!f || f.flavorid !== id || !visibleTo(f, req.caller)) throw new NotFoundError('Flavor', id, { hint: 'Flavors are looked up by id; list them to find one by name.' });
  return f;
}

/** Nova's _parse_is_public: absent → public only; 'None' → all; else a strict boolean. */
function isPublicFilter(q: Query): boolean | null {
  const v = first(q, 'is_public');
  if (v === undefined) return true;
  if (v.toLowerCase() === 'none') return null;
  const s = v.trim().toLowerCase();
  if (['1', 't', 'true', 'on', 'y', 'yes'].includes(s)) return true;
  if (['0', 'f', 'false', 'off', 'n', 'no'].includes(s)) return false;
  throw new InvalidInputError(`Invalid is_public filter [${v.slice(0, 40)}]`, { code: 'INVALID_QUERY' });
}

function intFilter(q: Query, key: string): number | undefined {
  const v = first(q, key);
  if (v === undefined) return undefined;
  if (!/^\s*[-+]?\d+\s*$/.test(v)) throw new InvalidInputError(`Invalid ${key} filter [${v.slice(0, 40)}]`, { code: 'INVALID_QUERY' });
  return Number(v);
}

function oneOf(q: Query, key: string, allowedValues: string[]): string[] {
  const v = q[key];
  const all = v === undefined ? [] : Array.isArray(v) ? v : [v];
  for (const x of all) {
    if (!allowedValues.includes(x)) throw new InvalidInputError(`Invalid input for query parameters ${key}. Value: ${x.slice(0, 40)}. '${x.slice(0, 40)}' is not one of ${JSON.stringify(allowedValues)}.`, { code: 'INVALID_QUERY' });
  }
  return all;
}

const SORT_VALUE: Record<string, (f: Flavor) => string | number | boolean | null> = {
  created_at: (f) => f.createdAt, description: (f) => f.description, disabled: (f) => f.disabled, ephemeral_gb: (f) => f.ephemeralGb,
  flavorid: (f) => f.flavorid, id: (f) => f.id, is_public: (f) => f.isPublic, memory_mb: (f) => f.memoryMb, name: (f) => f.name,
  root_gb: (f) => f.rootGb, rxtx_factor: (f) => f.rxtxFactor, swap: (f) => f.swapMb, updated_at: (f) => f.createdAt,
  vcpu_weight: () => null, vcpus: (f) => f.vcpus,
};

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return (a as number) < (b as number) ? -1 : 1;
}

/** The flavors a list request answers with (filters, order, page), and the query it read. */
export async function listFlavors(deps: ApiDeps, req: FastifyRequest): Promise<{ page: Flavor[]; q: Query; limit: number }> {
  const q = checkQuery(req, ['limit', 'marker', 'is_public', 'minRam', 'minDisk', 'sort_key', 'sort_dir'], '2.75');
  const sortKey = oneOf(q, 'sort_key', SORT_KEYS)[0] || 'flavorid';
  const dir = (oneOf(q, 'sort_dir', ['asc', 'desc'])[0] || 'asc') === 'desc' ? -1 : 1;
  const { limit, marker } = paging(q);
  const caller = req.caller;
  const isPublic = caller.isAdmin ? isPublicFilter(q) : true;
  const minRam = intFilter(q, 'minRam');
  const minDisk = intFilter(q, 'minDisk');
  // Who may see a flavor at all (the marker is looked up among these), then the filters.
  const visible = (await deps.ctx.flavors.list({ all: true })).filter((f) => visibleTo(f, caller));
  const key = SORT_VALUE[sortKey];
  visible.sort((a, b) => dir * compare(key(a), key(b)) || dir * (a.id - b.id));
  let start = 0;
  if (marker !== undefined) {
    const i = visible.findIndex((f) => f.flavorid === marker);
    if (i < 0) throw new InvalidInputError(`marker [${marker.slice(0, 80)}] not found`, { code: 'MARKER_NOT_FOUND' });
    start = i + 1;
  }
  const match = (f: Flavor) => {
    if (isPublic === true && !f.isPublic && !f.projects.includes(caller.projectId)) return false;
    if (isPublic === false && f.isPublic) return false;
    if (!caller.isAdmin && f.disabled) return false;
    if (minRam !== undefined && f.memoryMb < minRam) return false;
    if (minDisk !== undefined && f.rootGb < minDisk) return false;
    return true;
  };
  return { page: visible.slice(start).filter(match).slice(0, limit), q, limit };
}
