/**
 * POST /servers: Nova's create request turned into the core's CreateServer (user data decoded,
 * `az:host` forcing and 2.74 host for admins, networks, hints, tags, hostname), answered 202 as
 * soon as the build is a durable task. What novalite has no service for (volumes, ports, file
 * injection, security groups other than default) is a 400 naming it, never silently dropped.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidInputError, isNovaliteError } from '../../errors';
import type { Server } from '../../model/servers';
import type { CreateServer } from '../../services/servers';
import type { ApiDeps } from '../types';
import { accepted, links } from './server-common';

type Body = Record<string, any>;

export const RULES_CREATE = {
  forcedHost: 'os_compute_api:servers:create:forced_host',
  requestedDestination: 'compute:servers:create:requested_destination',
  attachNetwork: 'os_compute_api:servers:create:attach_network',
};

const bool = (v: unknown) => v === true || (typeof v === 'string' && ['true', '1', 'on', 'yes'].includes(v.toLowerCase()));
const bad = (message: string, code = 'INVALID_INPUT') => new InvalidInputError(message, { code });

/** Base64 user data as text for the core (400 when it is not base64). */
export function decodeUserData(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const text = String(v).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw bad("Invalid input for field/attribute user_data. Value: is not a 'base64' string.");
  return Buffer.from(text, 'base64').toString('utf8');
}

function unsupported(s: Body): void {
  const no = (what: string) => { throw bad(`${what} is not supported: novalite has no block storage, networking or guest agent service.`, 'NOT_SUPPORTED'); };
  if (s.block_device_mapping?.length || s.block_device_mapping_v2?.length) no('Booting with block device mappings');
  if (s.personality?.length) no('File injection (personality)');
  if (s.accessIPv4 !== undefined || s.accessIPv6 !== undefined) no('Setting accessIPv4/accessIPv6');
  if (s.trusted_image_certificates) no('Trusted image certificate validation');
  for (const g of s.security_groups ?? []) if (g.name !== undefined && g.name !== 'default') no(`Security group ${JSON.stringify(g.name)}`);
}

/** networks → the core's network: 'auto', 'none' or one network by id. */
function network(deps: ApiDeps, req: FastifyRequest, nets: unknown): string | undefined {
  if (nets === undefined || nets === 'auto' || nets === 'none') return nets as string | undefined;
  const list = nets as Array<Record<string, unknown>>;
  if (!list.length) return 'auto';
  deps.policy.enforce(RULES_CREATE.attachNetwork, req.caller, {});
  if (list.some((n) => n.port || n.fixed_ip)) throw bad('Ports and fixed IPs are not supported: novalite has no networking service; give a network uuid, "auto" or "none".', 'NOT_SUPPORTED');
  if (list.length > 1) throw bad('A server attaches to one network in novalite; give one network.', 'NOT_SUPPORTED');
  if (!list[0].uuid) throw bad('A network needs a uuid.');
  return String(list[0].uuid);
}

function hints(body: Body): { group?: string; hints: Record<string, string | string[]> } {
  const raw: Record<string, unknown> = body['os:scheduler_hints'] ?? body['OS-SCH-HNT:scheduler_hints'] ?? {};
  const out: Record<string, string | string[]> = {};
  let group: string | undefined;
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'group') { group = Array.isArray(v) ? String(v[0]) : String(v); continue; }
    out[k] = Array.isArray(v) ? v.map(String) : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
  }
  return { group, hints: out };
}

