/**
 * os-simple-tenant-usage: hours and vCPU/RAM/disk-hours per project over a window (start, end;
 * default now; end capped at now), for every project (admin) or one (its readers). `detailed=1`
 * lists each server in the index; the show always does. 2.40 pages by server with limit/marker
 * and `tenant_usage(s)_links`; 2.75 refuses unknown query parameters.
 */
import type { FastifyRequest } from 'fastify';
import { InvalidInputError } from '../../errors';
import { UsageService, type UsageQuery } from '../../services/usage';
import type { ApiDeps, RouteModule } from '../types';
import { checkQuery, first, nextLinks, paging, type Query } from './limit-query';

const P = 'os_compute_api:os-simple-tenant-usage';

/** Nova's accepted formats (naive, UTC): %Y-%m-%dT%H:%M:%S, with .%f, or with a space and .%f. */
function parseTime(text: string | undefined, now: Date): Date {
  if (!text) return now;
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}:\d{2})(\.\d{1,6})?| (\d{2}:\d{2}:\d{2})(\.\d{1,6}))$/.exec(text);
  const d = m ? new Date(`${m[1]}T${m[2] ?? m[4]}${(m[3] ?? m[5] ?? '').slice(0, 4)}Z`) : null;
  if (!d || Number.isNaN(d.getTime())) throw new InvalidInputError(`Invalid datetime string: Datetime is in invalid format (${text.slice(0, 40)}).`, { code: 'INVALID_TIME' });
  return d;
}

function window(deps: ApiDeps, req: FastifyRequest, q: Query, detailed: boolean): UsageQuery {
  const now = deps.ctx.clock.now();
  const start = parseTime(first(q, 'start'), now);
  let stop = parseTime(first(q, 'end'), now);
  // Both default to now, read one after the other in Nova: only an explicit empty window is refused.
  if (start > stop || (first(q, 'start') && first(q, 'end') && start >= stop)) throw new InvalidInputError('Invalid start time. The start time cannot occur after the end time.');
  if (stop > now) stop = now;
  const page = req.mv.gte('2.40') ? paging(q) : { limit: undefined, marker: undefined };
  return { start, stop, detailed, limit: page.limit, marker: page.marker };
}

const params = (req: FastifyRequest, index: boolean) => [...['start', 'end'], ...(index ? ['detailed'] : []), ...(req.mv.gte('2.40') ? ['limit', 'marker'] : [])];

export const usageRoutes: RouteModule = (deps) => {
  const service = () => new UsageService(deps.ctx.servers, deps.ctx.clock);
  return [
    {
      method: 'GET', url: '/os-simple-tenant-usage', policy: `${P}:list`, summary: 'Usage (server hours, vCPU, RAM and disk hours) of every project over a time window.',
      handler: async (req) => {
        const q = checkQuery(req, params(req, true), '2.75');
        const r = await service().report(window(deps, req, q, first(q, 'detailed') === '1'));
        if (!req.mv.gte('2.40')) return { tenant_usages: r.tenants };
        const links = nextLinks(q, r.servers.length, r.servers[r.servers.length - 1]?.instance_id, `${deps.baseUrl(req)}/v2.1/os-simple-tenant-usage`);
        return { tenant_usages: r.tenants, ...(links.length ? { tenant_usages_links: links } : {}) };
      },
    },
    {
      method: 'GET', url: '/os-simple-tenant-usage/:tenant_id', policy: `${P}:show`, summary: 'Usage of one project over a time window, server by server.',
      handler: async (req) => {
        const { tenant_id: tenant } = req.params as { tenant_id: string };
        deps.policy.enforce(`${P}:show`, req.caller, { projectId: tenant });
        const q = checkQuery(req, params(req, false), '2.75');
        const r = await service().report({ ...window(deps, req, q, true), projectId: tenant });
        const usage = r.tenants[0] ?? {};
        if (!req.mv.gte('2.40')) return { tenant_usage: usage };
        const links = nextLinks(q, r.servers.length, r.servers[r.servers.length - 1]?.instance_id, `${deps.baseUrl(req)}/v2.1/os-simple-tenant-usage/${encodeURIComponent(tenant)}`);
        return { tenant_usage: usage, ...(links.length ? { tenant_usage_links: links } : {}) };
      },
    },
  ];
};
usageRoutes.rules = { [`${P}:list`]: 'rule:admin_api', [`${P}:show`]: 'rule:admin_or_reader' };
