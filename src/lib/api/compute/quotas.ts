/**
 * os-quota-sets (a project's or one of its users' limits, with usage in /detail, the defaults,
 * update and reset) and, from quota-classes.ts, os-quota-class-sets. Keys per microversion as
 * Nova shows them (quota-keys.ts); a project id that names no project is a 400, as Nova's
 * Keystone check makes it; from 2.75 unknown query parameters are refused.
 */
import type { FastifyRequest } from 'fastify';
import { InvalidInputError, isNovaliteError } from '../../errors';
import type { Context } from '../../context';
import type { ApiDeps, RouteModule } from '../types';
import { checkQuery, first } from './limit-query';
import { quotaClassRoutes, QUOTA_CLASS_RULES } from './quota-classes';
import { ALL_KEYS, pick, QUOTA_SET_UPDATE, quotaSetKeys, quotaValues, truthy, withLegacy } from './quota-keys';

const P = 'os_compute_api:os-quota-sets';

/** The project a path names (by id, or name for convenience); 400 when there is none. */
export async function pathProject(ctx: Context, id: string): Promise<string> {
  try {
    return (await ctx.projects.get(id)).id;
  } catch (e) {
    if (isNovaliteError(e) && e.category === 'not_found') throw new InvalidInputError(`Project ID ${id} is not a valid project.`, { code: 'INVALID_PROJECT' });
    throw e;
  }
}

/** Reads the path's project and `user_id`, and checks `rule` against that project. */
async function scope(deps: ApiDeps, req: FastifyRequest, rule: string): Promise<{ id: string; projectId: string; userId?: string }> {
  const q = checkQuery(req, ['user_id'], '2.75');
  const { id } = req.params as { id: string };
  const projectId = await pathProject(deps.ctx, id);
  deps.policy.enforce(rule, req.caller, { projectId });
  const userId = first(q, 'user_id') || undefined;
  return { id, projectId, userId };
}

export const quotaSetRoutes = (deps: ApiDeps) => [
  {
    method: 'GET' as const, url: '/os-quota-sets/:id', policy: `${P}:show`, summary: 'Show the quota limits of a project (or of one of its users with ?user_id).',
    handler: async (req: FastifyRequest) => {
      const s = await scope(deps, req, `${P}:show`);
      const limits = withLegacy(await deps.ctx.quotas.limits(s.projectId, s.userId));
      return { quota_set: { id: s.id, ...pick(limits, quotaSetKeys(req.mv)) } };
    },
  },
  {
    method: 'GET' as const, url: '/os-quota-sets/:id/detail', policy: `${P}:detail`, summary: 'Show the quota limits of a project with in_use and reserved per resource.',
    handler: async (req: FastifyRequest) => {
      const s = await scope(deps, req, `${P}:detail`);
      const view = await deps.ctx.quotas.show(s.projectId, s.userId);
      const limits = withLegacy(view.limits);
      const detail = Object.fromEntries(quotaSetKeys(req.mv).map((k) => [k, { limit: limits[k], in_use: view.in_use[k] ?? 0, reserved: 0 }]));
      return { quota_set: { id: s.id, ...detail } };
    },
  },
  {
    method: 'GET' as const, url: '/os-quota-sets/:id/defaults', policy: `${P}:defaults`, summary: 'Show the default quotas a project starts from.',
    handler: async (req: FastifyRequest) => {
      // The defaults are the same for every project: an unknown id is not checked (OSC sends "None" without a scoped token).
      const { id } = req.params as { id: string };
      return { quota_set: { id, ...pick(withLegacy(await deps.ctx.quotas.defaults()), quotaSetKeys(req.mv)) } };
    },
  },
  {
    method: 'PUT' as const, url: '/os-quota-sets/:id', policy: `${P}:update`, body: QUOTA_SET_UPDATE,
    summary: 'Update the quota limits of a project or user; without force a limit below what is in use is refused.',
    handler: async (req: FastifyRequest) => {
      const s = await scope(deps, req, `${P}:update`);
      const body = (req.body as { quota_set: Record<string, unknown> }).quota_set;
      const values = quotaValues(body);
      if (!truthy(body.force)) await checkSettable(deps.ctx, s.projectId, s.userId, values);
      if (Object.keys(values).length) await deps.ctx.quotas.set({ projectId: s.projectId, userId: s.userId }, values, ALL_KEYS);
      return { quota_set: pick(withLegacy(await deps.ctx.quotas.limits(s.projectId, s.userId)), quotaSetKeys(req.mv)) };
    },
  },
  {
    method: 'DELETE' as const, url: '/os-quota-sets/:id', policy: `${P}:delete`, status: 202, summary: 'Reset the quotas of a project (and its users), or of one user, to the defaults.',
    handler: async (req: FastifyRequest) => {
      const s = await scope(deps, req, `${P}:delete`);
      await deps.ctx.quotas.reset({ projectId: s.projectId, userId: s.userId });
      return undefined;
    },
  },
];

/**
 * Nova's settable range: at least what is in use (by the project, or by the user), and a user's
 * limit at most the project's. -1 (unlimited) is above everything.
 */
async function checkSettable(ctx: Context, projectId: string, userId: string | undefined, values: Record<string, number>): Promise<void> {
  const inf = (v: number) => (v === -1 ? Infinity : v);
  const view = await ctx.quotas.show(projectId, userId);
  const project = userId ? withLegacy(await ctx.quotas.limits(projectId)) : null;
  for (const [k, v] of Object.entries(values)) {
    const min = view.in_use[k] ?? 0;
    if (inf(v) < min) throw new InvalidInputError(`Quota limit ${v} for ${k} must be greater than or equal to already used and reserved ${min}.`, { code: 'QUOTA_BELOW_USAGE' });
    if (project && inf(v) > inf(project[k])) throw new InvalidInputError(`Quota limit ${v} for ${k} must be less than or equal to ${project[k]}.`, { code: 'QUOTA_ABOVE_PROJECT' });
  }
}

export const quotaRoutes: RouteModule = (deps) => [...quotaSetRoutes(deps), ...quotaClassRoutes(deps)];
quotaRoutes.rules = {
  [`${P}:show`]: 'rule:admin_or_reader',
  [`${P}:detail`]: 'rule:admin_or_reader',
  [`${P}:defaults`]: '@',
  [`${P}:update`]: 'rule:admin_api',
  [`${P}:delete`]: 'rule:admin_api',
  ...QUOTA_CLASS_RULES,
};
