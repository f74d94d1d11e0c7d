/**
 * GET /servers and /servers/detail: Nova's query handling. Non-admins may use only the filters
 * Nova lets them (others are dropped silently, as Nova drops them), admins any; from 2.75 an
 * unknown parameter is a 400. Filters the core has no column for (tags, IPs, locked, …) run on
 * each cell's rows before paging, so `limit`/`marker` and the `servers_links` next link stay right.
 */
import type { FastifyRequest } from 'fastify';
import { ForbiddenError, InvalidInputError, isNovaliteError } from '../../errors';
import type { Server } from '../../model/servers';
import type { ListServers } from '../../services/servers';
import { addressesOf } from '../../views/servers';
import type { ApiDeps } from '../types';
import { first, isoParam, nextLinks, paging, queryOf, type Query } from './limit-query';
import { allowed } from './server-common';
import { serverBasic, serverView, viewContext } from './server-view';

const JOINED = ['block_device_mapping', 'services', 'metadata', 'system_metadata', 'info_cache', 'security_groups', 'pci_devices'];
const SCHEMA_PARAMS = [
  'user_id', 'project_id', 'tenant_id', 'launch_index', 'image_ref', 'image', 'kernel_id', 'ramdisk_id', 'hostname', 'key_name', 'power_state',
  'vm_state', 'task_state', 'host', 'node', 'flavor', 'reservation_id', 'launched_at', 'terminated_at', 'availability_zone', 'name', 'display_name',
  'description', 'display_description', 'locked_by', 'uuid', 'root_device_name', 'config_drive', 'access_ip_v4', 'access_ip_v6', 'auto_disk_config',
  'progress', 'sort_key', 'sort_dir', 'all_tenants', 'soft_deleted', 'deleted', 'status', 'changes-since', 'ip', 'ip6', 'created_at', 'limit', 'marker', ...JOINED,
];
const TAG_FILTERS = ['tags', 'tags-any', 'not-tags', 'not-tags-any'];
const IGNORED_SORT = ['architecture', 'cell_name', 'cleaned', 'default_ephemeral_device', 'default_swap_device', 'deleted', 'deleted_at', 'disable_terminate',
  'ephemeral_gb', 'ephemeral_key_uuid', 'id', 'key_data', 'launched_on', 'locked', 'memory_mb', 'os_type', 'reservation_id', 'root_gb', 'shutdown_terminate',
  'user_data', 'vcpus', 'vm_mode'];
const SORT_KEYS = ['access_ip_v4', 'access_ip_v6', 'auto_disk_config', 'availability_zone', 'config_drive', 'created_at', 'display_description', 'display_name',
  'host', 'hostname', 'image_ref', 'instance_type_id', 'kernel_id', 'key_name', 'launch_index', 'launched_at', 'locked_by', 'node', 'power_state', 'progress',
  'project_id', 'ramdisk_id', 'root_device_name', 'task_state', 'terminated_at', 'updated_at', 'user_id', 'uuid', 'vm_state'];
const SUPPORTED_SORT = ['created_at', 'display_name', 'updated_at'];

function schemaParams(req: FastifyRequest): string[] {
  const mv = req.mv;
  return [...SCHEMA_PARAMS, ...(mv.gte('2.26') ? TAG_FILTERS : []), ...(mv.gte('2.66') ? ['changes-before'] : []), ...(mv.gte('2.73') ? ['locked'] : [])];
}

/** The filters Nova lets a non-admin use (servers.py _get_server_search_options). */
function userParams(req: FastifyRequest): string[] {
  const mv = req.mv;
  return ['reservation_id', 'name', 'status', 'image', 'flavor', 'ip', 'changes-since', 'all_tenants', ...(mv.gte('2.5') ? ['ip6'] : []),
    ...(mv.gte('2.26') ? TAG_FILTERS : []), ...(mv.gte('2.66') ? ['changes-before'] : []), ...(mv.gte('2.73') ? ['locked'] : []),
    ...(mv.gte('2.83') ? ['availability_zone', 'config_drive', 'key_name', 'created_at', 'launched_at', 'terminated_at', 'power_state', 'task_state', 'vm_state', 'progress', 'user_id'] : []),
    ...(mv.gte('2.90') ? ['hostname'] : [])];
}

const all = (q: Query, k: string): string[] => { const v = q[k]; return v === undefined ? [] : Array.isArray(v) ? v : [v]; };
const truthy = (v: string) => ['1', 't', 'true', 'on', 'y', 'yes'].includes(v.toLowerCase());

