/**
 * os-aggregates (admin): list, create (answers without hosts and metadata), show, update of the
 * name and availability zone, delete (a 400 while hosts remain, as Nova's
 * InvalidAggregateActionDelete), and the actions and image caching in aggregate-actions.ts.
 */
import type { FastifyRequest } from 'fastify';
import { ConflictError, InvalidInputError } from '../../errors';
import type { ApiDeps, RouteModule, VersionedSchema } from '../types';
import { AZ_NAME, inner, NAME, NAME_WITH_SPACES } from './flavor-params';
import { aggregateView, checkZoneUpdate, loadAggregate } from './aggregate-view';
import { aggregateActionRoutes, AGGREGATE_ACTION_RULES } from './aggregate-actions';

const P = 'os_compute_api:os-aggregates';

const ZONE = { oneOf: [AZ_NAME, { type: 'null' }] };
const wrap = (props: Record<string, unknown>, extra: Record<string, unknown>) => ({
  type: 'object', required: ['aggregate'], additionalProperties: false,
  properties: { aggregate: { type: 'object', properties: props, additionalProperties: false, ...extra } },
});
export const AGGREGATE_CREATE: VersionedSchema[] = [{ schema: wrap({ name: NAME, availability_zone: ZONE }, { required: ['name'] }) }];
export const AGGREGATE_UPDATE: VersionedSchema[] = [{
  schema: wrap({ name: NAME_WITH_SPACES, availability_zone: ZONE }, { anyOf: [{ required: ['name'] }, { required: ['availability_zone'] }] }),
}];

async function update(deps: ApiDeps, req: FastifyRequest): Promise<unknown> {
  const b = inner<{ name?: string; availability_zone?: string | null }>(req, 'aggregate');
  const a = await loadAggregate(deps, req);
  if ('availability_zone' in b) await checkZoneUpdate(deps, a, b.availability_zone);
  try {
    const out = await deps.ctx.aggregates.set(a.uuid, { name: b.name?.trim(), zone: b.availability_zone ?? undefined });
    return { aggregate: aggregateView(req, out) };
  } catch (e) {
    if (e instanceof ConflictError && e.code === 'AZ_CONFLICT') throw new InvalidInputError(e.message, { code: 'INVALID_AGGREGATE_ACTION' });
    throw e;
  }
}

export const aggregateRoutes: RouteModule = (deps) => [
  {
    method: 'GET', url: '/os-aggregates', policy: `${P}:index`, summary: 'List host aggregates (admin).',
    handler: async (req) => ({ aggregates: (await deps.ctx.aggregates.list()).map((a) => aggregateView(req, a)) }),
  },
  {
    method: 'POST', url: '/os-aggregates', policy: `${P}:create`, body: AGGREGATE_CREATE, summary: 'Create a host aggregate, optionally an availability zone (admin).',
    handler: async (req) => {
      const b = inner<{ name: string; availability_zone?: string | null }>(req, 'aggregate');
      const a = await deps.ctx.aggregates.create(b.name.trim(), { zone: b.availability_zone ? b.availability_zone.trim() : undefined });
      return { aggregate: aggregateView(req, a, { brief: true }) };
    },
  },
  {
    method: 'GET', url: '/os-aggregates/:id', policy: `${P}:show`, summary: 'Show a host aggregate with its hosts and metadata (admin).',
    handler: async (req) => ({ aggregate: aggregateView(req, await loadAggregate(deps, req)) }),
  },
  {
    method: 'PUT', url: '/os-aggregates/:id', policy: `${P}:update`, body: AGGREGATE_UPDATE, summary: 'Rename an aggregate or change its availability zone (admin).',
    handler: (req) => update(deps, req),
  },
  {
    method: 'DELETE', url: '/os-aggregates/:id', policy: `${P}:delete`, summary: 'Delete an empty host aggregate (admin).',
    handler: async (req) => {
      const a = await loadAggregate(deps, req);
      if (a.hosts.length) throw new InvalidInputError(`Invalid aggregate action delete for aggregate ${a.id}: Host aggregate is not empty.`, { code: 'AGGREGATE_NOT_EMPTY', hint: 'Remove its hosts first (remove_host).' });
      await deps.ctx.aggregates.delete(a.uuid);
      return undefined;
    },
  },
  ...aggregateActionRoutes(deps),
];

aggregateRoutes.rules = {
  [`${P}:index`]: 'rule:admin_api',
  [`${P}:create`]: 'rule:admin_api',
  [`${P}:show`]: 'rule:admin_api',
  [`${P}:update`]: 'rule:admin_api',
  [`${P}:delete`]: 'rule:admin_api',
  ...AGGREGATE_ACTION_RULES,
};
