/**
 * os-server-groups: `policies: [one]` with empty `metadata` until 2.63 (soft policies from
 * 2.15), one `policy` with `rules` (max_server_per_host for anti-affinity) from 2.64,
 * project_id/user_id from 2.13. A project lists its own groups (admins all with all_projects),
 * limit/offset paging; show and delete check policy against the group's project (403 for
 * another project's group, as Nova does). Create answers 200, delete 204.
 */
import type { FastifyRequest } from 'fastify';
import { InvalidInputError, NotFoundError } from '../../errors';
import type { ServerGroup } from '../../model/compute';
import type { ApiDeps, RouteModule, VersionedSchema } from '../types';
import { inner, NAME, POSITIVE_INT } from './flavor-params';
import { checkQuery, MAX_LIMIT, single, type Query } from './limit-query';

const P = 'os_compute_api:os-server-groups';

const body = (props: Record<string, unknown>, required: string[]) => ({
  type: 'object', required: ['server_group'], additionalProperties: false,
  properties: { server_group: { type: 'object', properties: { name: NAME, ...props }, required: ['name', ...required], additionalProperties: false } },
});
const policies = (names: string[]) => ({ type: 'array', items: [{ type: 'string', enum: names }], minItems: 1, maxItems: 1, additionalItems: false, uniqueItems: true });
const HARD = ['anti-affinity', 'affinity'];
const ALL = [...HARD, 'soft-anti-affinity', 'soft-affinity'];
export const SERVER_GROUP_CREATE: VersionedSchema[] = [
  { max: '2.14', schema: body({ policies: policies(HARD) }, ['policies']) },
  { min: '2.15', max: '2.63', schema: body({ policies: policies(ALL) }, ['policies']) },
  {
    min: '2.64',
    schema: body({
      policy: { type: 'string', enum: ALL },
      rules: { type: 'object', properties: { max_server_per_host: POSITIVE_INT }, additionalProperties: false },
    }, ['policy']),
  },
];

export function serverGroupView(req: FastifyRequest, g: ServerGroup): Record<string, unknown> {
  const out: Record<string, unknown> = { id: g.uuid, name: g.name };
  if (req.mv.gte('2.64')) {
    out.policy = g.policy;
    out.rules = { ...g.rules };
  } else {
    out.policies = [g.policy];
    out.metadata = {};
  }
  out.members = [...g.members];
  if (req.mv.gte('2.13')) {
    out.project_id = g.projectId;
    out.user_id = g.userId;
  }
  return out;
}

/** A group by uuid (any project), its rule checked against the group's project. */
async function loadGroup(deps: ApiDeps, req: FastifyRequest, rule: string): Promise<ServerGroup> {
  const { id } = req.params as { id: string };
  const g = await deps.ctx.serverGroups.get(id).catch((e) => { if (e instanceof NotFoundError) return null; throw e; });
  if (!g || g.uuid !== id) throw new NotFoundError('Server group', id);
  deps.policy.enforce(rule, req.caller, { projectId: g.projectId });
  return g;
}

/** Nova's common.limited: offset and limit (0 or absent → the maximum). */
function limited<T>(items: T[], q: Query): T[] {
  const int = (key: string) => {
    const v = single(q, key);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new InvalidInputError(`${key} must be an integer greater than or equal to 0.`, { code: 'INVALID_QUERY' });
    return Number(v);
  };
  const offset = int('offset') ?? 0;
  const limit = Math.min(MAX_LIMIT, int('limit') || MAX_LIMIT);
  return items.slice(offset, offset + limit);
}

export const serverGroupRoutes: RouteModule = (deps) => [
  {
    method: 'GET', url: '/os-server-groups', policy: `${P}:index`, summary: "List the project's server groups (all_projects for admins; limit/offset).",
    handler: async (req) => {
      const q = checkQuery(req, ['all_projects', 'limit', 'offset'], '2.75');
      let all = false;
      if ('all_projects' in q && req.caller.isAdmin) {
        deps.policy.enforce(`${P}:index:all_projects`, req.caller, {});
        all = true;
      }
      const groups = await deps.ctx.serverGroups.list(all ? undefined : req.caller.projectId);
      return { server_groups: limited(groups, q).map((g) => serverGroupView(req, g)) };
    },
  },
  {
    method: 'GET', url: '/os-server-groups/:id', policy: `${P}:show`, summary: 'Show a server group.',
    handler: async (req) => ({ server_group: serverGroupView(req, await loadGroup(deps, req, `${P}:show`)) }),
  },
  {
    method: 'POST', url: '/os-server-groups', policy: `${P}:create`, body: SERVER_GROUP_CREATE, summary: 'Create a server group in the caller\'s project.',
    handler: async (req) => {
      const b = inner<{ name: string; policies?: string[]; policy?: string; rules?: { max_server_per_host?: number | string } }>(req, 'server_group');
      const policy = req.mv.gte('2.64') ? b.policy! : b.policies![0];
      const rules: Record<string, string> = {};
      if (b.rules?.max_server_per_host !== undefined) rules.max_server_per_host = String(Number(b.rules.max_server_per_host));
      if (policy !== 'anti-affinity' && Object.keys(rules).length) throw new InvalidInputError('Only anti-affinity policy supports rules.', { code: 'INVALID_RULES' });
      const g = await deps.ctx.serverGroups.create(b.name, policy, rules, { projectId: req.caller.projectId, userId: req.caller.userId });
      return { server_group: serverGroupView(req, g) };
    },
  },
  {
    method: 'DELETE', url: '/os-server-groups/:id', policy: `${P}:delete`, status: 204, summary: 'Delete a server group.',
    handler: async (req) => {
      const g = await loadGroup(deps, req, `${P}:delete`);
      await deps.ctx.serverGroups.delete(g.uuid);
      return undefined;
    },
  },
];

serverGroupRoutes.rules = {
  [`${P}:create`]: 'rule:admin_or_member',
  [`${P}:delete`]: 'rule:admin_or_member',
  [`${P}:index`]: 'rule:admin_or_reader',
  [`${P}:index:all_projects`]: 'rule:admin_api',
  [`${P}:show`]: 'rule:admin_or_reader',
};
