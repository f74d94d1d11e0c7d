/**
 * os-hypervisors (admin): list and detail (limit/marker from 2.33; from 2.53 uuids as ids and
 * the hypervisor_hostname_pattern and with_servers query parameters, which replace the
 * /{pattern}/search and /{pattern}/servers routes), show, and until 2.87 statistics and uptime.
 * Hypervisors are the registered compute hosts (ctx.hosts); a host is up unless forced down or
 * unreachable, and enabled unless its service is disabled.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidInputError, NotFoundError } from '../../errors';
import type { Server } from '../../model/servers';
import type { HostInfo } from '../../services/hosts';
import type { ApiDeps, RouteModule } from '../types';
import { collectionUrl, intOf, isUuidLike, parseBool } from './flavor-params';
import { hypervisorId, hypervisorView, statistics, uptimeOf } from './hypervisor-view';
import { checkQuery, first, nextLinks, paging, single } from './limit-query';

const P = 'os_compute_api:os-hypervisors';

const servedBy = (deps: ApiDeps, host: string): Promise<Server[]> => deps.ctx.servers.list({ allProjects: true, host });

async function allHosts(deps: ApiDeps): Promise<HostInfo[]> {
  return (await deps.ctx.hosts.list()).sort((a, b) => a.nodeId - b.nodeId || a.host.localeCompare(b.host));
}

/** Nova's compute_node_search_by_hypervisor: a substring of the hostname; none is a 404. */
async function byPattern(deps: ApiDeps, pattern: string): Promise<HostInfo[]> {
  const p = pattern.toLowerCase();
  const hit = (await allHosts(deps)).filter((h) => h.nodename.toLowerCase().includes(p));
  if (!hit.length) throw new NotFoundError('Hypervisor matching', pattern, { hint: `No hypervisor matching '${pattern}' could be found.` });
  return hit;
}

async function list(deps: ApiDeps, req: FastifyRequest, detail: boolean): Promise<unknown> {
  const q = checkQuery(req, ['limit', 'marker', 'hypervisor_hostname_pattern', 'with_servers'], '2.53');
  const v253 = req.mv.gte('2.53');
  const pattern = v253 ? single(q, 'hypervisor_hostname_pattern') : undefined;
  const raw = v253 ? single(q, 'with_servers') : undefined;
  const withServers = raw !== undefined && parseBool(raw, true, 'with_servers');
  const paged = req.mv.gte('2.33');
  let hosts: HostInfo[];
  if (pattern !== undefined) {
    if (q.limit !== undefined || first(q, 'marker')) throw new InvalidInputError('Paging over hypervisors with the hypervisor_hostname_pattern query parameter is not supported.', { code: 'INVALID_QUERY' });
    hosts = await byPattern(deps, pattern);
  } else {
    hosts = await allHosts(deps);
    if (paged) {
      const { limit, marker } = paging(q);
      if (marker !== undefined) {
        const i = hosts.findIndex((h) => String(hypervisorId(req, h)) === marker);
        if (i < 0) throw new InvalidInputError(`marker [${marker.slice(0, 80)}] not found`, { code: 'MARKER_NOT_FOUND' });
        hosts = hosts.slice(i + 1);
      }
      hosts = hosts.slice(0, limit);
    }
  }
  const views = [];
  for (const h of hosts) views.push(hypervisorView(deps, req, h, { detail, servers: withServers ? await servedBy(deps, h.host) : null, withServers }));
  const out: Record<string, unknown> = { hypervisors: views };
  if (paged && pattern === undefined) {
    const next = nextLinks(q, views.length, views.length ? String(views[views.length - 1].id) : undefined, collectionUrl(deps, req, detail ? 'os-hypervisors/detail' : 'os-hypervisors'));
    if (next.length) out.hypervisors_links = next;
  }
  return out;
}

