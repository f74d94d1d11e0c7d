/**
 * Server actions on one host: power (os-start, os-stop, reboot, pause, suspend), lock, rescue,
 * shelve/unshelve, rebuild, and the ones novalite cannot do (snapshots, passwords, crash dumps),
 * which answer with the fault Nova gives when its driver cannot either.
 */
import type { FastifyRequest } from 'fastify';
import { InvalidInputError, isNovaliteError } from '../../errors';
import type { Server } from '../../model/servers';
import type { ApiDeps } from '../types';
import type { ActionDef } from './server-actions';
import { accepted, links, notImplemented, orNotImplemented, scope } from './server-common';
import { decodeUserData } from './server-create';
import { serverView, viewContext } from './server-view';

/** Runs a core call until it has become the server's task (202 then, while the task runs on). */
export const runTask = (deps: ApiDeps, req: FastifyRequest, s: Server, work: () => Promise<unknown>) =>
  accepted(deps, req, work, (t) => t.instanceUuid === s.uuid);

function power(action: string, policy: string, nova501 = false): ActionDef {
  return {
    policy,
    run: async ({ deps, req, reply, s }) => {
      const work = () => runTask(deps, req, s, () => deps.ctx.serverActions.power(s.uuid, s.projectId, action, req.caller.userId));
      if (nova501) await orNotImplemented(reply, work); else await work();
    },
  };
}

/** What no novalite driver can do yet: 501, as Nova answers when its driver has no such operation. */
const cannot = (policy: string, message: string): ActionDef => ({ policy, run: async ({ reply }) => notImplemented(reply, message) });

async function rebuild(deps: ApiDeps, req: FastifyRequest, s: Server, arg: Record<string, any>, reply: import('fastify').FastifyReply): Promise<unknown> {
  const no = (what: string) => { throw new InvalidInputError(`${what} on rebuild is not supported by novalite.`, { code: 'NOT_SUPPORTED' }); };
  if (arg.personality?.length) no('File injection (personality)');
  if (arg.accessIPv4 !== undefined || arg.accessIPv6 !== undefined) no('Setting accessIPv4/accessIPv6');
  if (arg.trusted_image_certificates) no('Trusted image certificate validation');
  if (arg.preserve_ephemeral === true || String(arg.preserve_ephemeral).toLowerCase() === 'true') no('Preserving the ephemeral disk');
  if (req.mv.gte('2.54') && 'key_name' in arg && arg.key_name !== s.keyName) no('Changing the key pair');
  if (req.mv.gte('2.57') && 'user_data' in arg && decodeUserData(arg.user_data) !== (s.userData ?? undefined)) no('Changing the user data');
  try {
    await runTask(deps, req, s, () => deps.ctx.serverRebuilds.rebuild(s.uuid, s.projectId, req.caller.userId, { image: arg.imageRef }));
  } catch (e) {
    if (isNovaliteError(e) && e.category === 'not_found') throw new InvalidInputError('Cannot find image for rebuild', { code: 'IMAGE_NOT_FOUND' });
    if (isNovaliteError(e) && e.code === 'IMAGE_NOT_ACTIVE') throw new InvalidInputError(e.message, { code: e.code });
    throw e;
  }
  const patch = {
    name: arg.name, description: req.mv.gte('2.19') && 'description' in arg ? arg.description ?? null : undefined,
    hostname: req.mv.gte('2.90') ? arg.hostname : undefined,
  };
  let after = patch.name !== undefined || patch.description !== undefined || patch.hostname !== undefined
    ? await deps.ctx.servers.set(s.uuid, scope(req.caller), patch) : await deps.ctx.servers.get(s.uuid, s.projectId);
  if (arg.metadata) {
    await deps.ctx.serverAttributes.updateMetadata(after, arg.metadata, { replace: true, asPartOf: 'rebuild' });
    after = await deps.ctx.servers.get(s.uuid, s.projectId);
  }
  const l = links(deps.baseUrl(req), 'servers', s.uuid);
  reply.header('Location', l[0].href);
  return { server: serverView(after, await viewContext(deps, req, [after], 'rebuild'), 'rebuild') };
}

