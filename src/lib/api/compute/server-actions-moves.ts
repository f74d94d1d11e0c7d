/**
 * Server actions that move a server: resize (confirm, revert), cold and live migration and
 * evacuation, with Nova's per-microversion options (2.25 block_migration "auto", 2.30–2.67
 * force, 2.56 migrate host) and its status codes (confirmResize 204, evacuate 200).
 */
import { InvalidInputError, isNovaliteError, NotFoundError } from '../../errors';
import type { ActionDef } from './server-actions';
import { runTask } from './server-actions-lifecycle';

const MS = 'os_compute_api:os-migrate-server';
const isTrue = (v: unknown) => v === true || (typeof v === 'string' && ['true', '1', 'on', 'yes'].includes(v.toLowerCase()));

/** Nova answers a flavor that does not exist, in a resize, with 400. */
function flavorAsBadRequest(e: unknown): unknown {
  return isNovaliteError(e) && e.code === 'FLAVOR_NOT_FOUND' ? new InvalidInputError(e.message, { code: e.code }) : e;
}

export const MOVE_ACTIONS: Record<string, ActionDef> = {
  resize: {
    policy: 'os_compute_api:servers:resize',
    run: async ({ deps, req, s, arg }) => {
      const flavor = String(arg.flavorRef).replace(/\/+$/, '').split('/').pop()!;
      await runTask(deps, req, s, () => deps.ctx.serverMoves.resize(s.uuid, s.projectId, flavor, req.caller.userId)).catch((e) => { throw flavorAsBadRequest(e); });
    },
  },
  confirmResize: {
    policy: 'os_compute_api:servers:confirm_resize', status: 204,
    run: async ({ deps, req, s }) => { await runTask(deps, req, s, () => deps.ctx.serverMoves.confirmResize(s.uuid, s.projectId, req.caller.userId)); },
  },
  revertResize: {
    policy: 'os_compute_api:servers:revert_resize',
    run: async ({ deps, req, s }) => { await runTask(deps, req, s, () => deps.ctx.serverMoves.revertResize(s.uuid, s.projectId, req.caller.userId)); },
  },
  migrate: {
    policy: (arg, req) => (req.mv.gte('2.56') && arg?.host ? `${MS}:migrate:host` : `${MS}:migrate`),
    run: async ({ deps, req, s, arg }) => {
      const host = req.mv.gte('2.56') && arg?.host ? String(arg.host) : undefined;
      await runTask(deps, req, s, () => deps.ctx.serverMoves.migrate(s.uuid, s.projectId, { host }, req.caller.userId));
    },
  },
  'os-migrateLive': {
    policy: (arg) => (arg?.host ? `${MS}:migrate_live:host` : `${MS}:migrate_live`),
    run: async ({ deps, req, s, arg }) => {
      const host = arg.host ? String(arg.host) : undefined;
      // force (2.30–2.67) skips Nova's scheduler check of the host; novalite always checks it, which only refuses more.
      if (req.mv.within('2.30', '2.67') && isTrue(arg.force) && !host) throw new InvalidInputError("Can't force to a non-provided destination");
      try {
        await runTask(deps, req, s, () => deps.ctx.serverMoves.liveMigrate(s.uuid, s.projectId, { host }, req.caller.userId));
      } catch (e) {
        // Nova: an unknown destination, or no host that can take the server, is a 400.
        if (isNovaliteError(e) && (e.code === 'HOST_NOT_FOUND' || e.category === 'no_valid_host')) throw new InvalidInputError(e.message, { code: e.code });
        throw e;
      }
    },
  },
  evacuate: {
    policy: 'os_compute_api:os-evacuate', status: 200,
    run: async ({ deps, req, s, arg }) => {
      const host = arg.host !== undefined ? String(arg.host) : undefined;
      if (req.mv.within('2.29', '2.67') && isTrue(arg.force) && !host) throw new InvalidInputError("Can't force to a non-provided destination");
      if (host !== undefined && !(await deps.ctx.hosts.find(host))) throw new NotFoundError('Compute host', host);
      if (host !== undefined && host === s.host) throw new InvalidInputError("The target host can't be the same one.");
      try {
        await runTask(deps, req, s, () => deps.ctx.serverMoves.evacuate(s.uuid, s.projectId, { host }, req.caller.userId));
      } catch (e) {
        if (isNovaliteError(e) && e.code === 'COMPUTE_SERVICE_IN_USE') throw new InvalidInputError(e.message, { code: e.code, hint: e.hint });
        throw e;
      }
      // No adminPass before 2.14: no novalite driver can set a guest password.
    },
  },
};