/** A hypervisor by path id: a uuid from 2.53 (else 400), an integer before (else 404). */
async function byId(deps: ApiDeps, req: FastifyRequest): Promise<HostInfo> {
  const { id } = req.params as { id: string };
  const missing = () => new NotFoundError('Hypervisor', id, { hint: `Hypervisor with ID '${id}' could not be found.` });
  if (req.mv.gte('2.53')) {
    if (!isUuidLike(id)) throw new InvalidInputError(`Invalid uuid ${id.slice(0, 80)}`, { code: 'INVALID_UUID' });
  } else if (intOf(id) === null) {
    throw missing();
  }
  const norm = (s: string) => s.replace(/-/g, '').toLowerCase();
  const h = (await allHosts(deps)).find((x) => (req.mv.gte('2.53') ? norm(x.nodeUuid) === norm(id) : x.nodeId === intOf(id)));
  if (!h) throw missing();
  return h;
}

async function uptime(deps: ApiDeps, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const h = await byId(deps, req);
  const line = uptimeOf(h, deps.ctx.clock.now());
  if (line === null) {
    // Nova's answer when the driver cannot tell (NotImplementedError → 501).
    reply.code(501).send({ notImplemented: { code: 501, message: `The ${h.driver} driver of host ${h.host} does not report its uptime.` } });
    return undefined;
  }
  return { hypervisor: { ...hypervisorView(deps, req, h, { detail: false }), uptime: line } };
}

export const hypervisorRoutes: RouteModule = (deps) => [
  { method: 'GET', url: '/os-hypervisors', policy: `${P}:list`, summary: 'List hypervisors.', handler: (req) => list(deps, req, false) },
  { method: 'GET', url: '/os-hypervisors/detail', policy: `${P}:list-detail`, summary: 'List hypervisors with details.', handler: (req) => list(deps, req, true) },
  {
    method: 'GET', url: '/os-hypervisors/statistics', policy: `${P}:statistics`, maxVersion: '2.87', summary: 'Sum of the resources of all hypervisors (until 2.87).',
    handler: async () => ({ hypervisor_statistics: statistics(await allHosts(deps)) }),
  },
  {
    method: 'GET', url: '/os-hypervisors/:id', policy: `${P}:show`, summary: 'Show a hypervisor (with_servers from 2.53).',
    handler: async (req) => {
      const q = checkQuery(req, ['with_servers'], '2.53');
      const raw = req.mv.gte('2.53') ? single(q, 'with_servers') : undefined;
      const withServers = raw !== undefined && parseBool(raw, true, 'with_servers');
      const h = await byId(deps, req);
      return { hypervisor: hypervisorView(deps, req, h, { detail: true, servers: withServers ? await servedBy(deps, h.host) : null, withServers }) };
    },
  },
  { method: 'GET', url: '/os-hypervisors/:id/uptime', policy: `${P}:uptime`, maxVersion: '2.87', summary: 'The uptime of a hypervisor (until 2.87).', handler: (req, reply) => uptime(deps, req, reply) },
  {
    method: 'GET', url: '/os-hypervisors/:pattern/search', policy: `${P}:search`, maxVersion: '2.52', summary: 'Hypervisors whose hostname contains a pattern (until 2.52).',
    handler: async (req) => ({ hypervisors: (await byPattern(deps, (req.params as { pattern: string }).pattern)).map((h) => hypervisorView(deps, req, h, { detail: false })) }),
  },
  {
    method: 'GET', url: '/os-hypervisors/:pattern/servers', policy: `${P}:servers`, maxVersion: '2.52', summary: 'Hypervisors matching a pattern with their servers (until 2.52).',
    handler: async (req) => {
      const out = [];
      for (const h of await byPattern(deps, (req.params as { pattern: string }).pattern)) out.push(hypervisorView(deps, req, h, { detail: false, servers: await servedBy(deps, h.host) }));
      return { hypervisors: out };
    },
  },
];

hypervisorRoutes.rules = Object.fromEntries(['list', 'list-detail', 'statistics', 'show', 'uptime', 'search', 'servers'].map((k) => [`${P}:${k}`, 'rule:admin_api']));
