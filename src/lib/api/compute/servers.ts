/** Servers: list, detail, show, create, update, delete (with microversion-shaped views). */
import type { FastifyRequest } from 'fastify';
import { InvalidInputError } from '../../errors';
import type { ApiDeps, RouteModule } from '../types';
import { accepted, loadServer, scope } from './server-common';
import { createServer, RULES_CREATE } from './server-create';
import { listServers } from './server-list';
import { CREATE, UPDATE } from './server-schemas';
import { RULE_EXTENDED, RULE_EXTRA_SPECS, RULE_HOST_STATUS, serverView, viewContext } from './server-view';

const P = (name: string) => `os_compute_api:servers:${name}`;

type Params = { id: string };
const idOf = (req: FastifyRequest) => (req.params as Params).id;

async function show(deps: ApiDeps, req: FastifyRequest): Promise<unknown> {
  const s = await loadServer(deps, req, idOf(req), P('show'));
  return { server: serverView(s, await viewContext(deps, req, [s], 'show'), 'show') };
}

async function update(deps: ApiDeps, req: FastifyRequest): Promise<unknown> {
  const s = await loadServer(deps, req, idOf(req), P('update'));
  const body = (req.body as { server: Record<string, string | null | undefined> }).server;
  if (body.accessIPv4 !== undefined || body.accessIPv6 !== undefined) {
    throw new InvalidInputError('Setting accessIPv4/accessIPv6 is not supported: novalite has no networking service.', { code: 'NOT_SUPPORTED' });
  }
  const after = await deps.ctx.servers.set(s.uuid, scope(req.caller), {
    name: body.name ?? undefined, description: 'description' in body ? body.description ?? null : undefined, hostname: body.hostname ?? undefined,
  });
  return { server: serverView(after, await viewContext(deps, req, [after], 'update'), 'update') };
}

async function remove(deps: ApiDeps, req: FastifyRequest): Promise<void> {
  const s = await loadServer(deps, req, idOf(req), P('delete'));
  await accepted(deps, req, () => deps.ctx.servers.delete(s.uuid, s.projectId, { userId: req.caller.userId }), (t) => t.instanceUuid === s.uuid);
}

export const serverRoutes: RouteModule = (deps) => [
  { method: 'GET', url: '/servers', policy: P('index'), summary: 'List servers (id, name, links)', handler: (req) => listServers(deps, req, false) },
  { method: 'GET', url: '/servers/detail', policy: P('detail'), summary: 'List servers with details', handler: (req) => listServers(deps, req, true) },
  { method: 'GET', url: '/servers/:id', policy: P('show'), summary: 'Show a server', handler: (req) => show(deps, req) },
  { method: 'POST', url: '/servers', policy: P('create'), summary: 'Create servers', body: CREATE, status: 202, handler: (req, reply) => createServer(deps, req, reply) },
  { method: 'PUT', url: '/servers/:id', policy: P('update'), summary: 'Update a server', body: UPDATE, handler: (req) => update(deps, req) },
  { method: 'DELETE', url: '/servers/:id', policy: P('delete'), summary: 'Delete a server', status: 204, handler: (req) => remove(deps, req) },
];

serverRoutes.rules = {
  [P('index')]: 'rule:admin_or_reader',
  [P('detail')]: 'rule:admin_or_reader',
  [P('index:get_all_tenants')]: 'rule:admin_api',
  [P('detail:get_all_tenants')]: 'rule:admin_api',
  [P('allow_all_filters')]: 'rule:admin_api',
  [P('show')]: 'rule:admin_or_reader',
  [RULE_EXTRA_SPECS]: 'rule:admin_or_reader',
  [RULE_HOST_STATUS]: 'rule:admin_api',
  [P('show:host_status:unknown-only')]: 'rule:admin_api',
  [RULE_EXTENDED]: 'rule:admin_api',
  [P('create')]: 'rule:admin_or_member',
  [RULES_CREATE.forcedHost]: 'rule:admin_api',
  [RULES_CREATE.requestedDestination]: 'rule:admin_api',
  [RULES_CREATE.attachNetwork]: 'rule:admin_or_member',
  [P('create:attach_volume')]: 'rule:admin_or_member',
  [P('create:trusted_certs')]: 'rule:admin_or_member',
  [P('update')]: 'rule:admin_or_member',
  [P('delete')]: 'rule:admin_or_member',
};
