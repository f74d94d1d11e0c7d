/**
 * Server actions for state repair and deletion, the console log, and the pre-2.6 console
 * actions: os-resetState (admin), os-getConsoleOutput, forceDelete and restore (soft delete),
 * os-get*Console (no console proxy: Nova's "unavailable console type").
 */
import { ConflictError, InvalidInputError } from '../../errors';
import type { ActionDef } from './server-actions';
import { runTask } from './server-actions-lifecycle';
import { orNotImplemented } from './server-common';

const consoleAction = (type: string): ActionDef => ({
  policy: 'os_compute_api:os-remote-consoles',
  run: async ({ arg }) => {
    throw new InvalidInputError(`Unavailable console type ${arg?.type ?? type}.`, { code: 'CONSOLE_TYPE_UNAVAILABLE', hint: 'novalite runs no console proxy; use os-getConsoleOutput for the serial log.' });
  },
});

export const ADMIN_ACTIONS: Record<string, ActionDef> = {
  'os-resetState': {
    policy: 'os_compute_api:os-admin-actions:reset_state',
    run: async ({ deps, s, arg }) => { await deps.ctx.serverRebuilds.resetState(s.uuid, s.projectId, { active: arg.state === 'active' }); },
  },
  injectNetworkInfo: {
    // Nova's libvirt driver does nothing here either: guests take their network from DHCP or the config drive.
    policy: 'os_compute_api:os-admin-actions:inject_network_info',
    run: async ({ s }) => {
      if (s.locked) throw new ConflictError(`Instance ${s.uuid} is locked.`, { code: 'SERVER_LOCKED' });
    },
  },
  'os-getConsoleOutput': {
    policy: 'os_compute_api:os-console-output', status: 200,
    run: async ({ deps, reply, s, arg }) => {
      const raw = arg.length;
      const length = raw === undefined || raw === null ? -1 : Number(raw);
      if (length === 0) return { output: '' };
      const text = await orNotImplemented(reply, () => deps.ctx.serverActions.consoleLog(s.uuid, s.projectId, length < 0 ? undefined : length));
      if (text === undefined) return undefined;
      // eslint-disable-next-line no-control-regex
      return { output: text.replace(/[\x00-\x08\x0B-\x1F]/g, '') };
    },
  },
  forceDelete: {
    policy: 'os_compute_api:os-deferred-delete:force',
    run: async ({ deps, req, s }) => { await runTask(deps, req, s, () => deps.ctx.servers.delete(s.uuid, s.projectId, { force: true, userId: req.caller.userId })); },
  },
  restore: {
    policy: 'os_compute_api:os-deferred-delete:restore',
    run: async ({ deps, req, s }) => { await runTask(deps, req, s, () => deps.ctx.serverRebuilds.restore(s.uuid, s.projectId, req.caller.userId)); },
  },
  'os-getVNCConsole': consoleAction('novnc'),
  'os-getSPICEConsole': consoleAction('spice-html5'),
  'os-getSerialConsole': consoleAction('serial'),
  'os-getRDPConsole': consoleAction('rdp-html5'),
};
