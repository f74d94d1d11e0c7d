/**
 * os-quota-class-sets: a quota class's limits (the class `default` is what every project starts
 * from). Admin only. Server group keys appear at 2.50, when the network keys go; the injected
 * file keys go at 2.57. The update answer carries no id, as Nova's.
 */
import type { FastifyRequest } from 'fastify';
import { InvalidInputError } from '../../errors';
import type { ApiDeps, RouteDef } from '../types';
import { checkQuery } from './limit-query';
import { ALL_KEYS, pick, QUOTA_CLASS_UPDATE, quotaClassKeys, quotaValues, withLegacy } from './quota-keys';

const P = 'os_compute_api:os-quota-class-sets';

export const QUOTA_CLASS_RULES: Record<string, string> = {
  [`${P}:show`]: 'rule:admin_api',
  [`${P}:update`]: 'rule:admin_api',
};

export const quotaClassRoutes = (deps: ApiDeps): RouteDef[] => [
  {
    method: 'GET', url: '/os-quota-class-sets/:id', policy: `${P}:show`, summary: 'Show the limits of a quota class.',
    handler: async (req: FastifyRequest) => {
      checkQuery(req, [], null);
      const { id } = req.params as { id: string };
      return { quota_class_set: { id, ...pick(withLegacy(await deps.ctx.quotas.classLimits(id)), quotaClassKeys(req.mv)) } };
    },
  },
  {
    method: 'PUT', url: '/os-quota-class-sets/:id', policy: `${P}:update`, body: QUOTA_CLASS_UPDATE,
    summary: 'Update the limits of a quota class (the class default changes the defaults of every project).',
    handler: async (req: FastifyRequest) => {
      const { id } = req.params as { id: string };
      if (id.length < 1 || id.length > 255) throw new InvalidInputError('quota_class_name has to be between 1 and 255 characters long.');
      const values = quotaValues((req.body as { quota_class_set: Record<string, unknown> }).quota_class_set);
      if (Object.keys(values).length) await deps.ctx.quotas.set({ className: id }, values, ALL_KEYS);
      return { quota_class_set: pick(withLegacy(await deps.ctx.quotas.classLimits(id)), quotaClassKeys(req.mv)) };
    },
  },
];
