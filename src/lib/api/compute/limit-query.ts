/**
 * Query strings as Nova reads them: unknown parameters tolerated until the microversion that
 * makes the query schema strict (2.75 for most APIs, 2.59 for os-migrations), `limit`/`marker`
 * paging capped at [api] max_limit (1000), and the `*_links` next link carrying the other
 * parameters with the marker of the last item.
 */
import type { FastifyRequest } from 'fastify';
import { InvalidInputError } from '../../errors';

export const MAX_LIMIT = 1000;

export type Query = Record<string, string | string[] | undefined>;

export function queryOf(req: FastifyRequest): Query {
  return (req.query ?? {}) as Query;
}

/** The first value of a parameter (Nova's parse_qs(...)[0]). */
export function first(q: Query, key: string): string | undefined {
  const v = q[key];
  return Array.isArray(v) ? v[0] : v;
}

/** A parameter that must be given at most once (Nova's single_param). */
export function single(q: Query, key: string): string | undefined {
  const v = q[key];
  if (Array.isArray(v)) {
    if (v.length > 1) throw new InvalidInputError(`Invalid input for query parameters ${key}. Value: ${JSON.stringify(v)}. ${JSON.stringify(v)} is not of type 'string'.`, { code: 'INVALID_QUERY' });
    return v[0];
  }
  return v;
}

/** Refuses parameters outside `allowed` once the request's microversion is at least `strictFrom`. */
export function checkQuery(req: FastifyRequest, allowed: string[], strictFrom: string | null): Query {
  const q = queryOf(req);
  if (strictFrom && req.mv.gte(strictFrom)) {
    const extra = Object.keys(q).filter((k) => !allowed.includes(k));
    if (extra.length) {
      throw new InvalidInputError(`Invalid input for query parameters: Additional properties are not allowed (${extra.map((k) => `'${k}'`).join(', ')} ${extra.length > 1 ? 'were' : 'was'} unexpected).`, { code: 'INVALID_QUERY' });
    }
  }
  return q;
}

/** `limit` (a non-negative integer, capped at MAX_LIMIT; 0 means the maximum) and `marker`. */
export function paging(q: Query): { limit: number; marker?: string } {
  const raw = single(q, 'limit');
  let limit = MAX_LIMIT;
  if (raw !== undefined) {
    if (!/^\d+$/.test(raw)) throw new InvalidInputError(`limit must be an integer greater than or equal to 0, got ${JSON.stringify(raw).slice(0, 40)}.`, { code: 'INVALID_QUERY' });
    const n = Number(raw);
    limit = n === 0 ? MAX_LIMIT : Math.min(n, MAX_LIMIT);
  }
  return { limit, marker: single(q, 'marker') };
}

/**
 * Nova's _get_collection_links: a `next` link when the page is full (as many items as the
 * effective limit), to `collectionUrl` with the request's parameters sorted and the marker set.
 */
export function nextLinks(q: Query, count: number, lastId: string | undefined, collectionUrl: string): Array<{ rel: string; href: string }> {
  const raw = first(q, 'limit');
  const max = Math.min(raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : MAX_LIMIT, MAX_LIMIT);
  if (!max || count !== max || lastId === undefined) return [];
  const params = new URLSearchParams();
  for (const k of Object.keys(q).sort()) {
    if (k === 'marker') continue;
    const v = q[k];
    for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) params.append(k, one);
  }
  params.append('marker', lastId);
  return [{ rel: 'next', href: `${collectionUrl}?${params.toString()}` }];
}

/** An ISO 8601 time (UTC when it names no zone), or null when the text is not one. */
export function parseIso(text: string): Date | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(text.trim());
  if (!m) return null;
  const d = new Date(`${m[1]}T${m[2] ?? '00:00:00'}${m[3] ? m[3].toUpperCase() : 'Z'}`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** An ISO 8601 time of a query parameter, or a 400 naming it. */
export function isoParam(q: Query, key: string): Date | undefined {
  const v = single(q, key);
  if (v === undefined) return undefined;
  const d = parseIso(v);
  if (!d) throw new InvalidInputError(`Invalid input for query parameters ${key}. Value: ${v.slice(0, 40)}. '${v.slice(0, 40)}' is not a 'date-time'.`, { code: 'INVALID_QUERY' });
  return d;
}
