/**
 * The embedded Keystone v3 subset under /identity: version documents (`/identity` answers 300
 * with the v3 document, `/identity/v3` 200), tokens, and read-only users, projects and roles.
 * No microversion headers here: these are not compute routes.
 */
import type { FastifyRequest } from 'fastify';
import type { ApiDeps, RouteDef, RouteModule } from '../types';
import { TOKEN_RULES, tokenRoutes } from './tokens';
import { USER_RULES, userRoutes } from './users';

export function v3Document(base: string): Record<string, unknown> {
  return {
    id: 'v3.14', status: 'stable', updated: '2020-04-07T00:00:00Z',
    links: [{ rel: 'self', href: `${base}/identity/v3/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  };
}

function versionRoutes(deps: ApiDeps): RouteDef[] {
  const doc = (req: FastifyRequest) => v3Document(deps.baseUrl(req));
  return [
    { method: 'GET', url: '/', policy: null, status: 300, summary: 'List the Identity API versions (v3 only).', handler: async (req) => ({ versions: { values: [doc(req)] } }) },
    { method: 'GET', url: '/v3', policy: null, summary: 'Show the Identity v3 version document.', handler: async (req) => ({ version: doc(req) }) },
  ];
}

export const identityRoutes: RouteModule = Object.assign(
  (deps: ApiDeps): RouteDef[] => [...versionRoutes(deps), ...tokenRoutes(deps), ...userRoutes(deps)],
  { rules: { ...TOKEN_RULES, ...USER_RULES } },
);