export const LIFECYCLE_ACTIONS: Record<string, ActionDef> = {
  'os-start': power('start', 'os_compute_api:servers:start'),
  'os-stop': power('stop', 'os_compute_api:servers:stop'),
  reboot: {
    policy: 'os_compute_api:servers:reboot',
    run: async ({ deps, req, s, arg }) => {
      const hard = String(arg.type).toUpperCase() === 'HARD';
      await runTask(deps, req, s, () => deps.ctx.serverActions.power(s.uuid, s.projectId, hard ? 'reboot_hard' : 'reboot', req.caller.userId));
    },
  },
  pause: power('pause', 'os_compute_api:os-pause-server:pause', true),
  unpause: power('unpause', 'os_compute_api:os-pause-server:unpause', true),
  suspend: power('suspend', 'os_compute_api:os-suspend-server:suspend'),
  resume: power('resume', 'os_compute_api:os-suspend-server:resume'),
  lock: {
    policy: 'os_compute_api:os-lock-server:lock',
    run: async ({ deps, req, s, arg }) => {
      const reason = req.mv.gte('2.73') && arg ? arg.locked_reason : undefined;
      await deps.ctx.serverActions.lock(s.uuid, s.projectId, req.caller.userId, reason, req.caller.projectId === s.projectId ? 'owner' : 'admin');
    },
  },
  unlock: {
    policy: 'os_compute_api:os-lock-server:unlock',
    run: async ({ deps, req, s }) => {
      // Nova's is_expected_locked_by: a lock by the other side (owner vs admin) needs unlock_override.
      const expected = req.caller.projectId === s.projectId ? 'owner' : 'admin';
      if (s.locked && s.lockedBy !== expected) deps.policy.enforce('os_compute_api:os-lock-server:unlock:unlock_override', req.caller, { projectId: s.projectId });
      await deps.ctx.serverActions.unlock(s.uuid, s.projectId, req.caller.userId);
    },
  },
  rescue: {
    policy: 'os_compute_api:os-rescue', status: 200,
    run: async ({ deps, req, reply, s, arg }) => {
      const image = arg?.rescue_image_ref;
      const done = await orNotImplemented(reply, () => runTask(deps, req, s, () => deps.ctx.serverRebuilds.rescue(s.uuid, s.projectId, req.caller.userId, { image })))
        .catch((e) => { throw isNovaliteError(e) && e.category === 'not_found' ? new InvalidInputError(e.message, { code: e.code }) : e; });
      // No adminPass: no novalite driver can set a guest password (Nova with enable_instance_password off).
      return done === undefined ? undefined : {};
    },
  },
  unrescue: {
    policy: 'os_compute_api:os-unrescue',
    run: async ({ deps, req, reply, s }) => { await orNotImplemented(reply, () => runTask(deps, req, s, () => deps.ctx.serverRebuilds.unrescue(s.uuid, s.projectId, req.caller.userId))); },
  },
  shelve: {
    policy: 'os_compute_api:os-shelve:shelve',
    run: async ({ deps, req, s }) => { await runTask(deps, req, s, () => deps.ctx.serverRebuilds.shelve(s.uuid, s.projectId, req.caller.userId)); },
  },
  shelveOffload: {
    policy: 'os_compute_api:os-shelve:shelve_offload',
    run: async ({ deps, req, s }) => { await runTask(deps, req, s, () => deps.ctx.serverRebuilds.shelveOffload(s.uuid, s.projectId, req.caller.userId)); },
  },
  unshelve: {
    policy: (arg, req) => (req.mv.gte('2.91') && arg?.host !== undefined ? 'os_compute_api:os-shelve:unshelve_to_host' : 'os_compute_api:os-shelve:unshelve'),
    run: async ({ deps, req, s, arg }) => {
      const az = req.mv.gte('2.77') && arg && typeof arg.availability_zone === 'string' ? arg.availability_zone : undefined;
      const host = req.mv.gte('2.91') && arg ? arg.host : undefined;
      await runTask(deps, req, s, () => deps.ctx.serverRebuilds.unshelve(s.uuid, s.projectId, req.caller.userId, { availabilityZone: az, host }));
    },
  },
  rebuild: {
    policy: (arg) => (arg?.trusted_image_certificates ? 'os_compute_api:servers:rebuild:trusted_certs' : 'os_compute_api:servers:rebuild'),
    run: ({ deps, req, reply, s, arg }) => rebuild(deps, req, s, arg, reply),
  },
  createImage: cannot('os_compute_api:servers:create_image', 'Creating an image from a server is not supported: no novalite driver can snapshot a server yet.'),
  createBackup: cannot('os_compute_api:os-create-backup', 'Backups are not supported: no novalite driver can snapshot a server yet.'),
  changePassword: cannot('os_compute_api:os-admin-password', 'Setting the admin password is not supported: it needs a guest agent, and novalite has none.'),
  trigger_crash_dump: {
    policy: 'os_compute_api:servers:trigger_crash_dump',
    run: async () => { throw new InvalidInputError('Triggering a crash dump is not supported by the novalite drivers.', { code: 'NOT_SUPPORTED' }); },
  },
};
