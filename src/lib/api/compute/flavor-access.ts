/**
 * os-flavor-access (admin): the projects that may use a private flavor, and the flavor actions
 * addTenantAccess (the project must exist; a public flavor is a 409 from 2.7, silently recorded
 * before) and removeTenantAccess (a project that no longer exists may still be removed).
 */
import type { FastifyRequest } from 'fastify';
import { InvalidInputError, isNovaliteError, NotFoundError } from '../../errors';
import type { Flavor } from '../../model/compute';
import type { ApiDeps, RouteDef, VersionedSchema } from '../types';
import { validateBody } from '../validation';
import { actionOf } from './flavor-params';
import { loadFlavor } from './flavor-view';

const P = 'os_compute_api:os-flavor-access';
export const FLAVOR_ACTION_RULE = 'compute:flavors:action';

const tenantBody = (action: string): VersionedSchema[] => [{
  schema: {
    type: 'object', required: [action], additionalProperties: false,
    properties: { [action]: { type: 'object', properties: { tenant: { type: 'string', minLength: 1, maxLength: 255 } }, required: ['tenant'], additionalProperties: false } },
  },
}];

const accessList = (f: Flavor) => ({ flavor_access: [...f.projects].sort().map((p) => ({ flavor_id: f.flavorid, tenant_id: p })) });

/** Nova's identity.verify_project_id: a project that does not exist is a 400. */
async function verifyProject(deps: ApiDeps, tenant: string): Promise<string> {
  try {
    return (await deps.ctx.projects.get(tenant)).id;
  } catch (e) {
    if (isNovaliteError(e) && e.category === 'not_found') throw new InvalidInputError(`Project ID ${tenant} is not a valid project.`, { code: 'INVALID_PROJECT' });
    throw e;
  }
}

const ACTIONS: Record<string, { rule: string; run(deps: ApiDeps, req: FastifyRequest, f: Flavor, tenant: string): Promise<Flavor> }> = {
  addTenantAccess: {
    rule: `${P}:add_tenant_access`,
    async run(deps, req, f, tenant) {
      const project = await verifyProject(deps, tenant);
      return deps.ctx.flavors.set(f.flavorid, { project, allowPublic: req.mv.lt('2.7') });
    },
  },
  removeTenantAccess: {
    rule: `${P}:remove_tenant_access`,
    async run(deps, _req, f, tenant) {
      const project = await deps.ctx.projects.get(tenant).then((p) => p.id, () => tenant);
      if (!f.projects.includes(project)) throw new NotFoundError('Flavor access', `${f.flavorid}/${tenant}`, { hint: `Flavor ${f.flavorid} is not shared with project ${tenant}.` });
      return deps.ctx.flavors.unset(f.flavorid, { project });
    },
  },
};

export const flavorAccessRoutes = (deps: ApiDeps): RouteDef[] => [
  {
    method: 'GET', url: '/flavors/:flavor_id/os-flavor-access', policy: P, summary: 'List the projects that may use a private flavor (admin).',
    handler: async (req) => {
      const f = await loadFlavor(deps, req, (req.params as { flavor_id: string }).flavor_id);
      if (f.isPublic) throw new NotFoundError('Flavor access list', f.flavorid, { hint: 'Access list not available for public flavors.' });
      return accessList(f);
    },
  },
  {
    method: 'POST', url: '/flavors/:id/action', policy: FLAVOR_ACTION_RULE, body: [{ schema: { type: 'object' } }],
    summary: 'Flavor actions: addTenantAccess, removeTenantAccess (admin).',
    handler: async (req) => {
      const name = actionOf(req.body);
      const action = ACTIONS[name];
      if (!action) throw new InvalidInputError(`There is no such action: ${name}`, { code: 'NO_SUCH_ACTION' });
      validateBody(tenantBody(name), req.mv, req.body);
      deps.policy.enforce(action.rule, req.caller, {});
      const f = await loadFlavor(deps, req, (req.params as { id: string }).id);
      return accessList(await action.run(deps, req, f, (req.body as Record<string, { tenant: string }>)[name].tenant));
    },
  },
];

export const FLAVOR_ACCESS_RULES: Record<string, string> = {
  [FLAVOR_ACTION_RULE]: '@',
  [P]: 'rule:admin_api',
  [`${P}:add_tenant_access`]: 'rule:admin_api',
  [`${P}:remove_tenant_access`]: 'rule:admin_api',
};