function regex(v: string): RegExp {
  try { return new RegExp(v); } catch { return new RegExp(v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')); }
}

/** The per-server test for the filters the core has no column for (null when none is given). */
function attributeFilter(deps: ApiDeps, f: Record<string, string>, deletedOnly: boolean): ListServers['filter'] {
  const exact: Array<[string, (s: Server) => unknown]> = [['uuid', (s) => s.uuid], ['user_id', (s) => s.userId], ['vm_state', (s) => s.vmState],
    ['task_state', (s) => s.taskState], ['power_state', (s) => String(s.powerState)], ['launch_index', (s) => s.systemMetadata.launch_index ?? '0']];
  const fuzzy: Array<[string, (s: Server) => string]> = [['hostname', (s) => s.hostname ?? ''], ['key_name', (s) => s.keyName ?? ''],
    ['availability_zone', (s) => s.availabilityZone ?? ''], ['node', (s) => s.node ?? ''], ['reservation_id', (s) => s.systemMetadata.reservation_id ?? ''],
    ['description', (s) => s.description ?? ''], ['display_description', (s) => s.description ?? ''], ['config_drive', (s) => (s.configDrive ? 'True' : '')]];
  const tests: Array<(s: Server, tags: string[]) => boolean> = [];
  for (const [k, get] of exact) if (f[k] !== undefined) tests.push((s) => String(get(s) ?? '') === f[k]);
  for (const [k, get] of fuzzy) if (f[k] !== undefined) { const re = regex(f[k]); tests.push((s) => re.test(get(s))); }
  for (const [k, version] of [['ip', 4], ['ip6', 6]] as const) {
    if (f[k] === undefined) continue;
    const re = regex(f[k]);
    tests.push((s) => Object.values(addressesOf(s)).flat().some((a) => (a as { version?: number }).version === version && re.test(String((a as { addr?: string }).addr))));
  }
  if (f.locked !== undefined) tests.push((s) => s.locked === truthy(f.locked));
  if (deletedOnly) tests.push((s) => s.deletedAt !== null);
  const split = (k: string) => (f[k] === undefined ? null : f[k].split(','));
  const [every, any, notEvery, notAny] = TAG_FILTERS.map(split);
  if (every) tests.push((_s, t) => every.every((x) => t.includes(x)));
  if (any) tests.push((_s, t) => any.some((x) => t.includes(x)));
  if (notEvery) tests.push((_s, t) => !notEvery.every((x) => t.includes(x)));
  if (notAny) tests.push((_s, t) => !notAny.some((x) => t.includes(x)));
  if (!tests.length) return undefined;
  const needTags = !!(every || any || notEvery || notAny);
  return async (rows) => {
    const tags = needTags ? await deps.ctx.serverAttributes.tagsOf(rows) : null;
    return rows.filter((s) => tests.every((t) => t(s, tags?.get(s.uuid) ?? [])));
  };
}

/** The list request for the core, or null when Nova would answer with an empty list. */
async function listRequest(deps: ApiDeps, req: FastifyRequest, detail: boolean): Promise<ListServers | null> {
  const q = queryOf(req);
  const mv = req.mv;
  const known = schemaParams(req);
  if (mv.gte('2.75')) {
    const extra = Object.keys(q).filter((k) => !known.includes(k));
    if (extra.length) throw new InvalidInputError(`Invalid input for query parameters: Additional properties are not allowed (${extra.map((k) => `'${k}'`).join(', ')} ${extra.length > 1 ? 'were' : 'was'} unexpected).`, { code: 'INVALID_QUERY' });
  }
  const bad = Object.keys(q).find((k) => JOINED.includes(k) || k.startsWith('_'));
  if (bad) throw new InvalidInputError(`Invalid filter field: ${bad}.`, { code: 'INVALID_QUERY' });
  const everything = allowed(deps, req, 'os_compute_api:servers:allow_all_filters');
  const permitted = everything ? known : userParams(req);
  const f: Record<string, string> = {};
  for (const k of Object.keys(q)) if (permitted.includes(k) && first(q, k) !== undefined) f[k] = first(q, k)!;

  const out: ListServers = {};
  const statuses = everything || permitted.includes('status') ? all(q, 'status') : [];
  if (statuses.length) {
    if (statuses.length > 1) throw new InvalidInputError('Filtering by more than one status is not supported; give one status.', { code: 'INVALID_QUERY' });
    const valid = ['ACTIVE', 'BUILD', 'SHUTOFF', 'PAUSED', 'SUSPENDED', 'RESCUE', 'ERROR', 'VERIFY_RESIZE', 'SHELVED', 'SHELVED_OFFLOADED', 'SOFT_DELETED', 'DELETED', 'REBOOT', 'HARD_REBOOT', 'MIGRATING', 'RESIZE'];
    if (!valid.includes(statuses[0].toUpperCase())) {
      if (mv.gte('2.38')) throw new InvalidInputError('Invalid status value', { code: 'INVALID_QUERY' });
      return null;
    }
    if (statuses[0].toUpperCase() === 'DELETED') {
      if (!req.caller.isAdmin) throw new ForbiddenError('Only administrators may list deleted instances');
      out.deleted = true;
    }
    out.status = statuses[0];
  }
  const since = f['changes-since'] !== undefined ? isoParam(q, 'changes-since') : undefined;
  const before = f['changes-before'] !== undefined ? isoParam(q, 'changes-before') : undefined;
  if (since && before && before < since) throw new InvalidInputError('The value of changes-since must be less than or equal to changes-before.', { code: 'INVALID_QUERY' });
  Object.assign(out, { changesSince: since, changesBefore: before });
  if (before && !since) out.deleted = true;
  const deletedOnly = f.deleted !== undefined && truthy(f.deleted);
  if (deletedOnly) out.deleted = true;
  let allProjects = false;
  if ('all_tenants' in f) {
    const v = f.all_tenants;
    if (v === '' || truthy(v)) {
      deps.policy.enforce(`os_compute_api:servers:${detail ? 'detail' : 'index'}:get_all_tenants`, req.caller, {});
      allProjects = true;
    } else if (!['0', 'f', 'false', 'off', 'n', 'no'].includes(v.toLowerCase())) {
      throw new InvalidInputError(`Unrecognized value '${v}', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'`, { code: 'INVALID_QUERY' });
    }
  }
  // As Nova: project_id/tenant_id only count with all_tenants; otherwise a caller lists their own project.
  const project = f.project_id ?? f.tenant_id;
  if (!allProjects) out.project = req.caller.projectId;
  else if (project !== undefined) out.project = project;
  else out.allProjects = true;
  out.name = f.name ?? f.display_name;
  out.host = f.host;
  out.flavor = f.flavor;
  out.image = f.image ?? f.image_ref;
  Object.assign(out, sortOf(req, q), paging(q));
  out.filter = attributeFilter(deps, f, deletedOnly);
  return out;
}

function sortOf(req: FastifyRequest, q: Query): Pick<ListServers, 'sortKey' | 'sortDir'> {
  const ignored = req.mv.gte('2.75') ? [] : IGNORED_SORT.filter((k) => !(k === 'locked' && req.mv.gte('2.73')));
  const valid = [...SORT_KEYS, ...(req.mv.gte('2.73') ? ['locked'] : []), ...ignored];
  const keys = all(q, 'sort_key');
  const dirs = all(q, 'sort_dir');
  for (const d of dirs) if (!['asc', 'desc'].includes(d)) throw new InvalidInputError("Unknown sort direction, must be 'desc' or 'asc'", { code: 'INVALID_QUERY' });
  const used: Array<[string, string]> = [];
  keys.forEach((k, i) => {
    if (!valid.includes(k)) throw new InvalidInputError(`Invalid input for query parameters sort_key. Value: ${k}.`, { code: 'INVALID_QUERY' });
    if (ignored.includes(k)) return;
    if ((k === 'host' || k === 'node') && !req.caller.isAdmin) throw new ForbiddenError(`Only administrators can sort servers by ${k}`);
    used.push([k, dirs[i] ?? 'desc']);
  });
  if (!used.length) return { sortKey: 'created_at', sortDir: (dirs[0] as 'asc' | 'desc') ?? 'desc' };
  if (!SUPPORTED_SORT.includes(used[0][0])) throw new InvalidInputError(`Sorting servers by ${used[0][0]} is not supported; sort by ${SUPPORTED_SORT.join(', ')}.`, { code: 'UNSUPPORTED_SORT_KEY' });
  return { sortKey: used[0][0] as 'created_at', sortDir: used[0][1] as 'asc' };
}

export async function listServers(deps: ApiDeps, req: FastifyRequest, detail: boolean): Promise<Record<string, unknown>> {
  const lr = await listRequest(deps, req, detail);
  if (!lr) return { servers: [] };
  let servers: Server[];
  try {
    servers = await deps.ctx.servers.list(lr);
  } catch (e) {
    if (isNovaliteError(e) && e.category === 'not_found' && lr.marker && /SERVER/.test(e.code)) throw new InvalidInputError(`marker [${lr.marker}] not found`, { code: 'MARKER_NOT_FOUND' });
    if (isNovaliteError(e) && e.category === 'not_found' && (/FLAVOR|PROJECT/.test(e.code))) return { servers: [] };
    throw e;
  }
  const base = deps.baseUrl(req);
  const v = detail ? await viewContext(deps, req, servers, 'detail') : null;
  const out: Record<string, unknown> = { servers: servers.map((s) => (v ? serverView(s, v, 'detail') : serverBasic(s, base))) };
  const next = nextLinks(queryOf(req), servers.length, servers[servers.length - 1]?.uuid, `${base}/v2.1/servers${detail ? '/detail' : ''}`);
  if (next.length) out.servers_links = next;
  return out;
}
