/**
 * Nova's request parameter types (nova/api/validation/parameter_types) as JSON Schema pieces,
 * and the small helpers the global-resource modules share (flavors, key pairs, server groups,
 * aggregates, availability zones, hypervisors, services): strict booleans, Nova's integer ids,
 * uuid checks, self/bookmark links and a policy check that answers instead of throwing.
 */
import type { FastifyRequest } from 'fastify';
import { ForbiddenError, InvalidInputError } from '../../errors';
import type { ApiDeps } from '../types';

// Printable: not a control/format/unassigned character (C*) and not a line or paragraph separator.
const PRINTABLE = '[^\\p{C}\\p{Zl}\\p{Zp}]';
const PRINTABLE_NO_WS = '[^\\p{C}\\p{Z}]';
const printableExcept = (chars: string, ws: boolean) => `[^\\p{C}${ws ? '\\p{Zl}\\p{Zp}' : '\\p{Z}'}${chars}]`;

/** A name: printable characters, not starting or ending with whitespace (Nova's format 'name'). */
export const NAME = { type: 'string', minLength: 1, maxLength: 255, pattern: `^${PRINTABLE_NO_WS}(?:${PRINTABLE}*${PRINTABLE_NO_WS})?$` };
/** An availability zone name: as NAME, without ':' (Nova's format 'az_name'). */
export const AZ_NAME = { type: 'string', minLength: 1, maxLength: 255, pattern: `^${printableExcept(':', false)}(?:${printableExcept(':', true)}*${printableExcept(':', false)})?$` };
/** A name that may carry leading or trailing spaces but is not blank (aggregate update). */
export const NAME_WITH_SPACES = { type: 'string', minLength: 1, maxLength: 255, pattern: `^${PRINTABLE}*${PRINTABLE_NO_WS}${PRINTABLE}*$` };
/** A free text of printable characters (descriptions). */
export const description = (maxLength: number) => ({ type: ['string', 'null'], minLength: 0, maxLength, pattern: `^${PRINTABLE}*$` });

export const TRUE_STRINGS = ['True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes'];
export const FALSE_STRINGS = ['False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no'];
export const BOOLEAN = { type: ['boolean', 'string'], enum: [true, ...TRUE_STRINGS, false, ...FALSE_STRINGS] };

export const POSITIVE_INT = { type: ['integer', 'string'], pattern: '^[0-9]*$', minimum: 1, minLength: 1 };
export const NON_NEGATIVE_INT = { type: ['integer', 'string'], pattern: '^[0-9]*$', minimum: 0, minLength: 1 };
/** A host name as the services table holds it (Nova's fqdn). */
export const FQDN = { type: 'string', pattern: '^[a-zA-Z0-9-._]*$', minLength: 1, maxLength: 255 };

const META_KEY = '^[a-zA-Z0-9-_:. ]{1,255}$';
export const metadata = (valueTypes: string[]) => ({
  type: 'object', patternProperties: { [META_KEY]: { type: valueTypes, maxLength: 255 } }, additionalProperties: false,
});

/** oslo's bool_from_string: strict raises on anything it does not know; lenient makes that false. */
export function parseBool(v: unknown, strict: boolean, what = 'value'): boolean {
  if (typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (['1', 't', 'true', 'on', 'y', 'yes'].includes(s)) return true;
  if (['0', 'f', 'false', 'off', 'n', 'no'].includes(s)) return false;
  if (strict) throw new InvalidInputError(`Unrecognized value '${String(v).slice(0, 40)}' for ${what}, acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'.`, { code: 'INVALID_BOOLEAN' });
  return false;
}

/** Nova's validate_integer for a path id: an integer (Python's int()), or null. */
export function intOf(v: string): number | null {
  return /^\s*[-+]?\d{1,15}\s*$/.test(v) ? Number(v) : null;
}

/** oslo's is_uuid_like: 32 hex digits, with or without the usual hyphens. */
export function isUuidLike(v: string): boolean {
  return /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v);
}

/** `self` (versioned) and `bookmark` (unversioned) links of an object, as Nova's view builders make them. */
export function links(deps: ApiDeps, req: FastifyRequest, collection: string, id: string): Array<{ rel: string; href: string }> {
  const base = deps.baseUrl(req);
  const enc = encodeURIComponent(id);
  return [{ rel: 'self', href: `${base}/v2.1/${collection}/${enc}` }, { rel: 'bookmark', href: `${base}/${collection}/${enc}` }];
}

/** The versioned URL of a collection (for `*_links` next links). */
export function collectionUrl(deps: ApiDeps, req: FastifyRequest, collection: string): string {
  return `${deps.baseUrl(req)}/v2.1/${collection}`;
}

/** Nova's `context.can(rule, fatal=False)`. */
export function allowed(deps: ApiDeps, req: FastifyRequest, rule: string, target: { projectId?: string | null; userId?: string | null } = {}): boolean {
  try {
    deps.policy.enforce(rule, req.caller, target);
    return true;
  } catch (e) {
    if (e instanceof ForbiddenError) return false;
    throw e;
  }
}

/** The one key of an action body (`{"addTenantAccess": {...}}` → addTenantAccess). */
export function actionOf(body: unknown): string {
  const keys = body && typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : [];
  if (keys.length !== 1) throw new InvalidInputError('Malformed request body: an action body has exactly one key, the action.', { code: 'MALFORMED_BODY' });
  return keys[0];
}

/** A body is wrapped in one object (`{"flavor": {...}}`); this is the inner object. */
export function inner<T = Record<string, unknown>>(req: FastifyRequest, key: string): T {
  return (req.body as Record<string, T>)[key];
}
