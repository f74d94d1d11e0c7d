/**
 * /flavors/{id}/os-extra_specs: read by any project reader of a flavor they can see, written by
 * admins. Values may be sent as numbers (stored and shown as strings; create and update echo the
 * request body as Nova does); from 2.86 names and values are validated against the extra specs
 * Nova knows (flavor-extra-spec-rules.ts).
 */
import type { FastifyRequest } from 'fastify';
import { InvalidInputError, NotFoundError } from '../../errors';
import type { ApiDeps, RouteDef, VersionedSchema } from '../types';
import { metadata } from './flavor-params';
import { loadFlavor } from './flavor-view';
import { validateExtraSpec } from './flavor-extra-spec-rules';

const P = 'os_compute_api:os-flavor-extra-specs';

const SPECS = metadata(['string', 'number']);
const CREATE: VersionedSchema[] = [{ schema: { type: 'object', properties: { extra_specs: SPECS }, required: ['extra_specs'], additionalProperties: false } }];
const UPDATE: VersionedSchema[] = [{ schema: { ...SPECS, minProperties: 1, maxProperties: 1 } }];

/** Nova's _check_extra_specs_value: numbers become strings of at most 255; from 2.86 each spec is validated. */
function checkSpecs(req: FastifyRequest, specs: Record<string, string | number>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(specs)) {
    const s = String(v);
    if (s.length > 255) throw new InvalidInputError(`extra_specs value has a length of ${s.length}, more than 255 characters.`, { code: 'INVALID_EXTRA_SPEC' });
    if (req.mv.gte('2.86')) validateExtraSpec(k, s);
    out[k] = s;
  }
  return out;
}

const params = (req: FastifyRequest) => req.params as { flavor_id: string; key: string };

export const flavorExtraSpecRoutes = (deps: ApiDeps): RouteDef[] => [
  {
    method: 'GET', url: '/flavors/:flavor_id/os-extra_specs', policy: `${P}:index`, summary: 'List the extra specs of a flavor.',
    handler: async (req) => ({ extra_specs: { ...(await loadFlavor(deps, req, params(req).flavor_id)).extraSpecs } }),
  },
  {
    method: 'POST', url: '/flavors/:flavor_id/os-extra_specs', policy: `${P}:create`, body: CREATE, summary: 'Add or replace extra specs of a flavor (admin).',
    handler: async (req) => {
      const body = req.body as { extra_specs: Record<string, string | number> };
      const specs = checkSpecs(req, body.extra_specs);
      const f = await loadFlavor(deps, req, params(req).flavor_id);
      if (Object.keys(specs).length) await deps.ctx.flavors.set(f.flavorid, { properties: specs });
      return body;
    },
  },
  {
    method: 'GET', url: '/flavors/:flavor_id/os-extra_specs/:key', policy: `${P}:show`, summary: 'Show one extra spec of a flavor.',
    handler: async (req) => {
      const { flavor_id: id, key } = params(req);
      const f = await loadFlavor(deps, req, id);
      if (!(key in f.extraSpecs)) throw new NotFoundError('Extra spec', key, { hint: `Flavor ${id} has no extra specs with key ${key}.` });
      return { [key]: f.extraSpecs[key] };
    },
  },
  {
    method: 'PUT', url: '/flavors/:flavor_id/os-extra_specs/:key', policy: `${P}:update`, body: UPDATE, summary: 'Set one extra spec of a flavor (admin); the body names the same key.',
    handler: async (req) => {
      const { flavor_id: id, key } = params(req);
      const body = req.body as Record<string, string | number>;
      const specs = checkSpecs(req, body);
      if (!(key in body)) throw new InvalidInputError('Request body and URI mismatch', { code: 'BODY_URI_MISMATCH' });
      const f = await loadFlavor(deps, req, id);
      await deps.ctx.flavors.set(f.flavorid, { properties: specs });
      return body;
    },
  },
  {
    method: 'DELETE', url: '/flavors/:flavor_id/os-extra_specs/:key', policy: `${P}:delete`, summary: 'Remove one extra spec of a flavor (admin).',
    handler: async (req) => {
      const { flavor_id: id, key } = params(req);
      const f = await loadFlavor(deps, req, id);
      if (!(key in f.extraSpecs)) throw new NotFoundError('Extra spec', key, { hint: `Flavor ${id} has no extra specs with key ${key}.` });
      await deps.ctx.flavors.unset(f.flavorid, { properties: [key] });
      return undefined;
    },
  },
];

export const EXTRA_SPEC_RULES: Record<string, string> = {
  [`${P}:show`]: 'rule:admin_or_reader',
  [`${P}:create`]: 'rule:admin_api',
  [`${P}:update`]: 'rule:admin_api',
  [`${P}:delete`]: 'rule:admin_api',
};
