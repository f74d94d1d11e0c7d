/**
 * POST /os-aggregates/{id}/action (add_host, remove_host, set_metadata; each with its own
 * policy) and POST /os-aggregates/{id}/images (2.81, image pre-caching on the aggregate's hosts).
 */
import type { FastifyRequest } from 'fastify';
import { ConflictError, InvalidInputError, NotFoundError, NotSupportedError } from '../../errors';
import type { Aggregate, ComputeHost } from '../../model/compute';
import type { ApiDeps, RouteDef, VersionedSchema } from '../types';
import { validateBody } from '../validation';
import { actionOf, FQDN, metadata } from './flavor-params';
import { aggregateView, checkHostMove, checkZoneUpdate, loadAggregate } from './aggregate-view';

const P = 'os_compute_api:os-aggregates';
export const AGGREGATE_ACTION_RULE = 'compute:aggregates:action';
export const AGGREGATE_IMAGES_RULE = 'compute:aggregates:images';

const one = (action: string, props: Record<string, unknown>, required: string[]): VersionedSchema[] => [{
  schema: { type: 'object', required: [action], additionalProperties: false, properties: { [action]: { type: 'object', properties: props, required, additionalProperties: false } } },
}];
const SCHEMAS: Record<string, VersionedSchema[]> = {
  add_host: one('add_host', { host: FQDN }, ['host']),
  remove_host: one('remove_host', { host: FQDN }, ['host']),
  set_metadata: one('set_metadata', { metadata: metadata(['string', 'null']) }, ['metadata']),
};

/** A zone conflict the service reports is a 400 where Nova's update paths raise InvalidAggregateAction. */
function zoneConflictIs400(e: unknown): never {
  if (e instanceof ConflictError && e.code === 'AZ_CONFLICT') throw new InvalidInputError(e.message, { code: 'INVALID_AGGREGATE_ACTION' });
  throw e;
}

type Run = (deps: ApiDeps, a: Aggregate, arg: any) => Promise<Aggregate>;
const RUN: Record<string, Run> = {
  async add_host(deps, a, arg: { host: string }) {
    if (!(await deps.ctx.hosts.find(arg.host))) throw new NotFoundError('Compute host', arg.host);
    await checkHostMove(deps, a, arg.host, true);
    return deps.ctx.aggregates.addHost(a.uuid, arg.host);
  },
  async remove_host(deps, a, arg: { host: string }) {
    const missing = () => new NotFoundError('Host in aggregate', arg.host, { hint: `Cannot remove host ${arg.host} in aggregate ${a.id}.` });
    if (!(await deps.ctx.hosts.find(arg.host)) || !a.hosts.includes(arg.host)) throw missing();
    await checkHostMove(deps, a, arg.host, false);
    return deps.ctx.aggregates.removeHost(a.uuid, arg.host);
  },
  async set_metadata(deps, a, arg: { metadata: Record<string, string | null> }) {
    if ('availability_zone' in arg.metadata) await checkZoneUpdate(deps, a, arg.metadata.availability_zone);
    return deps.ctx.aggregates.updateMetadata(a.uuid, arg.metadata).catch(zoneConflictIs400);
  },
};

const IMAGES: VersionedSchema[] = [{
  min: '2.81',
  schema: {
    type: 'object', required: ['cache'], additionalProperties: false,
    properties: {
      cache: {
        type: 'array', minItems: 1,
        items: { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'string', pattern: '^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$' } } },
      },
    },
  },
}];

/**
 * Nova hands the request to the conductor and answers 202. novalite's drivers have no image
 * pre-caching: fake hosts need no image at all (so there is nothing to cache and the request is
 * met), any other host is refused up front rather than accepted and silently dropped.
 */
async function cacheImages(deps: ApiDeps, req: FastifyRequest): Promise<undefined> {
  const ids = (req.body as { cache: Array<{ id: string }> }).cache.map((c) => c.id);
  if (new Set(ids).size !== ids.length) throw new InvalidInputError('Duplicate images in request', { code: 'DUPLICATE_IMAGES' });
  const a = await loadAggregate(deps, req);
  const hosts = (await Promise.all(a.hosts.map((h) => deps.ctx.hosts.find(h)))).filter((h): h is ComputeHost => h !== null);
  const unable = hosts.filter((h) => h.driver !== 'fake');
  if (unable.length) {
    throw new NotSupportedError(`Image pre-caching is not supported by the ${[...new Set(unable.map((h) => h.driver))].join(', ')} driver (hosts ${unable.map((h) => h.host).join(', ')}).`, {
      hint: 'Images are cached on a host when the first server using them is built there.',
    });
  }
  return undefined;
}

export const aggregateActionRoutes = (deps: ApiDeps): RouteDef[] => [
  {
    method: 'POST', url: '/os-aggregates/:id/action', policy: AGGREGATE_ACTION_RULE, body: [{ schema: { type: 'object' } }],
    summary: 'Aggregate actions: add_host, remove_host, set_metadata (admin).',
    handler: async (req) => {
      const name = actionOf(req.body);
      const schemas = SCHEMAS[name];
      if (!schemas) throw new InvalidInputError(`There is no such action: ${name}`, { code: 'NO_SUCH_ACTION' });
      validateBody(schemas, req.mv, req.body);
      deps.policy.enforce(`${P}:${name}`, req.caller, {});
      const a = await loadAggregate(deps, req);
      return { aggregate: aggregateView(req, await RUN[name](deps, a, (req.body as Record<string, unknown>)[name])) };
    },
  },
  {
    method: 'POST', url: '/os-aggregates/:id/images', policy: AGGREGATE_IMAGES_RULE, body: IMAGES, minVersion: '2.81', status: 202,
    summary: 'Ask the hosts of an aggregate to cache images (2.81).', handler: (req) => cacheImages(deps, req),
  },
];

export const AGGREGATE_ACTION_RULES: Record<string, string> = {
  [AGGREGATE_ACTION_RULE]: '@',
  [`${P}:add_host`]: 'rule:admin_api',
  [`${P}:remove_host`]: 'rule:admin_api',
  [`${P}:set_metadata`]: 'rule:admin_api',
  [AGGREGATE_IMAGES_RULE]: 'rule:admin_api',
};
