/**
 * Hypervisors (compute nodes) as Nova's os-hypervisors shows them per microversion: the brief
 * entry (id, hostname, state, status), the detail (type, version, host_ip, service; the resource
 * counters and cpu_info until 2.87 — cpu_info a JSON string before 2.28 — and uptime from 2.88),
 * servers when asked, statistics, and the uptime line.
 */
import type { FastifyRequest } from 'fastify';
import type { Server } from '../../model/servers';
import type { HostInfo } from '../../services/hosts';
import type { ApiDeps } from '../types';

export const hypervisorId = (req: FastifyRequest, h: HostInfo): number | string => (req.mv.gte('2.53') ? h.nodeUuid : h.nodeId);

/** What a host has left (Nova's free_*_mb/gb can go negative with overcommit). */
function counters(h: HostInfo): Record<string, number> {
  return {
    vcpus: h.vcpus, memory_mb: h.memoryMb, local_gb: h.localGb, vcpus_used: h.vcpusUsed, memory_mb_used: h.memoryMbUsed, local_gb_used: h.localGbUsed,
    free_ram_mb: h.memoryMb - h.memoryMbUsed, free_disk_gb: h.localGb - h.localGbUsed, current_workload: Number(h.stats.io_workload ?? 0),
    running_vms: h.runningVms, disk_available_least: h.localGb - h.localGbUsed,
  };
}

/** The uptime line a host reports: its stats' when it has one; a fake host's own since it was registered; else null. */
export function uptimeOf(h: HostInfo, now: Date): string | null {
  if (typeof h.stats.uptime === 'string') return h.stats.uptime;
  if (h.driver !== 'fake') return null;
  const secs = Math.max(0, Math.floor((now.getTime() - new Date(h.createdAt).getTime()) / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  const days = Math.floor(secs / 86400);
  const hm = `${Math.floor((secs % 86400) / 3600)}:${pad(Math.floor((secs % 3600) / 60))}`;
  const clock = `${pad(now.getUTCHours())}:${pad(now.getUTCMinutes())}:${pad(now.getUTCSeconds())}`;
  return ` ${clock} up ${days ? `${days} day${days === 1 ? '' : 's'}, ` : ''}${hm},  0 users,  load average: 0.00, 0.00, 0.00`;
}

export interface ViewOpts { detail: boolean; servers?: Server[] | null; withServers?: boolean }

export function hypervisorView(deps: ApiDeps, req: FastifyRequest, h: HostInfo, o: ViewOpts): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: hypervisorId(req, h), hypervisor_hostname: h.nodename, state: h.up ? 'up' : 'down', status: h.disabled ? 'disabled' : 'enabled',
  };
  if (o.detail) {
    Object.assign(out, {
      hypervisor_type: h.hypervisorType, hypervisor_version: h.hypervisorVersion, host_ip: h.hostIp,
      service: { id: req.mv.gte('2.53') ? h.serviceUuid ?? h.nodeUuid : h.serviceId, host: h.host, disabled_reason: h.disabledReason },
    });
    if (req.mv.lt('2.88')) {
      Object.assign(out, counters(h));
      out.cpu_info = req.mv.gte('2.28') ? { ...h.cpuInfo } : JSON.stringify(h.cpuInfo);
    } else {
      out.uptime = uptimeOf(h, deps.ctx.clock.now());
    }
  }
  if (o.servers && o.servers.length) out.servers = o.servers.map((s) => ({ name: s.name, uuid: s.uuid }));
  else if (o.withServers && req.mv.gte('2.75')) out.servers = [];
  return out;
}

export function statistics(hosts: HostInfo[]): Record<string, number> {
  const sum: Record<string, number> = { count: hosts.length };
  for (const k of ['vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used', 'local_gb_used', 'free_ram_mb', 'free_disk_gb', 'current_workload', 'running_vms', 'disk_available_least']) sum[k] = 0;
  for (const h of hosts) for (const [k, v] of Object.entries(counters(h))) sum[k] += v;
  return sum;
}
