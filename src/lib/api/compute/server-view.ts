/**
 * The server object of the Compute API, shaped per microversion as Nova's view builder shapes
 * it: which fields a list, a show, an update and a rebuild answer carry, which ones come and go
 * with 2.3 … 2.90, and which only an admin (or a policy) sees. Built from the core's Server; the
 * per-request context (policies, host states, tags, groups) is gathered once by viewContext.
 */
import type { FastifyRequest } from 'fastify';
import type { Server } from '../../model/servers';
import { serverStatus } from '../../model/states';
import { addressesOf, hostId } from '../../views/servers';
import type { Microversion } from '../microversion';
import type { ApiDeps } from '../types';
import { allowed, isoSeconds, links, novaTime } from './server-common';

export const RULE_EXTENDED = 'os_compute_api:os-extended-server-attributes';
export const RULE_HOST_STATUS = 'os_compute_api:servers:show:host_status';
export const RULE_EXTRA_SPECS = 'os_compute_api:servers:show:flavor-extra-specs';

/** detail and show: everything; update and rebuild: Nova's short view before 2.75. */
export type ViewMode = 'detail' | 'show' | 'update' | 'rebuild';

export interface ViewContext {
  base: string;
  mv: Microversion;
  admin: boolean;
  extended: boolean;
  extraSpecs: boolean;
  /** Host name → UP, DOWN, MAINTENANCE; null when the caller may not see host status. */
  hostStatus: Map<string, string> | null;
  tags: Map<string, string[]>;
  groups: Map<string, string[]>;
}

const PROGRESS = ['ACTIVE', 'BUILD', 'REBUILD', 'RESIZE', 'VERIFY_RESIZE', 'MIGRATING'];
const FAULT = ['ERROR', 'DELETED'];

/** What the view needs beyond the servers themselves, fetched once for a page of servers. */
export async function viewContext(deps: ApiDeps, req: FastifyRequest, servers: Server[], mode: ViewMode): Promise<ViewContext> {
  const mv = req.mv;
  const target = servers.length === 1 ? { projectId: servers[0].projectId } : {};
  const full = mode === 'detail' || mode === 'show' || mv.gte('2.75');
  let hostStatus: Map<string, string> | null = null;
  if (full && mv.gte('2.16') && allowed(deps, req, RULE_HOST_STATUS, target)) {
    hostStatus = new Map((await deps.ctx.hosts.list()).map((h) => [h.host, h.forcedDown || !h.up ? 'DOWN' : h.disabled ? 'MAINTENANCE' : 'UP']));
  }
  const groups = new Map<string, string[]>();
  if (mv.gte('2.71') && mode !== 'detail') {
    for (const s of servers) groups.set(s.uuid, (await deps.ctx.serverGroups.list(s.projectId)).filter((g) => g.members.includes(s.uuid)).map((g) => g.uuid));
  }
  return {
    base: deps.baseUrl(req), mv, admin: req.caller.isAdmin,
    extended: full && allowed(deps, req, RULE_EXTENDED, target),
    extraSpecs: mv.gte('2.47') && allowed(deps, req, RULE_EXTRA_SPECS, target),
    hostStatus,
    tags: mv.gte('2.26') ? await deps.ctx.serverAttributes.tagsOf(servers) : new Map(),
    groups,
  };
}

function addresses(s: Server, extended: boolean): Record<string, unknown> {
  if (s.vmState === 'building') return {};
  const doc = addressesOf(s) as Record<string, Array<Record<string, unknown>>>;
  if (extended) return doc;
  return Object.fromEntries(Object.entries(doc).map(([net, list]) => [net, (Array.isArray(list) ? list : []).map((a) => ({ version: a.version, addr: a.addr }))]));
}

function flavor(s: Server, v: ViewContext): Record<string, unknown> {
  const f = s.flavor;
  if (!f) return {};
  if (v.mv.lt('2.47')) return { id: String(f.flavorid), links: [{ rel: 'bookmark', href: `${v.base}/flavors/${f.flavorid}` }] };
  const out: Record<string, unknown> = { vcpus: f.vcpus, ram: f.memoryMb, disk: f.rootGb, ephemeral: f.ephemeralGb, swap: f.swapMb, original_name: f.name };
  if (v.extraSpecs) out.extra_specs = f.extraSpecs ?? {};
  return out;
}

/** The user data as the API carries it (base64), from the text the core keeps. */
export function userDataOf(s: Server): string | null {
  return s.userData === null ? null : Buffer.from(s.userData, 'utf8').toString('base64');
}

