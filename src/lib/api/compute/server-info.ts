/**
 * Read-only views of a server: /ips (+ /{network}), /diagnostics (admin; the 2.48 standard
 * shape, or the driver's free-form one before), and /remote-consoles (2.6), which novalite
 * cannot offer: no console proxy runs, so every console type is unavailable (400, as Nova says
 * for a console type that is not enabled).
 */
import type { FastifyRequest } from 'fastify';
import { ConflictError, InvalidInputError, NotFoundError } from '../../errors';
import type { Server } from '../../model/servers';
import { addressesOf } from '../../views/servers';
import type { ApiDeps, RouteDef } from '../types';
import { loadServer } from './server-common';
import { obj } from './server-schemas';

type Params = { id: string; network?: string };
const params = (req: FastifyRequest) => req.params as Params;

export const INFO_RULES: Record<string, string> = {
  'os_compute_api:ips:index': 'rule:admin_or_reader', 'os_compute_api:ips:show': 'rule:admin_or_reader',
  'os_compute_api:os-server-diagnostics': 'rule:admin_api',
};

/** Nova's ips view: version and addr only. */
function networks(s: Server): Record<string, Array<{ version: unknown; addr: unknown }>> {
  if (s.vmState === 'building') return {};
  const doc = addressesOf(s) as Record<string, Array<Record<string, unknown>>>;
  return Object.fromEntries(Object.entries(doc).map(([net, list]) => [net, (Array.isArray(list) ? list : []).map((a) => ({ version: a.version, addr: a.addr }))]));
}

const STATE: Record<number, string> = { 0: 'pending', 1: 'running', 3: 'paused', 4: 'shutdown', 6: 'crashed', 7: 'suspended' };

async function diagnostics(deps: ApiDeps, req: FastifyRequest, s: Server): Promise<Record<string, unknown>> {
  if (!s.host) throw new ConflictError(`Instance ${s.uuid} is not ready: it has no host.`, { code: 'INSTANCE_NOT_READY' });
  const { driver, hypervisorType, info } = await deps.ctx.serverInspect.info(s);
  if (req.mv.lt('2.48')) return { state: STATE[info.powerState] ?? 'pending', memory: info.memoryMb * 1024, cpu0_time: info.cpuTimeNs, driver };
  const disks = 1 + (s.configDrive ? 1 : 0) + (s.flavor?.ephemeralGb ? 1 : 0) + (s.flavor?.swapMb ? 1 : 0);
  return {
    state: STATE[info.powerState] ?? 'pending',
    // Nova's field is an enum of real drivers; the fake driver answers 'libvirt' as Nova's own fake does.
    driver: 'libvirt', hypervisor: driver === 'fake' ? 'fake' : hypervisorType.toLowerCase(), hypervisor_os: driver === 'fake' ? null : 'linux',
    uptime: null, config_drive: s.configDrive, num_cpus: info.vcpus, num_nics: Object.values(addressesOf(s)).length, num_disks: disks,
    memory_details: { maximum: info.memoryMb, used: null }, cpu_details: [], nic_details: [], disk_details: [],
  };
}

const CONSOLE = [{
  min: '2.6', schema: obj({
    remote_console: obj({
      protocol: { type: 'string', enum: ['vnc', 'spice', 'rdp', 'serial', 'mks'] },
      type: { type: 'string', enum: ['novnc', 'xvpvnc', 'rdp-html5', 'spice-html5', 'serial', 'webmks'] },
    }, ['protocol', 'type']),
  }, ['remote_console']),
}];

export function infoRoutes(deps: ApiDeps): RouteDef[] {
  return [
    {
      method: 'GET', url: '/servers/:id/ips', policy: 'os_compute_api:ips:index', summary: 'List the addresses of a server',
      handler: async (req) => ({ addresses: networks(await loadServer(deps, req, params(req).id, 'os_compute_api:ips:index')) }),
    },
    {
      method: 'GET', url: '/servers/:id/ips/:network', policy: 'os_compute_api:ips:show', summary: 'List the addresses of a server on one network',
      handler: async (req) => {
        const all = networks(await loadServer(deps, req, params(req).id, 'os_compute_api:ips:show'));
        const net = params(req).network!;
        if (!(net in all)) throw new NotFoundError('Network', net, { hint: 'Instance is not a member of specified network.' });
        return { [net]: all[net] };
      },
    },
    {
      method: 'GET', url: '/servers/:id/diagnostics', policy: 'os_compute_api:os-server-diagnostics', summary: 'Diagnostics of a server (admin)',
      handler: async (req) => diagnostics(deps, req, await loadServer(deps, req, params(req).id, 'os_compute_api:os-server-diagnostics')),
    },
    {
      method: 'POST', url: '/servers/:id/remote-consoles', policy: 'os_compute_api:os-remote-consoles', summary: 'Get a remote console (not available)',
      minVersion: '2.6', body: CONSOLE,
      handler: async (req) => {
        await loadServer(deps, req, params(req).id, 'os_compute_api:os-remote-consoles');
        const c = (req.body as { remote_console: { protocol: string; type: string } }).remote_console;
        throw new InvalidInputError(`Unavailable console type ${c.type}.`, { code: 'CONSOLE_TYPE_UNAVAILABLE', hint: 'novalite runs no console proxy; use os-getConsoleOutput for the serial log.' });
      },
    },
  ];
}