/** `az`, `az:host`, `az:host:node`, `:host` (Nova's parse_availability_zone); a forced host is admin-only. */
async function placement(deps: ApiDeps, req: FastifyRequest, s: Body): Promise<{ az?: string; host?: string }> {
  let az: string | undefined = s.availability_zone;
  let host: string | undefined;
  if (az !== undefined && az.includes(':')) {
    const [zone, h, node] = az.split(':');
    if (node) throw bad('Forcing a hypervisor node (az:host:node) is not supported; force the host with az:host.', 'NOT_SUPPORTED');
    deps.policy.enforce(RULES_CREATE.forcedHost, req.caller, {});
    az = zone || undefined;
    host = h || undefined;
  }
  if (req.mv.gte('2.74') && (s.host !== undefined || s.hypervisor_hostname !== undefined)) {
    deps.policy.enforce(RULES_CREATE.requestedDestination, req.caller, {});
    if (host) throw bad('One mechanism with host and/or hypervisor_hostname and another mechanism with zone:host:node are mutually exclusive.');
    const hosts = await deps.ctx.hosts.list();
    const byHost = s.host !== undefined ? hosts.find((h) => h.host === s.host) : undefined;
    const byNode = s.hypervisor_hostname !== undefined ? hosts.find((h) => h.nodename === s.hypervisor_hostname) : undefined;
    if ((s.host !== undefined && !byHost) || (s.hypervisor_hostname !== undefined && !byNode)) throw bad(`Compute host ${s.host ?? s.hypervisor_hostname} could not be found.`, 'HOST_NOT_FOUND');
    if (byHost && byNode && byHost.host !== byNode.host) throw bad(`Hypervisor ${s.hypervisor_hostname} is not on host ${s.host}.`, 'HOST_NOT_FOUND');
    host = (byHost ?? byNode)!.host;
  }
  // A forced host decides the zone (Nova uses the host's own zone on a mismatch); otherwise the
  // zone must be one that has an enabled host, as Nova checks before it schedules.
  if (host) return { host };
  if (az !== undefined) {
    const zones = new Set((await deps.ctx.hosts.list()).filter((h) => !h.disabled).map((h) => h.availabilityZone));
    if (!zones.has(az)) throw bad('The requested availability zone is not available', 'AZ_NOT_AVAILABLE');
  }
  return { az, host };
}

export async function createRequest(deps: ApiDeps, req: FastifyRequest): Promise<CreateServer & { returnReservationId: boolean }> {
  const body = req.body as Body;
  const s = body.server as Body;
  unsupported(s);
  const min = Number(s.min_count ?? 1);
  const max = Number(s.max_count ?? min);
  if (min > max) throw bad('min_count must be <= max_count');
  if (!s.imageRef) throw bad('Missing imageRef attribute');
  const hostname = req.mv.gte('2.90') ? s.hostname : undefined;
  if (hostname !== undefined && max > 1) throw bad('Unable to set hostname when creating multiple instances.');
  const { az, host } = await placement(deps, req, s);
  const { group, hints: h } = hints(body);
  const flavor = String(s.flavorRef).replace(/\/+$/, '').split('/').pop()!;
  return {
    name: s.name, flavor, image: s.imageRef, keyName: s.key_name, userData: decodeUserData(s.user_data),
    properties: Object.entries((s.metadata ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`),
    availabilityZone: az, host, hints: h, group, min, max, configDrive: s.config_drive === undefined ? undefined : bool(s.config_drive),
    network: network(deps, req, s.networks), description: req.mv.gte('2.19') ? s.description ?? undefined : s.name,
    project: req.caller.projectId, userId: req.caller.userId, hostname, tags: req.mv.gte('2.52') ? s.tags : undefined,
    reservationId: `r-${randomBytes(4).toString('hex')}`, returnReservationId: s.return_reservation_id !== undefined && bool(s.return_reservation_id),
  };
}

/** Nova answers a missing image, flavor, key pair or group named in the request with 400. */
function asBadRequest(e: unknown): unknown {
  if (!isNovaliteError(e)) return e;
  if (e.category === 'not_found' && !/PROJECT/.test(e.code)) return new InvalidInputError(e.message, { code: e.code, hint: e.hint });
  if (e.code === 'CONFLICT' && e.message.startsWith('Image ')) return new InvalidInputError(e.message, { code: 'IMAGE_NOT_ACTIVE' });
  return e;
}

export async function createServer(deps: ApiDeps, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const { returnReservationId, ...c } = await createRequest(deps, req);
  let out: Awaited<ReturnType<typeof accepted<Server[]>>>;
  try {
    out = await accepted(deps, req, () => deps.ctx.servers.create(c), (t) => t.kind === 'build');
  } catch (e) {
    throw asBadRequest(e);
  }
  if (returnReservationId) return { reservation_id: c.reservationId };
  const id = out.started?.instanceUuid ?? out.value![0].uuid;
  const l = links(deps.baseUrl(req), 'servers', id);
  reply.header('Location', l[0].href);
  return { server: { id, links: l, 'OS-DCF:diskConfig': 'MANUAL', security_groups: [{ name: 'default' }] } };
}