/** GET /servers: id, name, links. */
export function serverBasic(s: Server, base: string): Record<string, unknown> {
  return { id: s.uuid, name: s.name, links: links(base, 'servers', s.uuid) };
}

export function serverView(s: Server, v: ViewContext, mode: ViewMode): Record<string, unknown> {
  const mv = v.mv;
  const full = mode === 'detail' || mode === 'show' || mv.gte('2.75');
  const status = s.deletedAt ? 'DELETED' : serverStatus(s.vmState, s.taskState);
  const out: Record<string, unknown> = {
    id: s.uuid, name: s.name, status, tenant_id: s.projectId ?? '', user_id: s.userId ?? '', metadata: s.metadata ?? {},
    hostId: hostId(s), image: s.imageRef ? { id: s.imageRef, links: [{ rel: 'bookmark', href: `${v.base}/images/${s.imageRef}` }] } : '',
    flavor: flavor(s, v), created: isoSeconds(s.createdAt), updated: isoSeconds(s.updatedAt ?? s.createdAt),
    addresses: addresses(s, full), accessIPv4: '', accessIPv6: '', links: links(v.base, 'servers', s.uuid), 'OS-DCF:diskConfig': 'MANUAL',
  };
  if (FAULT.includes(status) && s.fault) {
    const fault: Record<string, unknown> = { code: s.fault.code, created: isoSeconds(s.fault.createdAt), message: s.fault.message };
    if (s.fault.details && (v.admin || s.fault.code !== 500)) fault.details = s.fault.details;
    out.fault = fault;
  }
  if (PROGRESS.includes(status)) out.progress = s.progress ?? 0;
  if (full) {
    Object.assign(out, {
      'OS-EXT-AZ:availability_zone': s.availabilityZone ?? '', config_drive: s.configDrive ? 'True' : '', key_name: s.keyName,
      'OS-SRV-USG:launched_at': novaTime(s.launchedAt), 'OS-SRV-USG:terminated_at': novaTime(s.terminatedAt),
      'OS-EXT-STS:task_state': s.taskState, 'OS-EXT-STS:vm_state': s.vmState, 'OS-EXT-STS:power_state': s.powerState,
      'os-extended-volumes:volumes_attached': [],
    });
  } else if (mode === 'rebuild' && mv.gte('2.54')) {
    out.key_name = s.keyName;
  }
  if (v.extended) {
    Object.assign(out, { 'OS-EXT-SRV-ATTR:host': s.host, 'OS-EXT-SRV-ATTR:instance_name': `instance-${s.uuid.slice(0, 8)}`, 'OS-EXT-SRV-ATTR:hypervisor_hostname': s.node });
    if (mv.gte('2.3')) {
      const sys = s.systemMetadata ?? {};
      Object.assign(out, {
        'OS-EXT-SRV-ATTR:hostname': s.hostname ?? '', 'OS-EXT-SRV-ATTR:kernel_id': sys.image_kernel_id ?? '',
        'OS-EXT-SRV-ATTR:launch_index': Number(sys.launch_index ?? 0), 'OS-EXT-SRV-ATTR:ramdisk_id': sys.image_ramdisk_id ?? '',
        'OS-EXT-SRV-ATTR:reservation_id': sys.reservation_id ?? null, 'OS-EXT-SRV-ATTR:root_device_name': s.launchedAt ? '/dev/vda' : null,
      });
      if (mode !== 'rebuild') out['OS-EXT-SRV-ATTR:user_data'] = userDataOf(s);
    }
  }
  if (mv.gte('2.9')) out.locked = s.locked;
  if (v.hostStatus && full) out.host_status = s.host ? v.hostStatus.get(s.host) ?? 'UNKNOWN' : '';
  if (mv.gte('2.19')) out.description = s.description;
  if (mv.gte('2.26')) out.tags = v.tags.get(s.uuid) ?? [];
  if (mv.gte('2.63')) out.trusted_image_certificates = null;
  if (mv.gte('2.71') && mode !== 'detail') out.server_groups = v.groups.get(s.uuid) ?? [];
  if (mv.gte('2.73')) out.locked_reason = s.systemMetadata?.locked_reason ?? null;
  if (mv.gte('2.90') && !v.extended) out['OS-EXT-SRV-ATTR:hostname'] = s.hostname ?? '';
  if (mode === 'rebuild' && mv.gte('2.57')) out.user_data = userDataOf(s);
  return out;
}
