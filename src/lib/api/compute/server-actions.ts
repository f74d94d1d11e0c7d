/**
 * POST /servers/{id}/action: every server action. The body names the action (one key, as Nova's
 * action_peek wants); the action's own schema for the request's microversion validates it (an
 * action outside its microversion range is a 404, an unknown one a 400), then the action's
 * policy is checked against the server's project and its handler runs.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidInputError, NotFoundError } from '../../errors';
import type { Server } from '../../model/servers';
import type { ApiDeps, RouteModule } from '../types';
import { schemaFor, validateBody } from '../validation';
import { loadServer } from './server-common';
import { ACTION_SCHEMAS } from './server-schemas';
import { ADMIN_ACTIONS } from './server-actions-admin';
import { LIFECYCLE_ACTIONS } from './server-actions-lifecycle';
import { MOVE_ACTIONS } from './server-actions-moves';

/** One action: its policy (which may depend on the body), its success status, and what it does. */
export interface ActionDef {
  policy: string | ((arg: any, req: FastifyRequest) => string);
  status?: number;
  /** Look the server up including deleted ones (none do today; kept for symmetry with Nova). */
  run(a: { deps: ApiDeps; req: FastifyRequest; reply: FastifyReply; s: Server; arg: any }): Promise<unknown>;
}

export const ACTIONS: Record<string, ActionDef> = { ...LIFECYCLE_ACTIONS, ...MOVE_ACTIONS, ...ADMIN_ACTIONS };

/** Policies the route checks itself per action; the route's own rule only asks for a valid caller. */
export const ACTION_ROUTE_RULE = 'compute:servers:action';

function actionOf(body: unknown): string {
  const keys = body && typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : [];
  if (keys.length !== 1) throw new InvalidInputError('Malformed request body: an action body has exactly one key, the action.', { code: 'MALFORMED_BODY' });
  return keys[0];
}

async function dispatch(deps: ApiDeps, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const name = actionOf(req.body);
  const def = ACTIONS[name];
  const schemas = ACTION_SCHEMAS[name];
  if (!def || !schemas) throw new InvalidInputError(`There is no such action: ${name}`, { code: 'NO_SUCH_ACTION' });
  if (!schemaFor(schemas, req.mv)) throw new NotFoundError('Action', name, { hint: `Not available at microversion ${req.mv}.` });
  validateBody(schemas, req.mv, req.body);
  const arg = (req.body as Record<string, unknown>)[name];
  const policy = typeof def.policy === 'function' ? def.policy(arg, req) : def.policy;
  const s = await loadServer(deps, req, (req.params as { id: string }).id, policy);
  return def.run({ deps, req, reply, s, arg });
}

function statusOf(req: FastifyRequest): number {
  try {
    return ACTIONS[actionOf(req.body)]?.status ?? 202;
  } catch {
    return 202;
  }
}

export const serverActionRoutes: RouteModule = (deps) => [
  {
    method: 'POST', url: '/servers/:id/action', policy: ACTION_ROUTE_RULE, summary: 'Run a server action (reboot, resize, migrate, …)',
    body: [{ schema: { type: 'object' } }], status: statusOf, handler: (req, reply) => dispatch(deps, req, reply),
  },
];

serverActionRoutes.rules = {
  [ACTION_ROUTE_RULE]: '@',
  'os_compute_api:servers:start': 'rule:admin_or_member',
  'os_compute_api:servers:stop': 'rule:admin_or_member',
  'os_compute_api:servers:reboot': 'rule:admin_or_member',
  'os_compute_api:servers:resize': 'rule:admin_or_member',
  'os_compute_api:servers:confirm_resize': 'rule:admin_or_member',
  'os_compute_api:servers:revert_resize': 'rule:admin_or_member',
  'os_compute_api:servers:rebuild': 'rule:admin_or_member',
  'os_compute_api:servers:rebuild:trusted_certs': 'rule:admin_or_member',
  'os_compute_api:servers:create_image': 'rule:admin_or_member',
  'os_compute_api:servers:create_image:allow_volume_backed': 'rule:admin_or_member',
  'os_compute_api:servers:trigger_crash_dump': 'rule:admin_or_member',
  'os_compute_api:os-pause-server:pause': 'rule:admin_or_member',
  'os_compute_api:os-pause-server:unpause': 'rule:admin_or_member',
  'os_compute_api:os-suspend-server:suspend': 'rule:admin_or_member',
  'os_compute_api:os-suspend-server:resume': 'rule:admin_or_member',
  'os_compute_api:os-lock-server:lock': 'rule:admin_or_member',
  'os_compute_api:os-lock-server:unlock': 'rule:admin_or_member',
  'os_compute_api:os-lock-server:unlock:unlock_override': 'rule:admin_api',
  'os_compute_api:os-rescue': 'rule:admin_or_member',
  'os_compute_api:os-unrescue': 'rule:admin_or_member',
  'os_compute_api:os-migrate-server:migrate': 'rule:admin_api',
  'os_compute_api:os-migrate-server:migrate:host': 'rule:admin_api',
  'os_compute_api:os-migrate-server:migrate_live': 'rule:admin_api',
  'os_compute_api:os-migrate-server:migrate_live:host': 'rule:admin_api',
  'os_compute_api:os-evacuate': 'rule:admin_api',
  'os_compute_api:os-shelve:shelve': 'rule:admin_or_member',
  'os_compute_api:os-shelve:unshelve': 'rule:admin_or_member',
  'os_compute_api:os-shelve:unshelve_to_host': 'rule:admin_api',
  'os_compute_api:os-shelve:shelve_offload': 'rule:admin_api',
  'os_compute_api:os-admin-actions:reset_state': 'rule:admin_api',
  'os_compute_api:os-admin-actions:inject_network_info': 'rule:admin_api',
  'os_compute_api:os-admin-password': 'rule:admin_or_member',
  'os_compute_api:os-console-output': 'rule:admin_or_member',
  'os_compute_api:os-deferred-delete:restore': 'rule:admin_or_member',
  'os_compute_api:os-deferred-delete:force': 'rule:admin_or_member',
  'os_compute_api:os-create-backup': 'rule:admin_or_member',
  'os_compute_api:os-remote-consoles': 'rule:admin_or_member',
};
