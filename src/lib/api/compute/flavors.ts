/**
 * Flavors (GET /flavors[/detail], show, and the admin's os-flavor-manage create, update of the
 * description from 2.55, delete), with os-extra_specs (flavor-extra-specs.ts) and
 * os-flavor-access (flavor-access.ts). Views per microversion are in flavor-view.ts.
 */
import type { FastifyRequest } from 'fastify';
import type { ApiDeps, RouteDef, RouteModule, VersionedSchema } from '../types';
import { BOOLEAN, collectionUrl, description, inner, NAME, parseBool } from './flavor-params';
import { briefFlavor, EXTRA_SPECS_INDEX, fullFlavor, listFlavors, loadFlavor, withExtraSpecs } from './flavor-view';
import { flavorExtraSpecRoutes, EXTRA_SPEC_RULES } from './flavor-extra-specs';
import { flavorAccessRoutes, FLAVOR_ACCESS_RULES } from './flavor-access';
import { nextLinks } from './limit-query';

const M = 'os_compute_api:os-flavor-manage';
const F = 'os_compute_api:flavors';

const SIZE = { type: ['integer', 'string'], pattern: '^[0-9]+$', maximum: 0x7fffffff };
const createProps = (withDescription: boolean) => ({
  name: NAME,
  id: { type: ['string', 'number', 'null'], minLength: 1, maxLength: 255, pattern: '^(?! )[a-zA-Z0-9. _-]+(?<! )$' },
  ram: { ...SIZE, minimum: 1 }, vcpus: { ...SIZE, minimum: 1 }, disk: { ...SIZE, minimum: 0 },
  'OS-FLV-EXT-DATA:ephemeral': { ...SIZE, minimum: 0 }, swap: { ...SIZE, minimum: 0 },
  rxtx_factor: { type: ['number', 'string'], pattern: '^[0-9]+(\\.[0-9]+)?$', exclusiveMinimum: 0, maximum: 3.40282e38 },
  'os-flavor-access:is_public': BOOLEAN,
  ...(withDescription ? { description: description(65535) } : {}),
});
const wrap = (props: object, required: string[]) => ({
  type: 'object', required: ['flavor'], additionalProperties: false,
  properties: { flavor: { type: 'object', properties: props, required, additionalProperties: false } },
});

export const FLAVOR_CREATE: VersionedSchema[] = [
  { max: '2.54', schema: wrap(createProps(false), ['name', 'ram', 'vcpus', 'disk']) },
  { min: '2.55', schema: wrap(createProps(true), ['name', 'ram', 'vcpus', 'disk']) },
];
export const FLAVOR_UPDATE: VersionedSchema[] = [{ min: '2.55', schema: wrap({ description: description(65535) }, ['description']) }];

const num = (v: unknown, dflt: number) => (v === undefined || v === null ? dflt : Number(v));

async function create(deps: ApiDeps, req: FastifyRequest): Promise<unknown> {
  const b = inner(req, 'flavor');
  const id = b.id === undefined || b.id === null || b.id === '' ? undefined : String(b.id);
  const f = await deps.ctx.flavors.create({
    name: String(b.name).trim(), id, ram: num(b.ram, 0), vcpus: num(b.vcpus, 0), disk: num(b.disk, 0),
    ephemeral: num(b['OS-FLV-EXT-DATA:ephemeral'], 0), swap: num(b.swap, 0), rxtxFactor: num(b.rxtx_factor, 1.0),
    isPublic: b['os-flavor-access:is_public'] === undefined ? true : parseBool(b['os-flavor-access:is_public'], true, 'is_public'),
    description: req.mv.gte('2.55') ? (b.description as string | null | undefined) ?? undefined : undefined,
  });
  // A new flavor has no extra specs yet; 2.61 shows the empty map when policy allows.
  return { flavor: fullFlavor(deps, req, { ...f, extraSpecs: {} }) };
}

export const flavorCoreRoutes = (deps: ApiDeps): RouteDef[] => [
  {
    method: 'GET', url: '/flavors', policy: `${F}:index`, summary: 'List flavors (id, name, links; description from 2.55).',
    handler: async (req) => {
      const { page, q } = await listFlavors(deps, req);
      const out: Record<string, unknown> = { flavors: page.map((f) => briefFlavor(deps, req, f)) };
      const next = nextLinks(q, page.length, page.at(-1)?.flavorid, collectionUrl(deps, req, 'flavors'));
      if (next.length) out.flavors_links = next;
      return out;
    },
  },
  {
    method: 'GET', url: '/flavors/detail', policy: `${F}:detail`, summary: 'List flavors with all their fields (extra_specs from 2.61).',
    handler: async (req) => {
      const { page, q } = await listFlavors(deps, req);
      const specs = withExtraSpecs(deps, req);
      const out: Record<string, unknown> = { flavors: page.map((f) => fullFlavor(deps, req, f, specs)) };
      const next = nextLinks(q, page.length, page.at(-1)?.flavorid, collectionUrl(deps, req, 'flavors/detail'));
      if (next.length) out.flavors_links = next;
      return out;
    },
  },
  {
    method: 'GET', url: '/flavors/:id', policy: `${F}:show`, summary: 'Show a flavor by its id (a name is a 404).',
    handler: async (req) => ({ flavor: fullFlavor(deps, req, await loadFlavor(deps, req, (req.params as { id: string }).id)) }),
  },
  {
    method: 'POST', url: '/flavors', policy: `${M}:create`, body: FLAVOR_CREATE, summary: 'Create a flavor (admin); the id is generated when not given.',
    handler: (req) => create(deps, req),
  },
  {
    method: 'PUT', url: '/flavors/:id', policy: `${M}:update`, body: FLAVOR_UPDATE, minVersion: '2.55', summary: 'Update the description of a flavor (admin).',
    handler: async (req) => {
      const f = await loadFlavor(deps, req, (req.params as { id: string }).id);
      const updated = await deps.ctx.flavors.set(f.flavorid, { description: inner(req, 'flavor').description as string | null });
      return { flavor: fullFlavor(deps, req, updated) };
    },
  },
  {
    method: 'DELETE', url: '/flavors/:id', policy: `${M}:delete`, status: 202, summary: 'Delete a flavor (admin); servers keep their embedded copy.',
    handler: async (req) => {
      const f = await loadFlavor(deps, req, (req.params as { id: string }).id);
      await deps.ctx.flavors.delete(f.flavorid);
      return undefined;
    },
  },
];

export const flavorRoutes: RouteModule = (deps) => [...flavorCoreRoutes(deps), ...flavorExtraSpecRoutes(deps), ...flavorAccessRoutes(deps)];
flavorRoutes.rules = {
  [`${F}:index`]: '@',
  [`${F}:detail`]: '@',
  [`${F}:show`]: '@',
  [`${M}:create`]: 'rule:admin_api',
  [`${M}:update`]: 'rule:admin_api',
  [`${M}:delete`]: 'rule:admin_api',
  [EXTRA_SPECS_INDEX]: 'rule:admin_or_reader',
  ...EXTRA_SPEC_RULES,
  ...FLAVOR_ACCESS_RULES,
};
