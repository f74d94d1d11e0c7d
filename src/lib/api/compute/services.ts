/**
 * os-services (admin): the compute services (one nova-compute per host, plus the controller's
 * in-process scheduler and conductor; service-records.ts), filtered by host and binary;
 * forced_down from 2.11; uuids as ids from 2.53. PUT /os-services/{uuid} (2.53) updates status
 * (with disabled_reason) and forced_down and answers the whole service; before 2.53 the path
 * names a legacy action (enable, disable, disable-log-reason, force-down from 2.11) and the body
 * names host and binary. DELETE removes a compute host (409 while it carries servers).
 */
import type { FastifyRequest } from 'fastify';
import { ConflictError, InvalidInputError, isNovaliteError, NotFoundError, NotSupportedError } from '../../errors';
import type { ApiDeps, RouteModule, VersionedSchema } from '../types';
import { BOOLEAN, FQDN, parseBool } from './flavor-params';
import { checkQuery, first } from './limit-query';
import { serviceById, serviceRecords, type ServiceRecord } from './service-records';

const P = 'os_compute_api:os-services';

const TEXT = { type: 'string', minLength: 1, maxLength: 255 };
const legacy = (extra: Record<string, unknown>) => ({
  type: 'object', properties: { host: FQDN, binary: TEXT, disabled_reason: TEXT, ...extra }, required: ['host', 'binary'], additionalProperties: false,
});
export const SERVICE_UPDATE: VersionedSchema[] = [
  { max: '2.10', schema: legacy({}) },
  { min: '2.11', max: '2.52', schema: legacy({ forced_down: BOOLEAN }) },
  { min: '2.53', schema: { type: 'object', properties: { status: { type: 'string', enum: ['enabled', 'disabled'] }, disabled_reason: TEXT, forced_down: BOOLEAN }, additionalProperties: false } },
];

export function serviceView(req: FastifyRequest, s: ServiceRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    binary: s.binary, host: s.host, id: req.mv.gte('2.53') ? s.uuid : s.id, zone: s.zone, status: s.disabled ? 'disabled' : 'enabled',
    state: s.up ? 'up' : 'down', updated_at: s.updatedAt, disabled_reason: s.disabledReason,
  };
  if (req.mv.gte('2.11')) out.forced_down = s.forcedDown;
  return out;
}

const onlyCompute = (binary: string) => {
  if (binary !== 'nova-compute') throw new InvalidInputError(`Updating a ${binary} service is not supported. Only nova-compute services can be updated.`, { code: 'SERVICE_NOT_UPDATABLE' });
};

/** Before 2.53: PUT /os-services/{action} with host and binary in the body. */
async function legacyUpdate(deps: ApiDeps, req: FastifyRequest, action: string): Promise<unknown> {
  const b = req.body as { host: string; binary: string; disabled_reason?: string; forced_down?: unknown };
  const actions = ['enable', 'disable', 'disable-log-reason', ...(req.mv.gte('2.11') ? ['force-down'] : [])];
  if (!actions.includes(action)) throw new NotFoundError('Service action', action, { hint: 'Unknown action.' });
  if (action === 'disable-log-reason' && b.disabled_reason === undefined) throw new InvalidInputError('Missing disabled reason field', { code: 'MISSING_FIELD' });
  if (action === 'force-down' && b.forced_down === undefined) throw new InvalidInputError('Missing forced_down field', { code: 'MISSING_FIELD' });
  onlyCompute(b.binary);
  if (!(await deps.ctx.hosts.find(b.host))) throw new NotFoundError('Service', `${b.binary} on host ${b.host}`);
  const service: Record<string, unknown> = { host: b.host, binary: b.binary };
  if (action === 'force-down') {
    const down = parseBool(b.forced_down, false);
    await deps.ctx.hosts.setForcedDown(b.host, down);
    return { service: { ...service, forced_down: down } };
  }
  const reason = action === 'disable-log-reason' ? b.disabled_reason : undefined;
  await deps.ctx.hosts.setEnabled(b.host, action === 'enable', reason);
  return { service: { ...service, status: action === 'enable' ? 'enabled' : 'disabled', ...(reason ? { disabled_reason: reason } : {}) } };
}

/** From 2.53: PUT /os-services/{uuid} with status, disabled_reason and/or forced_down. */
async function update(deps: ApiDeps, req: FastifyRequest, id: string): Promise<unknown> {
  const b = req.body as { status?: 'enabled' | 'disabled'; disabled_reason?: string; forced_down?: unknown };
  const s = await serviceById(deps, req, id);
  onlyCompute(s.binary);
  if (b.status === 'enabled' && b.disabled_reason) throw new InvalidInputError("Specifying 'disabled_reason' with status 'enabled' is invalid.", { code: 'INVALID_SERVICE_UPDATE' });
  if (b.status === undefined && b.forced_down === undefined) {
    throw new InvalidInputError("No updates were requested. Fields 'status' or 'forced_down' should be specified.", { code: 'INVALID_SERVICE_UPDATE' });
  }
  if (b.status !== undefined) await deps.ctx.hosts.setEnabled(s.host, b.status === 'enabled', b.status === 'disabled' ? b.disabled_reason : undefined);
  if (b.forced_down !== undefined) await deps.ctx.hosts.setForcedDown(s.host, parseBool(b.forced_down, true, 'forced_down'));
  return { service: serviceView(req, await serviceById(deps, req, id)) };
}

export const serviceRoutes: RouteModule = (deps) => [
  {
    method: 'GET', url: '/os-services', policy: `${P}:list`, summary: 'List compute services (filter by host and binary).',
    handler: async (req) => {
      const q = checkQuery(req, ['host', 'binary'], '2.75');
      const host = first(q, 'host');
      const binary = first(q, 'binary');
      const list = (await serviceRecords(deps, req)).filter((s) => (!host || s.host === host) && (!binary || s.binary === binary));
      return { services: list.map((s) => serviceView(req, s)) };
    },
  },
  {
    method: 'PUT', url: '/os-services/:id', policy: `${P}:update`, body: SERVICE_UPDATE,
    summary: 'Enable, disable or force down a compute service (by uuid from 2.53; a legacy action name before).',
    handler: (req) => {
      const { id } = req.params as { id: string };
      return req.mv.gte('2.53') ? update(deps, req, id) : legacyUpdate(deps, req, id);
    },
  },
  {
    method: 'DELETE', url: '/os-services/:id', policy: `${P}:delete`, status: 204, summary: 'Delete a compute service: its host leaves the cloud (409 while it has servers).',
    handler: async (req) => {
      const s = await serviceById(deps, req, (req.params as { id: string }).id);
      if (!s.compute) throw new NotSupportedError(`The ${s.binary} service runs inside every novalite process and cannot be deleted.`);
      try {
        await deps.ctx.hosts.remove(s.host);
      } catch (e) {
        if (isNovaliteError(e) && e.code === 'HOST_IN_USE') {
          throw new ConflictError('Unable to delete compute service that is hosting instances. Migrate or delete the instances first.', { code: 'HOST_IN_USE' });
        }
        throw e;
      }
      return undefined;
    },
  },
];

serviceRoutes.rules = {
  [`${P}:list`]: 'rule:admin_api',
  [`${P}:update`]: 'rule:admin_api',
  [`${P}:delete`]: 'rule:admin_api',
};
